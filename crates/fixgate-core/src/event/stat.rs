//! Statistics events: [`StatType`] and [`StatBody`] (kind [`EventKind::Stat`](super::EventKind::Stat)).
//!
//! A statistic is a per-instrument value the venue publishes beside the book:
//! opening, settlement and session high/low prices, cleared volume, open interest,
//! electronic volume, price limits. Like book events, a stat event carries the
//! statistic's resulting value, not a delta.

use std::mem::offset_of;

use super::body::{get, get_action, put};
use super::{Action, BODY_LEN};
use crate::types::{Price, Qty};

/// Which statistic a [`StatBody`] carries.
///
/// A closed enum (fixgate's own concept). Values 1–18 are DBN's `StatType`
/// numbers for the same statistic, so a recorder can copy them; the two CME
/// statistics DBN has no number for (electronic volume, max price variation)
/// take values from 200 up, outside DBN's range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum StatType {
    /// The session's opening price (CME `MDEntryType` `4`, daily open).
    OpeningPrice = 1,
    /// The indicative opening price during pre-open (CME `4` with
    /// `OpenCloseSettlFlag` 5).
    IndicativeOpeningPrice = 2,
    /// The settlement price (CME `6`); the venue's flags (CME `SettlPriceType`:
    /// final/preliminary, actual/theoretical) ride in [`StatBody::venue_flags`].
    SettlementPrice = 3,
    /// The session's lowest trade price (CME `8`).
    SessionLowPrice = 4,
    /// The session's highest trade price (CME `7`).
    SessionHighPrice = 5,
    /// Contracts cleared in the previous session (CME `B`); a quantity.
    ClearedVolume = 6,
    /// The session's lowest offer (CME `O`).
    LowestOffer = 7,
    /// The session's highest bid (CME `N`).
    HighestBid = 8,
    /// Open interest (CME `C`); a quantity.
    OpenInterest = 9,
    /// A fixing price (CME `W`).
    FixingPrice = 10,
    /// The upper price limit (CME `g`, `HighLimitPrice`).
    UpperPriceLimit = 17,
    /// The lower price limit (CME `g`, `LowLimitPrice`).
    LowerPriceLimit = 18,
    /// Cumulative electronic volume of the session (CME `e`); a quantity.
    ElectronicVolume = 200,
    /// The maximum price variation around the reference (CME `g`,
    /// `MaxPriceVariation`, price banding).
    MaxPriceVariation = 201,
}

impl StatType {
    /// Every statistic, in [`StatType::index`] order.
    pub const ALL: [StatType; 14] = [
        StatType::OpeningPrice,
        StatType::IndicativeOpeningPrice,
        StatType::SettlementPrice,
        StatType::SessionLowPrice,
        StatType::SessionHighPrice,
        StatType::ClearedVolume,
        StatType::LowestOffer,
        StatType::HighestBid,
        StatType::OpenInterest,
        StatType::FixingPrice,
        StatType::UpperPriceLimit,
        StatType::LowerPriceLimit,
        StatType::ElectronicVolume,
        StatType::MaxPriceVariation,
    ];

    /// The number of statistics ([`StatType::ALL`]'s length).
    pub const COUNT: usize = Self::ALL.len();

    /// The statistic with this byte value, `None` for any other byte.
    #[inline]
    pub const fn from_u8(byte: u8) -> Option<StatType> {
        Some(match byte {
            1 => StatType::OpeningPrice,
            2 => StatType::IndicativeOpeningPrice,
            3 => StatType::SettlementPrice,
            4 => StatType::SessionLowPrice,
            5 => StatType::SessionHighPrice,
            6 => StatType::ClearedVolume,
            7 => StatType::LowestOffer,
            8 => StatType::HighestBid,
            9 => StatType::OpenInterest,
            10 => StatType::FixingPrice,
            17 => StatType::UpperPriceLimit,
            18 => StatType::LowerPriceLimit,
            200 => StatType::ElectronicVolume,
            201 => StatType::MaxPriceVariation,
            _ => return None,
        })
    }

    /// A dense index, `0..COUNT`, for per-statistic arrays.
    #[inline]
    pub const fn index(self) -> usize {
        match self {
            StatType::OpeningPrice => 0,
            StatType::IndicativeOpeningPrice => 1,
            StatType::SettlementPrice => 2,
            StatType::SessionLowPrice => 3,
            StatType::SessionHighPrice => 4,
            StatType::ClearedVolume => 5,
            StatType::LowestOffer => 6,
            StatType::HighestBid => 7,
            StatType::OpenInterest => 8,
            StatType::FixingPrice => 9,
            StatType::UpperPriceLimit => 10,
            StatType::LowerPriceLimit => 11,
            StatType::ElectronicVolume => 12,
            StatType::MaxPriceVariation => 13,
        }
    }

