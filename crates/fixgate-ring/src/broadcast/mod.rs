//! The broadcast ring: one producer, many subscribers, fixed power-of-two capacity.
//!
//! Supported:
//! - one [`Producer`] publishing `T: RingPayload` values (one at a time or in batches,
//!   with one head update per batch);
//! - [`Blocking`] subscribers, which read each event in place and which the
//!   producer never passes: it waits (with its [`WaitStrategy`]) until the
//!   slowest blocking subscriber has released a slot, and counts those waits;
//! - [`Lossy`] subscribers, which copy each event out through the slot's
//!   sequence stamp (a per-slot seqlock), never write shared memory and so never
//!   slow the producer; when lapped they learn exactly how many events they
//!   missed and resume at the newest one;
//! - batched reads for both (up to N events per call, one cursor update);
//! - subscribers joining and leaving at run time ([`Subscribers`], a cloneable
//!   handle); a late joiner starts with the next event published;
//! - no allocation after [`channel`] returns, no locks, no system calls on the
//!   publish path (a parked waiter is never woken: see [`crate::wait`]).
//!
//! Not supported: more than one producer; replay of history to a late joiner
//! (the board's seqlock cells give it current state); more blocking subscribers
//! than the `max_blocking` seats fixed at construction; a `T` that is not a
//! [`RingPayload`] (padding or pointers: see
//! [`crate::element`]; fixgate's `Event` is one).
//!
//! # Layout
//!
//! ```text
//! head        CachePadded<AtomicU64>   count of published events (next sequence)
//! seats[k]    CachePadded<AtomicU64>   each blocking subscriber's cursor, FREE = u64::MAX
//! slots[cap]  { stamp: AtomicU64, published: AtomicU64, value: T as atomic words },
//!             sequence s in slots[s & (cap-1)]
//! ```
//!
//! `published` is the publish stamp: with a clock set
//! ([`Producer::set_publish_clock`]) the producer reads it once per batch (once
//! per event for [`Producer::publish`]) just before writing the batch's slots,
//! and stores it beside each value, so a subscriber can time "published →
//! callback" without another shared cache line (the slot of a 64-byte event
//! already spans two lines, the stamps sharing the first). It is written and read
//! exactly like a value word (step 2 below), so a lossy copy gets the stamp of
//! the event it copied. The reading precedes the head store by the time to write
//! the batch (nanoseconds per event); 0 means "no clock".
//!
//! Sequence numbers are `u64` and never wrap in practice (2^63 events at 10^9/s
//! is 292 years). A slot's stamp is `2s+1` while sequence `s` is being written and
//! `2s+2` once it is complete; 0 means never written.
//!
//! # Memory ordering
//!
//! Writing sequence `s` (producer, [`Producer::publish`]):
//! 1. `stamp.store(2s+1, Relaxed)`, then `fence(Release)`;
//! 2. the publish stamp and the value's words, `Relaxed` atomic stores;
//! 3. `stamp.store(2s+2, Release)`;
//! 4. after the batch, `head.store(s+1, Release)`.
//!
//! **Blocking read** of `s` (in place): `head.load(Acquire) > s` synchronises with
//! step 4, so the whole value happens-before the read. The producer does not
//! start writing slot `s & mask` again (sequence `s + cap`) until it has loaded the
//! subscriber's seat with a value `> s` (`Acquire`), which the subscriber stores
//! (`Release`) only after its last read of `s`: the reads happen-before the next
//! write. So a `&T` into the slot is never aliased by a store.
//!
//! **Lossy read** of `s`: `s1 = stamp.load(Acquire)`; if `s1 == 2s+2`, copy the
//! words (`Relaxed`), `fence(Acquire)`, `s2 = stamp.load(Relaxed)`; the copy is
//! `s` iff `s2 == s1`. Why: `s1` synchronises with step 3 of `s`, so every word
//! load sees `s`'s word or a later one. If any word came from a later write
//! (`s + k·cap`), that store is after its writer's `fence(Release)` (step 1), and
//! the reader's `fence(Acquire)` follows the load that read it, so the two fences
//! synchronise and the later `stamp.store(2(s+k·cap)+1)` happens-before the `s2`
//! load: `s2 != s1`. All accesses are atomic, so an overlapping overwrite is not a
//! data race (Miri and loom check this). `s1 < 2s+2`: not yet written. `s1 >
//! 2s+2` or `s2 != s1`: lapped.
//!
//! **Lapped**: the stamp seen names a sequence `p ≥ s + cap` that has been (even
//! stamp) or is being (odd stamp) written, so every sequence below it (or up to
//! it) has been written. The subscriber moves its cursor to the newest sequence
//! it knows complete, `max(head − 1, p or p − 1)`, and counts every sequence it
//! skipped. `cap ≥ 2` guarantees progress. Delivered plus missed is exactly the
//! number of sequences below the cursor: the count is exact.
//!
//! **Blocking join** (the one place needing `SeqCst`): the joiner claims a seat
//! with its start `j = head` (`SeqCst` CAS), then `fence(SeqCst)` and re-reads
//! `head`, moving `j` up and repeating until the head it reads equals `j`. The
//! producer, before computing how far it may write (`limit = min(head, seats) +
//! cap`), issues `fence(SeqCst)` after its last head store. Of the two fences one
//! precedes the other in the single `SeqCst` order: either the producer's seat
//! loads see the joiner's claim, or the joiner's head load sees the head the
//! producer used, so `j ≥` that head. Either way `limit ≤ j + cap`: the producer
//! never overwrites a sequence the joiner will read. The fence runs only when the
//! producer refreshes its limit (once per `cap` events when subscribers keep up).
//!
//! **Leave**: a blocking subscriber stores `FREE` (`Release`) into its seat when
//! dropped; the producer's `Acquire` seat load then orders its next writes after
//! the subscriber's last reads.
//!
//! **Close**: dropping the producer stores `closed = true` (`Release`) after its
//! last head store; a subscriber that finds nothing, then sees `closed`
//! (`Acquire`) and re-reads the head knows no more events will come.

