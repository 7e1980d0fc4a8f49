//! The anonymous search log, written in batches: searches must stay fast under load, and a
//! content-gap statistic does not need every query on disk the instant it happens.

use std::time::Duration;

use chrono::Utc;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use tokio::sync::mpsc;

use entity::search_log;

/// One search to remember: the normalised query and how many results it had.
pub struct Logged {
    pub query: String,
    pub results: i32,
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
    pub fn record(&self, query: &str, results: usize) {
        let entry = Logged {
            query: query.to_lowercase().chars().take(200).collect(),
            results: results.min(i32::MAX as usize) as i32,
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
    let rows = batch.into_iter().map(|e| search_log::ActiveModel {
        query: Set(e.query),
        results: Set(e.results),
        created_at: Set(now),
        ..Default::default()
    });
    if let Err(e) = search_log::Entity::insert_many(rows).exec(db).await {
        tracing::warn!(error = %e, "search log batch was not written");
    }
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
            log.record(&format!("Preis {i}"), i);
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

        log.record("zu teuer", 0);
        drop(log);
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(
            written().await.unwrap(),
            51,
            "the last search is written on shutdown"
        );
    }
}
