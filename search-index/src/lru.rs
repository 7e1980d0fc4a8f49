//! A map under a memory budget that drops the least recently used entries first, for the
//! caches whose entries are costly to rebuild but not needed forever.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

pub struct BudgetLru<K, V> {
    entries: HashMap<K, Entry<V>>,
    bytes: usize,
    budget: usize,
    clock: u64,
}

struct Entry<V> {
    used: u64,
    bytes: usize,
    value: Arc<V>,
}

impl<K: Hash + Eq + Clone, V> BudgetLru<K, V> {
    pub fn new(budget: usize) -> Self {
        Self {
            entries: HashMap::new(),
            bytes: 0,
            budget,
            clock: 0,
        }
    }

    pub fn get(&mut self, key: &K) -> Option<Arc<V>> {
        self.clock += 1;
        let now = self.clock;
        self.entries.get_mut(key).map(|e| {
            e.used = now;
            e.value.clone()
        })
    }

    /// Keeps `value`, which occupies `bytes`; over the budget, the least recently used
    /// entries go until a quarter of it is free again (so that eviction, which sorts, is rare).
    pub fn insert(&mut self, key: K, value: Arc<V>, bytes: usize) {
        self.clock += 1;
        let entry = Entry {
            used: self.clock,
            bytes,
            value,
        };
        self.bytes += bytes;
        if let Some(old) = self.entries.insert(key, entry) {
            self.bytes -= old.bytes;
        }
        if self.bytes > self.budget {
            self.evict_to(self.budget * 3 / 4);
        }
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&K) -> bool) {
        self.entries.retain(|k, _| keep(k));
        self.bytes = self.entries.values().map(|e| e.bytes).sum();
    }

    #[cfg(test)]
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    fn evict_to(&mut self, target: usize) {
        let mut by_age: Vec<(u64, K)> = self
            .entries
            .iter()
            .map(|(k, e)| (e.used, k.clone()))
            .collect();
        by_age.sort_unstable_by_key(|(used, _)| *used);
        for (_, key) in by_age {
            if self.bytes <= target {
                break;
            }
            if let Some(e) = self.entries.remove(&key) {
                self.bytes -= e.bytes;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_within_its_budget_dropping_the_least_recently_used() {
        let mut lru = BudgetLru::new(10 << 20);
        for i in 0..40u8 {
            lru.insert(i, Arc::new(()), 1 << 20);
            // Entry 0 is read all along, so it stays although it is the oldest.
            assert!(lru.get(&0).is_some());
            assert!(lru.bytes() <= 10 << 20);
        }
        assert!(lru.get(&39).is_some(), "newest kept");
        assert!(lru.get(&0).is_some(), "recently read kept");
        assert!(lru.get(&1).is_none(), "least recently used dropped");
    }

    #[test]
    fn replacing_an_entry_counts_its_bytes_once() {
        let mut lru = BudgetLru::new(100);
        lru.insert("a", Arc::new(1), 40);
        lru.insert("a", Arc::new(2), 30);
        assert_eq!(lru.bytes(), 30);
        assert_eq!(lru.get(&"a").as_deref(), Some(&2));
        lru.retain(|_| false);
        assert_eq!(lru.bytes(), 0);
    }
}
