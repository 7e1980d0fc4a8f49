//! The same corpus and queries on PostgreSQL full-text search (`german` configuration, GIN
//! index, `ts_rank`) and SQLite FTS5 (`bm25`).

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

use super::corpus::QUERIES;

pub struct PeerResult {
    pub name: &'static str,
    pub docs_per_sec: f64,
    pub p50: Duration,
    pub p99: Duration,
}

fn sql_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn finish(name: &'static str, docs: usize, index_secs: f64, mut lat: Vec<Duration>) -> PeerResult {
    lat.sort();
    PeerResult {
        name,
        docs_per_sec: docs as f64 / index_secs,
        p50: super::percentile(&lat, 0.5),
        p99: super::percentile(&lat, 0.99),
    }
}

pub async fn sqlite_fts5(texts: &[(i64, String)], rounds: usize) -> anyhow::Result<PeerResult> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("fts.db").display());
    let db = Database::connect(url).await?;
    db.execute_unprepared(
        "CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
    )
    .await?;
    let started = Instant::now();
    for chunk in texts.chunks(2000) {
        let values: Vec<String> = chunk
            .iter()
            .map(|(id, t)| format!("({id}, {})", sql_string(t)))
            .collect();
        db.execute_unprepared(&format!(
            "BEGIN; INSERT INTO docs(rowid, body) VALUES {}; COMMIT;",
            values.join(",")
        ))
        .await?;
    }
    let index_secs = started.elapsed().as_secs_f64();
    let mut lat = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let q = QUERIES[round % QUERIES.len()];
        let terms: Vec<String> = q
            .split_whitespace()
            .map(|w| format!("\"{}\"", w.replace('"', "")))
            .collect();
        let sql = "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10";
        let t = Instant::now();
        db.query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            sql,
            [terms.join(" OR ").into()],
        ))
        .await?;
        lat.push(t.elapsed());
    }
    Ok(finish("SQLite FTS5 (bm25)", texts.len(), index_secs, lat))
}

pub async fn postgres_fts(
    url: &str,
    texts: &[(i64, String)],
    rounds: usize,
) -> anyhow::Result<PeerResult> {
    let admin = Database::connect(url).await?;
    let name = format!(
        "sellerbase_bench_{:x}",
        crate::services::tokens::random_u64()
    );
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    let base = url.rsplit_once('/').map_or(url, |(b, _)| b);
    let result = async {
        let db = Database::connect(format!("{base}/{name}")).await?;
        db.execute_unprepared(
            "CREATE TABLE docs (id bigint PRIMARY KEY, body text NOT NULL, tsv tsvector GENERATED ALWAYS AS (to_tsvector('german', body)) STORED)",
        )
        .await?;
        let started = Instant::now();
        for chunk in texts.chunks(2000) {
            let values: Vec<String> = chunk.iter().map(|(id, t)| format!("({id}, {})", sql_string(t))).collect();
            db.execute_unprepared(&format!("INSERT INTO docs(id, body) VALUES {}", values.join(","))).await?;
        }
        db.execute_unprepared("CREATE INDEX docs_tsv ON docs USING GIN (tsv); ANALYZE docs").await?;
        let index_secs = started.elapsed().as_secs_f64();
        let mut lat = Vec::with_capacity(rounds);
        for round in 0..rounds {
            let q = QUERIES[round % QUERIES.len()];
            let sql = "SELECT id FROM docs, websearch_to_tsquery('german', $1) q WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC LIMIT 10";
            let t = Instant::now();
            db.query_all_raw(Statement::from_sql_and_values(DbBackend::Postgres, sql, [q.into()])).await?;
            lat.push(t.elapsed());
        }
        let _ = db.close().await;
        anyhow::Ok(finish("PostgreSQL FTS (german, GIN, ts_rank)", texts.len(), index_secs, lat))
    }
    .await;
    let _ = admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await;
    result
}
