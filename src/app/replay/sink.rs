//! Where the replayed channel's events go: the board, then the broadcast
//! ring (whose producer stamps each batch with the TSC, for the runners'
//! `PublishedToStrategy`), with the `DecodedToPublished` stage recorded.
//!
//! ```text
//!  CmeNormalizer ─publish(&[Event])─► RingSink: board.apply each ─► Producer::publish_batch (stamped)
//!                                                └─ record decoded → published per event (TSC)
//! ```
//!
//! The board is written before the ring so that a strategy reading the board
//! in its callback sees at least the state its event left; with strategies
//! running, the sink first waits for them ([`Lockstep`]) to finish the events
//! already published, so that the board holds exactly the state their events
//! left. That wait is inside the `DecodedToPublished` stage, as a live
//! producer's wait for a blocking subscriber is. Nothing here allocates.

use fixgate_core::board::BoardWriter;
use fixgate_core::event::Event;
use fixgate_core::latency::{Stage, VenueSlot};
use fixgate_core::normalize::batch::EventSink;
use fixgate_core::time::{Clock, Ticks, TscClock};
use fixgate_ring::Producer;

use super::runners::Lockstep;
use crate::report::HotLatency;

/// The replay's event sink (see the [module docs](self)).
pub struct RingSink {
    producer: Producer<Event>,
    board: Option<BoardWriter>,
    clock: TscClock,
    latency: Option<(HotLatency, VenueSlot)>,
    lockstep: Lockstep,
    /// The `ReceiveToDecoded` end stamp of the packet being normalized.
    pub decoded_at: Ticks,
    events: u64,
}

impl RingSink {
    /// A sink publishing into `producer`, folding into `board` when given,
    /// recording into `latency` when given, waiting for `lockstep`'s
    /// strategies before each publish.
    pub fn new(
        producer: Producer<Event>,
        board: Option<BoardWriter>,
        clock: TscClock,
        latency: Option<(HotLatency, VenueSlot)>,
        lockstep: Lockstep,
    ) -> Self {
        RingSink {
            producer,
            board,
            clock,
            latency,
            lockstep,
            decoded_at: Ticks::from_raw(0),
            events: 0,
        }
    }

    /// Events published so far.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// The latency recorder, for the batch-end rotation and the finish.
    pub fn latency_mut(&mut self) -> Option<&mut HotLatency> {
        self.latency.as_mut().map(|(l, _)| l)
    }

    /// Takes the latency recorder out (at the end of the run).
    pub fn take_latency(&mut self) -> Option<HotLatency> {
        self.latency.take().map(|(l, _)| l)
    }
}

impl EventSink for RingSink {
    fn publish(&mut self, events: &[Event]) {
        // The strategies finish the events published so far before the board
        // moves on (the decoding of this venue event overlapped with them).
        self.lockstep.wait_for(self.events);
        if let Some(board) = self.board.as_mut() {
            for e in events {
                board.apply(e);
            }
        }
        // The producer stamps the batch with its publish clock (the same TSC).
        self.producer.publish_batch(events);
        self.events += events.len() as u64;
        if let Some((latency, slot)) = self.latency.as_mut() {
            let end = self.clock.raw();
            let nanos = self.clock.delta_nanos(self.decoded_at, end);
            for _ in events {
                latency
                    .recorder()
                    .record_at(*slot, Stage::DecodedToPublished, nanos);
            }
        }
    }
}
