//! The publish stamp side channel: the ring carries no publish time, so the
//! producer writes each event's publish stamp (a raw TSC reading) into a
//! table indexed by ring sequence, and the strategy side reads it back by the
//! sequence it has reached.
//!
//! ```text
//!  producer: stamps[seq & mask] = tsc ─► publish(event) (release)
//!  runner:   read event seq (acquire) ─► StampedStrategy: tsc − stamps[seq & mask] ─► PublishedToStrategy
//! ```
//!
//! The table has one slot per ring slot. A stamp is stored (relaxed) before
//! the event's publish (a release store of the ring's cursor), so a
//! subscriber that has read the event sees its stamp, or a newer one when
//! the producer has lapped it (lossy subscribers only: the stage then reads
//! short, never long). A [`StampedStrategy`] wraps any strategy and counts the
//! events it is given to know their sequences; it must subscribe from the
//! ring's start (replay subscribes every strategy before the first publish)
//! and counts lapped events through `on_lapped`.
//!
//! The stamp is taken just before the publish, so `PublishedToStrategy`
//! includes the publish itself (a few ns) and `DecodedToPublished` ends after
//! it. The ring now carries publish stamps of its own
//! (`Producer::set_publish_clock`, read by `StrategyRunner::spawn_with_latency`);
//! the replay was written before them, and moving it onto them (this file
//! then goes) is still to do.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use fixgate_core::event::Event;
use fixgate_core::latency::{LatencyLayout, Stage, VenueSlot};
use fixgate_core::strategy::{Context, OrderUpdate, Strategy};
use fixgate_core::time::{Clock, Ticks, TscClock};

use crate::report::HotLatency;

/// Publish stamps by ring sequence (see the [module docs](self)).
#[derive(Debug)]
pub struct PublishStamps {
    slots: Box<[AtomicU64]>,
    mask: u64,
}

impl PublishStamps {
    /// A table for a ring of `capacity` slots (rounded up to a power of two).
    pub fn new(capacity: usize) -> Self {
        let n = capacity.max(1).next_power_of_two();
        PublishStamps {
            slots: (0..n).map(|_| AtomicU64::new(0)).collect(),
            mask: n as u64 - 1,
        }
    }

    /// Stamps sequence `seq` (before it is published).
    #[inline]
    pub fn set(&self, seq: u64, stamp: Ticks) {
        // `mask` < slots.len(): in range.
        self.slots[(seq & self.mask) as usize].store(stamp.as_raw(), Ordering::Relaxed);
    }

    /// The stamp of sequence `seq` (read after the event).
    #[inline]
    pub fn get(&self, seq: u64) -> Ticks {
        Ticks::from_raw(self.slots[(seq & self.mask) as usize].load(Ordering::Relaxed))
    }
}

/// A strategy with its `PublishedToStrategy` stage recorded (see the
/// [module docs](self)); everything else is passed through.
pub struct StampedStrategy {
    inner: Box<dyn Strategy>,
    stamps: Arc<PublishStamps>,
    next_seq: u64,
    clock: TscClock,
    slot: Option<VenueSlot>,
    latency: Option<HotLatency>,
}

impl StampedStrategy {
    /// Wraps `inner`, reading `stamps`, recording into `latency` (its layout
    /// must hold the CME venue and the stage to record anything).
    pub fn new(
        inner: Box<dyn Strategy>,
        stamps: Arc<PublishStamps>,
        layout: &LatencyLayout,
        latency: HotLatency,
        clock: TscClock,
    ) -> Self {
        StampedStrategy {
            inner,
            stamps,
            next_seq: 0,
            clock,
            slot: layout.venue_slot(fixgate_core::types::VenueId::CME),
            latency: Some(latency),
        }
    }
}

impl Strategy for StampedStrategy {
    fn on_start(&mut self, ctx: &mut Context<'_>) {
        self.inner.on_start(ctx);
    }

    fn on_event(&mut self, ctx: &mut Context<'_>, event: &Event) {
        let now = self.clock.raw();
        let published = self.stamps.get(self.next_seq);
        self.next_seq += 1;
        if let (Some(slot), Some(latency)) = (self.slot, self.latency.as_mut()) {
            latency.recorder().record_ticks(
                &self.clock,
                slot,
                Stage::PublishedToStrategy,
                published,
                now,
            );
        }
        self.inner.on_event(ctx, event);
    }

    fn on_batch_end(&mut self, ctx: &mut Context<'_>) {
        if let Some(latency) = self.latency.as_mut() {
            latency.end_batch(self.clock.mono());
        }
        self.inner.on_batch_end(ctx);
    }

    fn on_timer(&mut self, ctx: &mut Context<'_>, token: u64) {
        self.inner.on_timer(ctx, token);
    }

    fn on_order_update(&mut self, ctx: &mut Context<'_>, update: &OrderUpdate) {
        self.inner.on_order_update(ctx, update);
    }

    fn on_lapped(&mut self, ctx: &mut Context<'_>, missed: u64) {
        self.next_seq += missed;
        self.inner.on_lapped(ctx, missed);
    }

    fn on_stop(&mut self, ctx: &mut Context<'_>) {
        self.inner.on_stop(ctx);
        if let Some(latency) = self.latency.take() {
            latency.finish(self.clock.mono());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_wrap_with_the_ring() {
        let s = PublishStamps::new(6);
        s.set(3, Ticks::from_raw(30));
        s.set(8 + 5, Ticks::from_raw(130));
        assert_eq!(s.get(3).as_raw(), 30);
        assert_eq!(s.get(5).as_raw(), 130, "8 slots: 13 lands on 5");
    }
}
