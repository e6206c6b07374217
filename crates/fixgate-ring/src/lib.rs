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
//!   subscribers joining and leaving at run time, optional publish stamps (a
//!   clock reading per batch, stored in each slot), no allocation after
//!   construction, no locks. Its module docs give the memory-ordering argument.
//! - [`seqlock`]: the board's cells: one writer, many readers that never see a
//!   torn value.
//! - [`wait`]: spin, spin-then-yield, spin-yield-park; the ring never wakes a
//!   thread, so publishing makes no system call.
//! - [`element`]: [`RingPayload`], the element contract, and [`ring_payload!`].
//! - [`CachePadded`]: cursors on their own cache lines.
//! - `alloc_count` (feature `alloc-count`): the thread-local counting global
//!   allocator that no-allocation tests install.
//!
//! # Element types
//!
//! Any `T:` [`RingPayload`]: `Copy + Send + Sync`, **every byte initialised
//! (no padding) and none part of a pointer**. Values are stored and copied with
//! word-sized relaxed atomics, never with racy plain copies: a seqlock reader's
//! copy may overlap an overwrite (and is then thrown away), and with plain or
//! volatile copies that overlap is a data race, undefined behaviour even when
//! discarded. The atomics compile to the same `mov`s, and Miri and loom can
//! check the overlapping case. The price: storing reads `T`'s bytes as
//! integers, so padding bytes (uninitialised) would be read as uninitialised
//! integers, and pointers would come back without provenance: both undefined
//! behaviour. There is no sound way to copy an arbitrary `T` atomically in
//! stable Rust until bytewise atomic memcpy (RFC 3301).
//!
//! `RingPayload` is an `unsafe trait` so that the safe API cannot be handed a
//! type breaking this; [`ring_payload!`] implements it for a struct or a
//! fieldless enum after proving at compile time that every field is listed,
//! is itself a payload, and that the fields add up to the type's size (no
//! padding). The unsafe impl is written by this crate's macro, so crates that
//! forbid `unsafe_code` (fixgate-core declares its `Event` and board state this
//! way) never write `unsafe` themselves. [`element`] gives the argument and
//! compile-fail examples.
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
pub mod element;
mod pad;
mod payload;
pub mod seqlock;
mod sync;
pub mod wait;

pub use broadcast::{
    channel, Blocking, Closed, ConfigError, JoinError, Lossy, LossyBatch, Producer, ProducerStats,
    PublishClock, Received, RingConfig, RingFull, Subscribers,
};
pub use element::RingPayload;
pub use pad::CachePadded;
pub use seqlock::{cells, CellReader, CellWriter, OutOfRange, SeqlockCell};
pub use wait::{WaitStrategy, Waiter};
