//! The `fixgate` command line (being written).
fn main() {}
