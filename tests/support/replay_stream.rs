//! The generated CME incremental feed lives in the library
//! (`src/sim/cme_sample.rs`, also `fixgate sample cme`); tests and the replay
//! bench reach it here.

#![allow(
    unused_imports,
    reason = "each test binary uses part of the support code"
)]

pub use fixgate::sim::cme_sample::{generate, FIRST_ID};
