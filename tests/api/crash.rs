//! Durability: the real binary is killed with SIGKILL while clients write threads and answers,
//! then restarted; every write that was acknowledged with a 2xx is still there and findable by
//! search (the outbox resumes). `CRASH_ROUNDS` sets the number of kill/restart rounds (3).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{Backend, PASSWORD, scratch_database};
use crate::on_both_databases;

fn sellerbase(data_dir: &std::path::Path, database_url: Option<&str>) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sellerbase"));
    cmd.arg("--data-dir").arg(data_dir).env("RUST_LOG", "error");
    match database_url {
        Some(url) => cmd.arg("--database-url").arg(url),
        None => cmd.env_remove("SELLERBASE_DATABASE_URL"),
    };
    cmd
}

/// Starts `serve` on a free port and returns the child and its port.
fn start(data_dir: &std::path::Path, database_url: Option<&str>) -> (Child, u16) {
    start_with(data_dir, database_url, &[])
}

/// Like [`start`], with more arguments for `serve` (e.g. `--demo`).
pub fn start_with(
    data_dir: &std::path::Path,
    database_url: Option<&str>,
    extra: &[&str],
) -> (Child, u16) {
    let mut child = sellerbase(data_dir, database_url)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // Keep reading so that the server never blocks on a full pipe.
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(port) = line.strip_prefix("sellerbase is running on port ") {
                let _ = tx.send(port.trim().parse::<u16>().unwrap());
            }
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the server did not start within 60 s");
    (child, port)
}

/// A word that appears nowhere else, so the search for it finds exactly one thread.
fn unique_word() -> String {
    let n = sellerbase::services::tokens::random_u64();
    (0..10)
        .map(|i| char::from(b'a' + ((n >> (i * 5)) % 26) as u8))
        .collect()
}

#[derive(Default)]
struct Acknowledged {
    threads: Vec<(i64, String)>,
    answers: Vec<(i64, i64)>,
}

async fn write_until_killed(base: String, token: String, acked: Arc<Mutex<Acknowledged>>) {
    let client = reqwest::Client::new();
    loop {
        let word = unique_word();
        let resp = client
            .post(format!("{base}/api/v1/threads"))
            .bearer_auth(&token)
            .json(&json!({
                "title": format!("Absturztest {word} – hält das?"),
                "body": "Wir prüfen, ob bestätigte Beiträge einen harten Absturz überstehen.",
                "topic": "closing", "language": "de", "visibility": "community"
            }))
            .send()
            .await;
        let Ok(resp) = resp else { return };
        if !resp.status().is_success() {
            continue;
        }
        let Ok(body) = resp.json::<Value>().await else {
            return;
        };
        let id = body["id"].as_i64().unwrap();
        acked.lock().unwrap().threads.push((id, word));
        let resp = client
            .post(format!("{base}/api/v1/threads/{id}/answers"))
            .bearer_auth(&token)
            .json(&json!({"body": "Eine Antwort, die bleiben muss."}))
            .send()
            .await;
        let Ok(resp) = resp else { return };
        if resp.status().is_success() {
            let Ok(body) = resp.json::<Value>().await else {
                return;
            };
            acked
                .lock()
                .unwrap()
                .answers
                .push((id, body["id"].as_i64().unwrap()));
        }
    }
}

