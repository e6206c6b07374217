//! Everything beside the books: trade summaries 42 / 48 (trades and busts),
//! volume 37, session statistics 35 / 51, daily statistics 49, limits 50,
//! security status 30 and channel reset 4.

use super::{convert, CmeNormalizer, Msg, Observer, RefusalReason};
use crate::event::StatType;
use crate::md::cme::{
    AggressorSide, ChannelReset4, FromBlock, Group, IncrementalRoot, MdEntryType,
    MdIncrementalRefreshDailyStatistics49, MdIncrementalRefreshLimitsBanding50,
    MdIncrementalRefreshVolume37, MdUpdateAction, OpenCloseSettlFlag, PriceResult,
    SecurityStatus30, SecurityTradingEvent, SessionStatistics35Entry, SessionStatistics51Entry,
    TradeOrderEntry, TradeSummary42Entry, TradeSummary48Entry,
};
use crate::normalize::batch::EventSink;
use crate::normalize::registry::{DefinitionAction, GroupCode, Slot};
use crate::normalize::stats::{StatAction, StatUpdate};
use crate::normalize::status::{StatusScope, StatusUpdate};
use crate::normalize::trade::{TradeAction, TradeUpdate};
use crate::types::{InstrumentId, Price, Qty, TradeId};

/// The accessors 42 and 48 entries share.
pub(super) trait TradeEntry<'a>: FromBlock<'a> {
    fn px(&self) -> PriceResult;
    fn size(&self) -> Option<i32>;
    fn security_id(&self) -> Option<i32>;
    fn rpt_seq(&self) -> Option<u32>;
    fn aggressor(&self) -> Option<AggressorSide>;
    fn action(&self) -> Option<MdUpdateAction>;
    fn trade_entry_id(&self) -> Option<u32>;
}

macro_rules! trade_entry {
    ($t:ident) => {
        impl<'a> TradeEntry<'a> for $t<'a> {
            #[inline]
            fn px(&self) -> PriceResult {
                self.md_entry_px()
            }
            #[inline]
            fn size(&self) -> Option<i32> {
                self.md_entry_size()
            }
            #[inline]
            fn security_id(&self) -> Option<i32> {
                $t::security_id(self)
            }
            #[inline]
            fn rpt_seq(&self) -> Option<u32> {
                $t::rpt_seq(self)
            }
            #[inline]
            fn aggressor(&self) -> Option<AggressorSide> {
                self.aggressor_side()
            }
            #[inline]
            fn action(&self) -> Option<MdUpdateAction> {
                self.md_update_action()
            }
            #[inline]
            fn trade_entry_id(&self) -> Option<u32> {
                self.md_trade_entry_id()
            }
        }
    };
}

trade_entry!(TradeSummary42Entry);
trade_entry!(TradeSummary48Entry);

/// The accessors 35 and 51 entries share.
pub(super) trait SessionStatEntry<'a>: FromBlock<'a> {
    fn px(&self) -> PriceResult;
    fn security_id(&self) -> Option<i32>;
    fn rpt_seq(&self) -> Option<u32>;
    fn open_close(&self) -> Option<OpenCloseSettlFlag>;
    fn action(&self) -> Option<MdUpdateAction>;
    fn entry_type(&self) -> Option<MdEntryType>;
    fn size(&self) -> Option<i32>;
}

macro_rules! session_stat_entry {
    ($t:ident) => {
        impl<'a> SessionStatEntry<'a> for $t<'a> {
            #[inline]
            fn px(&self) -> PriceResult {
                self.md_entry_px()
            }
            #[inline]
            fn security_id(&self) -> Option<i32> {
                $t::security_id(self)
            }
            #[inline]
            fn rpt_seq(&self) -> Option<u32> {
                $t::rpt_seq(self)
            }
            #[inline]
            fn open_close(&self) -> Option<OpenCloseSettlFlag> {
                self.open_close_settl_flag()
            }
            #[inline]
            fn action(&self) -> Option<MdUpdateAction> {
                self.md_update_action()
            }
            #[inline]
            fn entry_type(&self) -> Option<MdEntryType> {
                self.md_entry_type()
            }
            #[inline]
            fn size(&self) -> Option<i32> {
                self.md_entry_size()
            }
        }
    };
}

