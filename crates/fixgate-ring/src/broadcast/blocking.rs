//! The blocking subscriber: reads events in place, in order, every one; the
//! producer waits for it.

use std::fmt;

use super::{Closed, Shared, FREE};
use crate::element::RingPayload;
use crate::sync::{Arc, Ordering};
use crate::wait::WaitStrategy;

/// A subscriber that sees every event published after it joined, in order, read
/// in place (no copy). The producer cannot pass it, so a slow `Blocking` slows
/// the producer: keep it off paths that must never stall (use [`super::Lossy`]).
///
/// Reading calls a closure with each event's sequence and a reference into the
/// slot; the slot is released (one cursor store) after the whole batch.
pub struct Blocking<T> {
    shared: Arc<Shared<T>>,
    seat: usize,
    /// The next sequence to read; everything below it is released.
    cursor: u64,
    /// The head as last loaded (saves a shared load while it is ahead).
    known_head: u64,
    wait: WaitStrategy,
}

impl<T: RingPayload> Blocking<T> {
    pub(super) fn new(
        shared: Arc<Shared<T>>,
        seat: usize,
        start: u64,
        wait: WaitStrategy,
    ) -> Blocking<T> {
        Blocking {
            shared,
            seat,
            cursor: start,
            known_head: start,
            wait,
        }
    }

    /// The sequence of the next event this subscriber will read.
    pub fn cursor(&self) -> u64 {
        self.cursor
    }

    /// Events published and not yet read by this subscriber.
    pub fn available(&mut self) -> u64 {
        self.known_head = self.shared.head.load(Ordering::Acquire);
        self.known_head - self.cursor
    }

    /// Reads up to `max` events that are available now, calling `on_event(seq,
    /// &event)` for each in order, then releases them all with one cursor store.
    /// Returns how many were read (0 when none is available).
    ///
    /// If `on_event` panics, none of the batch is released and the next call
    /// reads it again.
    #[inline]
    pub fn poll_batch(&mut self, max: usize, mut on_event: impl FnMut(u64, &T)) -> usize {
        self.poll::<false>(max, |seq, _, event| on_event(seq, event))
    }

    /// Like [`Blocking::poll_batch`], also handing out each event's publish
    /// stamp: `on_event(seq, published, &event)`, `published` being the
    /// producer's clock reading for the event's batch (0 when the producer has
    /// no publish clock: see [`super::Producer::set_publish_clock`]).
    #[inline]
    pub fn poll_batch_stamped(&mut self, max: usize, on_event: impl FnMut(u64, u64, &T)) -> usize {
        self.poll::<true>(max, on_event)
    }

    /// The batch read; `STAMPED` decides at compile time whether the publish
    /// stamps are loaded.
    #[inline(always)]
    fn poll<const STAMPED: bool>(
        &mut self,
        max: usize,
        mut on_event: impl FnMut(u64, u64, &T),
    ) -> usize {
        if self.known_head == self.cursor {
            self.known_head = self.shared.head.load(Ordering::Acquire);
        }
        let available = self.known_head - self.cursor;
        let n = available.min(max as u64);
        if n == 0 {
            return 0;
        }
        let end = self.cursor + n;
        for seq in self.cursor..end {
            let slot = self.shared.slot(seq);
            // Ordered like the value: stored before the head this read saw.
            let published = if STAMPED {
                slot.published.load(Ordering::Relaxed)
            } else {
                0
            };
            // SAFETY: `seq < head` (loaded with Acquire after the producer's
            // Release store of it), so the slot holds `seq`, fully stored before
            // that head store; the producer does not write slot `seq & mask`
            // again until it sees this seat's cursor above `seq`, which is
            // stored below only after the closure has returned.
            unsafe { slot.value.with_ref(|event| on_event(seq, published, event)) };
        }
        self.cursor = end;
        self.shared.seats[self.seat].store(end, Ordering::Release);
        n as usize
    }

    /// Like [`Blocking::poll_batch`], but waits (with this subscriber's
    /// strategy) until at least one event is available.
    ///
    /// # Errors
    /// [`Closed`] once the producer is gone and every event has been read.
    pub fn recv_batch(
        &mut self,
        max: usize,
        mut on_event: impl FnMut(u64, &T),
    ) -> Result<usize, Closed> {
        let mut waiter = self.wait.waiter();
        loop {
            let n = self.poll_batch(max, &mut on_event);
            if n > 0 || max == 0 {
                return Ok(n);
            }
            if self.shared.closed.load(Ordering::Acquire) && self.available() == 0 {
                return Err(Closed);
            }
            waiter.wait();
        }
    }

    /// Reads one event, waiting for it; returns its sequence and a copy.
    ///
    /// # Errors
    /// [`Closed`] once the producer is gone and every event has been read.
    pub fn recv(&mut self) -> Result<(u64, T), Closed> {
        let mut out = None;
        self.recv_batch(1, |seq, event| out = Some((seq, *event)))?;
        // `recv_batch(1, ..)` returns Ok only after reading exactly one event.
        out.ok_or(Closed)
    }
}

impl<T> Drop for Blocking<T> {
    fn drop(&mut self) {
        self.shared.seats[self.seat].store(FREE, Ordering::Release);
    }
}

impl<T> fmt::Debug for Blocking<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Blocking")
            .field("seat", &self.seat)
            .field("cursor", &self.cursor)
            .finish()
    }
}
