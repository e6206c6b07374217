//! DBN version 3 wire constants: record types, schemas, symbology types, record
//! lengths and field offsets, as Databento's `dbn` crate (0.73) defines them.
//!
//! Every record starts with the same 16-byte header:
//!
//! | offset | size | field |
//! |---:|---:|---|
//! | 0 | 1 | `length`: the record's size in 4-byte units |
//! | 1 | 1 | `rtype` ([`RType`]) |
//! | 2 | 2 | `publisher_id` |
//! | 4 | 4 | `instrument_id` |
//! | 8 | 8 | `ts_event`, UTC ns |
//!
//! Integers are little-endian; prices are `i64` at 1e-9 with [`UNDEF_PRICE`] for
//! none; side and action are ASCII characters.

/// The DBN version fixgate writes (the current version of Databento's `dbn` crate;
/// version 4 is still in development there).
pub const VERSION: u8 = 3;

/// The size of a fixed-length symbol string in version 2 and 3 metadata, including
/// its NUL terminator (so symbols hold at most 70 bytes).
pub const SYMBOL_CSTR_LEN: usize = 71;

/// The size of the dataset string in the metadata, including its NUL terminator.
pub const DATASET_CSTR_LEN: usize = 16;

/// The null price (`i64::MAX`, as fixgate's [`Price::NULL`](crate::types::Price::NULL)).
pub const UNDEF_PRICE: i64 = i64::MAX;

/// The null timestamp (`u64::MAX`): an open end in the metadata, a statistic
/// without a reference time.
pub const UNDEF_TIMESTAMP: u64 = u64::MAX;

/// The null statistic quantity of version 3 (`i64::MAX`; version 2's was
/// `i32::MAX`).
pub const UNDEF_STAT_QUANTITY: i64 = i64::MAX;

/// The size of the record header in bytes.
pub const RECORD_HEADER_LEN: usize = 16;

/// The largest record fixgate writes (`mbp-1` and `statistics`, 80 bytes), so
/// the size a record buffer needs.
pub const MAX_RECORD_LEN: usize = MBP1_LEN;

/// The size of an `mbo` record (`MboMsg`).
pub const MBO_LEN: usize = 56;
/// The size of an `mbp-1` record (`Mbp1Msg`).
pub const MBP1_LEN: usize = 80;
/// The size of a `trades` record (`TradeMsg`).
pub const TRADE_LEN: usize = 48;
/// The size of a `status` record (`StatusMsg`).
pub const STATUS_LEN: usize = 40;
/// The size of a version 3 `statistics` record (`StatMsg`; version 2's was 64).
pub const STAT_LEN: usize = 80;

/// A record type: the header's `rtype` byte, which selects the record layout.
///
/// An open newtype (DBN defines many more than fixgate writes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct RType(pub u8);

impl RType {
    /// Market by price with no book levels: the `trades` schema (`TradeMsg`).
    pub const MBP_0: RType = RType(0x00);
    /// Market by price with one level: the `mbp-1` schema (`Mbp1Msg`).
    pub const MBP_1: RType = RType(0x01);
    /// Trading status (`StatusMsg`).
    pub const STATUS: RType = RType(0x12);
    /// Statistics (`StatMsg`).
    pub const STATISTICS: RType = RType(0x18);
    /// Market by order (`MboMsg`).
    pub const MBO: RType = RType(0xA0);
}

/// A DBN schema: the metadata's `schema` field and the kind of records a file
/// holds. fixgate writes one file per schema.
///
/// An open newtype; the constants are the schemas fixgate writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Schema(pub u16);

impl Schema {
    /// Market by order: every order book event of every order.
    pub const MBO: Schema = Schema(0);
    /// Market by price, top of book: each record carries the best bid and ask.
    pub const MBP_1: Schema = Schema(1);
    /// Trades.
    pub const TRADES: Schema = Schema(4);
    /// Venue statistics: settlement, open interest, session high and low, ...
    pub const STATISTICS: Schema = Schema(10);
    /// Trading status changes.
    pub const STATUS: Schema = Schema(11);

    /// The schemas fixgate writes, in a fixed order (indexes of
    /// [`Schema::index`]).
    pub const WRITTEN: [Schema; 5] = [
        Schema::MBO,
        Schema::MBP_1,
        Schema::TRADES,
        Schema::STATUS,
        Schema::STATISTICS,
    ];

