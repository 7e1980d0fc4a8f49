//! The ranking formula on top of BM25 and the exact top-k under it. Because the boost is bounded
//! ([`max_boost`]), a document whose plain BM25 score times the largest possible boost cannot
//! beat the current k-th hit is skipped, which lets tantivy's block-max WAND jump over whole
//! posting blocks instead of scoring every match.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use std::sync::Arc;

use tantivy::columnar::{ColumnValues, StrColumn};
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

/// The ranking signals of one segment, read from its fast fields.
pub struct Signals {
    kind: Option<StrColumn>,
    lesson_ord: Option<u64>,
    accepted: Option<Arc<dyn ColumnValues<u64>>>,
    helpful: Option<Arc<dyn ColumnValues<u64>>>,
    created: Option<Arc<dyn ColumnValues<u64>>>,
    number: Option<Arc<dyn ColumnValues<u64>>>,
    now: u64,
}

impl Signals {
    pub fn read(segment: &SegmentReader, now: u64) -> Self {
        let ff = segment.fast_fields();
        let kind = ff.str("kind").ok().flatten();
        let lesson_ord = kind
            .as_ref()
            .and_then(|k| k.dictionary().term_ord(b"lesson").ok().flatten());
        let column = |name| ff.u64(name).ok().map(|c| c.first_or_default_col(0));
        Self {
            lesson_ord,
            kind,
            accepted: column("accepted"),
            helpful: column("helpful"),
            created: column("created"),
            number: column("number"),
            now,
        }
    }

    pub fn key(&self, doc: DocId, bm25: Score) -> RankKey {
        let is_lesson = match (&self.kind, self.lesson_ord) {
            (Some(k), Some(ord)) => k.term_ords(doc).next() == Some(ord),
            _ => false,
        };
        let value = |c: &Option<Arc<dyn ColumnValues<u64>>>, default| {
            c.as_ref().map_or(default, |c| c.get_val(doc))
        };
        let created = value(&self.created, self.now);
        let score = bm25
            * boost(
                is_lesson,
                value(&self.accepted, 0) == 1,
                value(&self.helpful, 0),
                self.now.saturating_sub(created),
            );
        RankKey {
            score,
            is_lesson,
            number: value(&self.number, 0),
        }
    }
}

/// The best `size` hits seen so far.
pub struct TopK {
    size: usize,
    heap: BinaryHeap<Reverse<(RankKey, DocAddress)>>,
    max_boost: f32,
}

impl TopK {
    pub fn new(size: usize) -> Self {
        Self {
            size,
            heap: BinaryHeap::with_capacity(size + 1),
            max_boost: max_boost(),
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

    /// The plain BM25 score a document needs to have any chance of entering the top k. Slightly
    /// lowered so that documents which would tie on score still reach the tie-break.
    pub fn bm25_threshold(&self) -> Score {
        if self.heap.len() < self.size {
            return Score::MIN;
        }
        self.heap
            .peek()
            .map_or(Score::MIN, |w| w.0.0.score / self.max_boost * 0.9999)
    }

    /// Best first.
    pub fn into_sorted(self) -> Vec<(RankKey, DocAddress)> {
        let mut out: Vec<_> = self.heap.into_iter().map(|r| r.0).collect();
        out.sort_by_key(|e| Reverse(e.0));
        out
    }
}
