//! Per-segment data kept between searches: which documents a viewer's filter admits (as a
//! bitset) and the facet ordinals. Segments never change once written (deletions live in the
//! separate alive bitset), so an entry stays right for as long as its segment exists.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::query::Weight;
use tantivy::{BitSet, SegmentReader};

use crate::facets::SegmentFacets;
use crate::{IndexError, Result};

/// At 100,000 documents a filter bitset takes 12.5 KB; this bounds the cache near 13 MB.
const MAX_FILTERS: usize = 1_024;

#[derive(Default)]
pub struct SegmentCaches {
    filters: Mutex<HashMap<(SegmentId, String), Arc<BitSet>>>,
    facets: Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>,
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
    ) -> Result<Arc<BitSet>> {
        let id = (segment.segment_id(), key.to_owned());
        if let Some(bits) = self
            .filters
            .lock()
            .map_err(|_| IndexError::Poisoned)?
            .get(&id)
        {
            return Ok(bits.clone());
        }
        let weight = filter()?;
        let mut bits = BitSet::with_max_value(segment.max_doc());
        weight.for_each_no_score(segment, &mut |docs| {
            for &doc in docs {
                bits.insert(doc);
            }
        })?;
        let bits = Arc::new(bits);
        let mut filters = self.filters.lock().map_err(|_| IndexError::Poisoned)?;
        if filters.len() >= MAX_FILTERS {
            // Dropping everything is crude but cheap; entries rebuild in well under a millisecond.
            filters.clear();
        }
        filters.insert(id, bits.clone());
        Ok(bits)
    }

    pub fn facets(&self, segment: &SegmentReader) -> Result<Arc<SegmentFacets>> {
        let id = segment.segment_id();
        if let Some(f) = self
            .facets
            .lock()
            .map_err(|_| IndexError::Poisoned)?
            .get(&id)
        {
            return Ok(f.clone());
        }
        let facets = Arc::new(SegmentFacets::read(segment)?);
        self.facets
            .lock()
            .map_err(|_| IndexError::Poisoned)?
            .insert(id, facets.clone());
        Ok(facets)
    }

    /// Forgets the segments that are gone (merged away) after a reload.
    pub fn retain(&self, live: &[SegmentId]) -> Result<()> {
        self.filters
            .lock()
            .map_err(|_| IndexError::Poisoned)?
            .retain(|(id, _), _| live.contains(id));
        self.facets
            .lock()
            .map_err(|_| IndexError::Poisoned)?
            .retain(|id, _| live.contains(id));
        Ok(())
    }
}
