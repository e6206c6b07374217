//! The groups of the instrument definitions (27, 29, 54, 55, 56), all
//! `groupSize`.
//!
//! | group (tag) | entry | fields (offset) |
//! |---|---:|---|
//! | NoEvents (864) | 9 | EventType enum u8 @0 (5 activation, 7 last eligible trade date), EventTime uInt64 ns @1 |
//! | NoMDFeedTypes (1141) | 4 | MDFeedType char[3] @0 (`GBX` book, `GBI` implied), MarketDepth Int8 @3 |
//! | NoInstAttrib (870) | 4 | InstAttribType constant 24, InstAttribValue set u32 @0 |
//! | NoLotTypeRules (1234) | 5 | LotType Int8 @0, MinLotSize DecimalQty @1 (mantissa at 1e-4) |
//! | NoLegs (555), in 29 / 56 | 18 | LegSecurityID Int32 @0, LegSecurityIDSource constant `8`, LegSide enum u8 @4, LegRatioQty Int8 @5, LegPrice PRICENULL / PRICENULL9 @6, LegOptionDelta DecimalQty @14 |
//! | NoUnderlyings (711), in 55 | 24 | UnderlyingSecurityID Int32 @0, UnderlyingSecurityIDSource constant `8`, UnderlyingSymbol char[20] @4 |
//! | NoRelatedInstruments (1647), in 55 | 24 | RelatedSecurityID Int32 @0, RelatedSecurityIDSource constant `8`, RelatedSymbol char[20] @4 |

use super::block::sbe_block;
use super::encoding::{
    Chars, ConstChar, ConstI8, DecimalQty, Enum, PriceNull7, PriceNull9, SetU32, I32, I8, U64,
};
use super::enums::{EventType, InstAttribValue, LegSide};

sbe_block! {
    /// Entry of `NoEvents`.
    pub struct EventEntry, schema block length 9 {
        event_type [EVENT_TYPE @ 0]: Enum<EventType> = "EventType", since 0;
        event_time_ns [EVENT_TIME @ 1]: U64 = "EventTime", since 0;
    }
}

sbe_block! {
    /// Entry of `NoMDFeedTypes`.
    pub struct FeedTypeEntry, schema block length 4 {
        md_feed_type [MD_FEED_TYPE @ 0]: Chars<3> = "MDFeedType", since 0;
        market_depth [MARKET_DEPTH @ 3]: I8 = "MarketDepth", since 0;
    }
}

sbe_block! {
    /// Entry of `NoInstAttrib`.
    pub struct InstAttribEntry, schema block length 4 {
        inst_attrib_type: ConstI8<24> = "InstAttribType", since 0;
        inst_attrib_value [INST_ATTRIB_VALUE @ 0]: SetU32<InstAttribValue> = "InstAttribValue", since 0;
    }
}

sbe_block! {
    /// Entry of `NoLotTypeRules`.
    pub struct LotTypeRuleEntry, schema block length 5 {
        lot_type [LOT_TYPE @ 0]: I8 = "LotType", since 0;
        /// The mantissa at 1e-4.
        min_lot_size_e4 [MIN_LOT_SIZE @ 1]: DecimalQty = "MinLotSize", since 0;
    }
}

sbe_block! {
    /// Entry of `NoLegs` in template 29 (exponent −7).
    pub struct Leg29Entry, schema block length 18 {
        leg_security_id [LEG_SECURITY_ID @ 0]: I32 = "LegSecurityID", since 0;
        leg_security_id_source: ConstChar<b'8'> = "LegSecurityIDSource", since 0;
        leg_side [LEG_SIDE @ 4]: Enum<LegSide> = "LegSide", since 0;
        leg_ratio_qty [LEG_RATIO_QTY @ 5]: I8 = "LegRatioQty", since 0;
        leg_price [LEG_PRICE @ 6]: PriceNull7 = "LegPrice", since 0;
        /// The mantissa at 1e-4.
        leg_option_delta_e4 [LEG_OPTION_DELTA @ 14]: DecimalQty = "LegOptionDelta", since 0;
    }
}

sbe_block! {
    /// Entry of `NoLegs` in template 56 (exponent −9).
    pub struct Leg56Entry, schema block length 18 {
        leg_security_id [LEG_SECURITY_ID @ 0]: I32 = "LegSecurityID", since 0;
        leg_security_id_source: ConstChar<b'8'> = "LegSecurityIDSource", since 0;
        leg_side [LEG_SIDE @ 4]: Enum<LegSide> = "LegSide", since 0;
        leg_ratio_qty [LEG_RATIO_QTY @ 5]: I8 = "LegRatioQty", since 0;
        leg_price [LEG_PRICE @ 6]: PriceNull9 = "LegPrice", since 0;
        /// The mantissa at 1e-4.
        leg_option_delta_e4 [LEG_OPTION_DELTA @ 14]: DecimalQty = "LegOptionDelta", since 0;
    }
}

sbe_block! {
    /// Entry of `NoUnderlyings` (template 55).
    pub struct UnderlyingEntry, schema block length 24 {
        underlying_security_id [UNDERLYING_SECURITY_ID @ 0]: I32 = "UnderlyingSecurityID", since 0;
        underlying_security_id_source: ConstChar<b'8'> = "UnderlyingSecurityIDSource", since 0;
        underlying_symbol [UNDERLYING_SYMBOL @ 4]: Chars<20> = "UnderlyingSymbol", since 0;
    }
}

sbe_block! {
    /// Entry of `NoRelatedInstruments` (template 55).
    pub struct RelatedInstrumentEntry, schema block length 24 {
        related_security_id [RELATED_SECURITY_ID @ 0]: I32 = "RelatedSecurityID", since 0;
        related_security_id_source: ConstChar<b'8'> = "RelatedSecurityIDSource", since 0;
        related_symbol [RELATED_SYMBOL @ 4]: Chars<20> = "RelatedSymbol", since 0;
    }
}
