//! fixgate's lock-free broadcast ring and seqlock cells.
//!
//! This crate is fixgate's unsafe quarantine: every other crate of the workspace
//! forbids or denies `unsafe`. The broadcast ring (one producer, blocking and lossy
//! subscribers) and the board's seqlock cells land here with the ring issue; they
//! will be checked with loom (under `--cfg loom`) and Miri.
//!
//! What is here today:
//! - [`alloc_count`] (feature `alloc-count`): a thread-local counting global
//!   allocator that the no-allocation tests of the hot paths install.
#![deny(missing_docs)]

#[cfg(feature = "alloc-count")]
pub mod alloc_count;
