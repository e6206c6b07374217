//! Definitions and channel resets: what creates, reshapes and empties the
//! per-instrument state.

use super::{NormalizeError, Normalizer, NO_QUOTE};
use crate::event::{ClearBody, Event, EventFlags, LevelBody};
use crate::normalize::batch::EventSink;
use crate::normalize::book::{BookKind, LevelChange};
use crate::normalize::registry::{DefinitionAction, DefinitionOutcome, InstrumentDef};
use crate::types::{InstrumentId, Side};

impl<S: EventSink> Normalizer<S> {
    /// Applies a definition message to the registry and the instrument's books.
    ///
    /// Handle it like any message (between [`Normalizer::begin_message`] and
    /// [`Normalizer::end_message`]), because it can produce events: a
    /// definition whose depth shrank drops the levels past the new depth (a
    /// `Cancel` [`LevelBody`] each), and a deleted instrument's books are
    /// cleared (as [`Normalizer::handle_book_reset`] does), its statistics
    /// withdrawn and its quote emptied. A new instrument
    /// starts with empty books, no statistics and no published quote.
    ///
    /// # Errors
    /// [`NormalizeError::Registry`]: the registry refused it (full, unknown on
    /// delete, id 0, too deep); nothing changed.
    pub fn handle_definition(
        &mut self,
        action: DefinitionAction,
        def: &InstrumentDef,
    ) -> Result<DefinitionOutcome, NormalizeError> {
        let outcome = self
            .registry
            .apply(action, def)
            .inspect_err(|_| self.counters.definitions_refused += 1)?;
        match outcome {
            DefinitionOutcome::Added(slot) => {
                let st = &mut self.instruments[slot.index()];
                st.outright.clear();
                st.implied.clear();
                st.outright.set_depth(def.depth.outright, |_| {});
                st.implied.set_depth(def.depth.implied, |_| {});
                st.stats.clear();
                st.mbo_suspect = false;
                st.published_top = NO_QUOTE;
            }
            DefinitionOutcome::Modified {
                slot,
                depth_changed: true,
            } => {
                for (kind, depth) in [
                    (BookKind::Outright, def.depth.outright),
                    (BookKind::Implied, def.depth.implied),
                ] {
                    self.set_depth(slot, def.id, kind, depth);
                }
                self.touch(slot);
            }
            DefinitionOutcome::Modified { .. } => {}
            DefinitionOutcome::Deleted(slot) => self.drop_instrument(slot, def.id),
        }
        Ok(outcome)
    }

    /// A deleted instrument: its books cleared (three clears), its statistics
    /// withdrawn (a `Cancel` each) and, when its last quote was not empty, an
    /// empty quote now (the venue-event end skips instruments no longer
    /// defined), so that a consumer's view of it ends empty.
    fn drop_instrument(&mut self, slot: crate::normalize::registry::Slot, id: InstrumentId) {
        self.clear_instrument_books(slot, id, 0);
        let head = self.header(id, EventFlags::empty());
        let quote_head = self.header(id, EventFlags::MBP | EventFlags::TOB);
        let Normalizer {
            instruments,
            batch,
            sink,
            counters,
            ..
        } = self;
        let st = &mut instruments[slot.index()];
        st.stats.reset(|body| {
            counters.events += 1;
            batch.push(Event::new(head, body), sink);
        });
        if st.published_top != NO_QUOTE {
            st.published_top = NO_QUOTE;
            counters.events += 1;
            batch.push(Event::new(quote_head, NO_QUOTE), sink);
        }
    }

    fn set_depth(
        &mut self,
        slot: crate::normalize::registry::Slot,
        id: InstrumentId,
        kind: BookKind,
        depth: u8,
    ) {
        let mut flags = EventFlags::MBP;
        if kind == BookKind::Implied {
            flags |= EventFlags::IMPLIED;
        }
        let head = self.header(id, flags);
        let Normalizer {
            instruments,
            batch,
            sink,
            counters,
            ..
        } = self;
        instruments[slot.index()]
            .book_mut(kind)
            .set_depth(depth, |c: LevelChange| {
                counters.events += 1;
                let body = LevelBody {
                    price_e9: c.price_e9,
                    qty: c.qty,
                    order_count: c.order_count,
                    rpt_seq: 0,
                    level: c.level,
                    side: c.side,
                    action: c.action,
                };
                batch.push(Event::new(head, body), sink);
            });
    }

    /// The venue reset the channel (CME `ChannelReset4`): every book, order and
    /// statistic of the channel is emptied and suspect marks are cleared; one
    /// [`ClearBody`] with [`InstrumentId::NONE`] says so. Instruments whose last
    /// published quote was not empty get an empty quote at the event's end.
    /// Definitions and trading states stay.
    pub fn handle_channel_reset(&mut self) {
        self.counters.channel_resets += 1;
        self.mbo.clear();
        for index in 0..self.instruments.len() {
            let st = &mut self.instruments[index];
            st.outright.clear();
            st.implied.clear();
            st.stats.clear();
            st.mbo_suspect = false;
            st.order_head = crate::normalize::book::mbo::NIL;
            if st.published_top != NO_QUOTE {
                self.touch(crate::normalize::registry::Slot::from_index(index));
            }
        }
        let body = ClearBody {
            channel: self.channel,
            rpt_seq: 0,
            side: Side::None,
        };
        let event = Event::new(self.header(InstrumentId::NONE, EventFlags::empty()), body);
        self.push(event);
    }
}
