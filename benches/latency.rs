//! placeholder while the latency bench is written
fn main() {}
