//! fixgate's lock-free broadcast ring and seqlock cells: the workspace's only
//! `unsafe` code.
//!
//! ```text
//!  normalizer ──► Producer ──► slots[cap] ──► Blocking (in place, never passed)
//!      │                            └───────► Lossy (copies via stamps, may be lapped)
//!      └──► CellWriter ──► SeqlockCell per instrument ──► CellReader (any thread)
//! ```
//!
//! - [`broadcast`]: one producer, blocking and lossy subscribers, batched reads,
//!   subscribers joining and leaving at run time, no allocation after
//!   construction, no locks. Its module docs give the memory-ordering argument.
//! - [`seqlock`]: the board's cells: one writer, many readers that never see a
//!   torn value.
//! - [`wait`]: spin, spin-then-yield, spin-yield-park; the ring never wakes a
//!   thread, so publishing makes no system call.
//! - [`CachePadded`]: cursors on their own cache lines.
//! - `alloc_count` (feature `alloc-count`): the thread-local counting global
//!   allocator that no-allocation tests install.
//!
//! Values are copied with word-sized atomics, never with racy plain copies, so
//! Miri and loom check even the overlapping reads; the price is that `T` must
//! have no padding bytes (see the `payload` module's docs).
//!
//! Checking: `cargo +nightly miri test -p fixgate-ring` runs the tests under
//! Miri (smaller sizes under `cfg(miri)`); `RUSTFLAGS="--cfg loom" cargo test -p
//! fixgate-ring --release --test loom` runs the loom models (`tests/loom.rs`),
//! with loom's atomics swapped in by `sync`.
//!
//! Every `unsafe` block carries a `// SAFETY:` comment; every other crate of the
//! workspace forbids or denies `unsafe_code`.
#![deny(missing_docs)]

#[cfg(feature = "alloc-count")]
pub mod alloc_count;
pub mod broadcast;
mod pad;
mod payload;
pub mod seqlock;
mod sync;
pub mod wait;

pub use broadcast::{
    channel, Blocking, Closed, ConfigError, JoinError, Lossy, LossyBatch, Producer, ProducerStats,
    Received, RingConfig, RingFull, Subscribers,
};
pub use pad::CachePadded;
pub use seqlock::{cells, CellReader, CellWriter, OutOfRange, SeqlockCell};
pub use wait::{WaitStrategy, Waiter};
