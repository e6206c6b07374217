//! Template 39 `QuoteRequest39` (since version 3): a request for quote
//! broadcast on the incremental feed. Decoded, not normalized (the CME adapter
//! counts it).
//!
//! Root (35):
//!
//! | off | size | field (tag) | type |
//! |---:|---:|---|---|
//! | 0 | 8 | TransactTime (60) | uInt64 ns |
//! | 8 | 23 | QuoteReqID (131) | char[23] |
//! | 31 | 1 | MatchEventIndicator (5799) | set u8 |
//! | 32 | 3 | pad | |
//!
//! Group `NoRelatedSym` (146), `groupSize`, entry 32:
//!
//! | off | size | field (tag) | type |
//! |---:|---:|---|---|
//! | 0 | 20 | Symbol (55) | char[20] |
//! | 20 | 4 | SecurityID (48) | Int32 |
//! | 24 | 4 | OrderQty (38) | Int32NULL |
//! | 28 | 1 | QuoteType (537) | Int8 (1 tradeable) |
//! | 29 | 1 | Side (54) | Int8NULL (1 buy, 2 sell) |
//! | 30 | 2 | pad | |
//!
//! No field or group has a `sinceVersion` above the template's own.

use super::block::sbe_block;
use super::encoding::{Chars, I32Null, I8Null, SetU8, I32, I8, U64};
use super::enums::MatchEventIndicator;
use super::group::sbe_message;

sbe_block! {
    /// Root of `QuoteRequest39`.
    pub struct QuoteRequest39Root, schema block length 35 {
        transact_time_ns [TRANSACT_TIME @ 0]: U64 = "TransactTime", since 0;
        quote_req_id [QUOTE_REQ_ID @ 8]: Chars<23> = "QuoteReqID", since 0;
        match_event_indicator [MATCH_EVENT_INDICATOR @ 31]: SetU8<MatchEventIndicator> = "MatchEventIndicator", since 0;
    }
}

sbe_block! {
    /// Entry of `QuoteRequest39.NoRelatedSym`.
    pub struct RelatedSym39Entry, schema block length 32 {
        symbol [SYMBOL @ 0]: Chars<20> = "Symbol", since 0;
        security_id [SECURITY_ID @ 20]: I32 = "SecurityID", since 0;
        order_qty [ORDER_QTY @ 24]: I32Null = "OrderQty", since 0;
        quote_type [QUOTE_TYPE @ 28]: I8 = "QuoteType", since 0;
        side [SIDE @ 29]: I8Null = "Side", since 0;
    }
}

sbe_message! {
    /// Template 39: quote request.
    pub struct QuoteRequest39 = QUOTE_REQUEST_39, "QuoteRequest39", root QuoteRequest39Root {
        related_syms: RelatedSym39Entry = "NoRelatedSym", GroupSize, since 0;
    }
}