    /// Databento's name of the schema (`"mbo"`, `"mbp-1"`, `"trades"`,
    /// `"status"`, `"statistics"`), used in file names; `None` for schemas
    /// fixgate does not write.
    pub const fn name(self) -> Option<&'static str> {
        match self {
            Schema::MBO => Some("mbo"),
            Schema::MBP_1 => Some("mbp-1"),
            Schema::TRADES => Some("trades"),
            Schema::STATUS => Some("status"),
            Schema::STATISTICS => Some("statistics"),
            _ => None,
        }
    }

    /// The position of the schema in [`Schema::WRITTEN`]; `None` for schemas
    /// fixgate does not write.
    pub const fn index(self) -> Option<usize> {
        match self {
            Schema::MBO => Some(0),
            Schema::MBP_1 => Some(1),
            Schema::TRADES => Some(2),
            Schema::STATUS => Some(3),
            Schema::STATISTICS => Some(4),
            _ => None,
        }
    }

    /// The record type of the schema's records.
    pub const fn rtype(self) -> Option<RType> {
        match self {
            Schema::MBO => Some(RType::MBO),
            Schema::MBP_1 => Some(RType::MBP_1),
            Schema::TRADES => Some(RType::MBP_0),
            Schema::STATUS => Some(RType::STATUS),
            Schema::STATISTICS => Some(RType::STATISTICS),
            _ => None,
        }
    }

    /// The size of the schema's records.
    pub const fn record_len(self) -> Option<usize> {
        match self {
            Schema::MBO => Some(MBO_LEN),
            Schema::MBP_1 => Some(MBP1_LEN),
            Schema::TRADES => Some(TRADE_LEN),
            Schema::STATUS => Some(STATUS_LEN),
            Schema::STATISTICS => Some(STAT_LEN),
            _ => None,
        }
    }
}

/// A symbology type: what the symbols in the metadata are.
///
/// An open newtype; fixgate writes [`SType::RAW_SYMBOL`] in and
/// [`SType::INSTRUMENT_ID`] out (its mappings go from the venue's symbol to
/// fixgate's instrument id).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct SType(pub u8);

impl SType {
    /// A numeric instrument id (the records' `instrument_id`).
    pub const INSTRUMENT_ID: SType = SType(0);
    /// The venue's own symbol.
    pub const RAW_SYMBOL: SType = SType(1);
}

/// A DBN trading-status action (`StatusMsg::action`). Open newtype.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct StatusAction(pub u16);

impl StatusAction {
    /// No change.
    pub const NONE: StatusAction = StatusAction(0);
    /// Pre-open period.
    pub const PRE_OPEN: StatusAction = StatusAction(1);
    /// Pre-cross period.
    pub const PRE_CROSS: StatusAction = StatusAction(2);
    /// A cross or auction.
    pub const CROSS: StatusAction = StatusAction(4);
    /// A new price indication.
    pub const NEW_PRICE_INDICATION: StatusAction = StatusAction(6);
    /// Trading.
    pub const TRADING: StatusAction = StatusAction(7);
    /// Halted.
    pub const HALT: StatusAction = StatusAction(8);
    /// Paused.
    pub const PAUSE: StatusAction = StatusAction(9);
    /// Closed.
    pub const CLOSE: StatusAction = StatusAction(12);
    /// Post-close period.
    pub const POST_CLOSE: StatusAction = StatusAction(13);
    /// Not available for trading.
    pub const NOT_AVAILABLE_FOR_TRADING: StatusAction = StatusAction(15);
}

/// A DBN statistic type (`StatMsg::stat_type`). Open newtype: DBN defines
/// more than fixgate writes (close price, VWAP, volatility, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct DbnStatType(pub u16);

impl DbnStatType {
    /// The price of the first trade (quantity when the venue gives one).
    pub const OPENING_PRICE: DbnStatType = DbnStatType(1);
    /// The probable opening price published during pre-open.
    pub const INDICATIVE_OPENING_PRICE: DbnStatType = DbnStatType(2);
    /// The settlement price; `stat_flags` say final/preliminary, actual/theoretical.
    pub const SETTLEMENT_PRICE: DbnStatType = DbnStatType(3);
    /// The session's lowest trade price.
    pub const TRADING_SESSION_LOW_PRICE: DbnStatType = DbnStatType(4);
    /// The session's highest trade price.
    pub const TRADING_SESSION_HIGH_PRICE: DbnStatType = DbnStatType(5);
    /// Contracts cleared on the previous trading date (a quantity).
    pub const CLEARED_VOLUME: DbnStatType = DbnStatType(6);
    /// The session's lowest offer.
    pub const LOWEST_OFFER: DbnStatType = DbnStatType(7);
    /// The session's highest bid.
    pub const HIGHEST_BID: DbnStatType = DbnStatType(8);
    /// Outstanding contracts (a quantity).
    pub const OPEN_INTEREST: DbnStatType = DbnStatType(9);
    /// The volume-weighted average price of a fixing period.
    pub const FIXING_PRICE: DbnStatType = DbnStatType(10);
    /// The venue's upper price limit.
    pub const UPPER_PRICE_LIMIT: DbnStatType = DbnStatType(17);
    /// The venue's lower price limit.
    pub const LOWER_PRICE_LIMIT: DbnStatType = DbnStatType(18);
    /// A venue-specific volume (a quantity; the venue's documentation says which).
    pub const VENUE_SPECIFIC_VOLUME_1: DbnStatType = DbnStatType(10_001);
    /// A venue-specific price (the venue's documentation says which).
    pub const VENUE_SPECIFIC_PRICE_1: DbnStatType = DbnStatType(10_002);
}

