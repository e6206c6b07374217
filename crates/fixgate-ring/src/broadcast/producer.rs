//! The single producer: writes slots, publishes the head, waits for blocking
//! subscribers when the ring is full of events they have not released.

use std::fmt;

use super::{Shared, FREE};
use crate::element::RingPayload;
use crate::sync::{fence, Arc, Ordering};
use crate::wait::WaitStrategy;

/// The ring has no slot free of blocking subscribers ([`Producer::try_publish`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RingFull {
    /// The sequence that could not be published.
    pub sequence: u64,
}

impl fmt::Display for RingFull {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ring full: a blocking subscriber still holds the slot for sequence {}",
            self.sequence
        )
    }
}

impl std::error::Error for RingFull {}

/// What the producer has done, counted on its own thread (plain integers).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProducerStats {
    /// Events published.
    pub published: u64,
    /// Times the producer found the ring full and had to wait for a blocking
    /// subscriber (each counted once however long it lasted).
    pub waits: u64,
    /// Wait-strategy steps taken while waiting (spins, yields and parks).
    pub wait_steps: u64,
    /// Time spent waiting, in the units of the clock given to
    /// [`Producer::set_wait_clock`] (0 without one).
    pub wait_ticks: u64,
    /// [`Producer::try_publish`] calls refused because the ring was full.
    pub refused: u64,
}

/// The one writer of a ring. Dropping it closes the ring: subscribers read what
/// was published, then get `Closed`.
pub struct Producer<T> {
    shared: Arc<Shared<T>>,
    /// The next sequence to write (equal to the last head stored).
    next: u64,
    /// Sequences below this may be written without looking at the seats.
    limit: u64,
    wait: WaitStrategy,
    wait_clock: Option<fn() -> u64>,
    /// Read once per batch for the slots' publish stamps.
    publish_clock: Option<PublishClock>,
    stats: ProducerStats,
}

/// A clock the producer reads for publish stamps (for example a TSC read
/// through a calibrated clock the subscribers also hold). A reading of 0 reads
/// as "no stamp".
pub type PublishClock = Box<dyn Fn() -> u64 + Send + Sync>;

impl<T: RingPayload> Producer<T> {
    pub(super) fn new(shared: Arc<Shared<T>>, wait: WaitStrategy) -> Producer<T> {
        Producer {
            shared,
            next: 0,
            // Refresh before the first write.
            limit: 0,
            wait,
            wait_clock: None,
            publish_clock: None,
            stats: ProducerStats::default(),
        }
    }

    /// Gives the producer a clock to time its waits with (for example a TSC
    /// read). It is read twice per wait, only when the ring is full; never on
    /// the uncontended path. Without one the ring reads no clock and
    /// [`ProducerStats::wait_ticks`] stays 0.
    pub fn set_wait_clock(&mut self, clock: Option<fn() -> u64>) {
        self.wait_clock = clock;
    }

    /// Gives the producer a clock for publish stamps: read once per
    /// [`Producer::publish`] / [`Producer::try_publish`] and once per run of
    /// [`Producer::publish_batch`], just before the slots are written, and
    /// stored in each slot ([`super::Blocking::poll_batch_stamped`] and
    /// [`super::Lossy::poll_batch_stamped`] hand it out). Without one (the
    /// default) nothing is read and the stamps are 0. Setting it allocates
    /// nothing here (the box is the caller's); the publish path then makes one
    /// indirect call per batch.
    pub fn set_publish_clock(&mut self, clock: Option<PublishClock>) {
        self.publish_clock = clock;
    }

    /// The publish stamp for the batch about to be written (0 without a clock).
    #[inline(always)]
    fn publish_stamp(&self) -> u64 {
        self.publish_clock.as_ref().map_or(0, |clock| clock())
    }

    /// Counters so far.
    pub fn stats(&self) -> ProducerStats {
        self.stats
    }

    /// The sequence the next published event will get.
    pub fn next_sequence(&self) -> u64 {
        self.next
    }

