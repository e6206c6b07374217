//! A block of counters: the single writer's handle and the shared, readable side.

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;

use super::{BlockSnapshot, CounterError, CounterId};

/// Counters per [`Line`]: 16 × 8 bytes = 128 bytes.
const PER_LINE: usize = 16;

/// A pair of cache lines of counters. 128-byte alignment keeps other data off the
/// lines a writer stores to, including the neighbour that the adjacent-line
/// prefetcher of x86 pulls in with each line.
#[repr(align(128))]
struct Line([AtomicU64; PER_LINE]);

impl Line {
    fn new() -> Self {
        Line(std::array::from_fn(|_| AtomicU64::new(0)))
    }
}

/// The shared, readable side of a block of counters.
///
/// Only its [`CounterWriter`] changes it; everyone else reads through an
/// `Arc<CounterBlock>`. Values outlive the writer: a block dropped by its thread
/// keeps its final counts for the registry.
pub struct CounterBlock {
    name: String,
    names: Box<[String]>,
    lines: Box<[Line]>,
}

impl CounterBlock {
    pub(super) fn new(name: &str, counter_names: &[&str]) -> Result<Self, CounterError> {
        let max = usize::from(u16::MAX) + 1;
        if counter_names.len() > max {
            return Err(CounterError::TooMany {
                max,
                have: counter_names.len(),
            });
        }
        for (index, name) in counter_names.iter().enumerate() {
            if counter_names[..index].contains(name) {
                return Err(CounterError::DuplicateName { index });
            }
        }
        let lines = counter_names.len().div_ceil(PER_LINE);
        Ok(CounterBlock {
            name: name.to_owned(),
            names: counter_names.iter().map(|n| (*n).to_owned()).collect(),
            lines: (0..lines).map(|_| Line::new()).collect(),
        })
    }

    #[inline]
    fn cell(&self, id: CounterId) -> Option<&AtomicU64> {
        if id.index() >= self.names.len() {
            return None;
        }
        let line = self.lines.get(id.index() / PER_LINE)?;
        Some(&line.0[id.index() % PER_LINE])
    }

    /// The block's name (usually the owning thread's role, `feed-cme-a`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The number of counters.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the block has no counters.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The counter names, in id order.
    pub fn counter_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.names.iter().map(String::as_str)
    }

    /// The id of the counter called `name`.
    pub fn id(&self, name: &str) -> Option<CounterId> {
        let index = self.names.iter().position(|n| n == name)?;
        u16::try_from(index).ok().map(CounterId::new)
    }

    /// The current value of a counter (0 for an id outside the block).
    #[inline]
    pub fn load(&self, id: CounterId) -> u64 {
        self.cell(id).map_or(0, |c| c.load(Relaxed))
    }

    /// Copies the current values into `out`, in id order, without allocating
    /// beyond `out`'s growth (reuse one `Vec` to poll without allocation).
    pub fn load_into(&self, out: &mut Vec<u64>) {
        out.clear();
        out.extend((0..self.names.len()).map(|i| self.load(CounterId::new(i as u16))));
    }

    /// The block's name with each counter's name and current value.
    pub fn snapshot(&self) -> BlockSnapshot {
        BlockSnapshot {
            block: self.name.clone(),
            counters: (0..self.names.len())
                .map(|i| (self.names[i].clone(), self.load(CounterId::new(i as u16))))
                .collect(),
        }
    }
}

impl fmt::Debug for CounterBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (i, name) in self.names.iter().enumerate() {
            map.entry(name, &self.load(CounterId::new(i as u16)));
        }
        map.finish()
    }
}

/// The owning thread's handle to its block: the only way to change the counters.
///
/// Not `Clone` and not `Sync`, so there is exactly one writer (the thread the
/// handle was moved to) and a bump needs no atomic read-modify-write: a relaxed
/// load, an add and a relaxed store. It is `Send`, so it can be created at
/// start-up and moved into the thread. Sharing one between threads does not
/// compile:
///
/// ```compile_fail
/// fn shared<T: Sync>(_: &T) {}
/// let w = fixgate_core::counters::CounterWriter::new("t", &["a"]).unwrap();
/// shared(&w);
/// ```
pub struct CounterWriter {
    block: Arc<CounterBlock>,
    /// `Cell` is `Send + !Sync`: the handle can move to a thread, not be shared.
    _single_writer: PhantomData<Cell<()>>,
}

