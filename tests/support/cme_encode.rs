//! The MDP 3.0 test encoder lives in the library (`src/sim/cme_encode.rs`,
//! also used by `fixgate sample cme`); root tests and benches reach it here.

#![allow(
    unused_imports,
    reason = "each test binary uses part of the support code"
)]

pub use fixgate::sim::cme_encode::*;
