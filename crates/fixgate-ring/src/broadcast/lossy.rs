//! The lossy subscriber: copies each event out through its slot's stamp, never
//! slows the producer, and counts exactly what it missed when lapped.

use std::fmt;

use super::{Closed, Shared};
use crate::element::RingPayload;
use crate::sync::{fence, Arc, Ordering};
use crate::wait::WaitStrategy;

/// One event from [`Lossy::try_recv`], or why there is none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Received<T> {
    /// An event, with how many events were skipped just before it because the
    /// producer lapped this subscriber (0 normally).
    Event {
        /// The event's sequence.
        sequence: u64,
        /// A consistent copy of it.
        value: T,
        /// Events skipped immediately before this one.
        missed: u64,
    },
    /// Nothing new yet.
    Empty,
    /// The producer is gone and everything it published has been read or
    /// counted missed.
    Closed,
}

/// What one [`Lossy::poll_batch`] did: `missed` events were skipped, then
/// `copied` consecutive events were written to the start of the buffer.
///
/// Missed events always come before the copied ones: a lap noticed after the
/// first copy ends the batch, and the next call reports it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LossyBatch {
    /// Events skipped before `out[0]`.
    pub missed: u64,
    /// Events copied into `out[..copied]`.
    pub copied: usize,
    /// The sequence of `out[0]` (meaningful when `copied > 0`).
    pub first_sequence: u64,
}

enum SlotRead<T> {
    /// The value and its publish stamp (0 when not asked for).
    Event(T, u64),
    NotYet,
    /// The slot holds (or is receiving) a later sequence; the newest sequence
    /// known to be complete from that stamp.
    Lapped {
        newest_complete: u64,
    },
}

/// A subscriber that copies events out and never holds the producer back. It
/// writes no shared memory: its cursor is its own.
pub struct Lossy<T> {
    shared: Arc<Shared<T>>,
    cursor: u64,
    missed_total: u64,
    /// Skipped by `try_recv` and not yet reported with an event.
    unreported_missed: u64,
    wait: WaitStrategy,
}

impl<T: RingPayload> Lossy<T> {
    pub(super) fn new(shared: Arc<Shared<T>>, start: u64, wait: WaitStrategy) -> Lossy<T> {
        Lossy {
            shared,
            cursor: start,
            missed_total: 0,
            unreported_missed: 0,
            wait,
        }
    }

    /// The sequence this subscriber will try to read next.
    pub fn cursor(&self) -> u64 {
        self.cursor
    }

    /// All events skipped since joining.
    pub fn missed_total(&self) -> u64 {
        self.missed_total
    }

    /// Copies sequence `seq` out of its slot (see "Lossy read" in the module
    /// docs).
    #[inline(always)]
    fn read_slot<const STAMPED: bool>(&self, seq: u64) -> SlotRead<T> {
        let slot = self.shared.slot(seq);
        let want = 2 * seq + 2;
        let before = slot.stamp.load(Ordering::Acquire);
        if before < want {
            return SlotRead::NotYet;
        }
        if before > want {
            return SlotRead::Lapped {
                newest_complete: newest_complete(before),
            };
        }
        let published = if STAMPED {
            slot.published.load(Ordering::Relaxed)
        } else {
            0
        };
        let copy = slot.value.load();
        fence(Ordering::Acquire);
        let after = slot.stamp.load(Ordering::Relaxed);
        if after != before {
            return SlotRead::Lapped {
                newest_complete: newest_complete(after),
            };
        }
        // SAFETY: the stamp was `2seq+2` before and after the copy, so every
        // word copied is the one stored for `seq` (module docs), and those words
        // were the bytes of a valid `T`.
        // The stamp was read inside the same window, so it is `seq`'s too.
        SlotRead::Event(unsafe { copy.assume_init() }, published)
    }

    /// Moves the cursor to the newest complete sequence after a lap; returns
    /// how many sequences were skipped.
    #[cold]
    fn skip_to_newest(&mut self, newest_from_stamp: u64) -> u64 {
        let head = self.shared.head.load(Ordering::Acquire);
        let newest = newest_from_stamp.max(head.saturating_sub(1));
        // A lap stamp names a sequence at least `cap ≥ 2` past the cursor, so
        // `newest > cursor`.
        let skipped = newest.saturating_sub(self.cursor);
        self.cursor += skipped;
        self.missed_total += skipped;
        skipped
    }

