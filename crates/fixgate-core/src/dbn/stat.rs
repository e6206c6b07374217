//! Statistics → DBN `statistics` record fields.
//!
//! fixgate's [`StatBody`] carries a [`StatType`], the statistic's resulting value
//! (a price, a quantity or both), an action and the venue's raw flags; DBN's
//! `StatMsg` carries a `stat_type` number, `price`, `quantity`, `update_action`
//! and `stat_flags`. The mapping:
//!
//! | DBN field | from |
//! |---|---|
//! | `stat_type` | the table below |
//! | `price` | `price_e9` ([`Price::NULL`](crate::types::Price::NULL) is DBN's `UNDEF_PRICE`: both `i64::MAX`) |
//! | `quantity` | `qty` as `i64`; [`Qty::NULL`](crate::types::Qty::NULL) → `UNDEF_STAT_QUANTITY` (`i64::MAX`) |
//! | `update_action` | [`Action::Cancel`] (the venue withdrew the value) → `Delete` (2); any other action (Add, Modify) → `New` (1) |
//! | `stat_flags` | `venue_flags`, raw, for every statistic (CME settlements: `SettlPriceType`, bit 0 final, bit 1 actual, bit 2 rounded, bit 3 intraday; DBN's settlement flags say final/preliminary and actual/theoretical) |
//!
//! Price statistics have `price` set and `quantity` undefined unless the venue
//! sent a quantity with the price (an opening or indicative opening price may
//! carry one, as DBN allows); quantity statistics have `quantity` set and
//! `price` undefined; a withdrawn statistic has both undefined.
//!
//! | fixgate [`StatType`] | DBN `stat_type` |
//! |---|---|
//! | `OpeningPrice` … `FixingPrice` (1–10), `UpperPriceLimit` (17), `LowerPriceLimit` (18) | the same number (fixgate took DBN's numbers) |
//! | `ElectronicVolume` (200, CME `e`) | `VenueSpecificVolume1` (10001) |
//! | `MaxPriceVariation` (201, CME price banding) | `VenueSpecificPrice1` (10002) |
//!
//! DBN has no statistic of the same meaning for the last two: its volumes are
//! the previous date's cleared and block volumes, not the session's running
//! electronic volume, and its price limits are the limits, not the band's
//! width. DBN's venue-specific statistics are meant for such values ("refer to
//! the venue documentation"; this table is that documentation for fixgate
//! recordings), so nothing is skipped. Readers built on `dbn` before 0.62 do
//! not know `VenueSpecificPrice1` by name; the raw number still reads.
//!
//! Not carried: `ts_ref` is always undefined, because fixgate's statistics do
//! not keep the venue's reference date (CME `TradingReferenceDate`, which
//! Databento writes for settlements, cleared volume and open interest);
//! `channel_id` is 0 (Databento's own channel numbering, as in `mbo`); the
//! venue's `RptSeq` has no DBN field.

use super::wire::{DbnStatType, StatUpdateAction, UNDEF_STAT_QUANTITY};
use crate::event::{Action, StatBody, StatType};

/// The DBN statistics fields of a fixgate statistic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DbnStat {
    /// Databento's statistic type.
    pub stat_type: DbnStatType,
    /// New or delete.
    pub update_action: StatUpdateAction,
    /// The price at 1e-9, `i64::MAX` when none.
    pub price: i64,
    /// The quantity, [`UNDEF_STAT_QUANTITY`] when none.
    pub quantity: i64,
    /// The venue's flags for the value.
    pub stat_flags: u8,
}

/// The DBN statistics fields of `body`.
#[inline]
pub fn dbn_stat(body: &StatBody) -> DbnStat {
    DbnStat {
        stat_type: dbn_stat_type(body.stat),
        update_action: match body.action {
            Action::Cancel => StatUpdateAction::DELETE,
            _ => StatUpdateAction::NEW,
        },
        price: body.price_e9.e9(),
        quantity: if body.qty.is_null() {
            UNDEF_STAT_QUANTITY
        } else {
            i64::from(body.qty.lots())
        },
        stat_flags: body.venue_flags,
    }
}

