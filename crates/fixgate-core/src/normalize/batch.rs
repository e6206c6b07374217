//! Event assembly: the events of one venue event, collected in a caller-sized
//! buffer and handed to an [`EventSink`] with [`EventFlags::LAST`] on the final
//! one.
//!
//! What a sink sees, precisely:
//!
//! - Events arrive in the order they were produced, in one or more
//!   [`EventSink::publish`] calls per venue event.
//! - [`EventFlags::LAST`] is set on exactly one event per finished venue event:
//!   its final one; every other event has it clear. A venue event that produced
//!   no events publishes nothing.
//! - Normally one venue event is one `publish` call. A venue event that produces
//!   more events than the batch's capacity is published in pieces: when the
//!   buffer is full, what it holds is published (none of it `LAST`) and filling
//!   goes on. Consumers must therefore act on `LAST`, not on the end of a
//!   `publish` call.
//!
//! Nothing here allocates after [`EventBatch::with_capacity`].

use crate::event::{Event, EventFlags};

/// Where published events go: the ring's producer, a recorder, a test's `Vec`.
pub trait EventSink {
    /// Takes a run of events, in order (see the [module docs](self) for what a
    /// run may be).
    fn publish(&mut self, events: &[Event]);
}

/// Appends (allocates as the `Vec` grows; for tests and tools).
impl EventSink for Vec<Event> {
    fn publish(&mut self, events: &[Event]) {
        self.extend_from_slice(events);
    }
}

/// A closure as a sink.
#[derive(Debug)]
pub struct FnSink<F>(pub F);

impl<F: FnMut(&[Event])> EventSink for FnSink<F> {
    fn publish(&mut self, events: &[Event]) {
        (self.0)(events)
    }
}

/// The events of the venue event in progress (see the [module docs](self)).
#[derive(Clone, Debug)]
pub struct EventBatch {
    events: Vec<Event>,
    capacity: usize,
    spills: u64,
}

impl EventBatch {
    /// A batch holding up to `capacity` events (at least one) before it spills.
    /// Allocates here, never again.
    pub fn with_capacity(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        EventBatch {
            events: Vec::with_capacity(capacity),
            capacity,
            spills: 0,
        }
    }

    /// The events held (not yet published).
    #[inline]
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// How many are held.
    #[inline]
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Whether none are held.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The most it holds before spilling.
    #[inline]
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many times a full buffer was published before its venue event ended.
    #[inline]
    pub fn spills(&self) -> u64 {
        self.spills
    }

    /// Adds an event (its `LAST` flag cleared); a full buffer is first published
    /// to `sink`. The newest event is therefore always held until
    /// [`EventBatch::finish`].
    #[inline(always)]
    pub fn push(&mut self, mut event: Event, sink: &mut impl EventSink) {
        if self.events.len() == self.capacity {
            self.spill(sink);
        }
        event.set_flags(event.flags().difference(EventFlags::LAST));
        self.events.push(event);
    }

    /// Publishes a full buffer before its venue event ended (rare: kept out
    /// of the inlined [`EventBatch::push`]).
    #[cold]
    #[inline(never)]
    fn spill(&mut self, sink: &mut impl EventSink) {
        sink.publish(&self.events);
        self.events.clear();
        self.spills += 1;
    }

    /// Ends the venue event: sets `LAST` on the final event and publishes what
    /// is held. Nothing happens when nothing is held.
    #[inline]
    pub fn finish(&mut self, sink: &mut impl EventSink) {
        let Some(last) = self.events.last_mut() else {
            return;
        };
        last.set_flags(last.flags() | EventFlags::LAST);
        sink.publish(&self.events);
        self.events.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{EventHeader, TradeBody};
    use crate::types::{Price, Qty, Side, TradeId};

    fn ev(n: u32) -> Event {
        let header = EventHeader {
            sequence: n,
            flags: EventFlags::LAST,
            ..EventHeader::default()
        };
        Event::new(
            header,
            TradeBody {
                price_e9: Price::from_e9(1),
                trade_id: TradeId(u64::from(n)),
                qty: Qty::from_lots(1),
                rpt_seq: n,
                aggressor: Side::None,
                action: crate::event::Action::Trade,
            },
        )
    }

    fn lasts(events: &[Event]) -> Vec<bool> {
        events
            .iter()
            .map(|e| e.flags().contains(EventFlags::LAST))
            .collect()
    }

    #[test]
    fn last_only_on_the_final_event_at_finish() {
        let mut batch = EventBatch::with_capacity(8);
        let mut sink: Vec<Event> = Vec::new();
        for n in 0..3 {
            batch.push(ev(n), &mut sink);
        }
        assert!(
            sink.is_empty(),
            "nothing is published before the event ends"
        );
        assert!(batch
            .events()
            .iter()
            .all(|e| !e.flags().contains(EventFlags::LAST)));
        batch.finish(&mut sink);
        assert_eq!(lasts(&sink), [false, false, true]);
        assert!(batch.is_empty());
        batch.finish(&mut sink);
        assert_eq!(sink.len(), 3, "an empty venue event publishes nothing");
    }

    #[test]
    fn a_full_buffer_spills_without_last() {
        let mut batch = EventBatch::with_capacity(2);
        let mut calls: Vec<Vec<u32>> = Vec::new();
        let mut all: Vec<Event> = Vec::new();
        let mut sink = FnSink(|events: &[Event]| {
            calls.push(events.iter().map(|e| e.sequence()).collect());
            all.extend_from_slice(events);
        });
        for n in 0..5 {
            batch.push(ev(n), &mut sink);
        }
        batch.finish(&mut sink);
        assert_eq!(calls, [vec![0, 1], vec![2, 3], vec![4]]);
        assert_eq!(lasts(&all), [false, false, false, false, true]);
        assert_eq!(batch.spills(), 2);
    }
}
