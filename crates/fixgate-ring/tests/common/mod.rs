//! The test event shared by the ring's integration tests: 64 bytes like
//! fixgate's `Event`, no padding, every word derived from the sequence, so a torn
//! copy (words from two different events) fails [`TestEvent::check`].

#![allow(dead_code, reason = "each test binary uses part of the support code")]

/// Sequence, six derived words and a checksum over all of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C, align(64))]
pub struct TestEvent {
    pub seq: u64,
    pub words: [u64; 6],
    pub check: u64,
}

const _: () = assert!(std::mem::size_of::<TestEvent>() == 64);
fixgate_ring::ring_payload!(
    struct TestEvent {
        seq: u64,
        words: [u64; 6],
        check: u64,
    }
);

impl TestEvent {
    pub fn new(seq: u64) -> TestEvent {
        let words: [u64; 6] = std::array::from_fn(|i| {
            seq.wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .rotate_left(i as u32 * 7)
        });
        TestEvent {
            seq,
            words,
            check: checksum(seq, &words),
        }
    }

    /// True if every word belongs to this event's sequence.
    pub fn check(&self) -> bool {
        *self == TestEvent::new(self.seq) && self.check == checksum(self.seq, &self.words)
    }
}

fn checksum(seq: u64, words: &[u64; 6]) -> u64 {
    words
        .iter()
        .fold(seq ^ 0xA5A5_A5A5_A5A5_A5A5, |acc, w| acc.rotate_left(5) ^ w)
}

/// Events per multi-threaded test: small under Miri, which interprets every step.
pub const fn scaled(native: u64, miri: u64) -> u64 {
    if cfg!(miri) {
        miri
    } else {
        native
    }
}
