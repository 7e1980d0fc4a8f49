//! `sellerbase bench-search`: indexing speed, query latency in the search service, HTTP
//! throughput under concurrent load, time until a new post is searchable, memory, and the same
//! corpus and queries on the peers a simpler product would use (PostgreSQL full-text search and
//! SQLite FTS5), with ratios. A benchmark prints figures; it never fails a build.

mod corpus;
pub mod load;
mod peers;
mod wrk;

use std::sync::Arc;
use std::time::{Duration, Instant};

use search_index::{Acl, Change, Doc, Kind, SearchIndex, SearchRequest};

use crate::config::Settings;
use corpus::{QUERIES, Rng};

/// Options of `bench-search`.
#[derive(Clone, Debug)]
pub struct BenchOptions {
    pub threads: usize,
    pub query_rounds: usize,
    pub clients: usize,
    pub seconds: u64,
    pub pg_url: Option<String>,
    pub skip_peers: bool,
}

fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn dir_size(path: &std::path::Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        dir_size(&e.path())
                    } else {
                        e.metadata().map(|m| m.len()).unwrap_or(0)
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// The generated corpus: threads (some `not_my_company`) and one lesson per 200 threads.
pub fn generate(threads: usize) -> Vec<(Doc, String)> {
    let mut rng = Rng::new(42);
    let lessons = (threads / 200).max(50);
    let mut out = Vec::with_capacity(threads + lessons);
    for i in 0..threads + lessons {
        let lesson = i >= threads;
        let text = corpus::document(&mut rng, lesson);
        let acl = if lesson {
            crate::policy::lesson_acl()
        } else if rng.below(3) == 0 {
            Acl {
                strong: vec![format!("user:{}", i % 5000), "role:trainer".into()],
                weak: vec!["role:member".into()],
                deny: vec![format!("member-org:{}", i % 50)],
            }
        } else {
            Acl {
                strong: vec![format!("user:{}", i % 5000), "role:trainer".into()],
                weak: vec!["role:member".into()],
                deny: vec![],
            }
        };
        let doc = Doc {
            kind: if lesson { Kind::Lesson } else { Kind::Thread },
            id: i as i64 + 1,
            language: if text.german {
                "de".into()
            } else {
                "en".into()
            },
            topic: text.topic.into(),
            slug: format!("doc-{i}"),
            title: text.title.clone(),
            tags: vec![],
            body: text.body.clone(),
            acl,
            accepted: !lesson && rng.below(4) == 0,
            helpful: rng.below(20),
            created: 1_700_000_000 + rng.below(60_000_000),
        };
        out.push((doc, format!("{} {}", text.title, text.body)));
    }
    out
}

pub async fn run(settings: Settings, opts: BenchOptions) -> anyhow::Result<()> {
    let base_rss = rss_kib("VmRSS:");
    println!(
        "# sellerbase bench-search: {} threads, {} clients for {} s",
        opts.threads, opts.clients, opts.seconds
    );
    let started = Instant::now();
    let corpus = generate(opts.threads);
    println!(
        "corpus generated: {} documents in {:.1} s",
        corpus.len(),
        started.elapsed().as_secs_f64()
    );

    // Indexing, into the data folder the HTTP server will then serve from.
    let data = tempfile::tempdir()?;
    let root = data.path().join("index");
    std::fs::create_dir_all(&root)?;
    let index = SearchIndex::create_fresh(&root)?;
    let mut growth = Vec::new();
    let started = Instant::now();
    for (n, chunk) in corpus.chunks(10_000).enumerate() {
        let changes: Vec<Change> = chunk
            .iter()
            .map(|(d, _)| Change::Upsert(Box::new(d.clone())))
            .collect();
        index.apply(&changes, 0)?;
        growth.push((n + 1, dir_size(index.dir()), rss_kib("VmRSS:")));
    }
    // As `reindex` does before it swaps a rebuilt index in.
    index.merge_all()?;
    let index_secs = started.elapsed().as_secs_f64();
    index.activate()?;
    println!("\n## Indexing");
    println!(
        "indexed {} documents in {:.2} s: {:.0} docs/s ({} segments)",
        corpus.len(),
        index_secs,
        corpus.len() as f64 / index_secs,
        index.num_segments()
    );
    let mut prev = (0u64, base_rss);
    for (n, size, rss) in &growth {
        println!(
            "  after {:>3}0k docs: index {:>7.1} MiB (+{:.1} MiB), RSS {:>7.1} MiB (+{:.1} MiB)",
            n,
            *size as f64 / 1048576.0,
            size.saturating_sub(prev.0) as f64 / 1048576.0,
            *rss as f64 / 1024.0,
            rss.saturating_sub(prev.1) as f64 / 1024.0
        );
        prev = (*size, *rss);
    }

    // Query latency inside the search service.
    let principals = vec![
        "signed-in".to_owned(),
        "user:999999".into(),
        "role:member".into(),
        "member-org:7".into(),
    ];
    let index = Arc::new(index);
    let mut latencies = Vec::new();
    let mut hits = 0usize;
    for round in 0..opts.query_rounds {
        let text = QUERIES[round % QUERIES.len()];
        let req = SearchRequest {
            text: text.into(),
            principals: principals.clone(),
            limit: 10,
            ..Default::default()
        };
        let t = Instant::now();
        let r = index.search(&req)?;
        latencies.push(t.elapsed());
        hits += r.total;
    }
    latencies.sort();
    let (p50, p99) = (percentile(&latencies, 0.50), percentile(&latencies, 0.99));
    println!(
        "\n## Query latency in the search service ({} queries, {} distinct)",
        latencies.len(),
        QUERIES.len()
    );
    println!(
        "p50 {}  p99 {}  (mean hits per query {})",
        ms(p50),
        ms(p99),
        hits / latencies.len().max(1)
    );

    // HTTP throughput through the real application, which opens the index itself.
    drop(index);
    let http = http_load(&settings, data.path(), &opts).await?;

    // Peers.
    let mut peer_rows = Vec::new();
    if !opts.skip_peers {
        let texts: Vec<(i64, String)> = corpus.iter().map(|(d, t)| (d.id, t.clone())).collect();
        match peers::sqlite_fts5(&texts, opts.query_rounds).await {
            Ok(r) => peer_rows.push(r),
            Err(e) => println!("SQLite FTS5 peer failed: {e:#}"),
        }
        let pg = opts
            .pg_url
            .clone()
            .or_else(|| std::env::var("TEST_DATABASE_URL").ok());
        match pg {
            Some(url) => match peers::postgres_fts(&url, &texts, opts.query_rounds).await {
                Ok(r) => peer_rows.push(r),
                Err(e) => println!("PostgreSQL FTS peer failed: {e:#}"),
            },
            None => println!("PostgreSQL FTS peer skipped: pass --pg-url"),
        }
    }
    println!("\n## Side by side (p50 / p99 per query, same corpus and queries)");
    println!("| engine | index docs/s | p50 | p99 | p50 ratio (peer / sellerbase) |");
    println!("| --- | --- | --- | --- | --- |");
    println!(
        "| sellerbase (tantivy) | {:.0} | {} | {} | 1.0 |",
        corpus.len() as f64 / index_secs,
        ms(p50),
        ms(p99)
    );
    for r in &peer_rows {
        println!(
            "| {} | {:.0} | {} | {} | {:.1}x |",
            r.name,
            r.docs_per_sec,
            ms(r.p50),
            ms(r.p99),
            r.p50.as_secs_f64() / p50.as_secs_f64().max(1e-9)
        );
    }
    println!("\n## HTTP");
    println!("{http}");
    println!(
        "\npeak RSS (VmHWM): {:.1} MiB",
        rss_kib("VmHWM:") as f64 / 1024.0
    );
    Ok(())
}

/// The password of the benchmarks' member accounts.
const BENCH_PASSWORD: &str = "benchmark passphrase";

/// A new member account with a session, for driving the HTTP API: the account and its token.
async fn signed_in_member(
    state: &crate::state::AppState,
    email: &str,
) -> anyhow::Result<(crate::services::accounts::CurrentUser, String)> {
    use crate::domain::{Email, Password, Role};
    use crate::services::accounts::{NewUser, create_user};
    let new = NewUser {
        email: Email::parse(email).map_err(anyhow::Error::msg)?,
        password: Password::parse(BENCH_PASSWORD).map_err(anyhow::Error::msg)?,
        handle: None,
        display_name: None,
        role: Role::Member,
        organization_id: None,
        locale: None,
    };
    let user = create_user(&state.db, &state.hasher, new)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let token = crate::services::sessions::issue(&state.db, &state.settings.session, user.id)
        .await
        .map_err(anyhow::Error::new)?
        .token;
    Ok((user, token))
}

async fn http_load(
    settings: &Settings,
    data_dir: &std::path::Path,
    opts: &BenchOptions,
) -> anyhow::Result<String> {
    let mut s = settings.clone();
    s.bind = "127.0.0.1:0".into();
    s.data_dir = data_dir.to_path_buf();
    s.database_url = None;
    s.mail.interval_ms = 3_600_000;
    let app = crate::startup::Application::build(s).await?;
    let state = app.state().clone();
    let port = app.port();
    // One member per client, as many people searching at once.
    let mut tokens = Vec::with_capacity(opts.clients);
    let mut user = None;
    for c in 0..opts.clients.max(1) {
        let (member, token) = signed_in_member(&state, &format!("bench{c}@example.com")).await?;
        user.get_or_insert(member);
        tokens.push(token);
    }
    let user = user.ok_or_else(|| anyhow::anyhow!("no bench member"))?;
    tokio::spawn(app.run_until_stopped());
    // Wait until the index is open.
    let wait = Instant::now();
    while state.search.get().is_none() && wait.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(opts.clients)
        .build()?;
    let deadline = Instant::now() + Duration::from_secs(opts.seconds);
    let mut tasks = Vec::new();
    for c in 0..opts.clients {
        let client = client.clone();
        let token = tokens[c % tokens.len()].clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0u64;
            let mut i = c;
            while Instant::now() < deadline {
                let q = QUERIES[i % QUERIES.len()];
                i += 1;
                let t = Instant::now();
                let query = serde_urlencoded::to_string([("q", q)]).unwrap_or_default();
                let resp = client
                    .get(format!("http://127.0.0.1:{port}/api/v1/search?{query}"))
                    .bearer_auth(&token)
                    .send()
                    .await;
                match resp {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        lat.push(t.elapsed());
                    }
                    _ => errors += 1,
                }
            }
            (lat, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (lat, e) = t.await?;
        all.extend(lat);
        errors += e;
    }
    all.sort();
    let rps = all.len() as f64 / opts.seconds as f64;
    let mut out = format!(
        "{} requests in {} s from {} clients: {:.0} req/s, p50 {}, p99 {}, errors {}",
        all.len(),
        opts.seconds,
        opts.clients,
        rps,
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.99)),
        errors
    );
    let (clients, seconds) = (opts.clients, opts.seconds);
    match tokio::task::spawn_blocking(move || wrk::search_load(port, &tokens, clients, seconds))
        .await?
    {
        Ok(Some(run)) => out.push_str(&format!(
            "\nwrk (external load generator, {clients} connections, {seconds} s): {:.0} req/s; {}",
            run.requests_per_sec, run.summary
        )),
        Ok(None) => out.push_str("\nwrk not installed: external load generator skipped"),
        Err(e) => out.push_str(&format!("\nwrk run failed: {e:#}")),
    }
    // Time until a new post is searchable (outbox -> follower -> commit -> reader).
    let viewer = crate::policy::Viewer::User(user.clone());
    let mut worst = Duration::ZERO;
    for i in 0..5 {
        let title = format!("Messbare Frage Nummer{i} zur Indexlatenz");
        let input = crate::services::community::threads::AskInput {
            title: title.clone(),
            body: "Wie schnell ist das?".into(),
            topic: "closing".into(),
            language: "de".into(),
            visibility: "community".into(),
            tags: vec![],
        };
        let t = Instant::now();
        let id = crate::services::community::threads::ask(&state.db, &viewer, input)
            .await
            .map_err(anyhow::Error::new)?;
        loop {
            let index = state
                .search
                .get()
                .ok_or_else(|| anyhow::anyhow!("no index"))?;
            let req = SearchRequest {
                text: format!("Nummer{i}"),
                principals: crate::policy::search_principals(&viewer),
                limit: 5,
                ..Default::default()
            };
            if index.search(&req)?.hits.iter().any(|h| h.id == id) {
                break;
            }
            if t.elapsed() > Duration::from_secs(10) {
                anyhow::bail!("a new post was not searchable within 10 s");
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        worst = worst.max(t.elapsed());
    }
    out.push_str(&format!(
        "\nnew post searchable after at most {} (5 posts)",
        ms(worst)
    ));
    Ok(out)
}
