//! Keeps this instance's index in line with the database: builds it on first start (or after
//! a schema change), then follows the search outbox in order, committing the last applied
//! position with every batch so a crash or kill loses nothing. Picks up an index that
//! `sellerbase reindex` built and activated, without stopping.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use search_index::SearchIndex;

use entity::{lesson, search_outbox, search_synonym, thread};

use super::SearchHandle;
use super::documents;
use crate::error::AppResult;
use crate::services::outbox;

/// How long an outbox id may be missing before it is taken as a rolled-back transaction.
const GAP_PATIENCE: Duration = Duration::from_secs(30);
const BATCH: u64 = 1000;

/// Builds a complete index from the database into a fresh folder and activates it.
pub async fn rebuild(
    db: &DatabaseConnection,
    root: &std::path::Path,
) -> anyhow::Result<Arc<SearchIndex>> {
    std::fs::create_dir_all(root)?;
    // Read the position first: anything written during the build is replayed afterwards.
    let position = search_outbox::Entity::find()
        .order_by_desc(search_outbox::Column::Id)
        .one(db)
        .await?
        .map_or(0, |r| r.id);
    let index = SearchIndex::create_fresh(root)?;
    let mut batch = Vec::new();
    let mut last_id = 0;
    loop {
        let ids: Vec<i64> = lesson::Entity::find()
            .filter(lesson::Column::Id.gt(last_id))
            .order_by_asc(lesson::Column::Id)
            .limit(BATCH)
            .all(db)
            .await?
            .into_iter()
            .map(|l| l.id)
            .collect();
        let Some(&max) = ids.last() else { break };
        for id in ids {
            if let Some(change) = documents::change_for(db, outbox::LESSON, id).await? {
                batch.push(change);
            }
        }
        index.apply(&std::mem::take(&mut batch), 0)?;
        last_id = max;
    }
    last_id = 0;
    loop {
        let ids: Vec<i64> = thread::Entity::find()
            .filter(thread::Column::Id.gt(last_id))
            .order_by_asc(thread::Column::Id)
            .limit(BATCH)
            .all(db)
            .await?
            .into_iter()
            .map(|t| t.id)
            .collect();
        let Some(&max) = ids.last() else { break };
        for id in ids {
            if let Some(change) = documents::change_for(db, outbox::THREAD, id).await? {
                batch.push(change);
            }
        }
        index.apply(&std::mem::take(&mut batch), 0)?;
        last_id = max;
    }
    index.apply(&[], position)?;
    index.merge_all()?;
    index.activate()?;
    SearchIndex::remove_stale(root, index.dir())?;
    Ok(Arc::new(index))
}

/// Loads the trainers' synonym groups into the index.
pub async fn load_synonyms(db: &DatabaseConnection, index: &SearchIndex) -> AppResult<()> {
    let groups: Vec<Vec<String>> = search_synonym::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| serde_json::from_str(&s.phrases).unwrap_or_default())
        .collect();
    index
        .set_synonyms(groups)
        .map_err(|e| crate::error::AppError::Unexpected(e.into()))
}

/// Follows the outbox from the index's committed position.
pub struct Follower {
    db: DatabaseConnection,
    handle: SearchHandle,
    /// Ids above the committed position that were applied already (out of order).
    applied: BTreeSet<i64>,
    /// When a missing id was first noticed.
    gaps: BTreeMap<i64, Instant>,
}

impl Follower {
    pub fn new(db: DatabaseConnection, handle: SearchHandle) -> Self {
        Self {
            db,
            handle,
            applied: BTreeSet::new(),
            gaps: BTreeMap::new(),
        }
    }

    /// Opens the active index or builds one.
    pub async fn start(&mut self) -> anyhow::Result<()> {
        let index = match SearchIndex::open_current(self.handle.root())? {
            Some(index) => Arc::new(index),
            None => {
                tracing::info!("building the search index from the database");
                rebuild(&self.db, self.handle.root()).await?
            }
        };
        load_synonyms(&self.db, &index).await?;
        self.handle.set(index);
        Ok(())
    }