mod blocking;
mod lossy;
mod producer;

use std::fmt;

pub use blocking::Blocking;
pub use lossy::{Lossy, LossyBatch, Received};
pub use producer::{Producer, ProducerStats, PublishClock, RingFull};

use crate::element::RingPayload;
use crate::pad::CachePadded;
use crate::payload::Payload;
use crate::sync::{fence, Arc, AtomicBool, AtomicU64, Ordering};
use crate::wait::WaitStrategy;

/// A seat no blocking subscriber holds.
pub(crate) const FREE: u64 = u64::MAX;

/// The shape of a ring, fixed at construction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RingConfig {
    /// Slots: a power of two, at least 2.
    pub capacity: usize,
    /// Seats for blocking subscribers (the producer scans them all when it
    /// refreshes its limit, so keep this small: 1–8).
    pub max_blocking: usize,
    /// How the producer waits for a blocking subscriber.
    pub producer_wait: WaitStrategy,
}

impl RingConfig {
    /// `capacity` slots, 4 blocking seats, the default backoff for the producer.
    pub fn with_capacity(capacity: usize) -> RingConfig {
        RingConfig {
            capacity,
            max_blocking: 4,
            producer_wait: WaitStrategy::default(),
        }
    }
}

/// Why [`channel`] refused a configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// The capacity is not a power of two of at least 2 (a lossy subscriber needs
    /// two slots to make progress when lapped).
    BadCapacity {
        /// The capacity asked for.
        capacity: usize,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::BadCapacity { capacity } => write!(
                f,
                "ring capacity {capacity} is not a power of two of at least 2"
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Why a blocking subscriber could not join.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinError {
    /// Every blocking seat is taken.
    NoFreeSeat {
        /// The ring's `max_blocking`.
        seats: usize,
    },
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JoinError::NoFreeSeat { seats } => {
                write!(f, "all {seats} blocking subscriber seats are taken")
            }
        }
    }
}

impl std::error::Error for JoinError {}

/// The producer has been dropped and every event it published has been read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Closed;

impl fmt::Display for Closed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the ring's producer is gone and every event has been read")
    }
}

impl std::error::Error for Closed {}

/// One slot: the stamp and the value (see the module docs for the stamp values).
#[repr(C)]
pub(crate) struct Slot<T> {
    pub(crate) stamp: AtomicU64,
    /// The producer's publish clock reading for this event's batch (0 without
    /// a clock), written and read inside the stamp's window like the value.
    pub(crate) published: AtomicU64,
    pub(crate) value: Payload<T>,
}