    /// Publishes `value`, waiting (with the configured strategy) while a blocking
    /// subscriber still holds the slot it needs. Lossy subscribers never make it
    /// wait. Returns the event's sequence.
    #[inline]
    pub fn publish(&mut self, value: T) -> u64 {
        if self.next >= self.limit {
            self.wait_for_room();
        }
        let seq = self.next;
        let stamp = self.publish_stamp();
        self.write(seq, stamp, &value);
        self.commit(seq + 1);
        seq
    }

    /// Publishes `value` if a slot is free now.
    ///
    /// # Errors
    /// [`RingFull`] when a blocking subscriber still holds the slot needed.
    #[inline]
    pub fn try_publish(&mut self, value: T) -> Result<u64, RingFull> {
        if self.next >= self.limit && !self.refresh_limit() {
            self.stats.refused += 1;
            return Err(RingFull {
                sequence: self.next,
            });
        }
        let seq = self.next;
        let stamp = self.publish_stamp();
        self.write(seq, stamp, &value);
        self.commit(seq + 1);
        Ok(seq)
    }

    /// Publishes all of `values` in order, making them visible in runs as long as
    /// the free slots allow (one head store per run, at most `capacity` events),
    /// waiting like [`Producer::publish`] between runs. Returns the sequence of
    /// the first (or the next sequence when `values` is empty).
    pub fn publish_batch(&mut self, values: &[T]) -> u64 {
        let first = self.next;
        let capacity = self.shared.capacity();
        let mut rest = values;
        while !rest.is_empty() {
            if self.next >= self.limit {
                self.wait_for_room();
            }
            let room = (self.limit - self.next).min(capacity);
            let run = rest.len().min(usize::try_from(room).unwrap_or(usize::MAX));
            let (now, later) = rest.split_at(run);
            let mut seq = self.next;
            let stamp = self.publish_stamp();
            for value in now {
                self.write(seq, stamp, value);
                seq += 1;
            }
            self.commit(seq);
            rest = later;
        }
        first
    }

    /// Writes `value` and its publish stamp into `seq`'s slot (steps 1–3 of
    /// the module docs).
    #[inline(always)]
    fn write(&self, seq: u64, published: u64, value: &T) {
        let slot = self.shared.slot(seq);
        slot.stamp.store(2 * seq + 1, Ordering::Relaxed);
        fence(Ordering::Release);
        slot.published.store(published, Ordering::Relaxed);
        slot.value.store(value);
        slot.stamp.store(2 * seq + 2, Ordering::Release);
    }

    /// Makes every sequence below `next` visible (step 4).
    #[inline(always)]
    fn commit(&mut self, next: u64) {
        self.stats.published += next - self.next;
        self.next = next;
        self.shared.head.store(next, Ordering::Release);
    }

    /// Recomputes how far the producer may write; true if `next` is below it.
    fn refresh_limit(&mut self) -> bool {
        // Orders the last head store before the seat loads, against a joiner's
        // claim (see "Blocking join" in the module docs).
        fence(Ordering::SeqCst);
        let mut lowest = self.next;
        for seat in self.shared.seats.iter() {
            let cursor = seat.load(Ordering::Acquire);
            if cursor != FREE && cursor < lowest {
                lowest = cursor;
            }
        }
        self.limit = lowest + self.shared.capacity();
        self.next < self.limit
    }

    #[cold]
    fn wait_for_room(&mut self) {
        if self.refresh_limit() {
            return;
        }
        self.stats.waits += 1;
        let start = self.wait_clock.map(|clock| clock());
        let mut waiter = self.wait.waiter();
        loop {
            waiter.wait();
            if self.refresh_limit() {
                break;
            }
        }
        self.stats.wait_steps += waiter.waits();
        if let (Some(clock), Some(start)) = (self.wait_clock, start) {
            self.stats.wait_ticks += clock().saturating_sub(start);
        }
    }
}

impl<T> Drop for Producer<T> {
    fn drop(&mut self) {
        self.shared.closed.store(true, Ordering::Release);
    }
}

impl<T> fmt::Debug for Producer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Producer")
            .field("next", &self.next)
            .field("limit", &self.limit)
            .field("stats", &self.stats)
            .field("publish_clock", &self.publish_clock.is_some())
            .finish()
    }
}
