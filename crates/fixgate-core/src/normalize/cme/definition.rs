//! Instrument definitions 27, 29 (exponent −7), 54, 55, 56 (exponent −9) to
//! [`InstrumentDef`]s in the registry.
//!
//! | field | 27 | 29 | 54 | 55 | 56 |
//! |---|:-:|:-:|:-:|:-:|:-:|
//! | symbol, group, asset, currency, unit, tick, display factor, high/low limit, state | ✓ | ✓ | ✓ | ✓ | ✓ |
//! | `SettlCurrency`, `UnitOfMeasureQty` | ✓ | | ✓ | ✓ | |
//! | `ContractMultiplier` | ✓ | | ✓ | | |
//! | `MaxPriceVariation` | ✓ | ✓ | ✓ | | ✓ |
//!
//! Depth: `NoMDFeedTypes` entry `GBX` gives the outright book's `MarketDepth`,
//! `GBI` the implied one's; no entry, no book. `SecurityUpdateAction` `A`, `M`,
//! `D` add, modify, delete (the registry upserts on both `A` and `M`).

use super::{convert, CmeNormalizer, Msg, Observer, RefusalReason};
use crate::event::TradingState;
use crate::md::cme::{
    FeedTypeEntry, Group, MdInstrumentDefinitionFuture27, MdInstrumentDefinitionFuture54,
    MdInstrumentDefinitionOption55, MdInstrumentDefinitionSpread29, MdInstrumentDefinitionSpread56,
    SecurityUpdateAction,
};
use crate::normalize::batch::EventSink;
use crate::normalize::registry::{BookDepth, DefinitionAction, DefinitionOutcome, InstrumentDef};
use crate::normalize::text::Text;
use crate::types::Price;

/// A `char[N]` field as text (empty when absent).
fn text<const N: usize>(raw: Option<&[u8]>, field: &'static str) -> Result<Text<N>, RefusalReason> {
    Text::new(raw.unwrap_or(&[])).map_err(|error| RefusalReason::BadText { field, error })
}

/// The book depths of `NoMDFeedTypes`.
fn depth(feeds: Option<Group<'_, FeedTypeEntry<'_>>>) -> BookDepth {
    let mut d = BookDepth::default();
    for f in feeds.into_iter().flatten() {
        let levels = f.market_depth().map_or(0, |n| u8::try_from(n).unwrap_or(0));
        match f.md_feed_type() {
            Some(b"GBX") => d.outright = levels,
            Some(b"GBI") => d.implied = levels,
            _ => {}
        }
    }
    d
}

/// The fields every definition template has, read into a new definition.
macro_rules! base_def {
    ($root:expr, $feeds:expr) => {{
        let root = $root;
        let id = convert::instrument(root.security_id())?;
        let mut def = InstrumentDef::new(id, text(root.symbol(), "Symbol")?);
        def.security_group = text(root.security_group(), "SecurityGroup")?;
        def.asset = text(root.asset(), "Asset")?;
        def.tick_e9 = root.min_price_increment()?.unwrap_or(Price::NULL);
        def.display_factor_e9 = root.display_factor()?.map_or(Price::SCALE, |p| p.e9());
        def.unit_of_measure = text(root.unit_of_measure(), "UnitOfMeasure")?;
        def.currency = text(root.currency(), "Currency")?;
        def.high_limit_e9 = root.high_limit_price()?.unwrap_or(Price::NULL);
        def.low_limit_e9 = root.low_limit_price()?.unwrap_or(Price::NULL);
        def.trading_state = convert::trading_state(root.md_security_trading_status())
            .unwrap_or(TradingState::Unknown);
        def.depth = depth($feeds);
        def
    }};
}

impl<S: EventSink> CmeNormalizer<S> {
    /// 27: a future, exponent −7.
    pub(super) fn definition_27(
        &mut self,
        msg: &Msg,
        m: MdInstrumentDefinitionFuture27<'_>,
        r: &mut Observer<'_>,
    ) {
        let root = m.root();
        let def = (|| {
            let mut def = base_def!(root, m.md_feed_types());
            def.settl_currency = text(root.settl_currency(), "SettlCurrency")?;
            def.unit_of_measure_qty_e9 = root.unit_of_measure_qty()?.map(Price::e9);
            def.contract_multiplier = multiplier(root.contract_multiplier());
            def.max_price_variation_e9 = root.max_price_variation()?.unwrap_or(Price::NULL);
            Ok(def)
        })();
        let (action, time) = (root.security_update_action(), root.last_update_time_ns());
        self.apply_definition(msg, action, time, def, r);
    }

