//! The full-text index over lessons and threads (tantivy). Documents in, hits out: this crate
//! knows neither the database nor HTTP.
//!
//! The public shape is settled here; German and English analysis, visibility filters inside
//! the query and ranking are built on it by the search issue.

use std::path::Path;

/// What can be found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Lesson,
    Thread,
}

/// Failures of the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index folder: {0}")]
    Io(#[from] std::io::Error),
}

/// The index in one folder, created on first use.
pub struct SearchIndex {
    index: tantivy::Index,
}

impl SearchIndex {
    pub fn open_or_create(dir: &Path) -> Result<Self, IndexError> {
        std::fs::create_dir_all(dir)?;
        let mut schema = tantivy::schema::Schema::builder();
        schema.add_text_field("id", tantivy::schema::STRING | tantivy::schema::STORED);
        schema.add_text_field("title", tantivy::schema::TEXT | tantivy::schema::STORED);
        let schema = schema.build();
        let directory = tantivy::directory::MmapDirectory::open(dir)
            .map_err(|e| IndexError::Tantivy(e.into()))?;
        let index = tantivy::Index::open_or_create(directory, schema)?;
        Ok(Self { index })
    }

    /// Number of documents in the last committed state.
    pub fn num_docs(&self) -> Result<u64, IndexError> {
        Ok(self.index.reader()?.searcher().num_docs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_index_is_created_empty_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            SearchIndex::open_or_create(dir.path())
                .unwrap()
                .num_docs()
                .unwrap(),
            0
        );
        assert_eq!(
            SearchIndex::open_or_create(dir.path())
                .unwrap()
                .num_docs()
                .unwrap(),
            0
        );
    }
}
