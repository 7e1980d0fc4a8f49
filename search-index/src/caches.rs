//! Per-segment data kept between searches: which documents a viewer's filter admits, which
//! contain a frequent term, which are alive, the facet sets and the ranking signals. Segments
//! never change once written (deletions live in the separate alive bitset, keyed here by the
//! number of deletions), so an entry stays right for as long as its segment exists.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::SegmentReader;
use tantivy::index::SegmentId;
use tantivy::query::Weight;

use crate::bits::DocBits;
use crate::facets::SegmentFacets;
use crate::ranking::SegmentSignals;
use crate::{IndexError, Result};

/// At 100,000 documents a filter bitset takes 12.5 KB; this bounds the filter cache near 13 MB.
const MAX_FILTERS: usize = 1_024;

/// Memory for term bitsets: about 2,600 frequent terms of a 100,000-document index.
const TERM_BITS_BUDGET: usize = 32 << 20;

/// Ranking signals include freshness, which moves with the clock; an hour changes a document's
/// boost by less than 0.003%, so they are recomputed at most hourly.
const SIGNALS_MAX_AGE_SECS: u64 = 3_600;

#[derive(Default)]
pub struct SegmentCaches {
    filters: Mutex<HashMap<(SegmentId, String), Arc<DocBits>>>,
    terms: Mutex<TermBits>,
    alive: Mutex<HashMap<SegmentId, (u32, Arc<DocBits>)>>,
    facets: Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>,
    signals: Mutex<HashMap<SegmentId, Arc<SegmentSignals>>>,
}

/// Term bitsets under a memory budget, least recently used dropped first.
#[derive(Default)]
struct TermBits {
    entries: HashMap<(SegmentId, Vec<u8>), (u64, Arc<DocBits>)>,
    bytes: usize,
    clock: u64,
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
        {
            let mut terms = lock(&self.terms)?;
            terms.clock += 1;
            let now = terms.clock;
            if let Some((used, bits)) = terms.entries.get_mut(&id) {
                *used = now;
                return Ok(bits.clone());
            }
        }
        let bits = Arc::new(build()?);
        let mut terms = lock(&self.terms)?;
        terms.bytes += bits.bytes();
        let now = terms.clock;
        if let Some((_, old)) = terms.entries.insert(id, (now, bits.clone())) {
            terms.bytes -= old.bytes();
        }
        if terms.bytes > TERM_BITS_BUDGET {
            terms.evict_to(TERM_BITS_BUDGET * 3 / 4);
        }
        Ok(bits)
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
        let mut terms = lock(&self.terms)?;
        terms.entries.retain(|(id, _), _| live.contains(id));
        terms.bytes = terms.entries.values().map(|(_, b)| b.bytes()).sum();
        drop(terms);
        lock(&self.alive)?.retain(|id, _| live.contains(id));
        lock(&self.facets)?.retain(|id, _| live.contains(id));
        lock(&self.signals)?.retain(|id, _| live.contains(id));
        Ok(())
    }
}

impl TermBits {
    fn evict_to(&mut self, target: usize) {
        let mut by_age: Vec<_> = self
            .entries
            .iter()
            .map(|(k, (used, bits))| (*used, bits.bytes(), k.clone()))
            .collect();
        by_age.sort_unstable_by_key(|(used, _, _)| *used);
        for (_, bytes, key) in by_age {
            if self.bytes <= target {
                break;
            }
            self.entries.remove(&key);
            self.bytes -= bytes;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_bits_stay_within_their_budget_dropping_the_least_recently_used() {
        let mut t = TermBits::default();
        let seg = SegmentId::generate_random();
        let big = Arc::new(DocBits::new(8 * 1024 * 1024)); // 1 MiB
        for i in 0..40u8 {
            t.clock += 1;
            t.entries.insert((seg, vec![i]), (t.clock, big.clone()));
            t.bytes += big.bytes();
            if t.bytes > TERM_BITS_BUDGET {
                t.evict_to(TERM_BITS_BUDGET * 3 / 4);
            }
        }
        assert!(t.bytes <= TERM_BITS_BUDGET);
        assert!(t.entries.contains_key(&(seg, vec![39])), "newest kept");
        assert!(!t.entries.contains_key(&(seg, vec![0])), "oldest dropped");
    }
}