    /// Applies what is new in the outbox; returns how many rows were applied.
    pub async fn step(&mut self) -> anyhow::Result<usize> {
        self.pick_up_rebuilt_index().await?;
        let Some(index) = self.handle.get() else {
            return Ok(0);
        };
        let position = index.position()?;
        let rows = search_outbox::Entity::find()
            .filter(search_outbox::Column::Id.gt(position))
            .order_by_asc(search_outbox::Column::Id)
            .limit(BATCH)
            .all(&self.db)
            .await?;
        let fresh: Vec<&search_outbox::Model> = rows
            .iter()
            .filter(|r| !self.applied.contains(&r.id))
            .collect();
        let mut seen = BTreeSet::new();
        let mut changes = Vec::new();
        for row in &fresh {
            if seen.insert((row.entity_kind.clone(), row.entity_id))
                && let Some(change) =
                    documents::change_for(&self.db, &row.entity_kind, row.entity_id).await?
            {
                changes.push(change);
            }
        }
        self.applied.extend(fresh.iter().map(|r| r.id));
        let new_position = self.advance(position);
        if changes.is_empty() && new_position == position {
            return Ok(0);
        }
        index.apply(&changes, new_position)?;
        Ok(fresh.len())
    }

    /// The highest position up to which every id was applied, skipping ids missing for longer
    /// than `GAP_PATIENCE` (their transactions rolled back).
    fn advance(&mut self, mut position: i64) -> i64 {
        let now = Instant::now();
        loop {
            let next = position + 1;
            if self.applied.remove(&next) {
                self.gaps.remove(&next);
                position = next;
                continue;
            }
            let Some(&highest) = self.applied.iter().next_back() else {
                break;
            };
            if highest < next {
                break;
            }
            let first_seen = *self.gaps.entry(next).or_insert(now);
            if now.duration_since(first_seen) >= GAP_PATIENCE {
                self.gaps.remove(&next);
                position = next;
                continue;
            }
            break;
        }
        position
    }

    async fn pick_up_rebuilt_index(&mut self) -> anyhow::Result<()> {
        let current = SearchIndex::current_dir(self.handle.root())?;
        let active = self.handle.get().map(|i| i.dir().to_path_buf());
        match (current, active) {
            (Some(dir), Some(active)) if dir != active => {
                if let Some(index) = SearchIndex::open_current(self.handle.root())? {
                    tracing::info!(dir = %dir.display(), "switching to the rebuilt search index");
                    let index = Arc::new(index);
                    load_synonyms(&self.db, &index).await?;
                    self.applied.clear();
                    self.gaps.clear();
                    self.handle.set(index);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Follows until the process ends, every `interval`.
    pub async fn run(mut self, interval: Duration) {
        if let Err(e) = self.start().await {
            tracing::error!(error = %e, "search index could not be opened or built");
        }
        loop {
            if self.handle.get().is_none() {
                if let Err(e) = self.start().await {
                    tracing::error!(error = %e, "search index could not be opened or built");
                }
            } else if let Err(e) = self.step().await {
                tracing::error!(error = %e, "applying the search outbox failed");
            }
            tokio::time::sleep(interval).await;
        }
    }
}

/// How many outbox rows this instance has not applied yet.
pub async fn lag(db: &DatabaseConnection, handle: &SearchHandle) -> AppResult<u64> {
    let position = handle.get().and_then(|i| i.position().ok()).unwrap_or(0);
    Ok(search_outbox::Entity::find()
        .filter(search_outbox::Column::Id.gt(position))
        .count(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn follower() -> Follower {
        Follower::new(
            DatabaseConnection::default(),
            SearchHandle::new(std::path::Path::new("/nonexistent")),
        )
    }

    #[test]
    fn the_position_waits_for_a_missing_id_and_then_moves_on() {
        let mut f = follower();
        f.applied.extend([1, 2, 4, 5]);
        assert_eq!(f.advance(0), 2, "3 is missing: it may still commit");
        assert!(f.applied.contains(&4));
        f.applied.insert(3);
        assert_eq!(f.advance(2), 5, "3 arrived: everything up to 5 is applied");
        f.applied.insert(8);
        assert_eq!(f.advance(5), 5);
        f.gaps.insert(6, Instant::now() - GAP_PATIENCE);
        f.gaps.insert(7, Instant::now() - GAP_PATIENCE);
        assert_eq!(f.advance(5), 8, "long-missing ids were rolled back");
    }
}
