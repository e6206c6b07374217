//! Resets of one kind of book of one instrument, for snapshot recovery: a
//! market-by-price snapshot (CME `SnapshotFullRefresh52`) rebuilds the outright
//! and implied books and leaves the orders alone; a market-by-order snapshot
//! (CME `SnapshotFullRefreshOrderBook53`) rebuilds the orders and leaves the
//! levels alone. [`Normalizer::handle_book_reset`] empties all three.
//! The recovery layer in front also publishes its gap and recovered events
//! ([`Normalizer::handle_sequence_event`]) and clears suspect marks its
//! sequence checks disproved ([`Normalizer::mark_levels_good`]).

use super::{MessageStamp, NormalizeError, Normalizer};
use crate::event::{ClearBody, Event, EventFlags, GapBody, RecoveredBody};
use crate::normalize::batch::EventSink;
use crate::types::{InstrumentId, Side};

impl<S: EventSink> Normalizer<S> {
    /// Empties an instrument's outright and implied books and clears their
    /// suspect marks (a market-by-price snapshot follows); publishes two
    /// [`ClearBody`] events (`MBP` and `MBP | IMPLIED`). Its orders stay.
    ///
    /// # Errors
    /// [`NormalizeError::UnknownInstrument`].
    pub fn handle_mbp_reset(
        &mut self,
        id: InstrumentId,
        rpt_seq: u32,
    ) -> Result<(), NormalizeError> {
        let slot = self.slot(id)?;
        let st = &mut self.instruments[slot.index()];
        st.outright.clear();
        st.implied.clear();
        let body = ClearBody {
            channel: self.channel,
            rpt_seq,
            side: Side::None,
        };
        for flags in [EventFlags::MBP, EventFlags::MBP | EventFlags::IMPLIED] {
            let event = Event::new(self.header(id, flags), body);
            self.push(event);
        }
        self.touch(slot);
        Ok(())
    }

    /// Removes an instrument's orders and clears its order-book suspect mark (a
    /// market-by-order snapshot follows); publishes one [`ClearBody`] without
    /// `MBP`. Its levels stay.
    ///
    /// # Errors
    /// [`NormalizeError::UnknownInstrument`].
    pub fn handle_order_reset(&mut self, id: InstrumentId) -> Result<(), NormalizeError> {
        let slot = self.slot(id)?;
        let st = &mut self.instruments[slot.index()];
        st.mbo_suspect = false;
        self.mbo.clear_listed(&mut st.order_head);
        let body = ClearBody {
            channel: self.channel,
            rpt_seq: 0,
            side: Side::None,
        };
        let event = Event::new(self.header(id, EventFlags::empty()), body);
        self.push(event);
        Ok(())
    }
}

impl<S: EventSink> Normalizer<S> {
    /// Publishes a sequencing event (a [`GapBody`] or [`RecoveredBody`], from
    /// the recovery layer in front of this one) with `stamp`. Outside a venue
    /// event it is a venue event of its own (so it carries `LAST`); inside one
    /// it joins it.
    pub fn handle_sequence_event(
        &mut self,
        stamp: MessageStamp,
        instrument: InstrumentId,
        body: SequenceBody,
    ) {
        let open = self.in_event;
        self.begin_message(stamp);
        let event = match body {
            SequenceBody::Gap(b) => Event::new(self.header(instrument, EventFlags::empty()), b),
            SequenceBody::Recovered(b) => {
                Event::new(self.header(instrument, EventFlags::empty()), b)
            }
        };
        self.push(event);
        self.end_message(!open);
    }

    /// Marks an instrument's outright and implied books suspect (its orders
    /// keep their mark).
    ///
    /// # Errors
    /// [`NormalizeError::UnknownInstrument`].
    pub fn mark_levels_suspect(&mut self, id: InstrumentId) -> Result<(), NormalizeError> {
        let slot = self.slot(id)?;
        let st = &mut self.instruments[slot.index()];
        st.outright.mark_suspect();
        st.implied.mark_suspect();
        Ok(())
    }

    /// Marks an instrument's orders suspect, or good (`suspect == false`);
    /// its levels keep their mark.
    ///
    /// # Errors
    /// [`NormalizeError::UnknownInstrument`].
    pub fn mark_orders(&mut self, id: InstrumentId, suspect: bool) -> Result<(), NormalizeError> {
        let slot = self.slot(id)?;
        self.instruments[slot.index()].mbo_suspect = suspect;
        Ok(())
    }

    /// Marks an instrument's outright and implied books good (its `RptSeq`
    /// proved that a packet gap did not touch them); its orders keep their
    /// mark (order updates carry no `RptSeq`: only a snapshot proves them).
    ///
    /// # Errors
    /// [`NormalizeError::UnknownInstrument`].
    pub fn mark_levels_good(&mut self, id: InstrumentId) -> Result<(), NormalizeError> {
        let slot = self.slot(id)?;
        let st = &mut self.instruments[slot.index()];
        st.outright.mark_good();
        st.implied.mark_good();
        Ok(())
    }
}

/// The body of an event published by [`Normalizer::handle_sequence_event`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SequenceBody {
    /// Venue sequence numbers are missing.
    Gap(GapBody),
    /// A gap was repaired.
    Recovered(RecoveredBody),
}
