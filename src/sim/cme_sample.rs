//! A generated CME incremental feed, for `fixgate sample cme`, the replay
//! tests and the replay bench: `instruments` futures (no definitions: replay
//! defines unknown instruments with placeholder books), each with a two-sided
//! book five levels deep built at the start, then `packets` packets of level
//! changes and trades, with `MsgSeqNum` from 1 and every instrument's `RptSeq`
//! contiguous, so that a channel joining at the start applies everything (no
//! snapshot needed). Deterministic: an xorshift generator from the seed.
//!
//! [`write_ab_capture`] writes the packets as a pcap on both lines of one
//! channel, and [`REPLAY_TOML`] is the replay configuration that maps them
//! (lines A and B, a `market_maker` on the first instrument, a
//! `latency_probe`).

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddrV4};

use fixgate_core::time::UtcNanos;

use super::cme_encode::{book46, packet, trade48, Level, Trade};
use crate::net::pcap::{CaptureWriteError, UdpPcapWriter};

/// The multicast group the sample's datagrams are addressed to (never sent:
/// only written into the capture).
pub const GROUP: Ipv4Addr = Ipv4Addr::new(239, 255, 7, 1);
/// Line A's destination port.
pub const PORT_A: u16 = 14310;
/// Line B's destination port.
pub const PORT_B: u16 = 15310;
/// The first capture time (2026-03-16 14:30:00 UTC).
pub const T0_NS: u64 = 1_773_671_400_000_000_000;

/// The replay configuration for a capture from [`write_ab_capture`].
pub const REPLAY_TOML: &str = r#"# fixgate replay configuration for `fixgate sample cme`
[replay]
channel = 310

[[replay.line]]
address = "239.255.7.1"
port = 14310
line = "A"
feed = "incremental"

[[replay.line]]
address = "239.255.7.1"
port = 15310
line = "B"
feed = "incremental"

[[strategy]]
name = "market_maker"
subscribe = [{ ring = "cme", mode = "blocking" }]
[strategy.params]
instrument_id = 100001
tick_e9 = 250000000
half_spread_ticks = 2
size_lots = 3
max_position_lots = 10
skew_ticks_per_lot = 1
requote_threshold_ticks = 1

[[strategy]]
name = "latency_probe"
subscribe = [{ ring = "cme", mode = "blocking" }]
"#;

/// Writes `payloads` as a pcap to `out`, each on both lines (A first for even
/// packets, B first for odd ones), packets 10 µs apart and the copies 1 µs
/// apart. Returns `out` (flush it if it buffers) and the datagrams written.
///
/// # Errors
/// [`CaptureWriteError`] from the writer.
pub fn write_ab_capture<W: Write>(
    out: W,
    payloads: &[Vec<u8>],
) -> Result<(W, u64), CaptureWriteError> {
    let mut w = UdpPcapWriter::new(out)?;
    let src = SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 1), 5000);
    for (i, p) in payloads.iter().enumerate() {
        let t = T0_NS + i as u64 * 10_000;
        let (first, second) = if i % 2 == 0 {
            (PORT_A, PORT_B)
        } else {
            (PORT_B, PORT_A)
        };
        w.write_datagram(
            UtcNanos::from_nanos(t),
            src,
            SocketAddrV4::new(GROUP, first),
            p,
        )?;
        w.write_datagram(
            UtcNanos::from_nanos(t + 1_000),
            src,
            SocketAddrV4::new(GROUP, second),
            p,
        )?;
    }
    let written = w.written();
    Ok((w.finish(), written))
}

/// `EndOfEvent` in `MatchEventIndicator`.
const END: u8 = 0x80;
/// The price grid (0.25) and the books' starting mid (4,000.00), in 1e-9.
const TICK_E9: i64 = 250_000_000;
const MID_E9: i64 = 4_000_000_000_000;

/// The first security id.
pub const FIRST_ID: i32 = 100_001;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// The packets (incremental feed, `MsgSeqNum` 1..): `instruments` books
/// (one packet each) then `packets` packets of changes and trades.
pub fn generate(instruments: usize, packets: usize, seed: u64) -> Vec<Vec<u8>> {
    let mut rng = Rng(seed | 1);
    let mut rpt = vec![0u32; instruments];
    let mut out = Vec::with_capacity(instruments + packets);
    let mut seq = 0u32;
    let mut t = 1_773_671_400_000_000_000u64;
    let next_rpt = |rpt: &mut Vec<u32>, i: usize| {
        rpt[i] += 1;
        rpt[i]
    };
    // The books: five levels a side per instrument, one packet each.
    for i in 0..instruments {
        let id = FIRST_ID + i as i32;
        let mut levels = Vec::with_capacity(10);
        for level in 1..=5u8 {
            for (entry_type, sign) in [(b'0', -1), (b'1', 1)] {
                levels.push(Level {
                    security_id: id,
                    rpt_seq: next_rpt(&mut rpt, i),
                    entry_type,
                    action: 0,
                    level,
                    px_e9: MID_E9 + sign * i64::from(level) * TICK_E9,
                    size: 10 * i32::from(level),
                    orders: i32::from(level),
                });
            }
        }
        seq += 1;
        t += 10_000;
        out.push(packet(seq, t, &[book46(t, END, &levels, &[])]));
    }
    // Then changes of sizes at random levels, and now and then a trade.
    for _ in 0..packets {
        let i = (rng.next() % instruments as u64) as usize;
        let id = FIRST_ID + i as i32;
        seq += 1;
        t += 1_000 + rng.next() % 50_000;
        let r = rng.next();
        let msg = if r.is_multiple_of(8) {
            let trade = Trade {
                security_id: id,
                rpt_seq: next_rpt(&mut rpt, i),
                px_e9: MID_E9 + TICK_E9,
                size: 1 + ((r >> 8) % 5) as i32,
                orders: 1,
                aggressor: 1,
                action: 0,
                trade_id: seq,
            };
            trade48(t, END, &[trade], &[])
        } else {
            let level = 1 + ((r >> 8) % 5) as u8;
            let (entry_type, sign) = if (r >> 16) & 1 == 0 {
                (b'0', -1)
            } else {
                (b'1', 1)
            };
            let change = Level {
                security_id: id,
                rpt_seq: next_rpt(&mut rpt, i),
                entry_type,
                action: 1,
                level,
                px_e9: MID_E9 + sign * i64::from(level) * TICK_E9,
                size: 1 + ((r >> 24) % 200) as i32,
                orders: 1 + ((r >> 32) % 9) as i32,
            };
            book46(t, END, &[change], &[])
        };
        out.push(packet(seq, t, &[msg]));
    }
    out
}