    /// One event if there is one now, with the count of events missed before it.
    #[inline]
    pub fn try_recv(&mut self) -> Received<T> {
        loop {
            match self.read_slot::<false>(self.cursor) {
                SlotRead::Event(value, _) => {
                    let sequence = self.cursor;
                    self.cursor += 1;
                    return Received::Event {
                        sequence,
                        value,
                        missed: std::mem::take(&mut self.unreported_missed),
                    };
                }
                SlotRead::Lapped { newest_complete } => {
                    self.unreported_missed += self.skip_to_newest(newest_complete);
                }
                SlotRead::NotYet => {
                    // A skip not yet reported stays pending until the next
                    // event, which it precedes.
                    return if self.is_closed_and_drained() {
                        Received::Closed
                    } else {
                        Received::Empty
                    };
                }
            }
        }
    }

    /// Copies up to `out.len()` events available now into `out`; see
    /// [`LossyBatch`] for what the counts mean. The cursor is this subscriber's
    /// own, so a batch costs no shared write at all.
    ///
    /// # Errors
    /// [`Closed`] when nothing was copied or missed, the producer is gone and
    /// every event has been read or counted.
    #[inline]
    pub fn poll_batch(&mut self, out: &mut [T]) -> Result<LossyBatch, Closed> {
        self.poll::<false>(out, &mut [])
    }

    /// Like [`Lossy::poll_batch`], also writing each copied event's publish
    /// stamp into `published` (`published[i]` for `out[i]`; the producer's
    /// clock reading for its batch, 0 when it has none: see
    /// [`super::Producer::set_publish_clock`]). Copies at most
    /// `min(out.len(), published.len())` events. The stamp is read inside the
    /// same seqlock window as the value, so it always belongs to that event.
    ///
    /// # Errors
    /// [`Closed`] as for [`Lossy::poll_batch`].
    #[inline]
    pub fn poll_batch_stamped(
        &mut self,
        out: &mut [T],
        published: &mut [u64],
    ) -> Result<LossyBatch, Closed> {
        let n = out.len().min(published.len());
        self.poll::<true>(&mut out[..n], &mut published[..n])
    }

    #[inline(always)]
    fn poll<const STAMPED: bool>(
        &mut self,
        out: &mut [T],
        published: &mut [u64],
    ) -> Result<LossyBatch, Closed> {
        let mut batch = LossyBatch {
            missed: std::mem::take(&mut self.unreported_missed),
            copied: 0,
            first_sequence: self.cursor,
        };
        while batch.copied < out.len() {
            match self.read_slot::<STAMPED>(self.cursor) {
                SlotRead::Event(value, stamp) => {
                    if batch.copied == 0 {
                        batch.first_sequence = self.cursor;
                    }
                    out[batch.copied] = value;
                    if STAMPED {
                        published[batch.copied] = stamp;
                    }
                    batch.copied += 1;
                    self.cursor += 1;
                }
                SlotRead::Lapped { newest_complete } => {
                    if batch.copied > 0 {
                        // Lapped while reading the batch: what was copied is
                        // valid (each copy checked its own stamp); the skip is
                        // counted by the next call, ahead of its events.
                        break;
                    }
                    batch.missed += self.skip_to_newest(newest_complete);
                }
                // Also right after a skip, on a machine where the newest
                // stamp is not yet visible: the count is reported now and the
                // event comes with the next call.
                SlotRead::NotYet => break,
            }
        }
        if batch.copied == 0 && batch.missed == 0 && self.is_closed_and_drained() {
            return Err(Closed);
        }
        Ok(batch)
    }

    /// Like [`Lossy::poll_batch`], but waits (with this subscriber's strategy)
    /// until it copies or misses something.
    ///
    /// # Errors
    /// [`Closed`] as for [`Lossy::poll_batch`].
    pub fn recv_batch(&mut self, out: &mut [T]) -> Result<LossyBatch, Closed> {
        let mut waiter = self.wait.waiter();
        loop {
            let batch = self.poll_batch(out)?;
            if batch.copied > 0 || batch.missed > 0 || out.is_empty() {
                return Ok(batch);
            }
            waiter.wait();
        }
    }

    fn is_closed_and_drained(&self) -> bool {
        self.shared.closed.load(Ordering::Acquire)
            && self.shared.head.load(Ordering::Acquire) <= self.cursor
    }
}

/// The newest sequence known complete from a slot stamp `stamp` that is past
/// the one wanted: `p` for a complete `2p+2`, `p-1` for an in-progress `2p+1`.
#[inline]
fn newest_complete(stamp: u64) -> u64 {
    if stamp.is_multiple_of(2) {
        stamp / 2 - 1
    } else {
        (stamp - 1) / 2 - 1
    }
}

impl<T> fmt::Debug for Lossy<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lossy")
            .field("cursor", &self.cursor)
            .field("missed_total", &self.missed_total)
            .finish()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::newest_complete;

    #[test]
    fn newest_complete_reads_both_stamp_kinds() {
        // Sequence 9 complete: stamp 20. Sequence 9 being written: stamp 19.
        assert_eq!(newest_complete(20), 9);
        assert_eq!(newest_complete(19), 8);
    }
}
