//! A seeded FIX 4.4 sample session: what `fixgate sample fix` writes and the
//! README's first command decodes.
//!
//! The stream is a venue's side of a market-data and order-entry session on the
//! flagship compute futures (GPU-hour futures, USD per GPU-hour): Logon, market
//! data snapshots (W, 5 levels a side) and incremental refreshes (X), orders (D)
//! and their execution reports (8), heartbeats, and, unless disabled, one
//! message with a corrupted checksum so that a reader sees an error line too.
//! Every message is built with fixgate's own encoder, so the sample also shows
//! the encoder at work. Same seed, same bytes.

use fixgate_core::fix::encode::{Encoder, HeaderTemplate};
use fixgate_core::fix::{MsgType, Tag};
use fixgate_core::time::UtcNanos;
use fixgate_core::types::Price;

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SampleConfig {
    /// Messages after the Logon.
    pub count: usize,
    /// RNG seed.
    pub seed: u64,
    /// Whether to corrupt one message's checksum.
    pub with_bad_message: bool,
}

impl Default for SampleConfig {
    fn default() -> Self {
        SampleConfig {
            count: 1000,
            seed: 7,
            with_bad_message: true,
        }
    }
}

/// A small xorshift generator: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const SYMBOLS: &[&str] = &["GPUH6", "GPUM6", "GPUU6"];
/// Tick of the GPU-hour futures: $0.005 per GPU-hour.
const TICK_E9: i64 = 5_000_000;

/// Generates the sample stream.
pub fn generate(cfg: SampleConfig) -> Vec<u8> {
    let mut rng = Rng(cfg.seed.max(1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut header = HeaderTemplate::new("FIX.4.4", "CMEVENUE", "FIXGATE");
    let mut out = Vec::with_capacity(cfg.count * 300);
    let mut buf = vec![0u8; 4096];
    // 2026-06-01 13:30:00 UTC, the session's start.
    let mut now = UtcNanos::from_nanos(1_780_320_600_000_000_000);
    let mut mid = [2_250_000_000i64, 2_310_000_000, 2_355_000_000];
    let bad_at = if cfg.with_bad_message {
        cfg.count / 2
    } else {
        usize::MAX
    };

    let mut e = header.start(&mut buf, MsgType::LOGON, 1, now, &[]);
    e.uint(Tag(98), 0);
    e.uint(Tag(108), 30);
    out.extend_from_slice(e.finish().expect("sample buffer is large enough"));

    let mut order_id = 0u64;
    for i in 0..cfg.count {
        let seq = i as u64 + 2;
        now = now.saturating_add_nanos(rng.below(2_000_000) + 1_000);
        let s = rng.below(SYMBOLS.len() as u64) as usize;
        let symbol = SYMBOLS[s].as_bytes();
        mid[s] += (rng.below(5) as i64 - 2) * TICK_E9;
        let roll = rng.below(100);
        let e = if roll < 10 {
            snapshot(
                header.start(&mut buf, MsgType::MARKET_DATA_SNAPSHOT, seq, now, &[]),
                symbol,
                mid[s],
                &mut rng,
            )
        } else if roll < 80 {
            incremental(
                header.start(&mut buf, MsgType::MARKET_DATA_INCREMENTAL, seq, now, &[]),
                symbol,
                mid[s],
                &mut rng,
            )
        } else if roll < 88 {
            order_id += 1;
            let mut e = header.start(&mut buf, MsgType::NEW_ORDER_SINGLE, seq, now, &[]);
            e.field(Tag(11), format!("ORD{order_id}").as_bytes());
            e.char(Tag(21), b'1');
            e.uint(Tag(38), 1 + rng.below(20));
            e.char(Tag(40), b'2');
            e.price(Tag(44), Price::from_e9(mid[s] - TICK_E9));
            e.char(Tag(54), b'1');
            e.field(Tag(55), symbol);
            e.field(Tag(60), b"20260601-13:30:00.000");
            e
        } else if roll < 96 {
            let mut e = header.start(&mut buf, MsgType::EXECUTION_REPORT, seq, now, &[]);
            e.field(Tag(6), b"0");
            e.field(Tag(11), format!("ORD{}", order_id.max(1)).as_bytes());
            e.uint(Tag(14), 0);
            e.field(Tag(17), format!("EX{seq}").as_bytes());
            e.field(Tag(37), format!("V{}", order_id.max(1)).as_bytes());
            e.char(Tag(39), b'0');
            e.char(Tag(54), b'1');
            e.field(Tag(55), symbol);
            e.char(Tag(150), b'0');
            e.uint(Tag(151), 5);
            e
        } else {
            header.start(&mut buf, MsgType::HEARTBEAT, seq, now, &[])
        };
        let msg = e.finish().expect("sample buffer is large enough");
        let at = out.len();
        out.extend_from_slice(msg);
        if i == bad_at {
            // Corrupt the checksum's last digit.
            let last = out.len() - 2;
            out[last] = if out[last] == b'9' {
                b'0'
            } else {
                out[last] + 1
            };
        }
        debug_assert!(out.len() > at);
    }
    out
}

fn snapshot<'b>(mut e: Encoder<'b>, symbol: &[u8], mid: i64, rng: &mut Rng) -> Encoder<'b> {
    e.field(Tag(55), symbol);
    e.field(Tag(262), b"MDR1");
    e.uint(Tag(268), 10);
    for side in [b'0', b'1'] {
        for level in 1..=5i64 {
            let px = if side == b'0' {
                mid - level * TICK_E9
            } else {
                mid + level * TICK_E9
            };
            e.char(Tag(269), side);
            e.price(Tag(270), Price::from_e9(px));
            e.uint(Tag(271), 1 + rng.below(50));
            e.uint(Tag(290), level as u64);
        }
    }
    e
}

