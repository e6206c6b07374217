//! Spread definitions: template 29 `MDInstrumentDefinitionSpread29` (exponent
//! −7) and 56 `MDInstrumentDefinitionSpread56` (exponent −9), root 195.
//!
//! | off | size | field (tag) | type 29 / 56 | since (29) |
//! |---:|---:|---|---|---:|
//! | 0 | 1 | MatchEventIndicator (5799) | set u8 | |
//! | 1 | 4 | TotNumReports (911) | uInt32NULL | |
//! | 5 | 1 | SecurityUpdateAction (980) | char enum | |
//! | 6 | 8 | LastUpdateTime (779) | uInt64 ns | |
//! | 14 | 1 | MDSecurityTradingStatus (1682) | enum uInt8NULL | |
//! | 15 | 2 | ApplID (1180) | Int16 | |
//! | 17 | 1 | MarketSegmentID (1300) | uInt8 | |
//! | 18 | 1 | UnderlyingProduct (462) | uInt8NULL | |
//! | 19 | 4 | SecurityExchange (207) | char[4] | |
//! | 23 | 6 | SecurityGroup (1151) | char[6] | |
//! | 29 | 6 | Asset (6937) | char[6] | |
//! | 35 | 20 | Symbol (55) | char[20] | |
//! | 55 | 4 | SecurityID (48) | Int32 | |
//! | — | 0 | SecurityIDSource (22) | constant `8` | |
//! | 59 | 6 | SecurityType (167) | char[6] | |
//! | 65 | 6 | CFICode (461) | char[6] | |
//! | 71 | 5 | MaturityMonthYear (200) | composite | |
//! | 76 | 3 | Currency (15) | char[3] | |
//! | 79 | 5 | SecuritySubType (762) | char[5] | |
//! | 84 | 1 | UserDefinedInstrument (9779) | char | |
//! | 85 | 1 | MatchAlgorithm (1142) | char | |
//! | 86 | 4 | MinTradeVol (562) | uInt32 | |
//! | 90 | 4 | MaxTradeVol (1140) | uInt32 | |
//! | 94 | 8 | MinPriceIncrement (969) | PRICE / PRICENULL9 | |
//! | 102 | 8 | DisplayFactor (9787) | FLOAT / Decimal9 | |
//! | 110 | 1 | PriceDisplayFormat (9800) | uInt8NULL | |
//! | 111 | 8 | PriceRatio (5770) | PRICENULL / PRICENULL9 | |
//! | 119 | 1 | TickRule (6350) | Int8NULL | |
//! | 120 | 30 | UnitOfMeasure (996) | char[30] | |
//! | 150 | 8 | TradingReferencePrice (1150) | PRICENULL / PRICENULL9 | |
//! | 158 | 1 | SettlPriceType (731) | set u8 | |
//! | 159 | 4 | OpenInterestQty (5792) | Int32NULL | |
//! | 163 | 4 | ClearedVolume (5791) | Int32NULL | |
//! | 167 | 8 | HighLimitPrice (1149) | PRICENULL / PRICENULL9 | |
//! | 175 | 8 | LowLimitPrice (1148) | PRICENULL / PRICENULL9 | |
//! | 183 | 8 | MaxPriceVariation (1143) | PRICENULL / PRICENULL9 | |
//! | 191 | 1 | MainFraction (37702) | uInt8NULL | |
//! | 192 | 1 | SubFraction (37703) | uInt8NULL | |
//! | 193 | 2 | TradingReferenceDate (5796) | LocalMktDate | 6 (v5 roots are 193 bytes) |
//!
//! Groups: `NoEvents`, `NoMDFeedTypes`, `NoInstAttrib`, `NoLotTypeRules`,
//! `NoLegs` (see [`Leg29Entry`](super::Leg29Entry)).

use super::block::sbe_block;
use super::definition_groups::{
    EventEntry, FeedTypeEntry, InstAttribEntry, Leg29Entry, Leg56Entry, LotTypeRuleEntry,
};
use super::encoding::{
    Char, Chars, ConstChar, Enum, I32Null, I8Null, LocalMktDate, Maturity, Price7, Price9,
    PriceNull7, PriceNull9, SetU8, U32Null, U8Null, I16, I32, U32, U64, U8,
};
use super::enums::{
    MatchEventIndicator, SecurityTradingStatus, SecurityUpdateAction, SettlPriceType,
};
use super::group::sbe_message;