    /// 29: a spread, exponent −7.
    pub(super) fn definition_29(
        &mut self,
        msg: &Msg,
        m: MdInstrumentDefinitionSpread29<'_>,
        r: &mut Observer<'_>,
    ) {
        let root = m.root();
        let def = (|| {
            let mut def = base_def!(root, m.md_feed_types());
            def.max_price_variation_e9 = root.max_price_variation()?.unwrap_or(Price::NULL);
            Ok(def)
        })();
        let (action, time) = (root.security_update_action(), root.last_update_time_ns());
        self.apply_definition(msg, action, time, def, r);
    }

    /// 54: a future, exponent −9.
    pub(super) fn definition_54(
        &mut self,
        msg: &Msg,
        m: MdInstrumentDefinitionFuture54<'_>,
        r: &mut Observer<'_>,
    ) {
        let root = m.root();
        let def = (|| {
            let mut def = base_def!(root, m.md_feed_types());
            def.settl_currency = text(root.settl_currency(), "SettlCurrency")?;
            def.unit_of_measure_qty_e9 = root.unit_of_measure_qty()?.map(Price::e9);
            def.contract_multiplier = multiplier(root.contract_multiplier());
            def.max_price_variation_e9 = root.max_price_variation()?.unwrap_or(Price::NULL);
            Ok(def)
        })();
        let (action, time) = (root.security_update_action(), root.last_update_time_ns());
        self.apply_definition(msg, action, time, def, r);
    }

    /// 55: an option, exponent −9.
    pub(super) fn definition_55(
        &mut self,
        msg: &Msg,
        m: MdInstrumentDefinitionOption55<'_>,
        r: &mut Observer<'_>,
    ) {
        let root = m.root();
        let def = (|| {
            let mut def = base_def!(root, m.md_feed_types());
            def.settl_currency = text(root.settl_currency(), "SettlCurrency")?;
            def.unit_of_measure_qty_e9 = root.unit_of_measure_qty()?.map(Price::e9);
            Ok(def)
        })();
        let (action, time) = (root.security_update_action(), root.last_update_time_ns());
        self.apply_definition(msg, action, time, def, r);
    }

    /// 56: a spread, exponent −9.
    pub(super) fn definition_56(
        &mut self,
        msg: &Msg,
        m: MdInstrumentDefinitionSpread56<'_>,
        r: &mut Observer<'_>,
    ) {
        let root = m.root();
        let def = (|| {
            let mut def = base_def!(root, m.md_feed_types());
            def.max_price_variation_e9 = root.max_price_variation()?.unwrap_or(Price::NULL);
            Ok(def)
        })();
        let (action, time) = (root.security_update_action(), root.last_update_time_ns());
        self.apply_definition(msg, action, time, def, r);
    }

    /// Applies a definition as its own venue event (or inside an open one).
    fn apply_definition(
        &mut self,
        msg: &Msg,
        action: Option<SecurityUpdateAction>,
        last_update_time_ns: Option<u64>,
        def: Result<InstrumentDef, RefusalReason>,
        r: &mut Observer<'_>,
    ) {
        let open = self.norm.in_event();
        self.begin(msg, last_update_time_ns, Default::default());
        let result = (|| {
            let def = def?;
            let action = match action {
                Some(SecurityUpdateAction::ADD) => DefinitionAction::Add,
                Some(SecurityUpdateAction::MODIFY) => DefinitionAction::Modify,
                Some(SecurityUpdateAction::DELETE) => DefinitionAction::Delete,
                Some(a) => return Err(RefusalReason::UnsupportedAction { action: a.0 }),
                None => {
                    return Err(RefusalReason::MissingField {
                        field: "SecurityUpdateAction",
                    })
                }
            };
            match self.norm.handle_definition(action, &def)? {
                DefinitionOutcome::Added(slot) => {
                    self.rpt.set(slot, 0);
                    self.sync_added(slot);
                }
                DefinitionOutcome::Deleted(slot) => {
                    self.rpt.set(slot, 0);
                }
                DefinitionOutcome::Modified { .. } => {}
            }
            self.counters.definitions += 1;
            Ok(())
        })();
        if let Err(reason) = result {
            self.refuse(msg, None, reason, r);
        }
        self.norm.end_message(!open);
    }
}

/// `ContractMultiplier` (null or negative: none).
fn multiplier(v: Option<i32>) -> Option<u32> {
    v.and_then(|n| u32::try_from(n).ok())
}
