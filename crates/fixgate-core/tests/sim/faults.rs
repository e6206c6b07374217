//! The fault layer on each direction of the network: writes cut into chunks at
//! random boundaries, chunks dropped, duplicated or corrupted (one byte), and
//! whole messages delayed past the next ones, at seeded rates while the run is
//! faulty. (Connection cuts are scheduled in `step`.)

use super::net::{Conn, Dir};
use super::text::{split_messages, summary};
use super::{Sim, MS, US};

/// Fault rates, per mille of chunks, and the mean time between cuts.
#[derive(Clone, Copy, Debug, Default)]
pub struct Faults {
    pub drop: u64,
    pub dup: u64,
    pub reorder: u64,
    pub corrupt: u64,
    /// Probability of cutting a write into several chunks.
    pub split: u64,
    /// Connection cuts: mean gap between two (0: none).
    pub cut_every: u64,
}

impl Sim {
    /// Writes whole messages onto one direction of the wire, through the
    /// scenario filter and the fault layer.
    ///
    /// Reordering moves whole messages: the FIX CheckSum is a byte sum, so a
    /// chunk delayed past the next one inside a message would make a
    /// transposed message with a valid CheckSum, a fault that TCP never
    /// produces and FIX cannot detect. Drops, duplicates and corruption work on
    /// arbitrary chunks, which framing and CheckSum do catch.
    pub(super) fn write(&mut self, from: Dir, bytes: &[u8]) {
        if matches!(self.conn, Conn::Down { .. }) {
            return;
        }
        let faulty = self.faulty();
        let mut wire = Vec::new();
        for msg in split_messages(bytes) {
            let now = self.now;
            let link = self.link(from);
            let pass = link.filter.as_mut().is_none_or(|f| f(msg));
            link.written.push((now, msg.to_vec(), pass));
            let verb = if !pass {
                "FILTERED"
            } else if faulty && self.rng.per_mille(self.faults.reorder) {
                let at = now + self.rng.range(MS, 30 * MS);
                self.push(from, at, msg.to_vec());
                "delays"
            } else {
                wire.extend_from_slice(msg);
                "sends"
            };
            self.log(|| format!("{from:?} {verb} {}", summary(msg)));
        }
        let mut cuts = vec![0, wire.len()];
        if self.rng.per_mille(self.faults.split) {
            for _ in 0..self.rng.range(1, 4) {
                cuts.push(self.rng.range(0, wire.len() as u64) as usize);
            }
            cuts.sort_unstable();
            cuts.dedup();
        }
        for w in cuts.windows(2) {
            let chunk = &wire[w[0]..w[1]];
            if chunk.is_empty() {
                continue;
            }
            if faulty && self.rng.per_mille(self.faults.drop) {
                self.log(|| format!("{from:?} drops {} bytes", chunk.len()));
                continue;
            }
            let copies = if faulty && self.rng.per_mille(self.faults.dup) {
                self.log(|| format!("{from:?} duplicates {} bytes", chunk.len()));
                2
            } else {
                1
            };
            for _ in 0..copies {
                let mut c = chunk.to_vec();
                if faulty && self.rng.per_mille(self.faults.corrupt) {
                    let i = self.rng.range(0, c.len() as u64 - 1) as usize;
                    // +1..=127 mod 256: two of these in one message never cancel
                    // out in the CheckSum.
                    c[i] = c[i].wrapping_add(self.rng.range(1, 127) as u8);
                    self.log(|| format!("{from:?} corrupts byte {i} of {}", c.len()));
                }
                let at = self.now + self.rng.range(50 * US, 2 * MS);
                let link = self.link(from);
                link.fifo_at = link.fifo_at.max(at);
                let at = link.fifo_at;
                self.push(from, at, c);
            }
        }
    }
}