macro_rules! spread_root {
    ($(#[$doc:meta])* $name:ident, $min_increment:ty, $factor:ty, $price_null:ty, $date_since:literal) => {
        sbe_block! {
            $(#[$doc])*
            pub struct $name, schema block length 195 {
                match_event_indicator [MATCH_EVENT_INDICATOR @ 0]: SetU8<MatchEventIndicator> = "MatchEventIndicator", since 0;
                tot_num_reports [TOT_NUM_REPORTS @ 1]: U32Null = "TotNumReports", since 0;
                security_update_action [SECURITY_UPDATE_ACTION @ 5]: Enum<SecurityUpdateAction> = "SecurityUpdateAction", since 0;
                last_update_time_ns [LAST_UPDATE_TIME @ 6]: U64 = "LastUpdateTime", since 0;
                md_security_trading_status [MD_SECURITY_TRADING_STATUS @ 14]: Enum<SecurityTradingStatus> = "MDSecurityTradingStatus", since 0;
                appl_id [APPL_ID @ 15]: I16 = "ApplID", since 0;
                market_segment_id [MARKET_SEGMENT_ID @ 17]: U8 = "MarketSegmentID", since 0;
                underlying_product [UNDERLYING_PRODUCT @ 18]: U8Null = "UnderlyingProduct", since 0;
                security_exchange [SECURITY_EXCHANGE @ 19]: Chars<4> = "SecurityExchange", since 0;
                security_group [SECURITY_GROUP @ 23]: Chars<6> = "SecurityGroup", since 0;
                asset [ASSET @ 29]: Chars<6> = "Asset", since 0;
                symbol [SYMBOL @ 35]: Chars<20> = "Symbol", since 0;
                security_id [SECURITY_ID @ 55]: I32 = "SecurityID", since 0;
                security_id_source: ConstChar<b'8'> = "SecurityIDSource", since 0;
                security_type [SECURITY_TYPE @ 59]: Chars<6> = "SecurityType", since 0;
                cfi_code [CFI_CODE @ 65]: Chars<6> = "CFICode", since 0;
                maturity_month_year [MATURITY_MONTH_YEAR @ 71]: Maturity = "MaturityMonthYear", since 0;
                currency [CURRENCY @ 76]: Chars<3> = "Currency", since 0;
                security_sub_type [SECURITY_SUB_TYPE @ 79]: Chars<5> = "SecuritySubType", since 0;
                user_defined_instrument [USER_DEFINED_INSTRUMENT @ 84]: Char = "UserDefinedInstrument", since 0;
                match_algorithm [MATCH_ALGORITHM @ 85]: Char = "MatchAlgorithm", since 0;
                min_trade_vol [MIN_TRADE_VOL @ 86]: U32 = "MinTradeVol", since 0;
                max_trade_vol [MAX_TRADE_VOL @ 90]: U32 = "MaxTradeVol", since 0;
                min_price_increment [MIN_PRICE_INCREMENT @ 94]: $min_increment = "MinPriceIncrement", since 0;
                display_factor [DISPLAY_FACTOR @ 102]: $factor = "DisplayFactor", since 0;
                price_display_format [PRICE_DISPLAY_FORMAT @ 110]: U8Null = "PriceDisplayFormat", since 0;
                price_ratio [PRICE_RATIO @ 111]: $price_null = "PriceRatio", since 0;
                tick_rule [TICK_RULE @ 119]: I8Null = "TickRule", since 0;
                unit_of_measure [UNIT_OF_MEASURE @ 120]: Chars<30> = "UnitOfMeasure", since 0;
                trading_reference_price [TRADING_REFERENCE_PRICE @ 150]: $price_null = "TradingReferencePrice", since 0;
                settl_price_type [SETTL_PRICE_TYPE @ 158]: SetU8<SettlPriceType> = "SettlPriceType", since 0;
                open_interest_qty [OPEN_INTEREST_QTY @ 159]: I32Null = "OpenInterestQty", since 0;
                cleared_volume [CLEARED_VOLUME @ 163]: I32Null = "ClearedVolume", since 0;
                high_limit_price [HIGH_LIMIT_PRICE @ 167]: $price_null = "HighLimitPrice", since 0;
                low_limit_price [LOW_LIMIT_PRICE @ 175]: $price_null = "LowLimitPrice", since 0;
                max_price_variation [MAX_PRICE_VARIATION @ 183]: $price_null = "MaxPriceVariation", since 0;
                main_fraction [MAIN_FRACTION @ 191]: U8Null = "MainFraction", since 0;
                sub_fraction [SUB_FRACTION @ 192]: U8Null = "SubFraction", since 0;
                trading_reference_date_days [TRADING_REFERENCE_DATE @ 193]: LocalMktDate = "TradingReferenceDate", since $date_since;
            }
        }
    };
}

spread_root!(
    /// Root of `MDInstrumentDefinitionSpread29` (exponent −7).
    Spread29Root, Price7, Price7, PriceNull7, 6
);
spread_root!(
    /// Root of `MDInstrumentDefinitionSpread56` (exponent −9).
    Spread56Root, PriceNull9, Price9, PriceNull9, 0
);

sbe_message! {
    /// Template 29: spread definition, exponent −7.
    pub struct MdInstrumentDefinitionSpread29 = MD_INSTRUMENT_DEFINITION_SPREAD_29, "MDInstrumentDefinitionSpread29", root Spread29Root {
        events: EventEntry = "NoEvents", GroupSize, since 0;
        md_feed_types: FeedTypeEntry = "NoMDFeedTypes", GroupSize, since 0;
        inst_attribs: InstAttribEntry = "NoInstAttrib", GroupSize, since 0;
        lot_type_rules: LotTypeRuleEntry = "NoLotTypeRules", GroupSize, since 0;
        legs: Leg29Entry = "NoLegs", GroupSize, since 0;
    }
}

sbe_message! {
    /// Template 56: spread definition, exponent −9.
    pub struct MdInstrumentDefinitionSpread56 = MD_INSTRUMENT_DEFINITION_SPREAD_56, "MDInstrumentDefinitionSpread56", root Spread56Root {
        events: EventEntry = "NoEvents", GroupSize, since 0;
        md_feed_types: FeedTypeEntry = "NoMDFeedTypes", GroupSize, since 0;
        inst_attribs: InstAttribEntry = "NoInstAttrib", GroupSize, since 0;
        lot_type_rules: LotTypeRuleEntry = "NoLotTypeRules", GroupSize, since 0;
        legs: Leg56Entry = "NoLegs", GroupSize, since 0;
    }
}
