//! `sellerbase bench-load`: a mixed workload over HTTP (70% search and page reads, 20% lesson
//! progress, 10% questions and answers) from many concurrent clients in rounds, with latency
//! percentiles, errors and memory after each round; then search latency while clients sign
//! in continuously, to show that password hashing does not stall other requests.

use std::time::{Duration, Instant};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::{ms, percentile, rss_kib};
use crate::config::Settings;

/// Options of `bench-load`.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    pub clients: usize,
    pub seconds: u64,
    pub rounds: usize,
    pub login_clients: usize,
}

const QUERIES: [&str; 8] = [
    "zu teuer",
    "Einwände Preis",
    "Abschlussfrage",
    "Bedarfsanalyse",
    "Rabatt",
    "price objection",
    "Einwandbehandlng",
    "Entscheider",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Search,
    Page,
    Progress,
    Post,
}

impl Op {
    const ALL: [Op; 4] = [Op::Search, Op::Page, Op::Progress, Op::Post];

    /// 35% search, 35% page reads, 20% lesson progress, 10% questions and answers.
    fn pick(n: u64) -> Self {
        match n % 100 {
            0..35 => Op::Search,
            35..70 => Op::Page,
            70..90 => Op::Progress,
            _ => Op::Post,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Op::Search => "search (API)",
            Op::Page => "page read (HTML)",
            Op::Progress => "lesson progress",
            Op::Post => "question or answer",
        }
    }
}

struct World {
    base: String,
    tokens: Vec<String>,
    lessons: Vec<(i64, String)>,
    threads: Vec<i64>,
    login_email: String,
}

async fn prepare(settings: &Settings, data: &std::path::Path) -> anyhow::Result<World> {
    let mut s = settings.clone();
    s.bind = "127.0.0.1:0".into();
    s.data_dir = data.to_path_buf();
    s.mail.interval_ms = 3_600_000;
    // Sign-in throttling would refuse the login phase's deliberate flood from one address; the
    // point there is the cost of hashing, so the limits are lifted for the benchmark.
    s.throttle.per_account_per_minute = 1_000_000;
    s.throttle.per_client_per_minute = 1_000_000;
    let app = crate::startup::Application::build(s).await?;
    let state = app.state().clone();
    let port = app.port();
    crate::services::demo::seed(&state.db, &state.hasher)
        .await
        .map_err(anyhow::Error::new)?;
    crate::services::demo::import_starter_pack(&state.db).await?;
    crate::services::demo::seed_threads(&state.db, &state.settings.base_url()).await?;
    let mut tokens = Vec::new();
    let mut login_email = String::new();
    for i in 0..20 {
        login_email = format!("load{i}@bench.example");
        tokens.push(super::signed_in_member(&state, &login_email).await?.1);
    }
    let lessons = entity::lesson::Entity::find()
        .filter(entity::lesson::Column::PublishedRevisionId.is_not_null())
        .select_only()
        .column(entity::lesson::Column::Id)
        .column(entity::lesson::Column::Slug)
        .into_tuple::<(i64, String)>()
        .all(&state.db)
        .await?;
    let threads = entity::thread::Entity::find()
        .filter(entity::thread::Column::Visibility.eq("community"))
        .select_only()
        .column(entity::thread::Column::Id)
        .into_tuple::<i64>()
        .all(&state.db)
        .await?;
    anyhow::ensure!(
        !lessons.is_empty() && !threads.is_empty(),
        "the demo world is empty"
    );
    tokio::spawn(app.run_until_stopped());
    let wait = Instant::now();
    while state.search.get().is_none() && wait.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(World {
        base: format!("http://127.0.0.1:{port}"),
        tokens,
        lessons,
        threads,
        login_email,
    })
}

