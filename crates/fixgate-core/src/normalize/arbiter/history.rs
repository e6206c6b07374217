//! A fixed-size bitmap over the most recent sequence numbers.

/// One bit per sequence number for the last `len` sequence numbers below a
/// moving mark, stored circularly (bit `seq % len`).
///
/// The owner decides what a bit means (delivered, seen on a line) and keeps
/// every position it moves past written, so a bit never speaks for a sequence
/// number `len` or more below the mark. Allocated once; no operation allocates.
#[derive(Clone, Debug)]
pub(super) struct SeqBitmap {
    words: Box<[u64]>,
    len: u64,
}

impl SeqBitmap {
    /// A bitmap of `len` bits (`len` ≥ 64 and a multiple of 64), all clear.
    pub(super) fn new(len: u32) -> Self {
        debug_assert!(len >= 64 && len % 64 == 0);
        SeqBitmap {
            words: vec![0; len as usize / 64].into_boxed_slice(),
            len: u64::from(len),
        }
    }

    /// The number of sequence numbers it covers.
    pub(super) fn len(&self) -> u64 {
        self.len
    }

    #[inline]
    fn at(&self, seq: u64) -> (usize, u64) {
        let bit = seq % self.len;
        ((bit / 64) as usize, 1u64 << (bit % 64))
    }

    /// The bit of `seq`.
    #[inline]
    pub(super) fn get(&self, seq: u64) -> bool {
        let (word, mask) = self.at(seq);
        self.words.get(word).is_some_and(|w| w & mask != 0)
    }

    /// Sets or clears the bit of `seq`.
    #[inline]
    pub(super) fn put(&mut self, seq: u64, value: bool) {
        let (word, mask) = self.at(seq);
        if let Some(w) = self.words.get_mut(word) {
            if value {
                *w |= mask;
            } else {
                *w &= !mask;
            }
        }
    }

    /// Writes `value` to the bits of `first..end` (every bit when the range is
    /// at least `len` long): at most `len` bits, a word at a time where it can.
    pub(super) fn fill(&mut self, first: u64, end: u64, value: bool) {
        if end <= first {
            return;
        }
        if end - first >= self.len {
            self.words.fill(if value { u64::MAX } else { 0 });
            return;
        }
        let mut seq = first;
        while seq < end {
            let bit = seq % self.len;
            if bit % 64 == 0 && end - seq >= 64 {
                if let Some(w) = self.words.get_mut((bit / 64) as usize) {
                    *w = if value { u64::MAX } else { 0 };
                }
                seq += 64;
            } else {
                self.put(seq, value);
                seq += 1;
            }
        }
    }

    /// Clears every bit.
    pub(super) fn clear(&mut self) {
        self.words.fill(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_wrap_around_and_ranges_fill() {
        let mut b = SeqBitmap::new(128);
        assert_eq!(b.len(), 128);
        b.put(5, true);
        assert!(b.get(5) && b.get(133), "133 shares 5's bit");
        b.put(133, false);
        assert!(!b.get(5));
        b.fill(60, 120, true);
        assert!((60..120).all(|s| b.get(s)) && !b.get(59) && !b.get(120));
        b.fill(60, 200, true);
        assert!(
            (0..128).all(|s| b.get(s)),
            "a range of len or more fills all"
        );
        b.fill(100, 110, false);
        assert!((100..110).all(|s| !b.get(s)) && b.get(99) && b.get(110));
        b.fill(0, 1_000, false);
        assert!((0..128).all(|s| !b.get(s)));
        b.fill(3, 3, true);
        assert!(!b.get(3));
        b.fill(1, 1_000_000, true);
        assert!((0..128).all(|s| b.get(s)));
        b.clear();
        assert!((0..128).all(|s| !b.get(s)));
    }

    #[test]
    fn fill_matches_bit_by_bit() {
        for first in [0u64, 1, 63, 64, 65, 127, 200] {
            for len in [0u64, 1, 2, 63, 64, 65, 127, 128, 129, 300] {
                let mut fast = SeqBitmap::new(192);
                let mut slow = SeqBitmap::new(192);
                fast.fill(0, 192, true);
                slow.fill(0, 192, true);
                fast.fill(first, first + len, false);
                for s in first..(first + len).min(first + 192) {
                    slow.put(s, false);
                }
                assert!(
                    (0..192).all(|s| fast.get(s) == slow.get(s)),
                    "first {first} len {len}"
                );
            }
        }
    }
}
