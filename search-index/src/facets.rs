//! Counting hits per kind, topic and language in the same traversal that finds them, so facets
//! only ever count what the viewer may see.

use std::collections::BTreeMap;

use tantivy::columnar::StrColumn;
use tantivy::{DocId, SegmentReader};

/// Hit counts per value of each facet field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    pub kind: BTreeMap<String, u64>,
    pub topic: BTreeMap<String, u64>,
    pub language: BTreeMap<String, u64>,
}

const FIELDS: [&str; 3] = ["kind", "topic", "language"];

/// Marks a document without a value for a facet field.
const NONE: u32 = u32::MAX;

/// A segment's facet values as dictionary ordinals, one array lookup per hit instead of a
/// column decode. Segments never change, so this is read once per segment and kept.
pub struct SegmentFacets {
    columns: [Option<StrColumn>; 3],
    ords: [Vec<u32>; 3],
}

impl SegmentFacets {
    pub fn read(segment: &SegmentReader) -> tantivy::Result<Self> {
        let ff = segment.fast_fields();
        let columns = [ff.str(FIELDS[0])?, ff.str(FIELDS[1])?, ff.str(FIELDS[2])?];
        let max_doc = segment.max_doc();
        let ords = std::array::from_fn(|i| match &columns[i] {
            Some(column) => (0..max_doc)
                .map(|doc| {
                    column
                        .term_ords(doc)
                        .next()
                        .and_then(|o| u32::try_from(o).ok())
                        .unwrap_or(NONE)
                })
                .collect(),
            None => Vec::new(),
        });
        Ok(Self { columns, ords })
    }

    /// An empty tally for this segment's ordinals.
    pub fn tally(&self) -> Tally {
        Tally {
            counts: std::array::from_fn(|i| {
                let len = self.columns[i]
                    .as_ref()
                    .map_or(0, |c| c.num_terms().min(1 << 20));
                vec![0u64; len]
            }),
        }
    }

    /// Counts one hit.
    #[inline]
    pub fn count(&self, doc: DocId, tally: &mut Tally) {
        for (ords, counts) in self.ords.iter().zip(tally.counts.iter_mut()) {
            if let Some(slot) = ords
                .get(doc as usize)
                .and_then(|&o| counts.get_mut(o as usize))
            {
                *slot += 1;
            }
        }
    }

    /// Adds a segment's tally, by value, to `out`.
    pub fn harvest(&self, tally: Tally, out: &mut Facets) {
        let targets = [&mut out.kind, &mut out.topic, &mut out.language];
        for ((column, counts), target) in self.columns.iter().zip(tally.counts).zip(targets) {
            let Some(column) = column else { continue };
            for (ord, count) in counts.into_iter().enumerate().filter(|(_, c)| *c > 0) {
                let mut value = String::new();
                if column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                    *target.entry(value).or_default() += count;
                }
            }
        }
    }
}

/// Hit counts of one segment, by dictionary ordinal.
pub struct Tally {
    counts: [Vec<u64>; 3],
}
