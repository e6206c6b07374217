//! `market_maker`: one bid and one ask around the board's mid, skewed against
//! inventory.
//!
//! On each requote (at the end of a batch that had an event of its instrument,
//! after an order update, when lapped, at start) it reads the instrument's
//! board snapshot and computes:
//!
//! ```text
//!  fair  = mid − position × skew_ticks_per_lot × tick        (lots, i128 arithmetic)
//!  bid   = floor_to_tick(fair − half_spread_ticks × tick), at most best ask − tick
//!  ask   = ceil_to_tick (fair + half_spread_ticks × tick), at least best bid + tick
//!  sizes = min(size_lots, max_position_lots − position) bid,
//!          min(size_lots, max_position_lots + position) ask  (no quote at 0)
//! ```
//!
//! No quote on a side (its order cancelled) when the book has no two-sided mid,
//! may be wrong (`MAYBE_BAD_BOOK`), or the trading state is not
//! [`TradingState::Trading`] or [`TradingState::Unknown`] (feeds without status
//! messages), or when the position limit is reached on that side.
//!
//! One order per side. No order: `New`. Live order whose price moved by at least
//! `requote_threshold_ticks` (any move when 0 or 1) or whose size changed:
//! `Replace` (same order id). Live order and no quote: `Cancel`. While a request
//! on a side awaits its acknowledgement, that side is left alone. The position
//! comes from fills only; orders are cancelled at stop.

use super::{Context, Intent, IntentKind, OrderUpdate, OrderUpdateKind, Strategy, StrategyOrderId};
use crate::board::InstrumentState;
use crate::event::{Event, TradingState};
use crate::types::{InstrumentId, Price, Qty, Side};

/// The parameters of [`MarketMaker`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct MarketMakerParams {
    /// The instrument to quote.
    pub instrument_id: u32,
    /// The instrument's tick (price increment) in 1e-9 units, > 0.
    pub tick_e9: i64,
    /// Distance from the fair price to each quote, in ticks, > 0.
    pub half_spread_ticks: u32,
    /// Quote size in lots, > 0.
    pub size_lots: u32,
    /// The largest position, long or short, in lots, > 0.
    pub max_position_lots: u32,
    /// How far the fair price moves against inventory per lot held, in ticks.
    pub skew_ticks_per_lot: u32,
    /// Smallest price move, in ticks, that replaces a live quote.
    pub requote_threshold_ticks: u32,
}

/// A parameter with a value the strategy cannot use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("parameter {param}: {problem}")]
pub struct ParamError {
    /// The parameter's name, as in the configuration.
    pub param: &'static str,
    /// What is wrong with it.
    pub problem: &'static str,
}

impl MarketMakerParams {
    /// Checks the values.
    ///
    /// # Errors
    /// [`ParamError`] naming the first parameter at fault.
    pub fn validate(&self) -> Result<(), ParamError> {
        let fail = |param, problem| Err(ParamError { param, problem });
        if self.instrument_id == 0 {
            return fail("instrument_id", "must not be 0 (no instrument)");
        }
        if self.tick_e9 <= 0 {
            return fail("tick_e9", "must be > 0");
        }
        if self.half_spread_ticks == 0 {
            return fail("half_spread_ticks", "must be > 0");
        }
        if self.size_lots == 0 || Qty::from_lots(self.size_lots).is_null() {
            return fail("size_lots", "must be > 0 and < 4294967295");
        }
        if self.max_position_lots == 0 {
            return fail("max_position_lots", "must be > 0");
        }
        Ok(())
    }
}

/// One side's working order as the strategy knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkingOrder {
    /// Its id.
    pub order_id: StrategyOrderId,
    /// The venue-confirmed price (the requested one until the first ack).
    pub price_e9: Price,
    /// The confirmed total quantity (requested until the first ack).
    pub qty: Qty,
    /// The request (new, replace or cancel) awaiting its acknowledgement.
    pub pending: Option<IntentKind>,
}

