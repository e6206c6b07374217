//! The per-channel normalizer: registry, books, statistics and event assembly
//! for one venue channel.
//!
//! # Calling order
//!
//! For each venue message: [`Normalizer::begin_message`] with its times and
//! sequence, then one `handle_*` call per entry ([`handle_level`],
//! [`handle_order`], [`handle_trade`], [`handle_stat`], [`handle_status`],
//! [`handle_book_reset`], [`handle_channel_reset`], [`handle_definition`]), then
//! [`Normalizer::end_message`] saying whether the message ended the venue event
//! (CME: `MatchEventIndicator` bit 7). A `handle_*` error refuses that entry
//! only (it is counted; see [`NormalizeError`]); go on with the next.
//!
//! # What a consumer may assume
//!
//! - Book events carry resulting state: a [`LevelBody`](crate::event::LevelBody)
//!   is the level's price, total quantity and order count after the update, an
//!   [`OrderBody`](crate::event::OrderBody) the order's. Applied in order, the
//!   events of an instrument rebuild its books exactly, keyed by price or by
//!   level index (see [`crate::normalize::book::mbp`]); a
//!   [`ClearBody`](crate::event::ClearBody) empties a side (DeleteThru), an
//!   instrument's book (book reset, definition deleted) or, with
//!   [`InstrumentId::NONE`], every book and statistic of the channel.
//! - Flags: [`EventFlags::MBP`] on level, MBP clear and quote events;
//!   [`EventFlags::IMPLIED`] on those of the implied book; [`EventFlags::TOB`]
//!   on quotes; [`EventFlags::MAYBE_BAD_BOOK`] when the book the event concerns
//!   had refused an update (or was marked suspect) and has not been cleared or
//!   marked good since; whatever the message's [`MessageStamp::flags`] add
//!   (`SNAPSHOT`, `BAD_TS_RECV`).
//! - The books are consistent only at venue-event ends. Events reach the sink
//!   when the venue event ends (in pieces if it outgrows the batch; see
//!   [`crate::normalize::batch`]), and only the final event of each venue event
//!   carries [`EventFlags::LAST`]. Act on `LAST`.
//! - At the end of a venue event, each instrument whose consolidated best bid or
//!   ask (outright and implied merged: the better price, quantities and counts
//!   summed at equal prices) differs from the last one published gets one
//!   [`QuoteBody`] event (flags `MBP | TOB`), before `LAST`. An emptied side is
//!   a null price with zero quantity.
//! - The accessors ([`Normalizer::mbp`], [`Normalizer::mbo`],
//!   [`Normalizer::stats`]) show the state as of the last call: between venue
//!   events it is what the published events describe; inside one it may be
//!   half-updated ([`Normalizer::in_event`] says which).
//!
//! Not here: sequence numbers, gaps and A/B arbitration (a layer in front of
//! this one marks books suspect and resets them), snapshot recovery (the adapter
//! drives [`handle_book_reset`] then `New` levels with a `SNAPSHOT` stamp).
//!
//! After [`Normalizer::new`] nothing allocates, as long as the sink does not.
//!
//! [`handle_level`]: Normalizer::handle_level
//! [`handle_order`]: Normalizer::handle_order
//! [`handle_trade`]: Normalizer::handle_trade
//! [`handle_stat`]: Normalizer::handle_stat
//! [`handle_status`]: Normalizer::handle_status
//! [`handle_book_reset`]: Normalizer::handle_book_reset
//! [`handle_channel_reset`]: Normalizer::handle_channel_reset
//! [`handle_definition`]: Normalizer::handle_definition

mod books;
mod error;
mod lifecycle;
mod market;
mod recovery;
mod tob;

pub use books::LevelUpdate;
pub use error::{NormalizeCounters, NormalizeError};
pub use recovery::SequenceBody;

use crate::event::{EventFlags, EventHeader, QuoteBody};
use crate::normalize::batch::{EventBatch, EventSink};
use crate::normalize::book::{BookKind, MboBook, MbpBook};
use crate::normalize::registry::{BookDepth, InstrumentRegistry, Slot};
use crate::normalize::stats::InstrumentStats;
use crate::time::UtcNanos;
use crate::types::{InstrumentId, VenueId};

/// How big a [`Normalizer`] is; everything is allocated from these at
/// construction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NormalizerConfig {
    /// The venue stamped on every event.
    pub venue: VenueId,
    /// The channel id (CME channel, e.g. 310), carried by clear events.
    pub channel: u32,
    /// The most instruments the channel defines.
    pub max_instruments: usize,
    /// The deepest books a definition may ask for (CME: 10 outright, 2 implied
    /// for futures).
    pub max_depth: BookDepth,
    /// The most orders resting at once over all instruments (MBO).
    pub max_orders: usize,
    /// Events held before a long venue event spills early (see
    /// [`crate::normalize::batch`]).
    pub batch_capacity: usize,
}