/// Runs one request; `own` holds the threads this client asked, newest last.
async fn one(
    client: &reqwest::Client,
    w: &World,
    op: Op,
    n: u64,
    token: &str,
    own: &mut Vec<i64>,
) -> bool {
    let pick = |len: usize| (n / 7) as usize % len.max(1);
    let req = match op {
        Op::Search => {
            let q = serde_urlencoded::to_string([("q", QUERIES[pick(QUERIES.len())])])
                .unwrap_or_default();
            client.get(format!("{}/api/v1/search?{q}", w.base))
        }
        Op::Page => {
            if n.is_multiple_of(2) {
                let (_, slug) = &w.lessons[pick(w.lessons.len())];
                client.get(format!("{}/lessons/{slug}", w.base))
            } else {
                let id = w.threads[pick(w.threads.len())];
                client.get(format!("{}/threads/{id}", w.base))
            }
        }
        Op::Progress => {
            let (id, _) = &w.lessons[pick(w.lessons.len())];
            let step = if n.is_multiple_of(2) {
                "open"
            } else {
                "complete"
            };
            client.post(format!("{}/api/v1/lessons/{id}/{step}", w.base))
        }
        Op::Post => {
            if n.is_multiple_of(2) {
                client
                    .post(format!("{}/api/v1/threads", w.base))
                    .json(&serde_json::json!({
                        "title": format!("Lasttest-Frage {n}: wie reagiere ich auf zu teuer?"),
                        "body": "Der Kunde sagt, das Angebot sei zu teuer. Wie gehe ich damit um?",
                        "topic": "negotiation", "language": "de", "visibility": "community"
                    }))
            } else {
                // Answers go to the questions the clients asked (or a demo thread at first), so
                // threads grow as real ones do instead of a dozen threads collecting thousands.
                let id = own
                    .last()
                    .copied()
                    .unwrap_or(w.threads[pick(w.threads.len())]);
                client
                    .post(format!("{}/api/v1/threads/{id}/answers", w.base))
                    .json(&serde_json::json!({"body": "Erst den Wert klären, dann über den Preis reden."}))
            }
        }
    };
    // Pages authenticate by the session cookie, the API by the bearer token.
    let req = if op == Op::Page {
        req.header(
            "cookie",
            format!("{}={token}", crate::http::cookies::SESSION),
        )
    } else {
        req.bearer_auth(token)
    };
    let asked = op == Op::Post && n.is_multiple_of(2);
    match req.send().await {
        Ok(r) => {
            let ok = r.status().is_success();
            let body = r.bytes().await.unwrap_or_default();
            if ok && asked {
                let id = serde_json::from_slice::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| v["id"].as_i64());
                own.extend(id);
            }
            ok
        }
        Err(_) => false,
    }
}

type Samples = Vec<(Op, Duration, bool)>;

async fn round(w: &std::sync::Arc<World>, clients: usize, seconds: u64) -> Samples {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .unwrap_or_default();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (client, w) = (client.clone(), w.clone());
        tasks.push(tokio::spawn(async move {
            let token = w.tokens[c % w.tokens.len()].clone();
            let mut samples = Vec::new();
            let mut own = Vec::new();
            let mut n = (c as u64).wrapping_mul(2_654_435_761);
            while Instant::now() < deadline {
                n = n
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let op = Op::pick(n >> 33);
                let t = Instant::now();
                let ok = one(&client, &w, op, n >> 17, &token, &mut own).await;
                samples.push((op, t.elapsed(), ok));
            }
            samples
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap_or_default());
    }
    all
}

fn report(samples: &Samples, seconds: u64) {
    println!("| operation | requests | req/s | p50 | p95 | p99 | errors |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    let mut rows: Vec<(&str, Vec<Duration>, usize)> = Op::ALL
        .iter()
        .map(|op| {
            let mut lat: Vec<Duration> =
                samples.iter().filter(|s| s.0 == *op).map(|s| s.1).collect();
            lat.sort();
            let errors = samples.iter().filter(|s| s.0 == *op && !s.2).count();
            (op.name(), lat, errors)
        })
        .collect();
    let mut all: Vec<Duration> = samples.iter().map(|s| s.1).collect();
    all.sort();
    rows.push(("all", all, samples.iter().filter(|s| !s.2).count()));
    for (name, lat, errors) in rows {
        println!(
            "| {name} | {} | {:.0} | {} | {} | {} | {errors} |",
            lat.len(),
            lat.len() as f64 / seconds as f64,
            ms(percentile(&lat, 0.5)),
            ms(percentile(&lat, 0.95)),
            ms(percentile(&lat, 0.99)),
        );
    }
}

/// Search latency from `searchers` clients while `logins` clients sign in continuously.
async fn search_during_logins(
    w: &std::sync::Arc<World>,
    searchers: usize,
    logins: usize,
    seconds: u64,
) -> (Vec<Duration>, usize) {
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut login_tasks = Vec::new();
    for _ in 0..logins {
        let (client, w) = (client.clone(), w.clone());
        login_tasks.push(tokio::spawn(async move {
            let mut done = 0usize;
            while Instant::now() < deadline {
                let r = client
                    .post(format!("{}/api/v1/auth/login", w.base))
                    .json(&serde_json::json!({"email": w.login_email, "password": super::BENCH_PASSWORD}))
                    .send()
                    .await;
                if r.is_ok_and(|r| r.status().is_success()) {
                    done += 1;
                }
            }
            done
        }));
    }
    let mut search_tasks = Vec::new();
    for c in 0..searchers {
        let (client, w) = (client.clone(), w.clone());
        search_tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut own = Vec::new();
            let mut i = c;
            while Instant::now() < deadline {
                i += 1;
                let t = Instant::now();
                if one(
                    &client,
                    &w,
                    Op::Search,
                    (i * 7) as u64,
                    &w.tokens[c % w.tokens.len()],
                    &mut own,
                )
                .await
                {
                    lat.push(t.elapsed());
                }
            }
            lat
        }));
    }
    let mut lat = Vec::new();
    for t in search_tasks {
        lat.extend(t.await.unwrap_or_default());
    }
    let mut logins_done = 0;
    for t in login_tasks {
        logins_done += t.await.unwrap_or_default();
    }
    lat.sort();
    (lat, logins_done)
}

