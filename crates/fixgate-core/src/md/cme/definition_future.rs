//! Future definitions: template 27 `MDInstrumentDefinitionFuture27` (exponent
//! −7) and 54 `MDInstrumentDefinitionFuture54` (exponent −9), root 216.
//!
//! | off | size | field (tag) | type 27 / 54 | since (27) |
//! |---:|---:|---|---|---:|
//! | 0 | 1 | MatchEventIndicator (5799) | set u8 | |
//! | 1 | 4 | TotNumReports (911) | uInt32NULL | |
//! | 5 | 1 | SecurityUpdateAction (980) | char enum | |
//! | 6 | 8 | LastUpdateTime (779) | uInt64 ns | |
//! | 14 | 1 | MDSecurityTradingStatus (1682) | enum uInt8NULL | |
//! | 15 | 2 | ApplID (1180) | Int16 (channel) | |
//! | 17 | 1 | MarketSegmentID (1300) | uInt8 | |
//! | 18 | 1 | UnderlyingProduct (462) | uInt8 | |
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
//! | 79 | 3 | SettlCurrency (120) | char[3] | |
//! | 82 | 1 | MatchAlgorithm (1142) | char | |
//! | 83 | 4 | MinTradeVol (562) | uInt32 | |
//! | 87 | 4 | MaxTradeVol (1140) | uInt32 | |
//! | 91 | 8 | MinPriceIncrement (969) | PRICE / PRICE9 | |
//! | 99 | 8 | DisplayFactor (9787) | FLOAT / Decimal9 | |
//! | 107 | 1 | MainFraction (37702) | uInt8NULL | |
//! | 108 | 1 | SubFraction (37703) | uInt8NULL | |
//! | 109 | 1 | PriceDisplayFormat (9800) | uInt8NULL | |
//! | 110 | 30 | UnitOfMeasure (996) | char[30] | |
//! | 140 | 8 | UnitOfMeasureQty (1147) | PRICENULL / Decimal9NULL | |
//! | 148 | 8 | TradingReferencePrice (1150) | PRICENULL / PRICENULL9 | |
//! | 156 | 1 | SettlPriceType (731) | set u8 | |
//! | 157 | 4 | OpenInterestQty (5792) | Int32NULL | |
//! | 161 | 4 | ClearedVolume (5791) | Int32NULL | |
//! | 165 | 8 | HighLimitPrice (1149) | PRICENULL / PRICENULL9 | |
//! | 173 | 8 | LowLimitPrice (1148) | PRICENULL / PRICENULL9 | |
//! | 181 | 8 | MaxPriceVariation (1143) | PRICENULL / PRICENULL9 | |
//! | 189 | 4 | DecayQuantity (5818) | Int32NULL | |
//! | 193 | 2 | DecayStartDate (5819) | LocalMktDate | |
//! | 195 | 4 | OriginalContractSize (5849) | Int32NULL | |
//! | 199 | 4 | ContractMultiplier (231) | Int32NULL | |
//! | 203 | 1 | ContractMultiplierUnit (1435) | Int8NULL | |
//! | 204 | 1 | FlowScheduleType (1439) | Int8NULL | |
//! | 205 | 8 | MinPriceIncrementAmount (1146) | PRICENULL / PRICENULL9 | |
//! | 213 | 1 | UserDefinedInstrument (9779) | char | 3 |
//! | 214 | 2 | TradingReferenceDate (5796) | LocalMktDate | 6 (v5 roots are 214 bytes) |
//!
//! Groups: `NoEvents`, `NoMDFeedTypes`, `NoInstAttrib`, `NoLotTypeRules` (see
//! [`definition_groups`](super::EventEntry)).

use super::block::sbe_block;
use super::definition_groups::{EventEntry, FeedTypeEntry, InstAttribEntry, LotTypeRuleEntry};
use super::encoding::{
    Char, Chars, ConstChar, Enum, I32Null, I8Null, LocalMktDate, Maturity, Price7, Price9,
    PriceNull7, PriceNull9, SetU8, U32Null, U8Null, I16, I32, U32, U64, U8,
};
use super::enums::{
    MatchEventIndicator, SecurityTradingStatus, SecurityUpdateAction, SettlPriceType,
};
use super::group::sbe_message;

