//! Driving a [`CmeNormalizer`] in tests: packets in, events out, the fuzz
//! target's consumer rebuilding the books from the events and compared with
//! the normalizer's own state at every venue-event end.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use fixgate_core::event::{Event, EventFlags};
use fixgate_core::normalize::cme::{
    CmeConfig, CmeNormalizer, Feed, PacketIn, PacketOutcome, Refusal, UnknownInstrumentPolicy,
};
use fixgate_core::time::UtcNanos;

#[path = "../../fuzz/checks/md_cme_book.rs"]
pub mod md_cme_book;

pub use md_cme_book::Consumer;

/// A channel under test: the adapter, the consumer, what was published and
/// refused.
pub struct Channel {
    pub cme: CmeNormalizer<Vec<Event>>,
    pub consumer: Consumer,
    /// Every event published, in order.
    pub events: Vec<Event>,
    /// Every refusal reported, in order.
    pub refusals: Vec<Refusal>,
    /// Venue-event ends at which the rebuild was compared.
    pub checked_ends: u64,
    /// The next receive time.
    pub ts_recv_ns: u64,
}

impl Channel {
    /// Channel 310: 64 instruments, 4096 orders, undefined instruments refused.
    pub fn new() -> Self {
        Self::with(UnknownInstrumentPolicy::Refuse, 1024)
    }

    /// A channel with a policy and batch capacity.
    pub fn with(policy: UnknownInstrumentPolicy, batch: usize) -> Self {
        let mut config = CmeConfig::channel(310, 64, 4096);
        config.unknown_instruments = policy;
        config.normalizer.batch_capacity = batch;
        Channel {
            cme: CmeNormalizer::new(config, Vec::new()),
            consumer: Consumer::default(),
            events: Vec::new(),
            refusals: Vec::new(),
            checked_ends: 0,
            ts_recv_ns: 1_700_000_000_000_000_000,
        }
    }

    /// Handles a packet; returns the events it published. Checks `LAST`, the
    /// book invariants and, when no venue event is open, the consumer's
    /// rebuild against the books.
    pub fn feed(&mut self, feed: Feed, payload: &[u8]) -> Vec<Event> {
        self.try_feed(feed, payload).1
    }

    /// As [`Channel::feed`], with the outcome.
    pub fn try_feed(
        &mut self,
        feed: Feed,
        payload: &[u8],
    ) -> (
        Result<PacketOutcome, fixgate_core::md::cme::PacketError>,
        Vec<Event>,
    ) {
        self.ts_recv_ns += 1_000;
        let rx = PacketIn {
            feed,
            ts_recv_ns: UtcNanos::from_nanos(self.ts_recv_ns),
            recv_flags: EventFlags::empty(),
        };
        let ended = self.cme.normalizer().counters().venue_events;
        let refusals = &mut self.refusals;
        let outcome = self
            .cme
            .handle_packet_with(rx, payload, &mut |r| refusals.push(r));
        let before = self.events.len();
        let published = self.cme.normalizer().sink().clone();
        md_cme_book::drain(&mut self.cme, &mut self.consumer, ended);
        if !self.cme.normalizer().in_event() {
            self.checked_ends += 1;
        }
        self.events.extend_from_slice(&published);
        (outcome, self.events[before..].to_vec())
    }

    /// Incremental-feed packet.
    pub fn incremental(&mut self, payload: &[u8]) -> Vec<Event> {
        self.feed(Feed::Incremental, payload)
    }
}

impl Default for Channel {
    fn default() -> Self {
        Self::new()
    }
}
