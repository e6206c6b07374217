//! The command-line tools behind `fixgate decode` and `fixgate bench`, as library
//! functions over readers and writers so that tests drive them directly.

pub mod bench_fix_parse;
pub mod bench_ring_latency;
mod cme_event_json;
mod cme_json;
pub mod decode_cme;
pub mod decode_cme_events;
pub mod decode_fix;
