//! The schema's enums and sets as open newtypes with named constants: any wire
//! value decodes, and [`EnumSchema::NAMES`] / [`SetSchema::CHOICES`] hold the
//! schema's names for the field walk.
//!
//! | schema enum / set | encoding | newtype |
//! |---|---|---|
//! | `MDUpdateAction` | uInt8 | [`MdUpdateAction`] |
//! | `MDEntryType`, `MDEntryTypeBook`, `…Statistics`, `…DailyStatistics` | char | [`MdEntryType`] (names per schema enum via marker types) |
//! | `AggressorSide` | uInt8NULL | [`AggressorSide`] |
//! | `OrderUpdateAction` | uInt8 | [`OrderUpdateAction`] |
//! | `SecurityTradingStatus` | uInt8NULL | [`SecurityTradingStatus`] |
//! | `HaltReason`, `SecurityTradingEvent` | uInt8 | [`HaltReason`], [`SecurityTradingEvent`] |
//! | `SecurityUpdateAction` | char | [`SecurityUpdateAction`] |
//! | `OpenCloseSettlFlag` | uInt8NULL | [`OpenCloseSettlFlag`] |
//! | `EventType`, `LegSide`, `PutOrCall` | uInt8 | [`EventType`], [`LegSide`], [`PutOrCall`] |
//! | `MatchEventIndicator`, `SettlPriceType` (sets) | uInt8 | [`MatchEventIndicator`], [`SettlPriceType`] |
//! | `InstAttribValue` (set) | uInt32 | [`InstAttribValue`] |
//!
//! Enum and choice `sinceVersion`s are not applied: a name is reported for any
//! message version.

/// How an enum is stored and named in the schema.
pub trait EnumSchema {
    /// The newtype an accessor returns.
    type Value: Copy;
    /// `(value, name)` of each `validValue`.
    const NAMES: &'static [(u8, &'static str)];
    /// The encoding's null value (`uInt8NULL`: 255), if it has one.
    const NULL: Option<u8>;
    /// Whether the encoding type is `char`.
    const CHAR: bool;
    /// The newtype holding `raw`.
    fn from_raw(raw: u8) -> Self::Value;
    /// The schema name of `raw`.
    fn name(raw: u8) -> Option<&'static str> {
        Self::NAMES.iter().find(|(v, _)| *v == raw).map(|(_, n)| *n)
    }
}

/// How a bit set is named in the schema.
pub trait SetSchema {
    /// The newtype an accessor returns.
    type Value: Copy;
    /// `(bit index, name)` of each `choice`.
    const CHOICES: &'static [(u8, &'static str)];
    /// The newtype holding `raw`.
    fn from_raw(raw: u32) -> Self::Value;
}