fn incremental<'b>(mut e: Encoder<'b>, symbol: &[u8], mid: i64, rng: &mut Rng) -> Encoder<'b> {
    let n = 1 + rng.below(3);
    e.field(Tag(262), b"MDR1");
    e.uint(Tag(268), n);
    for _ in 0..n {
        let side = if rng.below(2) == 0 { b'0' } else { b'1' };
        let level = 1 + rng.below(5) as i64;
        let px = if side == b'0' {
            mid - level * TICK_E9
        } else {
            mid + level * TICK_E9
        };
        e.char(Tag(279), b'1');
        e.char(Tag(269), side);
        e.field(Tag(55), symbol);
        e.price(Tag(270), Price::from_e9(px));
        e.uint(Tag(271), 1 + rng.below(50));
        e.uint(Tag(290), level as u64);
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use fixgate_core::fix::dictionary::fixgate44;
    use fixgate_core::fix::{FieldIndex, FrameItem, Framer, Validator};

    #[test]
    fn sample_is_deterministic_and_valid_but_for_the_bad_one() {
        let cfg = SampleConfig {
            count: 500,
            seed: 3,
            with_bad_message: true,
        };
        let a = generate(cfg);
        assert_eq!(a, generate(cfg));
        let dict = fixgate44();
        let v = Validator::new(&dict);
        let mut f = Framer::new(1 << 16);
        assert_eq!(f.handle_input(&a), a.len());
        let (mut ok, mut bad) = (0, 0);
        let mut ix = FieldIndex::<128>::new();
        while let Some(item) = f.poll_frame() {
            match item {
                FrameItem::Message { bytes, .. } => {
                    let m = ix.index(bytes).unwrap();
                    v.validate(&m)
                        .unwrap_or_else(|e| panic!("{e:?} in {}", String::from_utf8_lossy(bytes)));
                    ok += 1;
                }
                FrameItem::Invalid { .. } => bad += 1,
            }
        }
        assert_eq!((ok, bad), (500, 1));
    }
}