macro_rules! future_root {
    ($(#[$doc:meta])* $name:ident, $price:ty, $price_null:ty, $user_since:literal, $date_since:literal) => {
        sbe_block! {
            $(#[$doc])*
            pub struct $name, schema block length 216 {
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
                maturity_month_year [MATURITY_MONTH_YEAR @ 71]: Maturity = "MaturityMonthYear", since 0;
                currency [CURRENCY @ 76]: Chars<3> = "Currency", since 0;
                settl_currency [SETTL_CURRENCY @ 79]: Chars<3> = "SettlCurrency", since 0;
                match_algorithm [MATCH_ALGORITHM @ 82]: Char = "MatchAlgorithm", since 0;
                min_trade_vol [MIN_TRADE_VOL @ 83]: U32 = "MinTradeVol", since 0;
                max_trade_vol [MAX_TRADE_VOL @ 87]: U32 = "MaxTradeVol", since 0;
                min_price_increment [MIN_PRICE_INCREMENT @ 91]: $price = "MinPriceIncrement", since 0;
                display_factor [DISPLAY_FACTOR @ 99]: $price = "DisplayFactor", since 0;
                main_fraction [MAIN_FRACTION @ 107]: U8Null = "MainFraction", since 0;
                sub_fraction [SUB_FRACTION @ 108]: U8Null = "SubFraction", since 0;
                price_display_format [PRICE_DISPLAY_FORMAT @ 109]: U8Null = "PriceDisplayFormat", since 0;
                unit_of_measure [UNIT_OF_MEASURE @ 110]: Chars<30> = "UnitOfMeasure", since 0;
                unit_of_measure_qty [UNIT_OF_MEASURE_QTY @ 140]: $price_null = "UnitOfMeasureQty", since 0;
                trading_reference_price [TRADING_REFERENCE_PRICE @ 148]: $price_null = "TradingReferencePrice", since 0;
                settl_price_type [SETTL_PRICE_TYPE @ 156]: SetU8<SettlPriceType> = "SettlPriceType", since 0;
                open_interest_qty [OPEN_INTEREST_QTY @ 157]: I32Null = "OpenInterestQty", since 0;
                cleared_volume [CLEARED_VOLUME @ 161]: I32Null = "ClearedVolume", since 0;
                high_limit_price [HIGH_LIMIT_PRICE @ 165]: $price_null = "HighLimitPrice", since 0;
                low_limit_price [LOW_LIMIT_PRICE @ 173]: $price_null = "LowLimitPrice", since 0;
                max_price_variation [MAX_PRICE_VARIATION @ 181]: $price_null = "MaxPriceVariation", since 0;
                decay_quantity [DECAY_QUANTITY @ 189]: I32Null = "DecayQuantity", since 0;
                decay_start_date_days [DECAY_START_DATE @ 193]: LocalMktDate = "DecayStartDate", since 0;
                original_contract_size [ORIGINAL_CONTRACT_SIZE @ 195]: I32Null = "OriginalContractSize", since 0;
                contract_multiplier [CONTRACT_MULTIPLIER @ 199]: I32Null = "ContractMultiplier", since 0;
                contract_multiplier_unit [CONTRACT_MULTIPLIER_UNIT @ 203]: I8Null = "ContractMultiplierUnit", since 0;
                flow_schedule_type [FLOW_SCHEDULE_TYPE @ 204]: I8Null = "FlowScheduleType", since 0;
                min_price_increment_amount [MIN_PRICE_INCREMENT_AMOUNT @ 205]: $price_null = "MinPriceIncrementAmount", since 0;
                user_defined_instrument [USER_DEFINED_INSTRUMENT @ 213]: Char = "UserDefinedInstrument", since $user_since;
                trading_reference_date_days [TRADING_REFERENCE_DATE @ 214]: LocalMktDate = "TradingReferenceDate", since $date_since;
            }
        }
    };
}

future_root!(
    /// Root of `MDInstrumentDefinitionFuture27` (exponent −7).
    Future27Root, Price7, PriceNull7, 3, 6
);
future_root!(
    /// Root of `MDInstrumentDefinitionFuture54` (exponent −9).
    Future54Root, Price9, PriceNull9, 0, 0
);

sbe_message! {
    /// Template 27: future definition, exponent −7.
    pub struct MdInstrumentDefinitionFuture27 = MD_INSTRUMENT_DEFINITION_FUTURE_27, "MDInstrumentDefinitionFuture27", root Future27Root {
        events: EventEntry = "NoEvents", GroupSize, since 0;
        md_feed_types: FeedTypeEntry = "NoMDFeedTypes", GroupSize, since 0;
        inst_attribs: InstAttribEntry = "NoInstAttrib", GroupSize, since 0;
        lot_type_rules: LotTypeRuleEntry = "NoLotTypeRules", GroupSize, since 0;
    }
}

sbe_message! {
    /// Template 54: future definition, exponent −9.
    pub struct MdInstrumentDefinitionFuture54 = MD_INSTRUMENT_DEFINITION_FUTURE_54, "MDInstrumentDefinitionFuture54", root Future54Root {
        events: EventEntry = "NoEvents", GroupSize, since 0;
        md_feed_types: FeedTypeEntry = "NoMDFeedTypes", GroupSize, since 0;
        inst_attribs: InstAttribEntry = "NoInstAttrib", GroupSize, since 0;
        lot_type_rules: LotTypeRuleEntry = "NoLotTypeRules", GroupSize, since 0;
    }
}