/// The `market_maker` built-in strategy (see the [module docs](self)).
#[derive(Debug)]
pub struct MarketMaker {
    params: MarketMakerParams,
    instrument: InstrumentId,
    position_lots: i64,
    bid: Option<WorkingOrder>,
    ask: Option<WorkingOrder>,
    next_order_id: u64,
    /// An event of the instrument arrived since the last requote.
    dirty: bool,
    requotes: u64,
}

impl MarketMaker {
    /// A market maker with checked parameters.
    ///
    /// # Errors
    /// [`ParamError`] from [`MarketMakerParams::validate`].
    pub fn new(params: MarketMakerParams) -> Result<Self, ParamError> {
        params.validate()?;
        Ok(MarketMaker {
            instrument: InstrumentId(params.instrument_id),
            params,
            position_lots: 0,
            bid: None,
            ask: None,
            next_order_id: 1,
            dirty: false,
            requotes: 0,
        })
    }

    /// The position in lots (long > 0), from fills.
    pub fn position_lots(&self) -> i64 {
        self.position_lots
    }

    /// The working bid and ask.
    pub fn working(&self) -> (Option<WorkingOrder>, Option<WorkingOrder>) {
        (self.bid, self.ask)
    }

    /// How many times the quotes were recomputed.
    pub fn requotes(&self) -> u64 {
        self.requotes
    }

    /// The target (price, size) of each side for `state`, or `None` for a side
    /// that should not be quoted.
    pub fn targets(&self, state: &InstrumentState) -> [Option<(Price, Qty)>; 2] {
        let tradable = matches!(
            state.trading_state,
            TradingState::Trading | TradingState::Unknown
        );
        let (Some(best_bid), Some(best_ask), Some(mid)) =
            (state.best_bid(), state.best_ask(), state.mid_e9())
        else {
            return [None, None];
        };
        if !tradable || state.maybe_bad_book() {
            return [None, None];
        }
        let p = &self.params;
        let tick = i128::from(p.tick_e9);
        let fair = i128::from(mid.e9())
            - i128::from(self.position_lots) * i128::from(p.skew_ticks_per_lot) * tick;
        let half = i128::from(p.half_spread_ticks) * tick;
        let bid_px =
            ((fair - half).div_euclid(tick) * tick).min(i128::from(best_ask.price_e9.e9()) - tick);
        let ask_px = (-((-(fair + half)).div_euclid(tick)) * tick)
            .max(i128::from(best_bid.price_e9.e9()) + tick);
        let max = i64::from(p.max_position_lots);
        let size = i64::from(p.size_lots);
        let bid_qty = size.min(max - self.position_lots);
        let ask_qty = size.min(max + self.position_lots);
        [(bid_px, bid_qty), (ask_px, ask_qty)].map(|(px, qty)| {
            let px = i64::try_from(px).ok().map(Price::from_e9)?;
            let qty = Qty::from_i64(qty).filter(|q| q.lots() > 0)?;
            (!px.is_null()).then_some((px, qty))
        })
    }

    fn requote(&mut self, ctx: &mut Context<'_>) {
        self.dirty = false;
        self.requotes += 1;
        let targets = match ctx.board().snapshot(self.instrument) {
            Some(state) => self.targets(&state),
            None => [None, None],
        };
        self.work_side(ctx, Side::Bid, targets[0], false);
        self.work_side(ctx, Side::Ask, targets[1], false);
    }

    fn slot(&mut self, side: Side) -> &mut Option<WorkingOrder> {
        if side == Side::Bid {
            &mut self.bid
        } else {
            &mut self.ask
        }
    }

