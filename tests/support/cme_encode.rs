//! The MDP 3.0 test encoder lives in the library (`src/sim/cme_encode.rs`,
//! also used by `fixgate sample cme`); root tests and benches reach it here.

pub use fixgate::sim::cme_encode::*;
