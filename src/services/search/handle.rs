//! The active index of this instance, swappable while requests keep being answered.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use search_index::SearchIndex;

/// Shared by requests (read) and the follower (which may swap in a rebuilt index).
#[derive(Clone)]
pub struct SearchHandle {
    root: PathBuf,
    current: Arc<RwLock<Option<Arc<SearchIndex>>>>,
    /// The instance's metrics, where every search's time in the index is recorded.
    metrics: Arc<crate::metrics::Metrics>,
}

impl SearchHandle {
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            current: Arc::new(RwLock::new(None)),
            metrics: Arc::default(),
        }
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
