//! fixgate-core: the sans-IO heart of fixgate.
//!
//! ```text
//!  bytes + timestamp ──► fixgate-core ──► actions / events / bytes to send
//!                         ├─ time      UtcNanos, MonoNanos, Clock (the only clock reader)
//!                         ├─ types     Price (i64 at 1e-9), Qty, Side, ids
//!                         ├─ event     the 64-byte normalized Event
//!                         ├─ counters  per-thread counters, read from anywhere
//!                         ├─ fix       framing, zero-copy messages, groups,
//!                         │            dictionaries, validation, encoder
//!                         ├─ session   the FIX session engine (sans-IO), message store trait
//!                         ├─ md        CME MDP 3.0 zero-copy views, a generic SBE
//!                         │            interpreter, captured-frame dissection
//!                         ├─ normalize A/B arbitration, instrument registry, MBP/MBO books,
//!                         │            statistics, event assembly (LAST at venue-event ends)
//!                         ├─ board     per-instrument seqlocked snapshots for any thread
//!                         ├─ strategy  the Strategy trait, intents, built-in strategies
//!                         ├─ latency   per-stage, per-venue histograms (no allocation)
//!                         └─ dbn       DBN (Databento) encoder for recordings
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
pub mod dbn;
pub mod event;
pub mod fix;
pub mod latency;
pub mod md;
pub mod normalize;
pub mod session;
pub mod strategy;
pub mod time;
pub mod types;
