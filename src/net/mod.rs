//! I/O shells: sockets and timers around the sans-IO sessions of `fixgate-core`,
//! and capture files (pcap, pcapng) for decode and replay.

pub mod acceptor;
pub mod feed;
pub mod pcap;