session_stat_entry!(SessionStatistics35Entry);
session_stat_entry!(SessionStatistics51Entry);

impl<S: EventSink> CmeNormalizer<S> {
    /// Resolves an entry's instrument (remembered for the message's next
    /// entries, see [`CmeNormalizer::resolve_in_book`]: no incremental message
    /// deletes a definition) and checks its `RptSeq`: `Ok(None)` when the
    /// entry was already applied.
    #[inline]
    fn entry_instrument(
        &mut self,
        security_id: Option<i32>,
        rpt_seq: Option<u32>,
    ) -> Result<Option<(InstrumentId, Slot)>, RefusalReason> {
        let (id, slot) = self.resolve_in_book(security_id)?;
        Ok(self.in_sequence(id, slot, rpt_seq).then_some((id, slot)))
    }

    /// 42 / 48: trades and busts; the order group (fills) changes nothing.
    pub(super) fn trades<'a, E: TradeEntry<'a>>(
        &mut self,
        msg: &Msg,
        root: IncrementalRoot<'a>,
        entries: Option<Group<'a, E>>,
        fills: Option<Group<'a, TradeOrderEntry<'a>>>,
        r: &mut Observer<'_>,
    ) {
        self.begin(msg, root.transact_time_ns(), Default::default());
        for (i, e) in entries.into_iter().flatten().enumerate() {
            if let Err(reason) = self.trade(&e) {
                self.refuse(msg, Some(i as u16), reason, r);
            }
        }
        self.counters.fills += fills.map_or(0, |f| f.len() as u64);
        self.end_incremental(root.match_event_indicator());
    }

    #[inline]
    fn trade<'a, E: TradeEntry<'a>>(&mut self, e: &E) -> Result<(), RefusalReason> {
        let Some((id, slot)) = self.entry_instrument(e.security_id(), e.rpt_seq())? else {
            return Ok(());
        };
        let action = match e.action() {
            Some(MdUpdateAction::NEW) => TradeAction::Trade,
            Some(MdUpdateAction::DELETE) => TradeAction::Bust,
            Some(a) => return Err(RefusalReason::UnsupportedAction { action: a.0 }),
            None => {
                return Err(RefusalReason::MissingField {
                    field: "MDUpdateAction",
                })
            }
        };
        self.norm.handle_trade_at(
            slot,
            &TradeUpdate {
                instrument: id,
                action,
                price_e9: e.px()?.unwrap_or(Price::NULL),
                qty: convert::qty("MDEntrySize", e.size())?,
                trade_id: TradeId(u64::from(e.trade_entry_id().unwrap_or(0))),
                aggressor: convert::aggressor(e.aggressor()),
                rpt_seq: e.rpt_seq().unwrap_or(0),
            },
        )?;
        Ok(())
    }

