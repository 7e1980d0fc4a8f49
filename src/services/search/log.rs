//! The anonymous search log, written in batches: searches must stay fast under load, and a
//! content-gap statistic does not need every query on disk the instant it happens.
//!
//! Who searched is never stored. Each search carries a keyed hash of the account under the
//! day's random key (`search_log_keys`); the key is deleted when the day is over, so a hash
//! can never be traced back to an account afterwards, while the report can still count
//! different people per day (`policy::K_ANONYMITY`).

use std::time::Duration;

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;

use entity::{search_log, search_log_key};

/// One search to remember: the normalised query, how many results it had and (in memory
/// only, until hashed) the account that searched.
pub struct Logged {
    pub query: String,
    pub results: i32,
    pub searcher: i64,
}

/// Sends searches to the batch writer; dropping every sender stops it after a last flush.
#[derive(Clone)]
pub struct SearchLog {
    tx: mpsc::Sender<Logged>,
}

impl SearchLog {
    /// Starts the writer: it writes what came in every `interval`, or at once when
    /// [`MAX_BATCH`] searches wait.
    pub fn start(db: DatabaseConnection, interval: Duration) -> Self {
        let (tx, rx) = mpsc::channel(10_000);
        tokio::spawn(write_batches(db, rx, interval));
        Self { tx }
    }

    /// Remembers a search; when the writer is far behind the search is not logged rather than
    /// slowing the searcher down.
    pub fn record(&self, query: &str, results: usize, searcher: i64) {
        let entry = Logged {
            query: query.to_lowercase().chars().take(200).collect(),
            results: results.min(i32::MAX as usize) as i32,
            searcher,
        };
        let _ = self.tx.try_send(entry);
    }
}

/// Searches written in one statement at most; more wait for the next one.
const MAX_BATCH: usize = 1_000;

async fn write_batches(db: DatabaseConnection, mut rx: mpsc::Receiver<Logged>, interval: Duration) {
    let mut batch: Vec<Logged> = Vec::new();
    let mut due = tokio::time::Instant::now() + interval;
    loop {
        let closed = tokio::select! {
            entry = rx.recv() => match entry {
                Some(e) => {
                    batch.push(e);
                    false
                }
                None => true,
            },
            () = tokio::time::sleep_until(due) => false,
        };
        // One write per interval, however many searches: each write is a commit (and on
        // SQLite an fsync), which under load cost more than the searches logged.
        let now = tokio::time::Instant::now();
        if closed || batch.len() >= MAX_BATCH || now >= due {
            if !batch.is_empty() {
                write(&db, std::mem::take(&mut batch)).await;
            }
            due = now + interval;
        }
        if closed {
            return;
        }
    }
}

async fn write(db: &DatabaseConnection, batch: Vec<Logged>) {
    let now = Utc::now();
    let day = now.format("%Y-%m-%d").to_string();
    let secret = match todays_secret(db, &day).await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "search log key unavailable; batch not written");
            return;
        }
    };
    let rows = batch.into_iter().map(|e| search_log::ActiveModel {
        query: Set(e.query),
        results: Set(e.results),
        searcher: Set(Some(searcher_hash(&day, &secret, e.searcher))),
        created_at: Set(now),
        ..Default::default()
    });
    if let Err(e) = search_log::Entity::insert_many(rows).exec(db).await {
        tracing::warn!(error = %e, "search log batch was not written");
    }
}

/// The key of `day`, made by whichever instance writes first; the keys of earlier days are
/// destroyed here.
async fn todays_secret(db: &DatabaseConnection, day: &str) -> Result<String, sea_orm::DbErr> {
    search_log_key::Entity::delete_many()
        .filter(search_log_key::Column::Day.lt(day))
        .exec(db)
        .await?;
    search_log_key::Entity::insert(search_log_key::ActiveModel {
        day: Set(day.to_owned()),
        secret: Set(crate::services::tokens::random_token()),
    })
    .on_conflict_do_nothing_on([search_log_key::Column::Day])
    .exec(db)
    .await?;
    search_log_key::Entity::find_by_id(day.to_owned())
        .one(db)
        .await?
        .map(|k| k.secret)
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound("search log key".into()))
}

/// `day:hash`: the day lets the report count different people per day; the hash is a
/// SHA-256 of the day's 256-bit random secret and the account id (a keyed hash: without the
/// secret, which is gone the next day, nobody can compute it for a guessed account).
pub fn searcher_hash(day: &str, secret: &str, account: i64) -> String {
    let digest = Sha256::digest(format!("{secret}:{account}").as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("{day}:{hex}")
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectOptions, Database, EntityTrait, PaginatorTrait, QuerySelect};

    use super::*;

    async fn memory_db() -> DatabaseConnection {
        // One connection: every connection to `sqlite::memory:` is a database of its own.
        let mut options = ConnectOptions::new("sqlite::memory:");
        options.max_connections(1).sqlx_logging(false);
        let db = Database::connect(options).await.unwrap();
        crate::db::migrate(&db).await.unwrap();
        db
    }

    #[tokio::test]
    async fn searches_of_one_interval_are_written_together_and_none_is_lost_at_shutdown() {
        let db = memory_db().await;
        let log = SearchLog::start(db.clone(), Duration::from_millis(300));
        for i in 0..50 {
            log.record(&format!("Preis {i}"), i, 7);
            tokio::task::yield_now().await;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        let written = || search_log::Entity::find().count(&db);
        assert_eq!(
            written().await.unwrap(),
            0,
            "not written before the interval"
        );
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(written().await.unwrap(), 50);
        let writes = search_log::Entity::find()
            .select_only()
            .column(search_log::Column::CreatedAt)
            .distinct()
            .into_tuple::<chrono::DateTime<Utc>>()
            .all(&db)
            .await
            .unwrap();
        assert_eq!(writes.len(), 1, "one write for the whole interval");

        log.record("zu teuer", 0, 7);
        drop(log);
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(
            written().await.unwrap(),
            51,
            "the last search is written on shutdown"
        );
    }
}