pub async fn run(settings: Settings, opts: LoadOptions) -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let world = std::sync::Arc::new(prepare(&settings, data.path()).await?);
    println!(
        "# sellerbase bench-load: {} clients, {} round(s) of {} s; {} lessons, {} threads",
        opts.clients,
        opts.rounds,
        opts.seconds,
        world.lessons.len(),
        world.threads.len()
    );
    let mut rss = Vec::new();
    for r in 1..=opts.rounds {
        let samples = round(&world, opts.clients, opts.seconds).await;
        println!("\n## Round {r}: mixed workload");
        report(&samples, opts.seconds);
        let now = rss_kib("VmRSS:");
        rss.push(now);
        println!("RSS after round {r}: {:.1} MiB", now as f64 / 1024.0);
    }
    if rss.len() >= 2 {
        let first = rss[0] as f64 / 1024.0;
        let last = rss[rss.len() - 1] as f64 / 1024.0;
        println!(
            "\nRSS from the end of round 1 to the end of round {}: {first:.1} MiB -> {last:.1} MiB ({:+.1} MiB)",
            rss.len(),
            last - first
        );
    }
    let quiet_seconds = opts.seconds.min(15);
    let (quiet, _) = search_during_logins(&world, opts.login_clients, 0, quiet_seconds).await;
    let (busy, logins) = search_during_logins(
        &world,
        opts.login_clients,
        opts.login_clients,
        quiet_seconds,
    )
    .await;
    println!(
        "\n## Search while {} clients sign in continuously ({} s each)",
        opts.login_clients, quiet_seconds
    );
    println!("| condition | searches | p50 | p99 | sign-ins |");
    println!("| --- | --- | --- | --- | --- |");
    println!(
        "| {} searching clients alone | {} | {} | {} | 0 |",
        opts.login_clients,
        quiet.len(),
        ms(percentile(&quiet, 0.5)),
        ms(percentile(&quiet, 0.99))
    );
    println!(
        "| same, plus {} signing-in clients | {} | {} | {} | {logins} ({:.1}/s) |",
        opts.login_clients,
        busy.len(),
        ms(percentile(&busy, 0.5)),
        ms(percentile(&busy, 0.99)),
        logins as f64 / quiet_seconds as f64
    );
    println!(
        "\npeak RSS (VmHWM): {:.1} MiB",
        rss_kib("VmHWM:") as f64 / 1024.0
    );
    Ok(())
}
