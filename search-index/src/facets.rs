//! Counting hits per kind, topic and language over the set of documents the viewer may see
//! and the query matches, so facets only ever count what the viewer may see.

use std::collections::BTreeMap;

use tantivy::SegmentReader;

use crate::bits::DocBits;

/// Hit counts per value of each facet field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    pub kind: BTreeMap<String, u64>,
    pub topic: BTreeMap<String, u64>,
    pub language: BTreeMap<String, u64>,
}

const FIELDS: [&str; 3] = ["kind", "topic", "language"];

/// Facet fields hold a few fixed values (kinds, topics, languages); a field with more values
/// than this is not a facet and is not counted.
const MAX_VALUES: u64 = 256;

/// A segment's documents per facet value, so counting a value is one pass over two bitsets.
/// Segments never change, so this is read once per segment and kept.
pub struct SegmentFacets {
    values: [Vec<(String, DocBits)>; 3],
}

impl SegmentFacets {
    pub fn read(segment: &SegmentReader) -> tantivy::Result<Self> {
        let ff = segment.fast_fields();
        let max_doc = segment.max_doc();
        let mut values: [Vec<(String, DocBits)>; 3] = Default::default();
        for (field, out) in FIELDS.iter().zip(values.iter_mut()) {
            let Some(column) = ff.str(field)? else {
                continue;
            };
            let n = column.num_terms() as u64;
            if n > MAX_VALUES {
                continue;
            }
            for ord in 0..n {
                let mut value = String::new();
                column.ord_to_str(ord, &mut value)?;
                out.push((value, DocBits::new(max_doc)));
            }
            for doc in 0..max_doc {
                if let Some((_, bits)) = column
                    .term_ords(doc)
                    .next()
                    .and_then(|o| out.get_mut(o as usize))
                {
                    bits.insert(doc);
                }
            }
        }
        Ok(Self { values })
    }

    /// Adds the counts of the documents in `hits`, by value, to `out`.
    pub fn count(&self, hits: &DocBits, out: &mut Facets) {
        let targets = [&mut out.kind, &mut out.topic, &mut out.language];
        for (values, target) in self.values.iter().zip(targets) {
            for (value, bits) in values {
                let n = hits.count_common(bits);
                if n > 0 {
                    *target.entry(value.clone()).or_default() += n;
                }
            }
        }
    }
}