async fn acknowledged_writes_survive_sigkill_and_stay_searchable(backend: Backend) {
    let Some(database) = scratch_database(backend).await else {
        return;
    };
    let url = database.url();
    let data = tempfile::tempdir().unwrap();
    let email = crate::helpers::unique_email("crash");
    let mut admin = sellerbase(data.path(), url.as_deref())
        .args([
            "create-admin",
            "--email",
            &email,
            "--handle",
            "crash-tester",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(admin.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    assert!(admin.wait().unwrap().success());

    let rounds: usize = std::env::var("CRASH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let acked = Arc::new(Mutex::new(Acknowledged::default()));
    let mut token = None;
    for round in 0..rounds {
        let (mut child, port) = start(data.path(), url.as_deref());
        let base = format!("http://127.0.0.1:{port}");
        if token.is_none() {
            let resp = reqwest::Client::new()
                .post(format!("{base}/api/v1/auth/login"))
                .json(&json!({"email": email, "password": PASSWORD}))
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 200);
            let body: Value = resp.json().await.unwrap();
            token = Some(body["token"].as_str().unwrap().to_owned());
        }
        let token = token.clone().unwrap();
        let before = acked.lock().unwrap().threads.len();
        let writers: Vec<_> = (0..4)
            .map(|_| {
                tokio::spawn(write_until_killed(
                    base.clone(),
                    token.clone(),
                    acked.clone(),
                ))
            })
            .collect();
        let pause = 400 + sellerbase::services::tokens::random_u64() % 800;
        tokio::time::sleep(Duration::from_millis(pause)).await;
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        for w in writers {
            w.await.unwrap();
        }
        let after = acked.lock().unwrap().threads.len();
        assert!(
            after > before,
            "round {round}: no write was acknowledged before the kill"
        );
    }

    // After a last restart, everything acknowledged is there and found by search.
    let (mut child, port) = start(data.path(), url.as_deref());
    let base = format!("http://127.0.0.1:{port}");
    let token = token.unwrap();
    let client = reqwest::Client::new();
    let acked = std::mem::take(&mut *acked.lock().unwrap());
    for (thread, answer) in &acked.answers {
        let resp = client
            .get(format!("{base}/api/v1/threads/{thread}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "acknowledged thread {thread} is gone");
        let body = resp.text().await.unwrap();
        assert!(
            body.contains(&format!("\"id\":{answer}")),
            "acknowledged answer {answer} is gone"
        );
    }
    let started = Instant::now();
    let mut missing: Vec<(i64, String)> = acked.threads.clone();
    while !missing.is_empty() {
        let mut still = Vec::new();
        for (id, word) in missing {
            let found: Value = client
                .get(format!("{base}/api/v1/search?q={word}"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let hit = found["hits"]
                .as_array()
                .unwrap()
                .iter()
                .any(|h| h["id"] == id);
            if !hit {
                still.push((id, word));
            }
        }
        missing = still;
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "acknowledged threads not findable by search after restart: {missing:?}"
        );
        if !missing.is_empty() {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    eprintln!(
        "crash test: {rounds} SIGKILL rounds, {} threads and {} answers acknowledged, all present and searchable",
        acked.threads.len(),
        acked.answers.len()
    );
    child.kill().unwrap();
    child.wait().unwrap();
}
on_both_databases!(acknowledged_writes_survive_sigkill_and_stay_searchable);

/// Reads one HTTP/1.1 response with a `Content-Length` body from a kept-alive connection.
async fn read_one_response(stream: &mut tokio::net::TcpStream) {
    use tokio::io::AsyncReadExt;
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf))
            .await
            .expect("a response within 10 s")
            .unwrap();
        assert!(n > 0, "connection closed before the response");
        got.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&got).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length: usize = text[..end]
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().ok())?
                })
                .unwrap_or(0);
            if got.len() >= end + 4 + length {
                assert!(text.starts_with("HTTP/1.1 200"), "{text}");
                return;
            }
        }
    }
}

/// SIGTERM: the listener closes at once, a request already in flight still gets its answer,
/// and the process exits cleanly.
#[tokio::test]
async fn sigterm_lets_in_flight_requests_finish_and_exits_cleanly() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let data = tempfile::tempdir().unwrap();
    let (mut child, port) = start(data.path(), None);
    let addr = format!("127.0.0.1:{port}");
    let body = br#"{"email":"nobody@example.com","password":"not the right one at all"}"#;
    let mut in_flight = tokio::net::TcpStream::connect(&addr).await.unwrap();
    // One whole request first, so the server has surely accepted this connection (under load
    // it could otherwise still wait in the listen queue, which closing the listener resets).
    in_flight
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    read_one_response(&mut in_flight).await;
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    in_flight.write_all(head.as_bytes()).await.unwrap();
    in_flight.write_all(&body[..10]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        tokio::net::TcpStream::connect(&addr).await.is_err(),
        "the listener is closed after SIGTERM"
    );

    in_flight.write_all(&body[10..]).await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(
        Duration::from_secs(10),
        in_flight.read_to_string(&mut answer),
    )
    .await
    .expect("the in-flight request was answered")
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.contains("invalid_credentials"), "{answer}");
    let status = child.wait().unwrap();
    assert!(status.success(), "exit status {status:?}");
}
