#!/usr/bin/env bash
# API fuzzing with schemathesis against a running sellerbase.
#
# Usage: .ci/schemathesis.sh [BINARY]     (default: target/debug/sellerbase)
#
# Starts BINARY on a free loopback port with a throw-away data folder and `--demo`, signs in as a
# demo member, and runs schemathesis over every operation of /api/openapi.json, authenticated with
# that member's bearer token, with the checks not_a_server_error, status_code_conformance and
# response_schema_conformance. Exits with schemathesis's exit code; the server is always stopped.
#
# Not fuzzed: POST /auth/logout and POST /me/delete, because they would end the member's session
# or delete the account, and every later request would then only get 401.
#
# Environment:
#   SCHEMATHESIS_MAX_EXAMPLES  examples per operation in the fuzzing phase (default 100; 200 took
#                              ~2 minutes on 2 cores with a cargo build running beside it)
#   SCHEMATHESIS_WORKERS       concurrent workers (default 2)
#   SCHEMATHESIS_SEED          fixed seed, to repeat a run
#   SCHEMATHESIS_REPORT_DIR    if set, JUnit XML and NDJSON reports are written there
#   PYTHON                     the Python that runs schemathesis (default python3)
set -euo pipefail

SCHEMATHESIS_VERSION=4.32.5
PYTHON="${PYTHON:-python3}"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-100}"
WORKERS="${SCHEMATHESIS_WORKERS:-2}"

# A relative BINARY is taken from the current folder; the default from the repository root.
binary="${1:-$(dirname "$0")/../target/debug/sellerbase}"
if [ ! -x "$binary" ]; then
  echo "error: $binary is not an executable (build it first, or pass its path)" >&2
  exit 2
fi
binary="$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")"

have_version="$("$PYTHON" -m schemathesis.cli --version 2>/dev/null | awk '{print $NF}' || true)"
if [ "$have_version" != "$SCHEMATHESIS_VERSION" ]; then
  echo "== installing schemathesis $SCHEMATHESIS_VERSION"
  "$PYTHON" -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

workdir="$(mktemp -d -t sellerbase-schemathesis.XXXXXX)"
server_pid=""
fuzz_pid=""
cleanup() {
  if [ -n "$fuzz_pid" ] && kill -0 "$fuzz_pid" 2>/dev/null; then
    kill "$fuzz_pid" 2>/dev/null || true
    wait "$fuzz_pid" 2>/dev/null || true
  fi
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
base="http://127.0.0.1:$port"
log="$workdir/server.log"

echo "== starting $binary on $base"
# Run in the temporary folder so that no ./sellerbase.toml is picked up, and on SQLite whatever the
# environment says.
(
  cd "$workdir"
  exec env -u SELLERBASE_DATABASE_URL -u SELLERBASE_BIND -u SELLERBASE_DATA_DIR \
    "$binary" --data-dir "$workdir/data" serve --demo --bind "127.0.0.1:$port"
) >"$log" 2>&1 &
server_pid=$!

for _ in $(seq 1 120); do
  if curl -sf "$base/healthz" >/dev/null 2>&1; then
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "error: the server exited during start-up:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.5
done
if ! curl -sf "$base/healthz" >/dev/null; then
  echo "error: the server did not answer /healthz within 60 s:" >&2
  cat "$log" >&2
  exit 1
fi

# The demo prints "Demo logins (password for all: PASSWORD):" and one "  EMAIL  ROLE" line each.
password="$(sed -n 's/.*password for all: \([^)]*\)).*/\1/p' "$log" | head -n 1)"
email="$(awk '$2 == "member" && $1 ~ /@/ {print $1; exit}' "$log")"
if [ -z "$password" ] || [ -z "$email" ]; then
  echo "error: could not read a demo member login from the server output:" >&2
  cat "$log" >&2
  exit 1
fi

echo "== signing in as $email"
login_body="$("$PYTHON" -c 'import json, sys; print(json.dumps({"email": sys.argv[1], "password": sys.argv[2]}))' "$email" "$password")"
login="$(curl -sf -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' -d "$login_body")"
token="$(printf '%s' "$login" | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["token"])')"
if [ -z "$token" ]; then
  echo "error: sign-in answered without a token: $login" >&2
  exit 1
fi

report_args=()
if [ -n "${SCHEMATHESIS_REPORT_DIR:-}" ]; then
  mkdir -p "$SCHEMATHESIS_REPORT_DIR"
  report_args=(--report junit,ndjson --report-dir "$SCHEMATHESIS_REPORT_DIR")
fi
seed_args=()
if [ -n "${SCHEMATHESIS_SEED:-}" ]; then
  seed_args=(--seed "$SCHEMATHESIS_SEED")
fi

echo "== schemathesis $SCHEMATHESIS_VERSION: $MAX_EXAMPLES examples per operation, $WORKERS workers"
# --generation-with-security-parameters false: send only our bearer token, no generated
# Authorization header or sb_session cookie (a random cookie would override the token).
# --generation-database none: nothing written into the repository (.hypothesis).
# Run in the background and `wait`, so that a signal stops the run and the server at once.
set +e
(
  cd "$workdir"
  exec "$PYTHON" -m schemathesis.cli run "$base/api/openapi.json" \
    --url "$base/api/v1" \
    --header "Authorization: Bearer $token" \
    --checks not_a_server_error,status_code_conformance,response_schema_conformance \
    --exclude-name 'POST /auth/logout' \
    --exclude-name 'POST /me/delete' \
    --max-examples "$MAX_EXAMPLES" \
    --workers "$WORKERS" \
    --generation-with-security-parameters false \
    --generation-database none \
    --continue-on-failure \
    --request-timeout 30 \
    --no-color \
    ${seed_args[@]+"${seed_args[@]}"} \
    ${report_args[@]+"${report_args[@]}"}
) &
fuzz_pid=$!
wait "$fuzz_pid"
status=$?
fuzz_pid=""
set -e

# Errors the server logged (a 500 is also a schemathesis failure; this shows its cause).
if grep -qE 'ERROR|panicked' "$log"; then
  echo "== the server logged errors during the run (first 40 lines):"
  grep -E 'ERROR|panicked' "$log" | sed 's/\x1b\[[0-9;]*m//g' | head -n 40
fi
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "error: the server died during the run; its log:" >&2
  tail -n 50 "$log" >&2
  [ "$status" -eq 0 ] && status=1
fi
exit "$status"