    /// Moves one side toward its target with at most one intent. While a
    /// request awaits its ack the side is left alone, except that `stopping`
    /// cancels an order whose new or replace is still pending.
    fn work_side(
        &mut self,
        ctx: &mut Context<'_>,
        side: Side,
        target: Option<(Price, Qty)>,
        stopping: bool,
    ) {
        let instrument = self.instrument;
        let threshold = i128::from(self.params.requote_threshold_ticks.max(1))
            * i128::from(self.params.tick_e9);
        match (*self.slot(side), target) {
            (None, None) => {}
            (Some(o), None) => {
                let may_cancel = match o.pending {
                    None => true,
                    Some(IntentKind::Cancel) => false,
                    Some(IntentKind::New | IntentKind::Replace) => stopping,
                };
                let cancel = Intent::cancel(o.order_id, instrument, side, o.price_e9, o.qty);
                if may_cancel && ctx.submit(cancel).is_ok() {
                    *self.slot(side) = Some(WorkingOrder {
                        pending: Some(IntentKind::Cancel),
                        ..o
                    });
                }
            }
            (Some(o), Some(_)) if o.pending.is_some() => {}
            (None, Some((px, qty))) => {
                let id = StrategyOrderId(self.next_order_id);
                if ctx
                    .submit(Intent::new_order(id, instrument, side, px, qty))
                    .is_ok()
                {
                    self.next_order_id += 1;
                    *self.slot(side) = Some(WorkingOrder {
                        order_id: id,
                        price_e9: px,
                        qty,
                        pending: Some(IntentKind::New),
                    });
                }
            }
            (Some(o), Some((px, qty))) => {
                let moved = (i128::from(px.e9()) - i128::from(o.price_e9.e9())).abs();
                if (moved >= threshold || qty != o.qty)
                    && ctx
                        .submit(Intent::replace(o.order_id, instrument, side, px, qty))
                        .is_ok()
                {
                    *self.slot(side) = Some(WorkingOrder {
                        pending: Some(IntentKind::Replace),
                        ..o
                    });
                }
            }
        }
    }
}

impl Strategy for MarketMaker {
    fn on_start(&mut self, ctx: &mut Context<'_>) {
        self.requote(ctx);
    }

    #[inline]
    fn on_event(&mut self, _ctx: &mut Context<'_>, event: &Event) {
        if event.instrument() == self.instrument {
            self.dirty = true;
        }
    }

    fn on_batch_end(&mut self, ctx: &mut Context<'_>) {
        if self.dirty {
            self.requote(ctx);
        }
    }

    fn on_order_update(&mut self, ctx: &mut Context<'_>, update: &OrderUpdate) {
        self.position_lots += update.position_delta();
        let side = [Side::Bid, Side::Ask]
            .into_iter()
            .find(|&s| matches!(*self.slot(s), Some(o) if o.order_id == update.order_id));
        if let Some(side) = side {
            let slot = self.slot(side);
            match update.kind {
                OrderUpdateKind::Filled
                | OrderUpdateKind::Cancelled
                | OrderUpdateKind::Rejected => {
                    *slot = None;
                }
                OrderUpdateKind::Acked => {
                    if let Some(o) = slot.as_mut() {
                        o.price_e9 = update.price_e9;
                        o.qty = update.cum_qty.saturating_add(update.leaves_qty);
                        // An ack of the new order or replace; a cancel sent
                        // since still awaits its own answer.
                        if o.pending != Some(IntentKind::Cancel) {
                            o.pending = None;
                        }
                    }
                }
                OrderUpdateKind::CancelRejected => {
                    if let Some(o) = slot.as_mut() {
                        o.pending = None;
                    }
                }
                OrderUpdateKind::PartiallyFilled => {}
            }
        }
        self.requote(ctx);
    }

    fn on_lapped(&mut self, ctx: &mut Context<'_>, _missed: u64) {
        self.requote(ctx);
    }

    fn on_stop(&mut self, ctx: &mut Context<'_>) {
        for side in [Side::Bid, Side::Ask] {
            self.work_side(ctx, side, None, true);
        }
    }
}

#[cfg(test)]
#[path = "market_maker_tests.rs"]
mod tests;