/// The DBN statistic type of a fixgate statistic (table in the module docs).
#[inline]
pub const fn dbn_stat_type(stat: StatType) -> DbnStatType {
    match stat {
        StatType::OpeningPrice => DbnStatType::OPENING_PRICE,
        StatType::IndicativeOpeningPrice => DbnStatType::INDICATIVE_OPENING_PRICE,
        StatType::SettlementPrice => DbnStatType::SETTLEMENT_PRICE,
        StatType::SessionLowPrice => DbnStatType::TRADING_SESSION_LOW_PRICE,
        StatType::SessionHighPrice => DbnStatType::TRADING_SESSION_HIGH_PRICE,
        StatType::ClearedVolume => DbnStatType::CLEARED_VOLUME,
        StatType::LowestOffer => DbnStatType::LOWEST_OFFER,
        StatType::HighestBid => DbnStatType::HIGHEST_BID,
        StatType::OpenInterest => DbnStatType::OPEN_INTEREST,
        StatType::FixingPrice => DbnStatType::FIXING_PRICE,
        StatType::UpperPriceLimit => DbnStatType::UPPER_PRICE_LIMIT,
        StatType::LowerPriceLimit => DbnStatType::LOWER_PRICE_LIMIT,
        StatType::ElectronicVolume => DbnStatType::VENUE_SPECIFIC_VOLUME_1,
        StatType::MaxPriceVariation => DbnStatType::VENUE_SPECIFIC_PRICE_1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Price, Qty};

    #[test]
    fn dbn_numbers_are_fixgates_below_200() {
        for stat in StatType::ALL {
            let code = dbn_stat_type(stat).0;
            if (stat as u8) < 200 {
                assert_eq!(code, u16::from(stat as u8), "{stat:?}");
            } else {
                assert!(code > 10_000, "{stat:?} is venue-specific in DBN");
            }
        }
        assert_eq!(
            dbn_stat_type(StatType::ElectronicVolume),
            DbnStatType(10_001)
        );
        assert_eq!(
            dbn_stat_type(StatType::MaxPriceVariation),
            DbnStatType(10_002)
        );
    }

    #[test]
    fn values_actions_and_flags() {
        let settle = StatBody {
            price_e9: Price::from_e9(3_720_250_000_000),
            qty: Qty::NULL,
            rpt_seq: 4,
            stat: StatType::SettlementPrice,
            action: Action::Modify,
            venue_flags: 0b1011,
        };
        assert_eq!(
            dbn_stat(&settle),
            DbnStat {
                stat_type: DbnStatType::SETTLEMENT_PRICE,
                update_action: StatUpdateAction::NEW,
                price: 3_720_250_000_000,
                quantity: i64::MAX,
                stat_flags: 0b1011,
            }
        );
        let oi = StatBody {
            price_e9: Price::NULL,
            qty: Qty::from_lots(u32::MAX - 1),
            stat: StatType::OpenInterest,
            action: Action::Add,
            venue_flags: 0,
            ..settle
        };
        let d = dbn_stat(&oi);
        assert_eq!((d.price, d.quantity), (i64::MAX, i64::from(u32::MAX - 1)));
        assert_eq!(d.update_action, StatUpdateAction::NEW);
        let gone = StatBody {
            price_e9: Price::NULL,
            qty: Qty::NULL,
            action: Action::Cancel,
            ..oi
        };
        let d = dbn_stat(&gone);
        assert_eq!(d.update_action, StatUpdateAction::DELETE);
        assert_eq!((d.price, d.quantity), (i64::MAX, i64::MAX));
        let zero = StatBody {
            qty: Qty::ZERO,
            ..oi
        };
        assert_eq!(dbn_stat(&zero).quantity, 0, "zero is a value, not null");
    }
}
