//! Simulators: traffic the project generates itself, for demos, tests and
//! benchmarks.

pub mod fix_sample;