impl CounterWriter {
    /// A standalone block of counters, all zero (use [`CounterRegistry::register`](super::CounterRegistry::register)
    /// to have it collected).
    ///
    /// # Errors
    /// [`CounterError`] when a name repeats or there are more than 65,536 counters.
    pub fn new(block_name: &str, counter_names: &[&str]) -> Result<Self, CounterError> {
        let block = Arc::new(CounterBlock::new(block_name, counter_names)?);
        Ok(CounterWriter {
            block,
            _single_writer: PhantomData,
        })
    }

    /// The id of the counter called `name` (look it up once, before the hot loop).
    pub fn id(&self, name: &str) -> Option<CounterId> {
        self.block.id(name)
    }

    /// Adds one.
    #[inline]
    pub fn bump(&self, id: CounterId) {
        self.add(id, 1);
    }

    /// Adds `n` (wrapping, which at one count per nanosecond takes 584 years).
    ///
    /// An id outside the block is a programming error: it panics in debug builds
    /// and is ignored in release builds (a hot path never panics over a counter).
    #[inline]
    pub fn add(&self, id: CounterId, n: u64) {
        match self.block.cell(id) {
            // Single writer: nobody else stores to this counter, so load + store
            // cannot lose an update, and no locked instruction is needed.
            Some(c) => c.store(c.load(Relaxed).wrapping_add(n), Relaxed),
            None => debug_assert!(
                false,
                "counter id {} outside block {}",
                id.0, self.block.name
            ),
        }
    }

    /// Sets a counter to `value` (for gauges such as a queue depth or ring lag).
    /// Out-of-block ids behave as in [`CounterWriter::add`].
    #[inline]
    pub fn set(&self, id: CounterId, value: u64) {
        match self.block.cell(id) {
            Some(c) => c.store(value, Relaxed),
            None => debug_assert!(
                false,
                "counter id {} outside block {}",
                id.0, self.block.name
            ),
        }
    }

    /// The current value of a counter (0 for an id outside the block).
    #[inline]
    pub fn get(&self, id: CounterId) -> u64 {
        self.block.load(id)
    }

    /// A reader's handle to this block.
    pub fn block(&self) -> Arc<CounterBlock> {
        Arc::clone(&self.block)
    }
}

impl fmt::Debug for CounterWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CounterWriter")
            .field("block", &self.block.name)
            .field("counters", &*self.block)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bumps_adds_and_sets() {
        let w = CounterWriter::new("t", &["a", "b", "c"]).unwrap();
        let (a, b, c) = (w.id("a").unwrap(), w.id("b").unwrap(), w.id("c").unwrap());
        assert_eq!(w.id("nope"), None);
        w.bump(a);
        w.bump(a);
        w.add(b, 40);
        w.set(c, 7);
        w.set(c, 5);
        assert_eq!([w.get(a), w.get(b), w.get(c)], [2, 40, 5]);
        let block = w.block();
        assert_eq!(block.name(), "t");
        assert_eq!(block.len(), 3);
        assert_eq!(block.counter_names().collect::<Vec<_>>(), ["a", "b", "c"]);
        let snap = block.snapshot();
        assert_eq!(snap.get("b"), Some(40));
        assert_eq!(snap.get("z"), None);
        let mut values = Vec::new();
        block.load_into(&mut values);
        assert_eq!(values, [2, 40, 5]);
        assert_eq!(block.load(CounterId::new(3)), 0);
        assert_eq!(format!("{block:?}"), r#"{"a": 2, "b": 40, "c": 5}"#);
    }

    #[test]
    fn many_counters_span_lines() {
        let names: Vec<String> = (0..100).map(|i| format!("c{i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let w = CounterWriter::new("wide", &refs).unwrap();
        for i in 0..100u16 {
            w.add(CounterId::new(i), u64::from(i));
        }
        let block = w.block();
        assert_eq!(block.lines.len(), 7);
        for i in 0..100u16 {
            assert_eq!(block.load(CounterId::new(i)), u64::from(i));
        }
        assert_eq!(std::mem::align_of::<Line>(), 128);
        assert_eq!(std::mem::size_of::<Line>(), 128);
    }

    #[test]
    fn rejects_bad_blocks() {
        assert_eq!(
            CounterWriter::new("t", &["a", "b", "a"]).unwrap_err(),
            CounterError::DuplicateName { index: 2 }
        );
        let empty = CounterWriter::new("empty", &[]).unwrap();
        assert!(empty.block().is_empty());
    }
}
