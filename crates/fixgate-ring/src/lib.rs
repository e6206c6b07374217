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
//! # Element types
//!
//! Any `T: Copy + Send + Sync` **without padding bytes**. Values are stored and
//! copied with word-sized relaxed atomics, never with racy plain copies: a
//! seqlock reader's copy may overlap an overwrite (and is then thrown away), and
//! with plain or volatile copies that overlap is a data race, undefined behaviour
//! even when discarded. The atomics compile to the same `mov`s, and Miri and loom
//! can check the overlapping case. The price: storing reads `T`'s bytes as
//! integers, and padding bytes are uninitialised, so a padded `T` would be read
//! as uninitialised integers (undefined in the abstract machine; there is no
//! sound way to copy an arbitrary `T` atomically in stable Rust until bytewise
//! atomic memcpy, RFC 3301). fixgate's `Event` is `#[repr(C)]` with fields adding
//! up to its 64 bytes, so it has none; a wrapper struct with a `u8` next to a
//! `u64` would not qualify.
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
