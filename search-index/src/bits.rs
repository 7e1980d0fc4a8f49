//! A plain bitset over a segment's document ids with the whole-set operations counting needs
//! (union, intersection, population count), a word at a time instead of a document at a time.

use tantivy::DocId;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocBits {
    words: Vec<u64>,
}

impl DocBits {
    /// An empty set for documents `0..max_doc`.
    pub fn new(max_doc: u32) -> Self {
        Self {
            words: vec![0; (max_doc as usize).div_ceil(64)],
        }
    }

    /// Bytes this set occupies, for cache budgets.
    pub fn bytes(&self) -> usize {
        self.words.len() * 8
    }

    #[inline]
    pub fn insert(&mut self, doc: DocId) {
        if let Some(w) = self.words.get_mut(doc as usize / 64) {
            *w |= 1 << (doc % 64);
        }
    }

    #[inline]
    pub fn contains(&self, doc: DocId) -> bool {
        self.words
            .get(doc as usize / 64)
            .is_some_and(|w| w & (1 << (doc % 64)) != 0)
    }

    pub fn union_with(&mut self, other: &Self) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    pub fn intersect_with(&mut self, other: &Self) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
        let common = other.words.len().min(self.words.len());
        self.words[common..].fill(0);
    }

    pub fn count(&self) -> u64 {
        self.words.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    /// The size of the intersection with `other`, without building it.
    pub fn count_common(&self, other: &Self) -> u64 {
        self.words
            .iter()
            .zip(&other.words)
            .map(|(a, b)| u64::from((a & b).count_ones()))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(max: u32, docs: &[u32]) -> DocBits {
        let mut b = DocBits::new(max);
        for &d in docs {
            b.insert(d);
        }
        b
    }

    #[test]
    fn set_operations_agree_with_a_naive_model() {
        let a = set(200, &[0, 1, 63, 64, 65, 127, 128, 199]);
        let b = set(200, &[1, 64, 100, 199]);
        let mut u = a.clone();
        u.union_with(&b);
        assert_eq!(u.count(), 9);
        assert!(u.contains(100) && u.contains(0) && !u.contains(2));
        let mut i = a.clone();
        i.intersect_with(&b);
        assert_eq!(i, set(200, &[1, 64, 199]));
        assert_eq!(a.count_common(&b), 3);
        assert!(!a.contains(500), "beyond the end is simply absent");
        let mut edge = set(64, &[63]);
        edge.insert(64);
        assert_eq!(edge.count(), 1, "inserting beyond the end is ignored");
    }
}