/// The times and sequence of the venue message being handled, copied into the
/// header of every event it produces.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MessageStamp {
    /// When fixgate received the packet.
    pub ts_recv_ns: UtcNanos,
    /// The venue's time of the event (CME `TransactTime`).
    pub ts_event_ns: UtcNanos,
    /// Venue send time minus event time, ns (0 where unknown).
    pub ts_in_delta_ns: i32,
    /// The venue sequence, low 32 bits (CME packet `MsgSeqNum`).
    pub sequence: u32,
    /// Flags added to every event of the message (`SNAPSHOT`, `BAD_TS_RECV`).
    pub flags: EventFlags,
}

/// One instrument's state, in the slot the registry gave it.
#[derive(Clone, Debug)]
struct InstrumentState {
    outright: MbpBook,
    implied: MbpBook,
    stats: InstrumentStats,
    /// An order update of this instrument was refused since the last reset.
    mbo_suspect: bool,
    /// The head of its order list in `Normalizer::mbo` (`book::mbo::NIL`: no
    /// orders): kept here, by slot, so that an order update does not look it
    /// up by instrument (see `MboBook::apply_listed`).
    order_head: u32,
    /// The last quote published for it.
    published_top: QuoteBody,
    /// Listed in `Normalizer::touched` for the current venue event.
    touched: bool,
}

/// A quote with both sides empty.
const NO_QUOTE: QuoteBody = QuoteBody {
    bid_px_e9: crate::types::Price::NULL,
    ask_px_e9: crate::types::Price::NULL,
    bid_qty: crate::types::Qty::ZERO,
    ask_qty: crate::types::Qty::ZERO,
    bid_count: 0,
    ask_count: 0,
};

impl InstrumentState {
    fn new(max_depth: BookDepth) -> Self {
        InstrumentState {
            outright: MbpBook::with_capacity(max_depth.outright),
            implied: MbpBook::with_capacity(max_depth.implied),
            stats: InstrumentStats::new(),
            mbo_suspect: false,
            order_head: crate::normalize::book::mbo::NIL,
            published_top: NO_QUOTE,
            touched: false,
        }
    }

    fn book_mut(&mut self, kind: BookKind) -> &mut MbpBook {
        match kind {
            BookKind::Outright => &mut self.outright,
            BookKind::Implied => &mut self.implied,
        }
    }
}

/// One channel's normalizer (see the [module docs](self) for the calling order
/// and what consumers may assume).
#[derive(Debug)]
pub struct Normalizer<S> {
    venue: VenueId,
    channel: u32,
    registry: InstrumentRegistry,
    instruments: Box<[InstrumentState]>,
    mbo: MboBook,
    batch: EventBatch,
    sink: S,
    stamp: MessageStamp,
    in_event: bool,
    /// Slots whose books changed in the current venue event (capacity: every
    /// slot, so it never grows).
    touched: Vec<Slot>,
    counters: NormalizeCounters,
}

impl<S: EventSink> Normalizer<S> {
    /// A normalizer publishing to `sink`. Allocates every book, table and buffer
    /// it will use.
    pub fn new(config: NormalizerConfig, sink: S) -> Self {
        let registry = InstrumentRegistry::new(config.max_instruments, config.max_depth);
        let slots = registry.capacity();
        Normalizer {
            venue: config.venue,
            channel: config.channel,
            instruments: (0..slots)
                .map(|_| InstrumentState::new(config.max_depth))
                .collect(),
            registry,
            mbo: MboBook::with_capacity(config.max_orders),
            batch: EventBatch::with_capacity(config.batch_capacity),
            sink,
            stamp: MessageStamp::default(),
            in_event: false,
            touched: Vec::with_capacity(slots),
            counters: NormalizeCounters::default(),
        }
    }

    /// Starts a venue message: its times and sequence go into every event it
    /// produces.
    #[inline]
    pub fn begin_message(&mut self, stamp: MessageStamp) {
        self.stamp = stamp;
        self.in_event = true;
    }

    /// Ends a venue message; when `end_of_event` (CME `MatchEventIndicator` bit
    /// 7), also ends the venue event: quotes for changed tops, `LAST` on the
    /// final event, everything published to the sink.
    #[inline]
    pub fn end_message(&mut self, end_of_event: bool) {
        if end_of_event {
            self.end_event();
        }
    }

    /// Whether a venue event is open (a message began since the last event end):
    /// the books may be half-updated.
    #[inline]
    pub fn in_event(&self) -> bool {
        self.in_event
    }

