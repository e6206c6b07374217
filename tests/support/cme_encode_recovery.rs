//! The encoder's snapshot and definition messages live in the library
//! (`src/sim/cme_encode_recovery.rs`); root tests and benches reach them here.

#![allow(
    unused_imports,
    reason = "each test binary uses part of the support code"
)]

pub use fixgate::sim::cme_encode_recovery::*;
