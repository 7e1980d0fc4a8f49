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
    /// Starts the writer: it flushes every `interval`, or at once when 500 searches wait.
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

async fn write_batches(db: DatabaseConnection, mut rx: mpsc::Receiver<Logged>, interval: Duration) {
    let mut batch: Vec<Logged> = Vec::new();
    loop {
        let closed = tokio::select! {
            entry = rx.recv() => match entry {
                Some(e) => {
                    batch.push(e);
                    false
                }
                None => true,
            },
            () = tokio::time::sleep(interval) => false,
        };
        if batch.len() >= 500 || (!batch.is_empty() && (closed || rx.is_empty())) {
            let now = Utc::now();
            let rows = batch.drain(..).map(|e| search_log::ActiveModel {
                query: Set(e.query),
                results: Set(e.results),
                created_at: Set(now),
                ..Default::default()
            });
            if let Err(e) = search_log::Entity::insert_many(rows).exec(&db).await {
                tracing::warn!(error = %e, "search log batch was not written");
            }
        }
        if closed {
            return;
        }
    }
}
