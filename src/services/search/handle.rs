//! The active index of this instance, swappable while requests keep being answered.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use search_index::SearchIndex;
use tokio::sync::Semaphore;

use crate::error::{AppError, AppResult};

/// Shared by requests (read) and the follower (which may swap in a rebuilt index).
#[derive(Clone)]
pub struct SearchHandle {
    root: PathBuf,
    current: Arc<RwLock<Option<Arc<SearchIndex>>>>,
    /// The instance's metrics, where every search's time in the index is recorded.
    metrics: Arc<crate::metrics::Metrics>,
    /// One search per core at a time: a search is pure CPU, and more at once only makes each
    /// one slower while the threads evict each other's caches.
    running: Arc<Semaphore>,
}

impl SearchHandle {
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            current: Arc::new(RwLock::new(None)),
            metrics: Arc::default(),
            running: Arc::new(Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )),
        }
    }

    /// Runs `work` on the current index, at most one per core at a time; `None` when no index
    /// is ready yet.
    ///
    /// Searching takes about half a millisecond of CPU. For the usual short query that is less
    /// than handing it to a blocking thread and back costs (two context switches; measured,
    /// search throughput over HTTP rose by two fifths when short queries ran in place), so
    /// they run on the runtime's thread. Long texts can take several milliseconds and go to the
    /// blocking pool, so that no request holds a runtime thread for long.
    pub async fn run<T, F>(&self, text: &str, work: F) -> AppResult<Option<T>>
    where
        F: FnOnce(&SearchIndex) -> search_index::Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let Some(index) = self.get() else {
            return Ok(None);
        };
        let _permit = self
            .running
            .acquire()
            .await
            .map_err(|e| AppError::Unexpected(e.into()))?;
        let done = if is_short(text) {
            work(&index)
        } else {
            tokio::task::spawn_blocking(move || work(&index))
                .await
                .map_err(|e| AppError::Unexpected(e.into()))?
        };
        done.map(Some).map_err(|e| AppError::Unexpected(e.into()))
    }

    pub fn metrics(&self) -> &Arc<crate::metrics::Metrics> {
        &self.metrics
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The index to search, if one is ready.
    pub fn get(&self) -> Option<Arc<SearchIndex>> {
        self.current.read().ok().and_then(|g| g.clone())
    }

    pub fn set(&self, index: Arc<SearchIndex>) {
        if let Ok(mut g) = self.current.write() {
            *g = Some(index);
        }
    }
}

/// Up to four words and 64 bytes: the two or three words people type into a search box.
fn is_short(text: &str) -> bool {
    text.len() <= 64 && text.split_whitespace().count() <= 4
}

#[cfg(test)]
mod tests {
    use super::is_short;

    #[test]
    fn only_a_few_words_count_as_short() {
        assert!(is_short("zu teuer"));
        assert!(is_short("Einwände Preis Rabatt Termin"));
        assert!(!is_short(
            "Wie reagiere ich auf den Einwand, dass wir zu teuer sind?"
        ));
        assert!(!is_short(&"x".repeat(65)));
    }
}
