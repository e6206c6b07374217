//! Per-thread counters that hot threads bump for about a nanosecond and any thread
//! can read.
//!
//! Each hot thread (a feed handler, the normalizer, a session) owns a
//! [`CounterWriter`]: a block of named `u64` counters that only it writes. A bump is
//! a relaxed load and a relaxed store to a cache line no other thread writes, so it
//! costs about what a plain increment does: no `lock`-prefixed instruction, no lock,
//! no allocation, and no cache line bouncing between writers. (A shared
//! `fetch_add` counter written by several threads costs tens to hundreds of
//! nanoseconds per bump under contention, which is the budget of a whole stage.)
//!
//! Readers (the control socket, the metrics endpoint, the end-of-run report) hold
//! the block through an [`Arc<CounterBlock>`](std::sync::Arc) and read it with relaxed loads. A
//! read sees each counter's value at some recent instant; counters of one block are
//! not read atomically together, and a counter is never torn. Each read pulls the
//! block's lines into a shared state, so the writer's next bump pays one cache miss:
//! read at human rates (a snapshot a second), not in a loop.
//!
//! A [`CounterRegistry`] collects the blocks at start-up (registration allocates;
//! bumping never does) and produces per-block snapshots and merged totals (counter
//! name → sum over blocks, e.g. `gaps` over every feed thread).
//!
//! ```
//! use fixgate_core::counters::{CounterId, CounterRegistry};
//!
//! // A thread's counters: names in a fixed order, ids as constants.
//! const NAMES: &[&str] = &["packets", "gaps"];
//! const PACKETS: CounterId = CounterId::new(0);
//! const GAPS: CounterId = CounterId::new(1);
//!
//! let registry = CounterRegistry::new();
//! let feed_a = registry.register("feed-cme-a", NAMES).unwrap();
//! let feed_b = registry.register("feed-cme-b", NAMES).unwrap();
//! std::thread::spawn(move || {
//!     feed_a.bump(PACKETS);
//!     feed_a.add(PACKETS, 2);
//!     feed_a.bump(GAPS);
//! })
//! .join()
//! .unwrap();
//! feed_b.bump(PACKETS);
//!
//! let totals = registry.totals();
//! assert_eq!(totals["packets"], 4);
//! assert_eq!(totals["gaps"], 1);
//! ```

mod block;
mod registry;

pub use block::{CounterBlock, CounterWriter};
pub use registry::{BlockSnapshot, CounterRegistry};

/// The position of a counter in its block (the order of the names given at
/// registration).
///
/// Ids are meant to be constants beside the list of names, or looked up once with
/// [`CounterWriter::id`] before the hot loop; a bump never searches by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CounterId(u16);

impl CounterId {
    /// The counter at `index` in its block's name list.
    pub const fn new(index: u16) -> Self {
        CounterId(index)
    }

    /// The index in the block's name list.
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// Why a block of counters cannot be created.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CounterError {
    /// Two counters of one block have the same name (the later one's index given).
    #[error("counter name at index {index} repeats an earlier one")]
    DuplicateName {
        /// The index of the repeated name.
        index: usize,
    },
    /// More counters than a [`CounterId`] can address.
    #[error("{have} counters in one block; at most {max}")]
    TooMany {
        /// The limit.
        max: usize,
        /// The number given.
        have: usize,
    },
}
