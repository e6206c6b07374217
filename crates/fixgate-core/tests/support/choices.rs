//! The choice stream the message generators read: a proptest-generated vector
//! of `u32`s in which 0 is always the simplest choice, so that proptest's
//! shrinking of the vector shrinks the message.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

/// Random choices read from a proptest-generated vector; past its end every
/// choice is 0, the simplest one.
pub struct Choices<'a> {
    data: &'a [u32],
    pos: usize,
}

impl<'a> Choices<'a> {
    /// Choices read from the start of `data`.
    pub fn new(data: &'a [u32]) -> Self {
        Choices { data, pos: 0 }
    }

    /// The next raw choice.
    pub fn next(&mut self) -> u32 {
        let v = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        v
    }

    /// A number below `n` (`n > 0`).
    pub fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }

    /// True with probability `in_four / 4` (never for a 0 choice).
    pub fn chance(&mut self, in_four: u32) -> bool {
        let v = self.below(4);
        v != 0 && v <= in_four
    }

    /// Any `u64`, from two choices.
    pub fn u64(&mut self) -> u64 {
        (u64::from(self.next()) << 32) | u64::from(self.next())
    }

    /// One of `items` (not empty).
    pub fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len() as u32) as usize]
    }
}
