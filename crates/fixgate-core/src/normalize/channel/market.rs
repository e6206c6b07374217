//! Trades, statistics and security status: per-instrument state and events
//! that never change a book.

use super::{NormalizeError, Normalizer};
use crate::event::{Event, EventFlags, StatusBody};
use crate::normalize::batch::EventSink;
use crate::normalize::registry::Slot;
use crate::normalize::stats::StatUpdate;
use crate::normalize::status::{StatusScope, StatusUpdate};
use crate::normalize::trade::{TradeAction, TradeUpdate};

impl<S: EventSink> Normalizer<S> {
    /// Publishes a trade or bust ([`TradeBody`](crate::event::TradeBody) with
    /// action `Trade` or `Cancel`). No book changes.
    ///
    /// # Errors
    /// [`NormalizeError::UnknownInstrument`], [`NormalizeError::Trade`].
    pub fn handle_trade(&mut self, u: &TradeUpdate) -> Result<(), NormalizeError> {
        let slot = self.slot(u.instrument)?;
        self.handle_trade_at(slot, u)
    }

    /// [`Normalizer::handle_trade`] for an adapter that already resolved the
    /// instrument's registry `slot`.
    ///
    /// # Errors
    /// [`NormalizeError::Trade`], as [`Normalizer::handle_trade`].
    #[inline]
    pub(crate) fn handle_trade_at(
        &mut self,
        slot: Slot,
        u: &TradeUpdate,
    ) -> Result<(), NormalizeError> {
        debug_assert_eq!(self.registry.slot(u.instrument), Some(slot));
        let body = u
            .body()
            .inspect_err(|_| self.counters.trades_refused += 1)?;
        if u.action == TradeAction::Bust {
            self.counters.busts += 1;
        }
        let event = Event::new(self.header(u.instrument, EventFlags::empty()), body);
        self.push(event);
        Ok(())
    }

    /// Updates a statistic and publishes its resulting value
    /// ([`StatBody`](crate::event::StatBody)).
    ///
    /// # Errors
    /// [`NormalizeError::UnknownInstrument`], [`NormalizeError::Stat`].
    pub fn handle_stat(&mut self, u: &StatUpdate) -> Result<(), NormalizeError> {
        let slot = self.slot(u.instrument)?;
        self.handle_stat_at(slot, u)
    }

    /// [`Normalizer::handle_stat`] for an adapter that already resolved the
    /// instrument's registry `slot`.
    ///
    /// # Errors
    /// [`NormalizeError::Stat`], as [`Normalizer::handle_stat`].
    #[inline]
    pub(crate) fn handle_stat_at(
        &mut self,
        slot: Slot,
        u: &StatUpdate,
    ) -> Result<(), NormalizeError> {
        debug_assert_eq!(self.registry.slot(u.instrument), Some(slot));
        let body = self.instruments[slot.index()]
            .stats
            .apply(u)
            .inspect_err(|_| self.counters.stats_refused += 1)?;
        let event = Event::new(self.header(u.instrument, EventFlags::empty()), body);
        self.push(event);
        Ok(())
    }

    /// Applies a security status to each instrument in scope: the registry's
    /// trading state, a [`StatusBody`] event each, and (when asked) a reset of
    /// their statistics (a `Cancel` [`StatBody`](crate::event::StatBody) per
    /// statistic that had a value). A group with no defined instrument is no
    /// error: nothing happens.
    ///
    /// # Errors
    /// [`NormalizeError::UnknownInstrument`] for a single-instrument scope.
    pub fn handle_status(&mut self, u: &StatusUpdate) -> Result<(), NormalizeError> {
        match u.scope {
            StatusScope::Instrument(id) => {
                let slot = self.slot(id)?;
                self.apply_status(slot, u);
            }
            StatusScope::Group { .. } => {
                for index in 0..self.registry.capacity() {
                    let slot = Slot::from_index(index);
                    if self.registry.at(slot).is_some_and(|d| u.scope.covers(d)) {
                        self.apply_status(slot, u);
                    }
                }
            }
        }
        Ok(())
    }

    fn apply_status(&mut self, slot: Slot, u: &StatusUpdate) {
        let Some(def) = self.registry.at(slot) else {
            return;
        };
        let id = def.id;
        let state = u.state.unwrap_or(def.trading_state);
        // Cannot fail: `slot` holds `id`.
        let _ = self.registry.set_trading_state(id, state);
        let event = Event::new(
            self.header(id, EventFlags::empty()),
            StatusBody {
                venue_status: u.venue_status,
                halt_reason: u.halt_reason,
                trading_event: u.trading_event,
                state,
            },
        );
        self.push(event);
        if u.reset_statistics {
            let head = self.header(id, EventFlags::empty());
            let Normalizer {
                instruments,
                batch,
                sink,
                counters,
                ..
            } = self;
            instruments[slot.index()].stats.reset(|body| {
                counters.events += 1;
                batch.push(Event::new(head, body), sink);
            });
        }
    }
}