macro_rules! open_enum {
    (
        $(#[$doc:meta])* $name:ident: $repr:ident, null $null:expr, char $is_char:literal {
            $($(#[$cdoc:meta])* $konst:ident = $val:expr, $vname:literal;)*
        }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $name(pub $repr);

        impl $name {
            $($(#[$cdoc])* pub const $konst: $name = $name($val);)*

            /// The schema name of this value, `None` when the schema does not define it.
            pub fn name(self) -> Option<&'static str> {
                <$name as EnumSchema>::name(self.0)
            }
        }

        impl EnumSchema for $name {
            type Value = $name;
            const NAMES: &'static [(u8, &'static str)] = &[$(($val, $vname)),*];
            const NULL: Option<u8> = $null;
            const CHAR: bool = $is_char;
            #[inline]
            fn from_raw(raw: u8) -> $name {
                $name(raw)
            }
        }
    };
}

open_enum! {
    /// `MDUpdateAction` (279).
    MdUpdateAction: u8, null None, char false {
        /// New level or entry.
        NEW = 0, "New";
        /// Change of an existing level.
        CHANGE = 1, "Change";
        /// Delete of a level.
        DELETE = 2, "Delete";
        /// Delete every level from the top through this one.
        DELETE_THRU = 3, "DeleteThru";
        /// Delete this level and every level below it.
        DELETE_FROM = 4, "DeleteFrom";
        /// Overlay (replace) a level.
        OVERLAY = 5, "Overlay";
    }
}

open_enum! {
    /// `MDEntryType` (269), a `char`; [`MdEntryType::name`] uses the names of the
    /// full `MDEntryType` enum.
    MdEntryType: u8, null None, char true {
        /// `0` bid.
        BID = b'0', "Bid";
        /// `1` offer.
        OFFER = b'1', "Offer";
        /// `2` trade.
        TRADE = b'2', "Trade";
        /// `4` open price.
        OPEN_PRICE = b'4', "OpenPrice";
        /// `6` settlement price.
        SETTLEMENT_PRICE = b'6', "SettlementPrice";
        /// `7` session high trade.
        TRADING_SESSION_HIGH_PRICE = b'7', "TradingSessionHighPrice";
        /// `8` session low trade.
        TRADING_SESSION_LOW_PRICE = b'8', "TradingSessionLowPrice";
        /// `B` cleared volume.
        CLEARED_VOLUME = b'B', "ClearedVolume";
        /// `C` open interest.
        OPEN_INTEREST = b'C', "OpenInterest";
        /// `E` implied bid.
        IMPLIED_BID = b'E', "ImpliedBid";
        /// `F` implied offer.
        IMPLIED_OFFER = b'F', "ImpliedOffer";
        /// `J` book reset.
        BOOK_RESET = b'J', "BookReset";
        /// `N` session high bid.
        SESSION_HIGH_BID = b'N', "SessionHighBid";
        /// `O` session low offer.
        SESSION_LOW_OFFER = b'O', "SessionLowOffer";
        /// `W` fixing price.
        FIXING_PRICE = b'W', "FixingPrice";
        /// `e` electronic volume.
        ELECTRONIC_VOLUME = b'e', "ElectronicVolume";
        /// `g` threshold limits and price band variation.
        THRESHOLD_LIMITS = b'g', "ThresholdLimitsandPriceBandVariation";
    }
}

macro_rules! entry_type_subset {
    ($(#[$doc:meta])* $name:ident { $($val:expr, $vname:literal;)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug)]
        pub struct $name;

        impl EnumSchema for $name {
            type Value = MdEntryType;
            const NAMES: &'static [(u8, &'static str)] = &[$(($val, $vname)),*];
            const NULL: Option<u8> = None;
            const CHAR: bool = true;
            #[inline]
            fn from_raw(raw: u8) -> MdEntryType {
                MdEntryType(raw)
            }
        }
    };
}

entry_type_subset! {
    /// The schema enum `MDEntryTypeBook` (names of book entry types).
    MdEntryTypeBook { b'0', "Bid"; b'1', "Offer"; b'E', "ImpliedBid"; b'F', "ImpliedOffer"; b'J', "BookReset"; }
}
entry_type_subset! {
    /// The schema enum `MDEntryTypeStatistics` (session statistics entry types).
    MdEntryTypeStatistics { b'4', "OpenPrice"; b'7', "HighTrade"; b'8', "LowTrade"; b'N', "HighestBid"; b'O', "LowestOffer"; }
}
entry_type_subset! {
    /// The schema enum `MDEntryTypeDailyStatistics` (daily statistics entry types).
    MdEntryTypeDailyStatistics { b'6', "SettlementPrice"; b'B', "ClearedVolume"; b'C', "OpenInterest"; b'W', "FixingPrice"; }
}

open_enum! {
    /// `AggressorSide` (5797), null 255.
    AggressorSide: u8, null Some(255), char false {
        /// No aggressor (e.g. an opening trade).
        NO_AGGRESSOR = 0, "NoAggressor";
        /// The buyer was the aggressor.
        BUY = 1, "Buy";
        /// The seller was the aggressor.
        SELL = 2, "Sell";
    }
}

open_enum! {
    /// `OrderUpdateAction` (37708).
    OrderUpdateAction: u8, null None, char false {
        /// New order.
        NEW = 0, "New";
        /// Order updated.
        UPDATE = 1, "Update";
        /// Order deleted.
        DELETE = 2, "Delete";
    }
}

open_enum! {
    /// `SecurityTradingStatus` (326, 1682), null 255.
    SecurityTradingStatus: u8, null Some(255), char false {
        /// Trading halt.
        TRADING_HALT = 2, "TradingHalt";
        /// Close.
        CLOSE = 4, "Close";
        /// New price indication.
        NEW_PRICE_INDICATION = 15, "NewPriceIndication";
        /// Ready to trade (open).
        READY_TO_TRADE = 17, "ReadyToTrade";
        /// Not available for trading.
        NOT_AVAILABLE_FOR_TRADING = 18, "NotAvailableForTrading";
        /// Unknown or invalid.
        UNKNOWN_OR_INVALID = 20, "UnknownorInvalid";
        /// Pre-open.
        PRE_OPEN = 21, "PreOpen";
        /// Pre-cross.
        PRE_CROSS = 24, "PreCross";
        /// Cross.
        CROSS = 25, "Cross";
        /// Post-close.
        POST_CLOSE = 26, "PostClose";
        /// No change.
        NO_CHANGE = 103, "NoChange";
    }
}

