//! The command-line tools behind `fixgate decode` and `fixgate bench`, as library
//! functions over readers and writers so that tests drive them directly.

pub mod bench_fix_parse;
pub mod bench_ring_latency;
pub mod decode_fix;
