//! Simulators: traffic the project generates itself, for demos, tests and
//! benchmarks.

pub mod fix_sample;

pub mod cme_encode;
pub mod cme_encode_recovery;
pub mod cme_sample;
