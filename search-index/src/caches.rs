//! Per-segment data kept between searches: which documents a viewer's filter admits, which
//! contain a frequent term, which are alive, the facet sets, the ranking signals and the stored
//! fields of recently shown hits. Segments
//! never change once written (deletions live in the separate alive bitset, keyed here by the
//! number of deletions), so an entry stays right for as long as its segment exists.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::query::Weight;
use tantivy::{DocId, SegmentReader};

use crate::bits::DocBits;
use crate::facets::SegmentFacets;
use crate::lru::BudgetLru;
use crate::ranking::SegmentSignals;
use crate::stored::StoredHit;
use crate::{IndexError, Result};

/// At 100,000 documents a filter bitset takes 12.5 KB; this bounds the filter cache near 13 MB.
const MAX_FILTERS: usize = 1_024;

/// Memory for term bitsets: about 2,600 frequent terms of a 100,000-document index.
const TERM_BITS_BUDGET: usize = 32 << 20;

/// Ranking signals include freshness, which moves with the clock; an hour changes a document's
/// boost by less than 0.003%, so they are recomputed at most hourly.
const SIGNALS_MAX_AGE_SECS: u64 = 3_600;

/// Memory for the stored fields of recently shown hits: the documents people find are few
/// compared with the index, and reading one means decompressing its block of the doc store.
const STORED_BUDGET: usize = 16 << 20;

pub struct SegmentCaches {
    filters: Mutex<HashMap<(SegmentId, String), Arc<DocBits>>>,
    terms: Mutex<BudgetLru<(SegmentId, Vec<u8>), DocBits>>,
    stored: Mutex<BudgetLru<(SegmentId, DocId), StoredHit>>,
    alive: Mutex<HashMap<SegmentId, (u32, Arc<DocBits>)>>,
    facets: Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>,
    signals: Mutex<HashMap<SegmentId, Arc<SegmentSignals>>>,
}

impl Default for SegmentCaches {
    fn default() -> Self {
        Self {
            filters: Mutex::default(),
            terms: Mutex::new(BudgetLru::new(TERM_BITS_BUDGET)),
            stored: Mutex::new(BudgetLru::new(STORED_BUDGET)),
            alive: Mutex::default(),
            facets: Mutex::default(),
            signals: Mutex::default(),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> Result<std::sync::MutexGuard<'_, T>> {
    m.lock().map_err(|_| IndexError::Poisoned)
}

/// Every document of `segment` that `weight` matches, as a bitset.
pub fn matches(segment: &SegmentReader, weight: &dyn Weight) -> Result<DocBits> {
    let mut bits = DocBits::new(segment.max_doc());
    weight.for_each_no_score(segment, &mut |docs| {
        for &doc in docs {
            bits.insert(doc);
        }
    })?;
    Ok(bits)
}

impl SegmentCaches {
    /// The documents of `segment` that the filter named `key` (the viewer's principals and the
    /// chosen facet filters) admits. `filter` builds the filter's weight (without scoring) and is
    /// only called when the bitset is not cached: building it is the expensive part.
    pub fn filter(
        &self,
        segment: &SegmentReader,
        key: &str,
        filter: &mut dyn FnMut() -> Result<Arc<dyn Weight>>,
    ) -> Result<Arc<DocBits>> {
        let id = (segment.segment_id(), key.to_owned());
        if let Some(bits) = lock(&self.filters)?.get(&id) {
            return Ok(bits.clone());
        }
        let bits = Arc::new(matches(segment, &*filter()?)?);
        let mut filters = lock(&self.filters)?;
        if filters.len() >= MAX_FILTERS {
            // Dropping everything is crude but cheap; entries rebuild in well under a millisecond.
            filters.clear();
        }
        filters.insert(id, bits.clone());
        Ok(bits)
    }

    /// The documents of `segment` containing the term `key` (a term's bytes, tagged by how it
    /// matches), built by `build` when not cached.
    pub fn term(
        &self,
        segment: &SegmentReader,
        key: &[u8],
        build: impl FnOnce() -> Result<DocBits>,
    ) -> Result<Arc<DocBits>> {
        let id = (segment.segment_id(), key.to_vec());
        if let Some(bits) = lock(&self.terms)?.get(&id) {
            return Ok(bits);
        }
        let bits = Arc::new(build()?);
        let bytes = bits.bytes();
        lock(&self.terms)?.insert(id, bits.clone(), bytes);
        Ok(bits)
    }

    /// The stored fields of document `doc` of `segment`, read by `read` when not cached.
    pub fn stored(
        &self,
        segment: SegmentId,
        doc: DocId,
        read: impl FnOnce() -> Result<Option<StoredHit>>,
    ) -> Result<Option<Arc<StoredHit>>> {
        let id = (segment, doc);
        if let Some(hit) = lock(&self.stored)?.get(&id) {
            return Ok(Some(hit));
        }
        let Some(hit) = read()? else {
            return Ok(None);
        };
        let bytes = hit.bytes();
        let hit = Arc::new(hit);
        lock(&self.stored)?.insert(id, hit.clone(), bytes);
        Ok(Some(hit))
    }

    /// The live documents of `segment`, or `None` when it has no deletions.
    pub fn alive(&self, segment: &SegmentReader) -> Result<Option<Arc<DocBits>>> {
        let Some(alive) = segment.alive_bitset() else {
            return Ok(None);
        };
        let deleted = segment.num_deleted_docs();
        let id = segment.segment_id();
        if let Some((n, bits)) = lock(&self.alive)?.get(&id)
            && *n == deleted
        {
            return Ok(Some(bits.clone()));
        }
        let mut bits = DocBits::new(segment.max_doc());
        for doc in alive.iter_alive() {
            bits.insert(doc);
        }
        let bits = Arc::new(bits);
        lock(&self.alive)?.insert(id, (deleted, bits.clone()));
        Ok(Some(bits))
    }

    pub fn facets(&self, segment: &SegmentReader) -> Result<Arc<SegmentFacets>> {
        let id = segment.segment_id();
        if let Some(f) = lock(&self.facets)?.get(&id) {
            return Ok(f.clone());
        }
        let facets = Arc::new(SegmentFacets::read(segment)?);
        lock(&self.facets)?.insert(id, facets.clone());
        Ok(facets)
    }

    /// The ranking signals of `segment` as of `now` (Unix seconds), recomputed hourly.
    pub fn signals(&self, segment: &SegmentReader, now: u64) -> Result<Arc<SegmentSignals>> {
        let id = segment.segment_id();
        if let Some(s) = lock(&self.signals)?.get(&id)
            && now.abs_diff(s.computed_at()) < SIGNALS_MAX_AGE_SECS
        {
            return Ok(s.clone());
        }
        let signals = Arc::new(SegmentSignals::read(segment, now));
        lock(&self.signals)?.insert(id, signals.clone());
        Ok(signals)
    }

    /// Forgets the segments that are gone (merged away) after a reload.
    pub fn retain(&self, live: &[SegmentId]) -> Result<()> {
        lock(&self.filters)?.retain(|(id, _), _| live.contains(id));
        lock(&self.terms)?.retain(|(id, _)| live.contains(id));
        lock(&self.stored)?.retain(|(id, _)| live.contains(id));
        lock(&self.alive)?.retain(|id, _| live.contains(id));
        lock(&self.facets)?.retain(|id, _| live.contains(id));
        lock(&self.signals)?.retain(|id, _| live.contains(id));
        Ok(())
    }
}
