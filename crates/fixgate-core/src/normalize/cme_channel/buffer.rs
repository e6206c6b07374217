//! The recovery buffer: incremental packets held while instruments wait for a
//! snapshot, to be replayed after it. A ring of fixed-size slots allocated
//! once; when full, the oldest packet is dropped to make room (a typed,
//! counted outcome: snapshots older than what is left can then not be used).

use crate::time::UtcNanos;

/// What became of a packet handed to [`PacketBuffer::push`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Buffered {
    /// Held.
    Stored,
    /// Held, after dropping the oldest packet, whose `MsgSeqNum` this is.
    Evicted {
        /// The dropped packet's `MsgSeqNum`.
        seq: u32,
    },
}

#[derive(Clone, Copy, Debug, Default)]
struct Meta {
    seq: u32,
    len: usize,
    ts_recv: UtcNanos,
}

/// A packet in the buffer.
#[derive(Clone, Copy, Debug)]
pub(super) struct Held<'a> {
    pub(super) seq: u32,
    pub(super) ts_recv: UtcNanos,
    pub(super) payload: &'a [u8],
}

/// A ring of `capacity` packets of up to `slot_len` bytes.
#[derive(Debug)]
pub(super) struct PacketBuffer {
    bytes: Box<[u8]>,
    meta: Box<[Meta]>,
    slot_len: usize,
    head: usize,
    len: usize,
}

impl PacketBuffer {
    /// Allocates `capacity × slot_len` bytes (at least one slot).
    pub(super) fn new(capacity: usize, slot_len: usize) -> Self {
        let capacity = capacity.max(1);
        PacketBuffer {
            bytes: vec![0; capacity * slot_len].into_boxed_slice(),
            meta: vec![Meta::default(); capacity].into_boxed_slice(),
            slot_len,
            head: 0,
            len: 0,
        }
    }

    /// Packets held.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Forgets every packet.
    pub(super) fn clear(&mut self) {
        self.head = 0;
        self.len = 0;
    }

    /// Holds a copy of `payload` (cut to `slot_len`; the arbiter refuses
    /// longer packets before they get here).
    pub(super) fn push(&mut self, seq: u32, ts_recv: UtcNanos, payload: &[u8]) -> Buffered {
        let capacity = self.meta.len();
        let mut outcome = Buffered::Stored;
        if self.len == capacity {
            outcome = Buffered::Evicted {
                seq: self.meta[self.head].seq,
            };
            self.head = (self.head + 1) % capacity;
            self.len -= 1;
        }
        let index = (self.head + self.len) % capacity;
        let len = payload.len().min(self.slot_len);
        let at = index * self.slot_len;
        self.bytes[at..at + len].copy_from_slice(&payload[..len]);
        self.meta[index] = Meta { seq, len, ts_recv };
        self.len += 1;
        outcome
    }

    /// The `i`-th oldest packet.
    pub(super) fn get(&self, i: usize) -> Option<Held<'_>> {
        if i >= self.len {
            return None;
        }
        let index = (self.head + i) % self.meta.len();
        let m = self.meta[index];
        let at = index * self.slot_len;
        Some(Held {
            seq: m.seq,
            ts_recv: m.ts_recv,
            payload: &self.bytes[at..at + m.len],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_drops_the_oldest() {
        let mut b = PacketBuffer::new(2, 4);
        let t = UtcNanos::EPOCH;
        assert_eq!(b.push(1, t, b"ab"), Buffered::Stored);
        assert_eq!(b.push(2, t, b"cdef"), Buffered::Stored);
        assert_eq!(b.push(3, t, b"ghijk"), Buffered::Evicted { seq: 1 });
        assert_eq!(b.len(), 2);
        let (x, y) = (b.get(0).unwrap(), b.get(1).unwrap());
        assert_eq!((x.seq, x.payload), (2, &b"cdef"[..]));
        assert_eq!((y.seq, y.payload), (3, &b"ghij"[..]));
        assert!(b.get(2).is_none());
        b.clear();
        assert_eq!(b.len(), 0);
    }
}
