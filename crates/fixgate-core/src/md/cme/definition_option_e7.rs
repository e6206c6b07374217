//! Template 41 `MDInstrumentDefinitionOption41` (exponent −7, since version 3;
//! replaced by 55 at −9), root 213. Decoded, not normalized (the CME adapter
//! counts it: options are not defined from it).
//!
//! | off | size | field (tag) | type |
//! |---:|---:|---|---|
//! | 0 | 1 | MatchEventIndicator (5799) | set u8 |
//! | 1 | 4 | TotNumReports (911) | uInt32NULL |
//! | 5 | 1 | SecurityUpdateAction (980) | char enum |
//! | 6 | 8 | LastUpdateTime (779) | uInt64 ns |
//! | 14 | 1 | MDSecurityTradingStatus (1682) | enum uInt8NULL |
//! | 15 | 2 | ApplID (1180) | Int16 |
//! | 17 | 1 | MarketSegmentID (1300) | uInt8 |
//! | 18 | 1 | UnderlyingProduct (462) | uInt8 |
//! | 19 | 4 | SecurityExchange (207) | char[4] |
//! | 23 | 6 | SecurityGroup (1151) | char[6] |
//! | 29 | 6 | Asset (6937) | char[6] |
//! | 35 | 20 | Symbol (55) | char[20] |
//! | 55 | 4 | SecurityID (48) | Int32 |
//! | — | 0 | SecurityIDSource (22) | constant `8` |
//! | 59 | 6 | SecurityType (167) | char[6] |
//! | 65 | 6 | CFICode (461) | char[6] |
//! | 71 | 1 | PutOrCall (201) | enum u8 |
//! | 72 | 5 | MaturityMonthYear (200) | composite |
//! | 77 | 3 | Currency (15) | char[3] |
//! | 80 | 8 | StrikePrice (202) | PRICENULL (−7) |
//! | 88 | 3 | StrikeCurrency (947) | char[3] |
//! | 91 | 3 | SettlCurrency (120) | char[3] |
//! | 94 | 8 | MinCabPrice (9850) | PRICENULL (−7) |
//! | 102 | 1 | MatchAlgorithm (1142) | char |
//! | 103 | 4 | MinTradeVol (562) | uInt32 |
//! | 107 | 4 | MaxTradeVol (1140) | uInt32 |
//! | 111 | 8 | MinPriceIncrement (969) | PRICENULL (−7) |
//! | 119 | 8 | MinPriceIncrementAmount (1146) | PRICENULL (−7) |
//! | 127 | 8 | DisplayFactor (9787) | FLOAT (−7) |
//! | 135 | 1 | TickRule (6350) | Int8NULL |
//! | 136 | 1 | MainFraction (37702) | uInt8NULL |
//! | 137 | 1 | SubFraction (37703) | uInt8NULL |
//! | 138 | 1 | PriceDisplayFormat (9800) | uInt8NULL |
//! | 139 | 30 | UnitOfMeasure (996) | char[30] |
//! | 169 | 8 | UnitOfMeasureQty (1147) | PRICENULL (−7) |
//! | 177 | 8 | TradingReferencePrice (1150) | PRICENULL (−7) |
//! | 185 | 1 | SettlPriceType (731) | set u8 |
//! | 186 | 4 | ClearedVolume (5791) | Int32NULL |
//! | 190 | 4 | OpenInterestQty (5792) | Int32NULL |
//! | 194 | 8 | LowLimitPrice (1148) | PRICENULL (−7) |
//! | 202 | 8 | HighLimitPrice (1149) | PRICENULL (−7) |
//! | 210 | 1 | UserDefinedInstrument (9779) | char |
//! | 211 | 2 | TradingReferenceDate (5796) | LocalMktDate, since 6 |
//!
//! Groups, laid out as 55's: `NoEvents`, `NoMDFeedTypes`, `NoInstAttrib`,
//! `NoLotTypeRules`, `NoUnderlyings`, and `NoRelatedInstruments` since version
//! 7 (see [`UnderlyingEntry`](super::UnderlyingEntry)).

use super::block::sbe_block;
use super::definition_groups::{
    EventEntry, FeedTypeEntry, InstAttribEntry, LotTypeRuleEntry, RelatedInstrumentEntry,
    UnderlyingEntry,
};
use super::encoding::{
    Char, Chars, ConstChar, Enum, I32Null, I8Null, LocalMktDate, Maturity, Price7, PriceNull7,
    SetU8, U32Null, U8Null, I16, I32, U32, U64, U8,
};
use super::enums::{
    MatchEventIndicator, PutOrCall, SecurityTradingStatus, SecurityUpdateAction, SettlPriceType,
};
use super::group::sbe_message;