open_enum! {
    /// `HaltReason` (327).
    HaltReason: u8, null None, char false {
        /// Group schedule.
        GROUP_SCHEDULE = 0, "GroupSchedule";
        /// Surveillance intervention.
        SURVEILLANCE_INTERVENTION = 1, "SurveillanceIntervention";
        /// Market event.
        MARKET_EVENT = 2, "MarketEvent";
        /// Instrument activation.
        INSTRUMENT_ACTIVATION = 3, "InstrumentActivation";
        /// Instrument expiration.
        INSTRUMENT_EXPIRATION = 4, "InstrumentExpiration";
        /// Unknown.
        UNKNOWN = 5, "Unknown";
        /// Recovery in process.
        RECOVERY_IN_PROCESS = 6, "RecoveryInProcess";
    }
}

open_enum! {
    /// `SecurityTradingEvent` (1174).
    SecurityTradingEvent: u8, null None, char false {
        /// No event.
        NO_EVENT = 0, "NoEvent";
        /// No cancel.
        NO_CANCEL = 1, "NoCancel";
        /// Reset statistics.
        RESET_STATISTICS = 4, "ResetStatistics";
        /// Implied matching on.
        IMPLIED_MATCHING_ON = 5, "ImpliedMatchingON";
        /// Implied matching off.
        IMPLIED_MATCHING_OFF = 6, "ImpliedMatchingOFF";
    }
}

open_enum! {
    /// `SecurityUpdateAction` (980), a `char`.
    SecurityUpdateAction: u8, null None, char true {
        /// `A` add.
        ADD = b'A', "Add";
        /// `D` delete.
        DELETE = b'D', "Delete";
        /// `M` modify.
        MODIFY = b'M', "Modify";
    }
}

open_enum! {
    /// `OpenCloseSettlFlag` (286), null 255.
    OpenCloseSettlFlag: u8, null Some(255), char false {
        /// Daily open price.
        DAILY_OPEN_PRICE = 0, "DailyOpenPrice";
        /// Indicative opening price.
        INDICATIVE_OPENING_PRICE = 5, "IndicativeOpeningPrice";
    }
}

open_enum! {
    /// `EventType` (865).
    EventType: u8, null None, char false {
        /// Activation.
        ACTIVATION = 5, "Activation";
        /// Last eligible trade date.
        LAST_ELIGIBLE_TRADE_DATE = 7, "LastEligibleTradeDate";
    }
}

open_enum! {
    /// `LegSide` (624).
    LegSide: u8, null None, char false {
        /// Buy side.
        BUY_SIDE = 1, "BuySide";
        /// Sell side.
        SELL_SIDE = 2, "SellSide";
    }
}

open_enum! {
    /// `PutOrCall` (201).
    PutOrCall: u8, null None, char false {
        /// Put.
        PUT = 0, "Put";
        /// Call.
        CALL = 1, "Call";
    }
}