    /// The instrument registry.
    #[inline]
    pub fn registry(&self) -> &InstrumentRegistry {
        &self.registry
    }

    /// An instrument's outright or implied book.
    #[inline]
    pub fn mbp(&self, id: InstrumentId, kind: BookKind) -> Option<&MbpBook> {
        let st = &self.instruments[self.registry.slot(id)?.index()];
        Some(match kind {
            BookKind::Outright => &st.outright,
            BookKind::Implied => &st.implied,
        })
    }

    /// The channel's order book.
    #[inline]
    pub fn mbo(&self) -> &MboBook {
        &self.mbo
    }

    /// An instrument's statistics.
    #[inline]
    pub fn stats(&self, id: InstrumentId) -> Option<&InstrumentStats> {
        Some(&self.instruments[self.registry.slot(id)?.index()].stats)
    }

    /// The last quote published for an instrument (both sides null before the
    /// first).
    #[inline]
    pub fn published_quote(&self, id: InstrumentId) -> Option<QuoteBody> {
        Some(self.instruments[self.registry.slot(id)?.index()].published_top)
    }

    /// Whether an instrument's order book refused an update since its last reset.
    #[inline]
    pub fn mbo_suspect(&self, id: InstrumentId) -> Option<bool> {
        Some(self.instruments[self.registry.slot(id)?.index()].mbo_suspect)
    }

    /// Marks every book of an instrument suspect (a gap upstream): its events
    /// carry `MAYBE_BAD_BOOK` until it is reset or [`Normalizer::mark_good`].
    ///
    /// # Errors
    /// [`NormalizeError::UnknownInstrument`].
    pub fn mark_suspect(&mut self, id: InstrumentId) -> Result<(), NormalizeError> {
        let st = self.state_mut(id)?;
        st.outright.mark_suspect();
        st.implied.mark_suspect();
        st.mbo_suspect = true;
        Ok(())
    }

    /// Marks every book of an instrument good (recovered upstream).
    ///
    /// # Errors
    /// [`NormalizeError::UnknownInstrument`].
    pub fn mark_good(&mut self, id: InstrumentId) -> Result<(), NormalizeError> {
        let st = self.state_mut(id)?;
        st.outright.mark_good();
        st.implied.mark_good();
        st.mbo_suspect = false;
        Ok(())
    }

    /// The counters.
    #[inline]
    pub fn counters(&self) -> NormalizeCounters {
        NormalizeCounters {
            batch_spills: self.batch.spills(),
            ..self.counters
        }
    }

    /// The sink.
    #[inline]
    pub fn sink(&self) -> &S {
        &self.sink
    }

    /// The sink, mutably (a test drains its `Vec`).
    #[inline]
    pub fn sink_mut(&mut self) -> &mut S {
        &mut self.sink
    }

    /// The channel id.
    #[inline]
    pub fn channel(&self) -> u32 {
        self.channel
    }

    fn slot(&mut self, id: InstrumentId) -> Result<Slot, NormalizeError> {
        match self.registry.slot(id) {
            Some(slot) => Ok(slot),
            None => {
                self.counters.unknown_instrument += 1;
                Err(NormalizeError::UnknownInstrument { id })
            }
        }
    }

    fn state_mut(&mut self, id: InstrumentId) -> Result<&mut InstrumentState, NormalizeError> {
        let slot = self.slot(id)?;
        Ok(&mut self.instruments[slot.index()])
    }

    /// The header of an event of `instrument` in the current message.
    #[inline]
    fn header(&self, instrument: InstrumentId, flags: EventFlags) -> EventHeader {
        header(self.venue, &self.stamp, instrument, flags)
    }

    /// Lists `slot` as touched in the current venue event.
    #[inline]
    fn touch(&mut self, slot: Slot) {
        touch(&mut self.instruments, &mut self.touched, slot);
    }
}

/// The header of an event (a free function so that callers can hold other
/// fields of the normalizer mutably).
#[inline]
fn header(
    venue: VenueId,
    stamp: &MessageStamp,
    instrument: InstrumentId,
    flags: EventFlags,
) -> EventHeader {
    EventHeader {
        flags: stamp.flags | flags,
        venue,
        instrument,
        ts_recv_ns: stamp.ts_recv_ns,
        ts_event_ns: stamp.ts_event_ns,
        ts_in_delta_ns: stamp.ts_in_delta_ns,
        sequence: stamp.sequence,
    }
}

#[inline]
fn touch(instruments: &mut [InstrumentState], touched: &mut Vec<Slot>, slot: Slot) {
    let st = &mut instruments[slot.index()];
    if !st.touched {
        st.touched = true;
        // At most one entry per slot, and the Vec has room for every slot.
        touched.push(slot);
    }
}

#[cfg(test)]
mod tests;
