//! A text query as its weighted term clauses: turned into one scoring query for ranking, and
//! matched clause by clause into a bitset for counting, where the postings of frequent terms
//! are kept per segment as bitsets (like Lucene's query cache) so that counting tens of
//! thousands of matches costs a few word operations instead of a walk over every posting.

use std::collections::HashSet;

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, SegmentReader, TERMINATED, Term};

use crate::Result;
use crate::bits::DocBits;
use crate::caches::SegmentCaches;

/// Terms found in at least this many documents of a segment are matched from a cached bitset;
/// rarer ones are cheaper to walk than to keep.
const CACHED_DOC_FREQ: u32 = 1_024;

/// One term, scored by BM25 times the clause's boost.
#[derive(Clone, Debug)]
pub struct Clause {
    pub term: Term,
    pub boost: f32,
}

impl Clause {
    fn to_query(&self) -> Box<dyn Query> {
        Box::new(BoostQuery::new(
            Box::new(TermQuery::new(
                self.term.clone(),
                IndexRecordOption::WithFreqs,
            )),
            self.boost,
        ))
    }

    /// The cache key: the term's field and bytes.
    fn key(&self) -> Vec<u8> {
        let mut key = self.term.field().field_id().to_be_bytes().to_vec();
        key.extend_from_slice(self.term.serialized_value_bytes());
        key
    }
}

/// A document matches the plan when it matches any clause.
#[derive(Clone, Debug, Default)]
pub struct QueryPlan {
    pub clauses: Vec<Clause>,
}

impl QueryPlan {
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// The terms the plan looks for in `field`, as text.
    pub fn terms_of(&self, field: Field) -> impl Iterator<Item = String> + '_ {
        self.clauses
            .iter()
            .filter(move |c| c.term.field() == field)
            .filter_map(|c| c.term.value().as_str().map(str::to_owned))
    }

    /// One query scoring every clause (BM25 per clause times its boost, summed).
    pub fn to_query(&self) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(
            self.clauses
                .iter()
                .map(|c| (Occur::Should, c.to_query()))
                .collect(),
        ))
    }

    /// Every document of `segment` that matches the plan, deleted ones included.
    pub fn matching(&self, segment: &SegmentReader, caches: &SegmentCaches) -> Result<DocBits> {
        let mut out = DocBits::new(segment.max_doc());
        let mut seen = HashSet::new();
        for clause in &self.clauses {
            let key = clause.key();
            if !seen.insert(key.clone()) {
                continue;
            }
            let inverted = segment.inverted_index(clause.term.field())?;
            let Some(info) = inverted.get_term_info(&clause.term)? else {
                continue;
            };
            let walk = |out: &mut DocBits| -> Result<()> {
                let mut postings =
                    inverted.read_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    out.insert(doc);
                    doc = postings.advance();
                }
                Ok(())
            };
            if info.doc_freq >= CACHED_DOC_FREQ {
                let bits = caches.term(segment, &key, || {
                    let mut bits = DocBits::new(segment.max_doc());
                    walk(&mut bits)?;
                    Ok(bits)
                })?;
                out.union_with(&bits);
            } else {
                walk(&mut out)?;
            }
        }
        Ok(out)
    }
}
