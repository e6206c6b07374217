//! One received datagram in a fixed-size ring slot: the feed thread copies
//! it in, the writer thread reads it out; no allocation on either side.
//!
//! | words | field |
//! |---:|---|
//! | 0 | receive time, UTC ns |
//! | 1 | payload length (low 16 bits), line (bits 16..24), source port (bits 32..48), destination port (bits 48..64) |
//! | 2 | source IPv4 (low 32 bits), destination IPv4 (high 32 bits) |
//! | 3.. | the payload, little-endian words, zero-padded |
//!
//! The slot is plain `u64`s so that the ring (which copies values with
//! word-sized atomics and needs types without padding: `ring_payload!`) can
//! carry it.

use std::net::{Ipv4Addr, SocketAddrV4};

use fixgate_core::normalize::arbiter::Line;
use fixgate_core::time::UtcNanos;

/// The longest payload a slot holds: an Ethernet MTU's UDP payload
/// (1500 − 20 − 8), which CME's packets stay under.
pub const MAX_PAYLOAD: usize = 1472;

const HEADER_WORDS: usize = 3;
const WORDS: usize = HEADER_WORDS + MAX_PAYLOAD / 8;

/// One datagram (see the [module docs](self)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct PacketSlot([u64; WORDS]);
fixgate_ring::ring_payload!(struct PacketSlot { 0: [u64; WORDS] });

/// A datagram as written to the capture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlotHeader {
    /// When it was received.
    pub ts_recv: UtcNanos,
    /// Its line.
    pub line: Line,
    /// The sender.
    pub src: SocketAddrV4,
    /// The receiving socket's address (the group for multicast).
    pub dst: SocketAddrV4,
}

impl PacketSlot {
    /// An empty slot.
    pub const EMPTY: PacketSlot = PacketSlot([0; WORDS]);

    /// Fills the slot with `payload` and its header; `false` (slot unchanged)
    /// when the payload is longer than [`MAX_PAYLOAD`].
    pub fn fill(&mut self, header: &SlotHeader, payload: &[u8]) -> bool {
        if payload.len() > MAX_PAYLOAD {
            return false;
        }
        self.0[0] = header.ts_recv.as_nanos();
        self.0[1] = payload.len() as u64
            | (header.line.index() as u64) << 16
            | u64::from(header.src.port()) << 32
            | u64::from(header.dst.port()) << 48;
        self.0[2] =
            u64::from(u32::from(*header.src.ip())) | u64::from(u32::from(*header.dst.ip())) << 32;
        let words = &mut self.0[HEADER_WORDS..];
        let mut chunks = payload.chunks(8);
        for w in words.iter_mut().take(payload.len().div_ceil(8)) {
            let mut b = [0u8; 8];
            if let Some(c) = chunks.next() {
                b[..c.len()].copy_from_slice(c);
            }
            *w = u64::from_le_bytes(b);
        }
        true
    }

    /// The header.
    pub fn header(&self) -> SlotHeader {
        let w1 = self.0[1];
        SlotHeader {
            ts_recv: UtcNanos::from_nanos(self.0[0]),
            line: if (w1 >> 16) & 0xff == 1 {
                Line::B
            } else {
                Line::A
            },
            src: SocketAddrV4::new(Ipv4Addr::from(self.0[2] as u32), (w1 >> 32) as u16),
            dst: SocketAddrV4::new(Ipv4Addr::from((self.0[2] >> 32) as u32), (w1 >> 48) as u16),
        }
    }

    /// Copies the payload into `out` (at least [`MAX_PAYLOAD`] bytes);
    /// returns its length.
    pub fn payload_into(&self, out: &mut [u8; MAX_PAYLOAD]) -> usize {
        let len = ((self.0[1] & 0xffff) as usize).min(MAX_PAYLOAD);
        for (i, w) in self.0[HEADER_WORDS..]
            .iter()
            .take(len.div_ceil(8))
            .enumerate()
        {
            let b = w.to_le_bytes();
            let n = (len - i * 8).min(8);
            out[i * 8..i * 8 + n].copy_from_slice(&b[..n]);
        }
        len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_round_trips_every_length() {
        let header = SlotHeader {
            ts_recv: UtcNanos::from_nanos(1_700_000_000_000_000_123),
            line: Line::B,
            src: SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 9), 5000),
            dst: SocketAddrV4::new(Ipv4Addr::new(239, 1, 2, 3), 14310),
        };
        let mut out = [0u8; MAX_PAYLOAD];
        let mut slot = PacketSlot::EMPTY;
        for len in [0, 1, 7, 8, 9, 100, MAX_PAYLOAD] {
            let payload: Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
            assert!(slot.fill(&header, &payload));
            assert_eq!(slot.header(), header);
            let n = slot.payload_into(&mut out);
            assert_eq!(&out[..n], &payload[..]);
        }
        assert!(!slot.fill(&header, &[0; MAX_PAYLOAD + 1]));
    }
}
