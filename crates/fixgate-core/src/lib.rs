//! fixgate-core: the sans-IO heart of fixgate.
//!
//! ```text
//!  bytes + timestamp ──► fixgate-core ──► actions / events / bytes to send
//!                         ├─ time      UtcNanos, MonoNanos, Clock (the only clock reader)
//!                         ├─ types     Price (i64 at 1e-9), Qty, Side, ids
//!                         ├─ event     the 64-byte normalized Event
//!                         ├─ counters  per-thread counters, read from anywhere
//!                         ├─ latency   per-stage, per-venue histograms (no allocation)
//!                         ├─ board     per-instrument state in seqlock cells, any-thread reads
//!                         ├─ strategy  the Strategy trait, its host (catch_unwind), built-ins
//!                         └─ fix       framing, zero-copy messages, groups,
//!                                      dictionaries, validation, encoder
//! ```
//!
//! Nothing here touches a socket, a thread, a file or the wall clock (except
//! [`time`], which owns every clock read): the I/O shells of the root `fixgate`
//! crate feed bytes and time in and carry the results out. `unsafe_code` is
//! forbidden here; fixgate keeps such code in `fixgate-ring`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod board;
pub mod counters;
pub mod event;
pub mod fix;
pub mod latency;
pub mod session;
pub mod strategy;
pub mod time;
pub mod types;
