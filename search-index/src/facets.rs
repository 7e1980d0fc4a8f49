//! Counting hits per kind, topic and language in the same pass that finds them, so facets
//! only ever count what the viewer may see.

use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentReader};

/// Hit counts per value of each facet field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    pub kind: BTreeMap<String, u64>,
    pub topic: BTreeMap<String, u64>,
    pub language: BTreeMap<String, u64>,
}

pub struct FacetCollector;

pub struct FacetSegment {
    columns: [Option<StrColumn>; 3],
    counts: [BTreeMap<u64, u64>; 3],
}

const FIELDS: [&str; 3] = ["kind", "topic", "language"];

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = FacetSegment;

    fn for_segment(&self, _id: u32, reader: &SegmentReader) -> tantivy::Result<FacetSegment> {
        let ff = reader.fast_fields();
        Ok(FacetSegment {
            columns: [ff.str(FIELDS[0])?, ff.str(FIELDS[1])?, ff.str(FIELDS[2])?],
            counts: Default::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Facets>) -> tantivy::Result<Facets> {
        let mut out = Facets::default();
        for f in fruits {
            for (target, source) in [
                (&mut out.kind, f.kind),
                (&mut out.topic, f.topic),
                (&mut out.language, f.language),
            ] {
                for (k, v) in source {
                    *target.entry(k).or_default() += v;
                }
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = Facets;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (column, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            if let Some(column) = column {
                for ord in column.term_ords(doc) {
                    *counts.entry(ord).or_default() += 1;
                }
            }
        }
    }

    fn harvest(self) -> Facets {
        let mut maps: [BTreeMap<String, u64>; 3] = Default::default();
        for ((column, counts), map) in self.columns.iter().zip(self.counts).zip(maps.iter_mut()) {
            let Some(column) = column else { continue };
            for (ord, count) in counts {
                let mut value = String::new();
                if column.ord_to_str(ord, &mut value).unwrap_or(false) {
                    map.insert(value, count);
                }
            }
        }
        let [kind, topic, language] = maps;
        Facets {
            kind,
            topic,
            language,
        }
    }
}
