//! HTTP load from wrk, an external load generator written in C, when it is installed: the
//! in-process client shares the two cores with the server and costs several times what wrk
//! does per request, so wrk shows what the server itself sustains.

use std::process::Command;

use super::corpus::QUERIES;

/// What one wrk run measured.
pub struct WrkRun {
    pub requests_per_sec: f64,
    pub summary: String,
}

/// Runs wrk with `connections` keep-alive connections for `seconds` against the search API
/// of the server on `port`, rotating through the benchmark's queries and the members'
/// `tokens`. `None` when wrk is not installed.
pub fn search_load(
    port: u16,
    tokens: &[String],
    connections: usize,
    seconds: u64,
) -> anyhow::Result<Option<WrkRun>> {
    if Command::new("wrk").arg("--version").output().is_err() {
        return Ok(None);
    }
    let script = tempfile::Builder::new().suffix(".lua").tempfile()?;
    std::fs::write(script.path(), lua_script(tokens))?;
    let output = Command::new("wrk")
        .args(["-t1", "--latency"])
        .arg(format!("-c{connections}"))
        .arg(format!("-d{seconds}s"))
        .arg("--timeout=10s")
        .arg("-s")
        .arg(script.path())
        .arg(format!("http://127.0.0.1:{port}/api/v1/search"))
        .output()?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        anyhow::bail!(
            "wrk failed: {}{}",
            text,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(Some(parse(&text)?))
}

fn lua_script(tokens: &[String]) -> String {
    let queries: Vec<String> = QUERIES
        .iter()
        .map(|q| {
            format!(
                "\"{}\"",
                serde_urlencoded::to_string([("q", q)]).unwrap_or_default()
            )
        })
        .collect();
    let tokens: Vec<String> = tokens.iter().map(|t| format!("\"{t}\"")).collect();
    format!(
        r#"local queries = {{{}}}
local tokens = {{{}}}
local i = 0
request = function()
  i = i + 1
  local headers = {{["Authorization"] = "Bearer " .. tokens[(i % #tokens) + 1]}}
  return wrk.format("GET", "/api/v1/search?" .. queries[(i % #queries) + 1], headers)
end
done = function(summary, latency, requests)
  io.write(string.format("errors: %d\n", summary.errors.status + summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"#,
        queries.join(", "),
        tokens.join(", ")
    )
}

/// Keeps wrk's request rate, latency percentiles and error count.
fn parse(text: &str) -> anyhow::Result<WrkRun> {
    let requests_per_sec = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .ok_or_else(|| anyhow::anyhow!("wrk printed no request rate: {text}"))?;
    let keep = |l: &&str| {
        let l = l.trim_start();
        [
            "50%",
            "99%",
            "requests in",
            "Requests/sec",
            "Non-2xx",
            "errors:",
        ]
        .iter()
        .any(|p| l.starts_with(p) || l.contains(p))
    };
    let summary = text
        .lines()
        .filter(keep)
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("; ");
    Ok(WrkRun {
        requests_per_sec,
        summary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "Running 10s test @ http://127.0.0.1:1/api/v1/search
  1 threads and 32 connections
  Latency Distribution
     50%    9.81ms
     75%   12.10ms
     90%   15.00ms
     99%   22.43ms
  31415 requests in 10.00s, 90.12MB read
Requests/sec:   3141.50
Transfer/sec:      9.01MB
errors: 0
";

    #[test]
    fn keeps_rate_percentiles_and_errors() {
        let run = parse(SAMPLE).unwrap();
        assert!((run.requests_per_sec - 3141.5).abs() < 1e-9);
        assert!(run.summary.contains("50%    9.81ms"));
        assert!(run.summary.contains("99%   22.43ms"));
        assert!(run.summary.contains("errors: 0"));
        assert!(!run.summary.contains("Transfer"));
    }

    #[test]
    fn no_rate_is_an_error() {
        assert!(parse("connection refused").is_err());
    }

    #[test]
    fn script_quotes_every_query_and_rotates_the_tokens() {
        let script = lua_script(&["tok1".into(), "tok2".into()]);
        assert!(script.contains("\"Bearer \" .. tokens["));
        assert!(script.contains("local tokens = {\"tok1\", \"tok2\"}"));
        assert!(script.contains("\"q=zu+teuer\""));
        assert_eq!(script.matches("\"q=").count(), QUERIES.len());
    }
}
