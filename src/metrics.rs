//! Prometheus metrics: request counts and latencies per route, search latency, outbox lag and
//! the database pool, in the text exposition format. Labels are route shapes ("/threads/:id"),
//! never ids or search text, and their number is bounded.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

/// Routes beyond this many distinct shapes are counted as `other` (random paths cannot grow
/// the metrics without bound).
const MAX_ROUTES: usize = 300;

#[derive(Clone, Default)]
pub struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    pub fn observe(&mut self, d: Duration) {
        let secs = d.as_secs_f64();
        for (bound, count) in BUCKETS.iter().zip(self.counts.iter_mut()) {
            if secs <= *bound {
                *count += 1;
            }
        }
        self.count += 1;
        self.sum += secs;
    }

    fn write(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        for (bound, count) in BUCKETS.iter().zip(self.counts.iter()) {
            let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {count}");
        }
        let _ = writeln!(
            out,
            "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}",
            self.count
        );
        let _ = writeln!(out, "{name}_sum{{{labels}}} {}", self.sum);
        let _ = writeln!(out, "{name}_count{{{labels}}} {}", self.count);
    }
}

type RouteKey = (&'static str, String, u16);

#[derive(Default)]
struct Requests {
    routes: HashSet<String>,
    by_key: HashMap<RouteKey, Histogram>,
}

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<Requests>,
    search: Mutex<Histogram>,
}

impl Metrics {
    pub fn observe_request(&self, method: &str, path: &str, status: u16, elapsed: Duration) {
        let method = match method {
            "GET" => "GET",
            "POST" => "POST",
            "PUT" => "PUT",
            "PATCH" => "PATCH",
            "DELETE" => "DELETE",
            "HEAD" => "HEAD",
            _ => "OTHER",
        };
        let Ok(mut requests) = self.requests.lock() else {
            return;
        };
        let mut route = route_shape(path);
        if !requests.routes.contains(&route) {
            if requests.routes.len() >= MAX_ROUTES {
                route = "other".into();
            } else {
                requests.routes.insert(route.clone());
            }
        }
        requests
            .by_key
            .entry((method, route, status))
            .or_default()
            .observe(elapsed);
    }

    pub fn observe_search(&self, elapsed: Duration) {
        if let Ok(mut h) = self.search.lock() {
            h.observe(elapsed);
        }
    }

    /// The exposition text; `gauges` are name, help and value of point-in-time readings.
    pub fn render(&self, gauges: &[(&str, &str, f64)]) -> String {
        let mut out = String::new();
        out.push_str("# HELP sellerbase_http_request_duration_seconds HTTP requests by route shape and status.\n");
        out.push_str("# TYPE sellerbase_http_request_duration_seconds histogram\n");
        if let Ok(requests) = self.requests.lock() {
            let map = &requests.by_key;
            let mut keys: Vec<_> = map.keys().collect();
            keys.sort();
            for key in keys {
                let labels = format!(
                    "method=\"{}\",route=\"{}\",status=\"{}\"",
                    key.0,
                    escape(&key.1),
                    key.2
                );
                if let Some(h) = map.get(key) {
                    h.write(
                        &mut out,
                        "sellerbase_http_request_duration_seconds",
                        &labels,
                    );
                }
            }
        }
        out.push_str("# HELP sellerbase_search_duration_seconds Time spent in the search index per search.\n");
        out.push_str("# TYPE sellerbase_search_duration_seconds histogram\n");
        if let Ok(h) = self.search.lock() {
            h.write(&mut out, "sellerbase_search_duration_seconds", "");
        }
        for (name, help, value) in gauges {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        }
        out
    }
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Parents whose next path segment is a name (slug, handle, token), not a fixed word.
const NAMED: [&str; 7] = [
    "lessons",
    "paths",
    "u",
    "users",
    "verify",
    "invitations",
    "reset",
];
/// Fixed words that follow such parents.
const FIXED: [&str; 5] = ["new", "mine", "review", "working", "forgot"];

/// "/api/v1/threads/42/answers" → "/api/v1/threads/:id/answers".
pub fn route_shape(path: &str) -> String {
    if path.starts_with("/static/") {
        return "/static/*".into();
    }
    let mut out = String::new();
    let mut previous = "";
    for segment in path.split('/').filter(|s| !s.is_empty()).take(8) {
        out.push('/');
        let numeric_or_token = segment.len() > 30 || segment.chars().all(|c| c.is_ascii_digit());
        if numeric_or_token {
            out.push_str(":id");
        } else if NAMED.contains(&previous) && !FIXED.contains(&segment) {
            out.push_str(":name");
        } else {
            out.push_str(segment);
        }
        previous = segment;
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_shapes_without_ids_names_or_tokens() {
        assert_eq!(
            route_shape("/api/v1/threads/42/answers"),
            "/api/v1/threads/:id/answers"
        );
        assert_eq!(route_shape("/lessons/einwand-preis"), "/lessons/:name");
        assert_eq!(route_shape("/lessons/new"), "/lessons/new");
        assert_eq!(
            route_shape(&format!("/password/reset/{}", "ab".repeat(32))),
            "/password/reset/:id"
        );
        assert_eq!(route_shape("/u/anna"), "/u/:name");
        assert_eq!(route_shape("/static/app.css"), "/static/*");
        assert_eq!(route_shape("/"), "/");
    }

    #[test]
    fn histograms_count_into_every_bucket_at_or_above_the_value() {
        let m = Metrics::default();
        m.observe_request("GET", "/threads/1", 200, Duration::from_millis(3));
        m.observe_request("GET", "/threads/2", 200, Duration::from_millis(30));
        let text = m.render(&[("sellerbase_outbox_lag", "Rows not yet indexed.", 0.0)]);
        let line = |le: &str| {
            format!(
                "sellerbase_http_request_duration_seconds_bucket{{method=\"GET\",route=\"/threads/:id\",status=\"200\",le=\"{le}\"}}"
            )
        };
        assert!(text.contains(&format!("{} 1", line("0.005"))), "{text}");
        assert!(text.contains(&format!("{} 2", line("0.05"))), "{text}");
        assert!(text.contains(&format!("{} 2", line("+Inf"))), "{text}");
        assert!(text.contains("sellerbase_outbox_lag 0"));
    }

    #[test]
    fn random_paths_cannot_grow_the_metrics_without_bound() {
        let m = Metrics::default();
        for i in 0..2 * MAX_ROUTES {
            let word: String = format!("{i:04}")
                .bytes()
                .map(|d| char::from(b'a' + d - b'0'))
                .collect();
            m.observe_request("GET", &format!("/nowhere/{word}"), 404, Duration::ZERO);
        }
        assert!(m.requests.lock().unwrap().routes.len() <= MAX_ROUTES);
        assert!(m.render(&[]).contains("route=\"other\""));
    }
}
