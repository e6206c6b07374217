//! Captures for the replay tests: datagrams written as a pcap with
//! fixgate's own writer, to chosen destination ports (one port per line and
//! feed), and the configuration that maps those ports.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use std::net::{Ipv4Addr, SocketAddrV4};
use std::path::{Path, PathBuf};

use fixgate::net::pcap::UdpPcapWriter;
use fixgate_core::time::UtcNanos;

/// The group every test datagram is sent to.
pub const GROUP: Ipv4Addr = Ipv4Addr::new(239, 255, 7, 1);
/// Line A's port.
pub const PORT_A: u16 = 14310;
/// Line B's port.
pub const PORT_B: u16 = 15310;
/// The first capture time.
pub const T0_NS: u64 = 1_773_671_400_000_000_000;

/// One datagram: capture time, destination port, payload.
pub type Datagram = (u64, u16, Vec<u8>);

/// Writes `datagrams` to `path` as a pcap.
pub fn write_capture(path: &Path, datagrams: &[Datagram]) {
    let file = std::fs::File::create(path).expect("create capture");
    let mut w = UdpPcapWriter::new(std::io::BufWriter::new(file)).expect("pcap header");
    let src = SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 1), 5000);
    for (ts, port, payload) in datagrams {
        w.write_datagram(
            UtcNanos::from_nanos(*ts),
            src,
            SocketAddrV4::new(GROUP, *port),
            payload,
        )
        .expect("write datagram");
    }
    use std::io::Write;
    w.finish().flush().expect("flush capture");
}

/// `payloads` on line A only, 10 µs apart.
pub fn line_a(payloads: &[Vec<u8>]) -> Vec<Datagram> {
    payloads
        .iter()
        .enumerate()
        .map(|(i, p)| (T0_NS + i as u64 * 10_000, PORT_A, p.clone()))
        .collect()
}

/// Every payload on both lines, 1 µs apart, A first for even packets and B
/// first for odd ones.
pub fn both_lines(payloads: &[Vec<u8>]) -> Vec<Datagram> {
    let mut out = Vec::with_capacity(payloads.len() * 2);
    for (i, p) in payloads.iter().enumerate() {
        let t = T0_NS + i as u64 * 10_000;
        let (first, second) = if i.is_multiple_of(2) {
            (PORT_A, PORT_B)
        } else {
            (PORT_B, PORT_A)
        };
        out.push((t, first, p.clone()));
        out.push((t + 1_000, second, p.clone()));
    }
    out
}

/// The `[replay]` table mapping [`PORT_A`] and [`PORT_B`] (feeds guessed).
pub const LINES_TOML: &str = r#"
[replay]
[[replay.line]]
address = "239.255.7.1"
port = 14310
line = "A"
[[replay.line]]
address = "239.255.7.1"
port = 15310
line = "B"
"#;

/// A fresh scratch directory under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}
