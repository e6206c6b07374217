//! The fuzz input read as a stream of choices, and a small seeded generator.

/// The fuzz input read as a stream of choices; zeros once exhausted.
pub(super) struct Input<'a> {
    pub(super) data: &'a [u8],
}

impl<'a> Input<'a> {
    pub(super) fn byte(&mut self) -> u8 {
        let (&b, rest) = self.data.split_first().unwrap_or((&0, &[]));
        self.data = rest;
        b
    }
    pub(super) fn bytes(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.data.split_at(n.min(self.data.len()));
        self.data = rest;
        head
    }
    pub(super) fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.byte(), self.byte()])
    }
    pub(super) fn u64(&mut self) -> u64 {
        let mut w = [0u8; 8];
        let b = self.bytes(8);
        w[..b.len()].copy_from_slice(b);
        u64::from_le_bytes(w)
    }
    pub(super) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[usize::from(self.byte()) % items.len()]
    }
}

/// Field values of a built message come from this generator, seeded by one
/// input byte, so that a message record has a fixed layout.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u8) -> Rng {
        Rng((u64::from(seed) + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15))
    }
    pub(super) fn byte(&mut self) -> u8 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 24) as u8
    }
    pub(super) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[usize::from(self.byte()) % items.len()]
    }
}