/// A DBN statistic update action (`StatMsg::update_action`). Open newtype.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct StatUpdateAction(pub u8);

impl StatUpdateAction {
    /// A new value of the statistic.
    pub const NEW: StatUpdateAction = StatUpdateAction(1);
    /// The statistic was withdrawn.
    pub const DELETE: StatUpdateAction = StatUpdateAction(2);
}

/// Field offsets shared by the `trades` and `mbp-1` records (`TradeMsg`,
/// `Mbp1Msg`), which begin alike.
pub(crate) mod mbp {
    pub const PRICE: usize = 16;
    pub const SIZE: usize = 24;
    pub const ACTION: usize = 28;
    pub const SIDE: usize = 29;
    pub const FLAGS: usize = 30;
    pub const DEPTH: usize = 31;
    pub const TS_RECV: usize = 32;
    pub const TS_IN_DELTA: usize = 40;
    pub const SEQUENCE: usize = 44;
    /// `levels[0]` of `mbp-1`: bid px, ask px (i64), bid sz, ask sz, bid ct, ask ct (u32).
    pub const BID_PX: usize = 48;
    pub const ASK_PX: usize = 56;
    pub const BID_SZ: usize = 64;
    pub const ASK_SZ: usize = 68;
    pub const BID_CT: usize = 72;
    pub const ASK_CT: usize = 76;
}

/// Field offsets of the `mbo` record (`MboMsg`).
pub(crate) mod mbo {
    pub const ORDER_ID: usize = 16;
    pub const PRICE: usize = 24;
    pub const SIZE: usize = 32;
    pub const FLAGS: usize = 36;
    pub const CHANNEL_ID: usize = 37;
    pub const ACTION: usize = 38;
    pub const SIDE: usize = 39;
    pub const TS_RECV: usize = 40;
    pub const TS_IN_DELTA: usize = 48;
    pub const SEQUENCE: usize = 52;
}

/// Field offsets of the `status` record (`StatusMsg`).
pub(crate) mod status {
    pub const TS_RECV: usize = 16;
    pub const ACTION: usize = 24;
    pub const REASON: usize = 26;
    pub const TRADING_EVENT: usize = 28;
    pub const IS_TRADING: usize = 30;
    pub const IS_QUOTING: usize = 31;
    pub const IS_SHORT_SELL_RESTRICTED: usize = 32;
    // 33..40: reserved, zero.
}

/// Field offsets of the version 3 `statistics` record (`StatMsg`).
pub(crate) mod stat {
    pub const TS_RECV: usize = 16;
    pub const TS_REF: usize = 24;
    pub const PRICE: usize = 32;
    pub const QUANTITY: usize = 40;
    pub const SEQUENCE: usize = 48;
    pub const TS_IN_DELTA: usize = 52;
    pub const STAT_TYPE: usize = 56;
    pub const CHANNEL_ID: usize = 58;
    pub const UPDATE_ACTION: usize = 60;
    pub const STAT_FLAGS: usize = 61;
    // 62..80: reserved, zero.
}

// Each record's last field ends where the record does.
const _: () = assert!(mbp::SEQUENCE + 4 == TRADE_LEN);
const _: () = assert!(mbp::ASK_CT + 4 == MBP1_LEN);
const _: () = assert!(mbo::SEQUENCE + 4 == MBO_LEN);
const _: () = assert!(status::IS_SHORT_SELL_RESTRICTED + 8 == STATUS_LEN);
const _: () = assert!(stat::STAT_FLAGS + 1 + 18 == STAT_LEN);
const _: () = assert!(STAT_LEN <= MAX_RECORD_LEN);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_are_consistent() {
        for (i, s) in Schema::WRITTEN.into_iter().enumerate() {
            assert_eq!(s.index(), Some(i));
            assert!(s.name().is_some());
            assert!(s.rtype().is_some());
            let len = s.record_len().unwrap();
            assert_eq!(len % 4, 0, "{s:?} length is not a multiple of 4");
            assert!(len <= MAX_RECORD_LEN && len / 4 <= u8::MAX as usize);
        }
        assert_eq!(Schema::STATISTICS.index(), Some(4));
        assert_eq!(Schema::STATISTICS.name(), Some("statistics"));
        assert_eq!(Schema(2).name(), None);
        assert_eq!(Schema(2).index(), None);
        assert_eq!(Schema(2).rtype(), None);
        assert_eq!(Schema(2).record_len(), None);
    }
}
