//! A text query as its weighted term clauses: turned into one scoring query for ranking, and
//! matched clause by clause into a bitset for counting, where the postings of frequent terms
//! are kept per segment as bitsets (like Lucene's query cache) so that counting tens of
//! thousands of matches costs a few word operations instead of a walk over every posting.

use std::collections::HashSet;

use tantivy::query::{BooleanQuery, BoostQuery, EnableScoring, FuzzyTermQuery, Occur, Query};
use tantivy::query::{TermQuery, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, SegmentReader, TERMINATED, Term};

use crate::Result;
use crate::bits::DocBits;
use crate::caches::{SegmentCaches, matches};

/// Terms found in at least this many documents of a segment are matched from a cached bitset;
/// rarer ones are cheaper to walk than to keep.
const CACHED_DOC_FREQ: u32 = 1_024;

/// How a clause matches its term.
#[derive(Clone, Debug)]
pub enum Clause {
    /// The term itself, scored by BM25.
    Exact { term: Term, boost: f32 },
    /// Any term within one edit (a transposition counts as one).
    Typo { term: Term, boost: f32 },
}

impl Clause {
    fn to_query(&self) -> Box<dyn Query> {
        match self {
            Self::Exact { term, boost } => Box::new(BoostQuery::new(
                Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                *boost,
            )),
            Self::Typo { term, boost } => Box::new(BoostQuery::new(
                Box::new(FuzzyTermQuery::new(term.clone(), 1, true)),
                *boost,
            )),
        }
    }

    /// The cache key: the term's bytes, tagged with how it matches.
    fn key(&self) -> Vec<u8> {
        let (tag, term) = match self {
            Self::Exact { term, .. } => (b'=', term),
            Self::Typo { term, .. } => (b'~', term),
        };
        let mut key = vec![tag];
        key.extend_from_slice(&term.field().field_id().to_be_bytes());
        key.extend_from_slice(term.serialized_value_bytes());
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

    /// The exact terms the plan looks for in `field`, as text.
    pub fn terms_of(&self, field: Field) -> impl Iterator<Item = String> + '_ {
        self.clauses.iter().filter_map(move |c| match c {
            Clause::Exact { term, .. } if term.field() == field => {
                term.value().as_str().map(str::to_owned)
            }
            _ => None,
        })
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
    pub fn matching(
        &self,
        segment: &SegmentReader,
        scoring: EnableScoring<'_>,
        caches: &SegmentCaches,
    ) -> Result<DocBits> {
        let mut out = DocBits::new(segment.max_doc());
        let mut seen = HashSet::new();
        for clause in &self.clauses {
            let key = clause.key();
            if !seen.insert(key.clone()) {
                continue;
            }
            match clause {
                Clause::Exact { term, .. } => {
                    let inverted = segment.inverted_index(term.field())?;
                    let Some(info) = inverted.get_term_info(term)? else {
                        continue;
                    };
                    let walk = |out: &mut DocBits| -> Result<()> {
                        let mut postings = inverted
                            .read_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
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
                Clause::Typo { .. } => {
                    // Expanding a typo to its neighbours through the term dictionary is the
                    // costly part, so the whole expansion is kept.
                    let bits = caches.term(segment, &key, || {
                        let weight: Box<dyn Weight> = clause.to_query().weight(scoring)?;
                        matches(segment, &*weight)
                    })?;
                    out.union_with(&bits);
                }
            }
        }
        Ok(out)
    }
}
