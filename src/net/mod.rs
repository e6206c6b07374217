//! I/O shells: sockets and timers around the sans-IO sessions of `fixgate-core`.

pub mod acceptor;
pub mod feed;