/// What the producer and every subscriber share.
pub(crate) struct Shared<T> {
    /// Published events: the next sequence the producer will make visible.
    pub(crate) head: CachePadded<AtomicU64>,
    /// Set once when the producer is dropped.
    pub(crate) closed: CachePadded<AtomicBool>,
    /// Blocking subscribers' cursors (the next sequence each will read), or FREE.
    pub(crate) seats: Box<[CachePadded<AtomicU64>]>,
    pub(crate) slots: Box<[Slot<T>]>,
    pub(crate) mask: u64,
}

impl<T: RingPayload> Shared<T> {
    #[inline]
    pub(crate) fn slot(&self, seq: u64) -> &Slot<T> {
        // `mask < slots.len()`, so the index is in bounds (and the check folds away).
        &self.slots[(seq & self.mask) as usize]
    }

    pub(crate) fn capacity(&self) -> u64 {
        self.mask + 1
    }

    /// Claims a free seat for a blocking subscriber starting at the head (see
    /// "Blocking join" in the module docs); returns the seat and the start.
    fn claim_seat(&self) -> Result<(usize, u64), JoinError> {
        for (index, seat) in self.seats.iter().enumerate() {
            let mut start = self.head.load(Ordering::Acquire);
            if seat
                .compare_exchange(FREE, start, Ordering::SeqCst, Ordering::Relaxed)
                .is_err()
            {
                continue;
            }
            loop {
                fence(Ordering::SeqCst);
                let head = self.head.load(Ordering::Acquire);
                if head == start {
                    return Ok((index, start));
                }
                start = head;
                seat.store(start, Ordering::SeqCst);
            }
        }
        Err(JoinError::NoFreeSeat {
            seats: self.seats.len(),
        })
    }
}

/// Builds a ring: the producer and a handle for subscribing, now or later.
///
/// This is the only call that allocates (the slots, the seats and the shared
/// block); nothing the returned handles do allocates.
///
/// # Errors
/// [`ConfigError::BadCapacity`] unless `capacity` is a power of two ≥ 2.
pub fn channel<T: RingPayload>(
    config: RingConfig,
) -> Result<(Producer<T>, Subscribers<T>), ConfigError> {
    let capacity = config.capacity;
    if capacity < 2 || !capacity.is_power_of_two() {
        return Err(ConfigError::BadCapacity { capacity });
    }
    let shared = Arc::new(Shared {
        head: CachePadded::new(AtomicU64::new(0)),
        closed: CachePadded::new(AtomicBool::new(false)),
        seats: (0..config.max_blocking)
            .map(|_| CachePadded::new(AtomicU64::new(FREE)))
            .collect(),
        slots: (0..capacity)
            .map(|_| Slot {
                stamp: AtomicU64::new(0),
                published: AtomicU64::new(0),
                value: Payload::zeroed(),
            })
            .collect(),
        mask: capacity as u64 - 1,
    });
    let producer = Producer::new(Arc::clone(&shared), config.producer_wait);
    Ok((producer, Subscribers { shared }))
}

/// A handle for adding subscribers to a ring at any time (cloning it does not
/// allocate: it is a reference count).
pub struct Subscribers<T> {
    shared: Arc<Shared<T>>,
}

impl<T> Clone for Subscribers<T> {
    fn clone(&self) -> Subscribers<T> {
        Subscribers {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<T: RingPayload> Subscribers<T> {
    /// A blocking subscriber that reads every event published from now on; the
    /// producer will wait for it. Drop it to release its seat.
    ///
    /// # Errors
    /// [`JoinError::NoFreeSeat`] when all `max_blocking` seats are taken.
    pub fn blocking(&self, wait: WaitStrategy) -> Result<Blocking<T>, JoinError> {
        let (seat, start) = self.shared.claim_seat()?;
        Ok(Blocking::new(Arc::clone(&self.shared), seat, start, wait))
    }

    /// A lossy subscriber starting at the next event published. It takes no seat
    /// and the producer never waits for it.
    pub fn lossy(&self, wait: WaitStrategy) -> Lossy<T> {
        let start = self.shared.head.load(Ordering::Acquire);
        Lossy::new(Arc::clone(&self.shared), start, wait)
    }

    /// The number of slots.
    pub fn capacity(&self) -> u64 {
        self.shared.capacity()
    }

    /// Events published so far.
    pub fn published(&self) -> u64 {
        self.shared.head.load(Ordering::Acquire)
    }
}

impl<T> fmt::Debug for Subscribers<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscribers")
            .field("capacity", &(self.shared.mask + 1))
            .field("seats", &self.shared.seats.len())
            .finish()
    }
}