    /// Publishes one statistic of an instrument.
    #[inline]
    #[allow(
        clippy::too_many_arguments,
        reason = "one argument per field of the statistic"
    )]
    fn stat(
        &mut self,
        (id, slot): (InstrumentId, Option<Slot>),
        stat: StatType,
        action: StatAction,
        price_e9: Price,
        qty: Qty,
        venue_flags: u8,
        rpt_seq: Option<u32>,
    ) -> Result<(), RefusalReason> {
        let u = StatUpdate {
            instrument: id,
            stat,
            action,
            price_e9,
            qty,
            venue_flags,
            rpt_seq: rpt_seq.unwrap_or(0),
        };
        match slot {
            Some(slot) => self.norm.handle_stat_at(slot, &u)?,
            None => self.norm.handle_stat(&u)?,
        }
        Ok(())
    }

    /// 37: cumulative electronic volume.
    pub(super) fn volume(
        &mut self,
        msg: &Msg,
        m: MdIncrementalRefreshVolume37<'_>,
        r: &mut Observer<'_>,
    ) {
        let root = m.root();
        self.begin(msg, root.transact_time_ns(), Default::default());
        for (i, e) in m.md_entries().into_iter().flatten().enumerate() {
            let result = (|| {
                let Some((id, slot)) = self.entry_instrument(e.security_id(), e.rpt_seq())? else {
                    return Ok(());
                };
                let qty = convert::qty("MDEntrySize", e.md_entry_size())?;
                let action = convert::stat_action(e.md_update_action())?;
                self.stat(
                    (id, Some(slot)),
                    StatType::ElectronicVolume,
                    action,
                    Price::NULL,
                    qty,
                    0,
                    e.rpt_seq(),
                )
            })();
            if let Err(reason) = result {
                self.refuse(msg, Some(i as u16), reason, r);
            }
        }
        self.end_incremental(root.match_event_indicator());
    }

    /// 35 / 51: opening, session high and low, highest bid, lowest offer.
    pub(super) fn session_stats<'a, E: SessionStatEntry<'a>>(
        &mut self,
        msg: &Msg,
        root: IncrementalRoot<'a>,
        entries: Option<Group<'a, E>>,
        r: &mut Observer<'_>,
    ) {
        self.begin(msg, root.transact_time_ns(), Default::default());
        for (i, e) in entries.into_iter().flatten().enumerate() {
            let result = (|| {
                let Some((id, slot)) = self.entry_instrument(e.security_id(), e.rpt_seq())? else {
                    return Ok(());
                };
                let entry_type = e.entry_type().ok_or(RefusalReason::MissingField {
                    field: "MDEntryType",
                })?;
                let stat = convert::stat_type(entry_type, e.open_close()).ok_or(
                    RefusalReason::UnsupportedEntryType {
                        entry_type: entry_type.0,
                    },
                )?;
                let action = convert::stat_action(e.action())?;
                let price = e.px()?.unwrap_or(Price::NULL);
                let qty = convert::qty("MDEntrySize", e.size())?;
                self.stat((id, Some(slot)), stat, action, price, qty, 0, e.rpt_seq())
            })();
            if let Err(reason) = result {
                self.refuse(msg, Some(i as u16), reason, r);
            }
        }
        self.end_incremental(root.match_event_indicator());
    }

    /// 49: settlement, cleared volume, open interest, fixing.
    pub(super) fn daily_stats(
        &mut self,
        msg: &Msg,
        m: MdIncrementalRefreshDailyStatistics49<'_>,
        r: &mut Observer<'_>,
    ) {
        let root = m.root();
        self.begin(msg, root.transact_time_ns(), Default::default());
        for (i, e) in m.md_entries().into_iter().flatten().enumerate() {
            let result = (|| {
                let Some((id, slot)) = self.entry_instrument(e.security_id(), e.rpt_seq())? else {
                    return Ok(());
                };
                let entry_type = e.md_entry_type().ok_or(RefusalReason::MissingField {
                    field: "MDEntryType",
                })?;
                let stat = convert::stat_type(entry_type, None).ok_or(
                    RefusalReason::UnsupportedEntryType {
                        entry_type: entry_type.0,
                    },
                )?;
                let action = convert::stat_action(e.md_update_action())?;
                let price = e.md_entry_px()?.unwrap_or(Price::NULL);
                let qty = convert::qty("MDEntrySize", e.md_entry_size())?;
                let flags = e.settl_price_type().map_or(0, |f| f.0);
                self.stat(
                    (id, Some(slot)),
                    stat,
                    action,
                    price,
                    qty,
                    flags,
                    e.rpt_seq(),
                )
            })();
            if let Err(reason) = result {
                self.refuse(msg, Some(i as u16), reason, r);
            }
        }
        self.end_incremental(root.match_event_indicator());
    }

    /// 50: price limits and banding.
    pub(super) fn limits(
        &mut self,
        msg: &Msg,
        m: MdIncrementalRefreshLimitsBanding50<'_>,
        r: &mut Observer<'_>,
    ) {
        let root = m.root();
        self.begin(msg, root.transact_time_ns(), Default::default());
        for (i, e) in m.md_entries().into_iter().flatten().enumerate() {
            let result = (|| {
                let Some((id, _)) = self.entry_instrument(e.security_id(), e.rpt_seq())? else {
                    return Ok(());
                };
                let high = e.high_limit_price()?.unwrap_or(Price::NULL);
                let low = e.low_limit_price()?.unwrap_or(Price::NULL);
                let band = e.max_price_variation()?.unwrap_or(Price::NULL);
                self.set_limits(id, high, low, band, e.rpt_seq())
            })();
            if let Err(reason) = result {
                self.refuse(msg, Some(i as u16), reason, r);
            }
        }
        self.end_incremental(root.match_event_indicator());
    }

    /// Sets an instrument's limits (snapshots carry them too): a statistic each,
    /// withdrawn when null after having had a value, and the registry's
    /// definition updated.
    pub(super) fn set_limits(
        &mut self,
        id: InstrumentId,
        high: Price,
        low: Price,
        band: Price,
        rpt_seq: Option<u32>,
    ) -> Result<(), RefusalReason> {
        for (stat, price) in [
            (StatType::UpperPriceLimit, high),
            (StatType::LowerPriceLimit, low),
            (StatType::MaxPriceVariation, band),
        ] {
            if !price.is_null() {
                self.stat(
                    (id, None),
                    stat,
                    StatAction::Set,
                    price,
                    Qty::NULL,
                    0,
                    rpt_seq,
                )?;
            } else if self.norm.stats(id).is_some_and(|s| s.get(stat).is_some()) {
                self.stat(
                    (id, None),
                    stat,
                    StatAction::Delete,
                    price,
                    Qty::NULL,
                    0,
                    rpt_seq,
                )?;
            }
        }
        if let Some(def) = self.norm.registry().get(id) {
            if (
                def.high_limit_e9,
                def.low_limit_e9,
                def.max_price_variation_e9,
            ) != (high, low, band)
            {
                let mut def = *def;
                def.high_limit_e9 = high;
                def.low_limit_e9 = low;
                def.max_price_variation_e9 = band;
                self.norm
                    .handle_definition(DefinitionAction::Modify, &def)?;
            }
        }
        Ok(())
    }

    /// 30: the trading state of an instrument or of a product group.
    pub(super) fn security_status(
        &mut self,
        msg: &Msg,
        m: SecurityStatus30<'_>,
        r: &mut Observer<'_>,
    ) {
        let root = m.root();
        self.begin(msg, root.transact_time_ns(), Default::default());
        let result = (|| {
            let scope = match root.security_id() {
                Some(raw) => StatusScope::Instrument(self.resolve(Some(raw))?.0),
                None => StatusScope::Group {
                    security_group: text(root.security_group(), "SecurityGroup")?,
                    asset: text(root.asset(), "Asset")?,
                },
            };
            let status = root.security_trading_status();
            let event = root.security_trading_event();
            self.norm.handle_status(&StatusUpdate {
                scope,
                state: convert::trading_state(status),
                venue_status: status.map_or(u16::from(u8::MAX), |s| u16::from(s.0)),
                halt_reason: root.halt_reason().map_or(0, |h| u16::from(h.0)),
                trading_event: event.map_or(0, |t| u16::from(t.0)),
                reset_statistics: event == Some(SecurityTradingEvent::RESET_STATISTICS),
            })?;
            Ok(())
        })();
        if let Err(reason) = result {
            self.refuse(msg, None, reason, r);
        }
        self.end_incremental(root.match_event_indicator());
    }

    /// 4: every book, order and statistic of the channel emptied.
    pub(super) fn channel_reset(&mut self, msg: &Msg, m: ChannelReset4<'_>) {
        let root = m.root();
        self.begin(msg, root.transact_time_ns(), Default::default());
        self.norm.handle_channel_reset();
        self.rpt.clear();
        self.sync_reset();
        self.end_incremental(root.match_event_indicator());
    }
}

/// A product group or asset code (empty when absent).
fn text(raw: Option<&[u8]>, field: &'static str) -> Result<GroupCode, RefusalReason> {
    GroupCode::new(raw.unwrap_or(&[])).map_err(|error| RefusalReason::BadText { field, error })
}