macro_rules! open_set {
    (
        $(#[$doc:meta])* $name:ident: $repr:ident {
            $($(#[$cdoc:meta])* $konst:ident = $bit:literal, $cname:literal;)*
        }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $name(pub $repr);

        impl $name {
            $($(#[$cdoc])* pub const $konst: $repr = 1 << $bit;)*

            /// Whether every bit of `mask` is set.
            #[inline]
            pub const fn contains(self, mask: $repr) -> bool {
                self.0 & mask == mask
            }
        }

        impl SetSchema for $name {
            type Value = $name;
            const CHOICES: &'static [(u8, &'static str)] = &[$(($bit, $cname)),*];
            #[inline]
            fn from_raw(raw: u32) -> $name {
                // The wire field is `$repr` wide, so `raw` fits.
                $name(raw as $repr)
            }
        }
    };
}

open_set! {
    /// `MatchEventIndicator` (5799): where a Globex event ends.
    MatchEventIndicator: u8 {
        /// Bit 0: last trade-summary message of the event.
        LAST_TRADE_MSG = 0, "LastTradeMsg";
        /// Bit 1: last electronic-volume message of the event.
        LAST_VOLUME_MSG = 1, "LastVolumeMsg";
        /// Bit 2: last real quote message of the event.
        LAST_QUOTE_MSG = 2, "LastQuoteMsg";
        /// Bit 3: last statistics message of the event.
        LAST_STATS_MSG = 3, "LastStatsMsg";
        /// Bit 4: last implied quote message of the event.
        LAST_IMPLIED_MSG = 4, "LastImpliedMsg";
        /// Bit 5: sent during a recovery process.
        RECOVERY_MSG = 5, "RecoveryMsg";
        /// Bit 6: reserved.
        RESERVED = 6, "Reserved";
        /// Bit 7: last message of the Globex event (publish books now).
        END_OF_EVENT = 7, "EndOfEvent";
    }
}

open_set! {
    /// `SettlPriceType` (731).
    SettlPriceType: u8 {
        /// Bit 0: final (else preliminary).
        FINAL_DAILY = 0, "FinalDaily";
        /// Bit 1: actual (else theoretical).
        ACTUAL = 1, "Actual";
        /// Bit 2: rounded.
        ROUNDED = 2, "Rounded";
        /// Bit 3: intraday.
        INTRADAY = 3, "Intraday";
        /// Bit 4: reserved.
        RESERVED_BITS = 4, "ReservedBits";
        /// Bit 7: the whole set is null.
        NULL_VALUE = 7, "NullValue";
    }
}

open_set! {
    /// `InstAttribValue` (872): instrument eligibility flags.
    InstAttribValue: u32 {
        /// Bit 0.
        ELECTRONIC_MATCH_ELIGIBLE = 0, "ElectronicMatchEligible";
        /// Bit 1.
        ORDER_CROSS_ELIGIBLE = 1, "OrderCrossEligible";
        /// Bit 2.
        BLOCK_TRADE_ELIGIBLE = 2, "BlockTradeEligible";
        /// Bit 3.
        EFP_ELIGIBLE = 3, "EFPEligible";
        /// Bit 4.
        EBF_ELIGIBLE = 4, "EBFEligible";
        /// Bit 5.
        EFS_ELIGIBLE = 5, "EFSEligible";
        /// Bit 6.
        EFR_ELIGIBLE = 6, "EFREligible";
        /// Bit 7.
        OTC_ELIGIBLE = 7, "OTCEligible";
        /// Bit 8.
        ILINK_INDICATIVE_MASS_QUOTING_ELIGIBLE = 8, "iLinkIndicativeMassQuotingEligible";
        /// Bit 9.
        NEGATIVE_STRIKE_ELIGIBLE = 9, "NegativeStrikeEligible";
        /// Bit 10.
        NEGATIVE_PRICE_OUTRIGHT_ELIGIBLE = 10, "NegativePriceOutrightEligible";
        /// Bit 11.
        IS_FRACTIONAL = 11, "IsFractional";
        /// Bit 12.
        VOLATILITY_QUOTED_OPTION = 12, "VolatilityQuotedOption";
        /// Bit 13.
        RFQ_CROSS_ELIGIBLE = 13, "RFQCrossEligible";
        /// Bit 14.
        ZERO_PRICE_OUTRIGHT_ELIGIBLE = 14, "ZeroPriceOutrightEligible";
        /// Bit 15.
        DECAYING_PRODUCT_ELIGIBILITY = 15, "DecayingProductEligibility";
        /// Bit 16.
        VARIABLE_PRODUCT_ELIGIBILITY = 16, "VariableProductEligibility";
        /// Bit 17.
        DAILY_PRODUCT_ELIGIBILITY = 17, "DailyProductEligibility";
        /// Bit 18.
        GT_ORDERS_ELIGIBILITY = 18, "GTOrdersEligibility";
        /// Bit 19: implied matching eligible.
        IMPLIED_MATCHING_ELIGIBILITY = 19, "ImpliedMatchingEligibility";
        /// Bit 20.
        TRIANGULATION_ELIGIBLE = 20, "TriangulationEligible";
        /// Bit 21.
        VARIABLE_CAB_ELIGIBLE = 21, "VariableCabEligible";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_enums_name_known_values_and_keep_unknown_ones() {
        assert_eq!(MdUpdateAction::DELETE_THRU.name(), Some("DeleteThru"));
        assert_eq!(MdUpdateAction(9).name(), None);
        assert_eq!(MdEntryType(b'7').name(), Some("TradingSessionHighPrice"));
        assert_eq!(MdEntryTypeStatistics::name(b'7'), Some("HighTrade"));
        assert_eq!(MdEntryTypeBook::name(b'2'), None);
        assert_eq!(AggressorSide::NULL, Some(255));
    }

    #[test]
    fn sets_test_bits() {
        let m = MatchEventIndicator(0x84);
        assert!(m.contains(MatchEventIndicator::END_OF_EVENT));
        assert!(m.contains(MatchEventIndicator::LAST_QUOTE_MSG));
        assert!(!m.contains(MatchEventIndicator::LAST_TRADE_MSG));
        assert_eq!(InstAttribValue::from_raw(1 << 19).0, 0x80000);
    }
}