sbe_block! {
    /// Root of `MDInstrumentDefinitionOption41`.
    pub struct Option41Root, schema block length 213 {
        match_event_indicator [MATCH_EVENT_INDICATOR @ 0]: SetU8<MatchEventIndicator> = "MatchEventIndicator", since 0;
        tot_num_reports [TOT_NUM_REPORTS @ 1]: U32Null = "TotNumReports", since 0;
        security_update_action [SECURITY_UPDATE_ACTION @ 5]: Enum<SecurityUpdateAction> = "SecurityUpdateAction", since 0;
        last_update_time_ns [LAST_UPDATE_TIME @ 6]: U64 = "LastUpdateTime", since 0;
        md_security_trading_status [MD_SECURITY_TRADING_STATUS @ 14]: Enum<SecurityTradingStatus> = "MDSecurityTradingStatus", since 0;
        appl_id [APPL_ID @ 15]: I16 = "ApplID", since 0;
        market_segment_id [MARKET_SEGMENT_ID @ 17]: U8 = "MarketSegmentID", since 0;
        underlying_product [UNDERLYING_PRODUCT @ 18]: U8 = "UnderlyingProduct", since 0;
        security_exchange [SECURITY_EXCHANGE @ 19]: Chars<4> = "SecurityExchange", since 0;
        security_group [SECURITY_GROUP @ 23]: Chars<6> = "SecurityGroup", since 0;
        asset [ASSET @ 29]: Chars<6> = "Asset", since 0;
        symbol [SYMBOL @ 35]: Chars<20> = "Symbol", since 0;
        security_id [SECURITY_ID @ 55]: I32 = "SecurityID", since 0;
        security_id_source: ConstChar<b'8'> = "SecurityIDSource", since 0;
        security_type [SECURITY_TYPE @ 59]: Chars<6> = "SecurityType", since 0;
        cfi_code [CFI_CODE @ 65]: Chars<6> = "CFICode", since 0;
        put_or_call [PUT_OR_CALL @ 71]: Enum<PutOrCall> = "PutOrCall", since 0;
        maturity_month_year [MATURITY_MONTH_YEAR @ 72]: Maturity = "MaturityMonthYear", since 0;
        currency [CURRENCY @ 77]: Chars<3> = "Currency", since 0;
        strike_price [STRIKE_PRICE @ 80]: PriceNull7 = "StrikePrice", since 0;
        strike_currency [STRIKE_CURRENCY @ 88]: Chars<3> = "StrikeCurrency", since 0;
        settl_currency [SETTL_CURRENCY @ 91]: Chars<3> = "SettlCurrency", since 0;
        min_cab_price [MIN_CAB_PRICE @ 94]: PriceNull7 = "MinCabPrice", since 0;
        match_algorithm [MATCH_ALGORITHM @ 102]: Char = "MatchAlgorithm", since 0;
        min_trade_vol [MIN_TRADE_VOL @ 103]: U32 = "MinTradeVol", since 0;
        max_trade_vol [MAX_TRADE_VOL @ 107]: U32 = "MaxTradeVol", since 0;
        min_price_increment [MIN_PRICE_INCREMENT @ 111]: PriceNull7 = "MinPriceIncrement", since 0;
        min_price_increment_amount [MIN_PRICE_INCREMENT_AMOUNT @ 119]: PriceNull7 = "MinPriceIncrementAmount", since 0;
        display_factor [DISPLAY_FACTOR @ 127]: Price7 = "DisplayFactor", since 0;
        tick_rule [TICK_RULE @ 135]: I8Null = "TickRule", since 0;
        main_fraction [MAIN_FRACTION @ 136]: U8Null = "MainFraction", since 0;
        sub_fraction [SUB_FRACTION @ 137]: U8Null = "SubFraction", since 0;
        price_display_format [PRICE_DISPLAY_FORMAT @ 138]: U8Null = "PriceDisplayFormat", since 0;
        unit_of_measure [UNIT_OF_MEASURE @ 139]: Chars<30> = "UnitOfMeasure", since 0;
        unit_of_measure_qty [UNIT_OF_MEASURE_QTY @ 169]: PriceNull7 = "UnitOfMeasureQty", since 0;
        trading_reference_price [TRADING_REFERENCE_PRICE @ 177]: PriceNull7 = "TradingReferencePrice", since 0;
        settl_price_type [SETTL_PRICE_TYPE @ 185]: SetU8<SettlPriceType> = "SettlPriceType", since 0;
        cleared_volume [CLEARED_VOLUME @ 186]: I32Null = "ClearedVolume", since 0;
        open_interest_qty [OPEN_INTEREST_QTY @ 190]: I32Null = "OpenInterestQty", since 0;
        low_limit_price [LOW_LIMIT_PRICE @ 194]: PriceNull7 = "LowLimitPrice", since 0;
        high_limit_price [HIGH_LIMIT_PRICE @ 202]: PriceNull7 = "HighLimitPrice", since 0;
        user_defined_instrument [USER_DEFINED_INSTRUMENT @ 210]: Char = "UserDefinedInstrument", since 0;
        trading_reference_date_days [TRADING_REFERENCE_DATE @ 211]: LocalMktDate = "TradingReferenceDate", since 6;
    }
}

sbe_message! {
    /// Template 41: option definition, exponent −7.
    pub struct MdInstrumentDefinitionOption41 = MD_INSTRUMENT_DEFINITION_OPTION_41, "MDInstrumentDefinitionOption41", root Option41Root {
        events: EventEntry = "NoEvents", GroupSize, since 0;
        md_feed_types: FeedTypeEntry = "NoMDFeedTypes", GroupSize, since 0;
        inst_attribs: InstAttribEntry = "NoInstAttrib", GroupSize, since 0;
        lot_type_rules: LotTypeRuleEntry = "NoLotTypeRules", GroupSize, since 0;
        underlyings: UnderlyingEntry = "NoUnderlyings", GroupSize, since 0;
        related_instruments: RelatedInstrumentEntry = "NoRelatedInstruments", GroupSize, since 7;
    }
}
