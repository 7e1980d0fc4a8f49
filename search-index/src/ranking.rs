//! The ranking formula on top of BM25 and the exact top-k under it. Each segment knows the
//! largest boost among its documents, so a document whose plain BM25 score times that boost
//! cannot beat the current k-th hit is skipped, which lets tantivy's block-max WAND jump over
//! whole posting blocks instead of scoring every match.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use std::sync::Arc;

use crate::bits::DocBits;

use tantivy::columnar::ColumnValues;
use tantivy::{DocAddress, DocId, Score, SegmentReader};

/// Helpful votes count up to here; beyond it more votes change nothing, which keeps the boost
/// bounded (and one viral thread from burying better answers).
pub const HELPFUL_CAP: u64 = 1_000;

/// The ranking formula on top of BM25 (documented in docs/search.md):
/// `bm25 × (1 + 0.25·lesson + 0.2·accepted + 0.05·ln(1 + min(helpful, 1000))) × (1 + 0.1·e^(−age/180 days))`.
pub fn boost(is_lesson: bool, accepted: bool, helpful: u64, age_secs: u64) -> f32 {
    let quality = 1.0
        + 0.25 * f32::from(u8::from(is_lesson))
        + 0.2 * f32::from(u8::from(accepted))
        + 0.05 * (1.0 + helpful.min(HELPFUL_CAP) as f32).ln();
    let age_days = age_secs as f32 / 86_400.0;
    quality * (1.0 + 0.1 * (-age_days / 180.0).exp())
}

/// The largest factor [`boost`] can give.
#[cfg(test)]
pub fn max_boost() -> f32 {
    boost(true, true, HELPFUL_CAP, 0)
}

/// How hits are ordered: boosted score, then lessons first, then the lower number, so equal
/// scores rank the same way however the index is segmented.
#[derive(Clone, Copy, Debug)]
pub struct RankKey {
    pub score: Score,
    is_lesson: bool,
    number: u64,
}

impl Ord for RankKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then(self.is_lesson.cmp(&other.is_lesson))
            .then(other.number.cmp(&self.number))
    }
}

impl PartialOrd for RankKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for RankKey {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for RankKey {}

/// The ranking signals of one segment as of one moment: every document's boost, whether it
/// is a lesson and its number, read once from the fast fields so that ranking a hit is a few
/// array reads instead of column decodes, a logarithm and an exponential.
pub struct SegmentSignals {
    boost: Vec<f32>,
    lesson: DocBits,
    number: Vec<u64>,
    max_boost: f32,
    computed_at: u64,
}

impl SegmentSignals {
    pub fn read(segment: &SegmentReader, now: u64) -> Self {
        let ff = segment.fast_fields();
        let kind = ff.str("kind").ok().flatten();
        let lesson_ord = kind
            .as_ref()
            .and_then(|k| k.dictionary().term_ord(b"lesson").ok().flatten());
        let column = |name| ff.u64(name).ok().map(|c| c.first_or_default_col(0));
        let (accepted, helpful) = (column("accepted"), column("helpful"));
        let (created, number) = (column("created"), column("number"));
        let value = |c: &Option<Arc<dyn ColumnValues<u64>>>, doc, default| {
            c.as_ref().map_or(default, |c| c.get_val(doc))
        };
        let max_doc = segment.max_doc();
        let mut lesson = DocBits::new(max_doc);
        let mut boosts = Vec::with_capacity(max_doc as usize);
        let mut numbers = Vec::with_capacity(max_doc as usize);
        for doc in 0..max_doc {
            let is_lesson = match (&kind, lesson_ord) {
                (Some(k), Some(ord)) => k.term_ords(doc).next() == Some(ord),
                _ => false,
            };
            if is_lesson {
                lesson.insert(doc);
            }
            let age = now.saturating_sub(value(&created, doc, now));
            boosts.push(boost(
                is_lesson,
                value(&accepted, doc, 0) == 1,
                value(&helpful, doc, 0),
                age,
            ));
            numbers.push(value(&number, doc, 0));
        }
        let max_boost = boosts.iter().copied().fold(1.0, f32::max);
        Self {
            boost: boosts,
            lesson,
            number: numbers,
            max_boost,
            computed_at: now,
        }
    }

    pub fn computed_at(&self) -> u64 {
        self.computed_at
    }

    /// The largest boost of any document in the segment, for pruning.
    pub fn max_boost(&self) -> f32 {
        self.max_boost
    }

    #[inline]
    pub fn key(&self, doc: DocId, bm25: Score) -> RankKey {
        let i = doc as usize;
        RankKey {
            score: bm25 * self.boost.get(i).copied().unwrap_or(1.0),
            is_lesson: self.lesson.contains(doc),
            number: self.number.get(i).copied().unwrap_or(0),
        }
    }
}

/// The best `size` hits seen so far.
pub struct TopK {
    size: usize,
    heap: BinaryHeap<Reverse<(RankKey, DocAddress)>>,
}

impl TopK {
    pub fn new(size: usize) -> Self {
        Self {
            size,
            heap: BinaryHeap::with_capacity(size + 1),
        }
    }

    pub fn offer(&mut self, key: RankKey, address: DocAddress) {
        if self.heap.len() < self.size {
            self.heap.push(Reverse((key, address)));
        } else if let Some(mut worst) = self.heap.peek_mut()
            && key > worst.0.0
        {
            *worst = Reverse((key, address));
        }
    }

    /// The plain BM25 score a document whose boost is at most `max_boost` needs to have any
    /// chance of entering the top k. Slightly lowered so that documents which would tie on
    /// score still reach the tie-break.
    pub fn bm25_threshold(&self, max_boost: f32) -> Score {
        if self.heap.len() < self.size {
            return Score::MIN;
        }
        self.heap
            .peek()
            .map_or(Score::MIN, |w| w.0.0.score / max_boost * 0.9999)
    }

    /// Best first.
    pub fn into_sorted(self) -> Vec<(RankKey, DocAddress)> {
        let mut out: Vec<_> = self.heap.into_iter().map(|r| r.0).collect();
        out.sort_by_key(|e| Reverse(e.0));
        out
    }
}
