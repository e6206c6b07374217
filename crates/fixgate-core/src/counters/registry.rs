//! The registry that collects every thread's block, and its snapshots.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use super::{CounterBlock, CounterError, CounterId, CounterWriter};

/// One block's counters at one instant (each counter read once, relaxed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockSnapshot {
    /// The block's name.
    pub block: String,
    /// Counter names and values, in id order.
    pub counters: Vec<(String, u64)>,
}

impl BlockSnapshot {
    /// The value of the counter called `name`.
    pub fn get(&self, name: &str) -> Option<u64> {
        self.counters
            .iter()
            .find(|(n, _)| n == name)
            .map(|&(_, v)| v)
    }
}

/// Collects every thread's counter block so that one reader can see them all.
///
/// Registration locks a mutex and allocates: do it at start-up (or when a thread
/// starts), never on a hot path. Blocks stay registered for the registry's life,
/// so totals keep the counts of threads that have ended; a restarted thread that
/// registers the same block name again gets a new block, and totals sum both.
#[derive(Debug, Default)]
pub struct CounterRegistry {
    blocks: Mutex<Vec<Arc<CounterBlock>>>,
}

impl CounterRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Creates a block of zeroed counters, registers it, and returns its writer.
    ///
    /// # Errors
    /// [`CounterError`] when a name repeats or there are more than 65,536 counters.
    pub fn register(
        &self,
        block_name: &str,
        counter_names: &[&str],
    ) -> Result<CounterWriter, CounterError> {
        let writer = CounterWriter::new(block_name, counter_names)?;
        self.lock().push(writer.block());
        Ok(writer)
    }

    /// The registered blocks, in registration order.
    pub fn blocks(&self) -> Vec<Arc<CounterBlock>> {
        self.lock().clone()
    }

    /// A snapshot of every block, in registration order.
    pub fn snapshot(&self) -> Vec<BlockSnapshot> {
        self.lock().iter().map(|b| b.snapshot()).collect()
    }

    /// Counter name → the sum of that counter over every block that has it.
    pub fn totals(&self) -> BTreeMap<String, u64> {
        let mut totals = BTreeMap::new();
        for block in self.lock().iter() {
            for (i, name) in block.counter_names().enumerate() {
                let value = block.load(CounterId::new(i as u16));
                let total = totals.entry(name.to_owned()).or_insert(0u64);
                *total = total.wrapping_add(value);
            }
        }
        totals
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Arc<CounterBlock>>> {
        // A panic while holding the lock cannot leave the Vec half-updated (push
        // and clone only), so a poisoned lock is still good to use.
        self.blocks.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_and_reader_threads() {
        const N: u64 = 1_000_000;
        let registry = CounterRegistry::new();
        let w = registry.register("feed", &["packets", "bytes"]).unwrap();
        let (packets, bytes) = (w.id("packets").unwrap(), w.id("bytes").unwrap());
        let block = w.block();
        let writer = std::thread::spawn(move || {
            for _ in 0..N {
                w.bump(packets);
                w.add(bytes, 3);
            }
        });
        // Read while the writer runs: each counter only ever grows.
        let mut last = (0, 0);
        while !writer.is_finished() {
            let snap = registry.snapshot();
            let now = (
                snap[0].get("packets").unwrap(),
                snap[0].get("bytes").unwrap(),
            );
            assert!(now.0 >= last.0 && now.1 >= last.1, "{now:?} after {last:?}");
            assert!(now.0 <= N && now.1 <= 3 * N);
            last = now;
        }
        writer.join().unwrap();
        assert_eq!(block.load(packets), N);
        assert_eq!(registry.totals()["bytes"], 3 * N);
    }

    #[test]
    fn registry_merges_blocks_by_counter_name() {
        let registry = CounterRegistry::new();
        let a = registry.register("feed-a", &["packets", "gaps"]).unwrap();
        let b = registry
            .register("feed-b", &["gaps", "packets", "dups"])
            .unwrap();
        let gaps_b = b.id("gaps").unwrap();
        let a = std::thread::spawn(move || {
            a.add(CounterId::new(0), 10);
            a.bump(CounterId::new(1));
        });
        std::thread::spawn(move || {
            b.add(gaps_b, 2);
            b.add(CounterId::new(1), 5);
        })
        .join()
        .unwrap();
        a.join().unwrap(); // the writer is gone; its counts stay
        let totals = registry.totals();
        assert_eq!(totals.len(), 3);
        assert_eq!(totals["packets"], 15);
        assert_eq!(totals["gaps"], 3);
        assert_eq!(totals["dups"], 0);
        let snap = registry.snapshot();
        assert_eq!(snap.len(), 2);
        assert_eq!(snap[1].block, "feed-b");
        assert_eq!(
            snap[1].counters,
            [
                ("gaps".into(), 2),
                ("packets".into(), 5),
                ("dups".into(), 0)
            ]
        );
        assert_eq!(registry.blocks()[0].name(), "feed-a");
    }
}