    /// Whether the statistic is a quantity (volume, open interest) rather than a
    /// price.
    #[inline]
    pub const fn is_quantity(self) -> bool {
        matches!(
            self,
            StatType::ClearedVolume | StatType::OpenInterest | StatType::ElectronicVolume
        )
    }
}

/// A statistic's resulting value (kind [`EventKind::Stat`](super::EventKind::Stat)).
///
/// Price statistics set `price_e9` (and `qty` where the venue sends one, else
/// [`Qty::NULL`]); quantity statistics set `qty` and leave `price_e9` null.
/// [`Action::Cancel`] means the venue withdrew the statistic (both fields null).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(C)]
pub struct StatBody {
    /// The price, [`Price::NULL`] for quantity statistics.
    pub price_e9: Price,
    /// The quantity, [`Qty::NULL`] where none.
    pub qty: Qty,
    /// The venue's per-instrument sequence (CME `RptSeq`), 0 where none.
    pub rpt_seq: u32,
    /// Which statistic.
    pub stat: StatType,
    /// [`Action::Add`] (first value), [`Action::Modify`] (a new value) or
    /// [`Action::Cancel`] (withdrawn).
    pub action: Action,
    /// The venue's flags for the value, raw (CME `SettlPriceType` for
    /// settlements), 0 where none.
    pub venue_flags: u8,
}

impl StatBody {
    const PX: usize = offset_of!(StatBody, price_e9);
    const QTY: usize = offset_of!(StatBody, qty);
    const RPT: usize = offset_of!(StatBody, rpt_seq);
    const STAT: usize = offset_of!(StatBody, stat);
    const ACTION: usize = offset_of!(StatBody, action);
    const FLAGS: usize = offset_of!(StatBody, venue_flags);

    #[inline]
    pub(super) fn encode(&self) -> [u8; BODY_LEN] {
        let mut b = [0; BODY_LEN];
        put(&mut b, Self::PX, self.price_e9.e9().to_le_bytes());
        put(&mut b, Self::QTY, self.qty.lots().to_le_bytes());
        put(&mut b, Self::RPT, self.rpt_seq.to_le_bytes());
        b[Self::STAT] = self.stat as u8;
        b[Self::ACTION] = self.action.to_dbn();
        b[Self::FLAGS] = self.venue_flags;
        b
    }

    /// Only ever decodes bytes [`StatBody::encode`] wrote, so the statistic byte is
    /// always known; the fallback keeps decoding total without a panic path.
    #[inline]
    pub(super) fn decode(b: &[u8; BODY_LEN]) -> Self {
        StatBody {
            price_e9: Price::from_e9(i64::from_le_bytes(get(b, Self::PX))),
            qty: Qty::from_lots(u32::from_le_bytes(get(b, Self::QTY))),
            rpt_seq: u32::from_le_bytes(get(b, Self::RPT)),
            stat: StatType::from_u8(b[Self::STAT]).unwrap_or(StatType::OpeningPrice),
            action: get_action(b, Self::ACTION),
            venue_flags: b[Self::FLAGS],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_types_round_trip_and_index_densely() {
        let mut seen = [false; StatType::COUNT];
        for (i, stat) in StatType::ALL.into_iter().enumerate() {
            assert_eq!(stat.index(), i);
            assert_eq!(StatType::from_u8(stat as u8), Some(stat));
            assert!(!seen[stat.index()]);
            seen[stat.index()] = true;
        }
        let known = (0..=u8::MAX).filter_map(StatType::from_u8).count();
        assert_eq!(known, StatType::COUNT);
        assert!(StatType::OpenInterest.is_quantity());
        assert!(!StatType::SettlementPrice.is_quantity());
    }

    #[test]
    fn body_offsets_and_round_trip() {
        assert_eq!(
            [
                StatBody::PX,
                StatBody::QTY,
                StatBody::RPT,
                StatBody::STAT,
                StatBody::ACTION,
                StatBody::FLAGS
            ],
            [0, 8, 12, 16, 17, 18]
        );
        let body = StatBody {
            price_e9: Price::from_e9(2_285_000_000),
            qty: Qty::NULL,
            rpt_seq: 77,
            stat: StatType::MaxPriceVariation,
            action: Action::Modify,
            venue_flags: 0b11,
        };
        assert_eq!(StatBody::decode(&body.encode()), body);
    }
}
