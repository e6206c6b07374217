//! The reorder buffer: packets that arrived ahead of the next expected one,
//! copied into a pool of fixed slots allocated once.

use crate::time::{MonoNanos, UtcNanos};

use super::Line;

/// A buffered packet's bookkeeping (its bytes are in the pool, at `slot`).
#[derive(Clone, Copy, Debug)]
pub(super) struct Held {
    pub(super) seq: u64,
    pub(super) arrived: MonoNanos,
    pub(super) ts_recv: UtcNanos,
    pub(super) slot: u16,
    pub(super) len: u16,
    pub(super) line: Line,
}

/// Up to `window` packets with sequence numbers in `next + 1 ..= next + window`.
///
/// Entries are indexed by `seq % (window + 1)`: the `window` positions ahead of
/// `next` never share an index, so lookup is one array access. Payloads live in
/// `window + 1` pool slots of `slot_len` bytes: a packet taken out for delivery
/// keeps its slot until the caller has seen it ([`Window::release`]), and one
/// slot is always left for the packet being inserted in the same step (the
/// arbiter guarantees that at most `window` slots are in use when it inserts).
pub(super) struct Window {
    entries: Box<[Option<Held>]>,
    pool: Box<[u8]>,
    free: Box<[u16]>,
    free_len: usize,
    slot_len: usize,
    count: usize,
}

impl Window {
    /// A window of `window` packets of at most `slot_len` bytes each.
    pub(super) fn new(window: u16, slot_len: u16) -> Self {
        let slots = usize::from(window) + 1;
        Window {
            entries: vec![None; slots].into_boxed_slice(),
            pool: vec![0; slots * usize::from(slot_len)].into_boxed_slice(),
            // Popped from the end: slot 0 first.
            free: (0..slots as u16).rev().collect(),
            free_len: slots,
            slot_len: usize::from(slot_len),
            count: 0,
        }
    }

    #[inline]
    fn index(&self, seq: u64) -> usize {
        (seq % self.entries.len() as u64) as usize
    }

    /// Packets held.
    #[inline]
    pub(super) fn len(&self) -> usize {
        self.count
    }

    /// Whether `seq` is held.
    #[inline]
    pub(super) fn contains(&self, seq: u64) -> bool {
        matches!(self.entries[self.index(seq)], Some(h) if h.seq == seq)
    }

    /// Copies a packet in. `false` (nothing stored) when its position is taken
    /// or no slot is free, which the arbiter's bounds rule out.
    pub(super) fn insert(
        &mut self,
        seq: u64,
        arrived: MonoNanos,
        ts_recv: UtcNanos,
        line: Line,
        payload: &[u8],
    ) -> bool {
        let index = self.index(seq);
        if self.entries[index].is_some() || payload.len() > self.slot_len || self.free_len == 0 {
            return false;
        }
        self.free_len -= 1;
        let slot = self.free[self.free_len];
        let start = usize::from(slot) * self.slot_len;
        self.pool[start..start + payload.len()].copy_from_slice(payload);
        self.entries[index] = Some(Held {
            seq,
            arrived,
            ts_recv,
            slot,
            len: payload.len() as u16,
            line,
        });
        self.count += 1;
        true
    }

    /// Takes `seq` out of the window; its slot stays reserved until
    /// [`Window::release`].
    #[inline]
    pub(super) fn take(&mut self, seq: u64) -> Option<Held> {
        let index = self.index(seq);
        match self.entries[index] {
            Some(h) if h.seq == seq => {
                self.entries[index] = None;
                self.count -= 1;
                Some(h)
            }
            _ => None,
        }
    }

    /// Returns a taken packet's slot to the pool.
    #[inline]
    pub(super) fn release(&mut self, slot: u16) {
        if self.free_len < self.free.len() {
            self.free[self.free_len] = slot;
            self.free_len += 1;
        }
    }

    /// The bytes of a held or taken (not yet released) packet.
    #[inline]
    pub(super) fn payload(&self, held: &Held) -> &[u8] {
        let start = usize::from(held.slot) * self.slot_len;
        self.pool
            .get(start..start + usize::from(held.len))
            .unwrap_or(&[])
    }

    /// The lowest and highest sequence numbers held (a scan: only on the
    /// out-of-order paths).
    pub(super) fn seq_range(&self) -> Option<(u64, u64)> {
        if self.count == 0 {
            return None;
        }
        self.entries
            .iter()
            .flatten()
            .fold(None, |acc, h| match acc {
                None => Some((h.seq, h.seq)),
                Some((lo, hi)) => Some((lo.min(h.seq), hi.max(h.seq))),
            })
    }

    /// The earliest arrival among the held packets (a scan).
    pub(super) fn earliest_arrival(&self) -> Option<MonoNanos> {
        if self.count == 0 {
            return None;
        }
        self.entries.iter().flatten().map(|h| h.arrived).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(n: u64) -> MonoNanos {
        MonoNanos::from_nanos(n)
    }

    #[test]
    fn holds_takes_and_releases() {
        let mut w = Window::new(3, 4);
        assert!(w.insert(11, t(5), UtcNanos::from_nanos(1), Line::B, b"abcd"));
        assert!(w.insert(12, t(3), UtcNanos::from_nanos(2), Line::A, b"xy"));
        assert!(
            !w.insert(12, t(3), UtcNanos::EPOCH, Line::A, b"zz"),
            "taken"
        );
        assert!(
            !w.insert(13, t(3), UtcNanos::EPOCH, Line::A, b"12345"),
            "too long"
        );
        assert!(w.contains(11) && w.contains(12) && !w.contains(13) && !w.contains(15));
        assert_eq!(w.len(), 2);
        assert_eq!(w.seq_range(), Some((11, 12)));
        assert_eq!(w.earliest_arrival(), Some(t(3)));
        let h = w.take(11).unwrap();
        assert_eq!((h.seq, h.line, w.payload(&h)), (11, Line::B, &b"abcd"[..]));
        assert!(w.take(11).is_none());
        // Two more fit while 11's slot is still reserved (4 slots in all).
        assert!(w.insert(13, t(9), UtcNanos::EPOCH, Line::A, b"c"));
        assert!(w.insert(14, t(9), UtcNanos::EPOCH, Line::A, b"d"));
        assert!(
            !w.insert(15, t(9), UtcNanos::EPOCH, Line::A, b"e"),
            "no free slot while 11's is reserved"
        );
        assert_eq!(w.payload(&h), b"abcd", "a taken packet keeps its bytes");
        w.release(h.slot);
        assert_eq!(w.seq_range(), Some((12, 14)));
        for s in 12..15 {
            let h = w.take(s).unwrap();
            w.release(h.slot);
        }
        assert_eq!(
            (w.len(), w.seq_range(), w.earliest_arrival()),
            (0, None, None)
        );
        for s in 20..23 {
            assert!(w.insert(s, t(0), UtcNanos::EPOCH, Line::A, b"q"));
        }
    }
}
