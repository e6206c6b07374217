//! The encoder's snapshot and definition messages live in the library
//! (`src/sim/cme_encode_recovery.rs`); root tests and benches reach them here.

pub use fixgate::sim::cme_encode_recovery::*;
