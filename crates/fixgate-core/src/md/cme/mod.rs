//! CME MDP 3.0 market data (SBE over UDP): zero-copy views of the packet, the
//! messages and the templates futures need, decoded by the wire lengths and the
//! message's schema version.
//!
//! | off | size | field | type |
//! |---:|---:|---|---|
//! | 0 | 4 | MsgSeqNum | u32 (packet sequence, per channel and feed) |
//! | 4 | 8 | SendingTime | u64 ns since the epoch |
//! | 12 | 2 | MsgSize (message 1, includes itself) | u16 |
//! | 14 | 2 | blockLength (root block on the wire) | u16 |
//! | 16 | 2 | templateId | u16 |
//! | 18 | 2 | schemaId (1) | u16 |
//! | 20 | 2 | version (schema version of this message) | u16 |
//! | 22 | blockLength | root block, then groups; message 2 at 12 + MsgSize | |
//!
//! Supported: every template of the v9 schema (schema id 1): 4, 12, 15, 16, 27,
//! 29, 30, 32, 33, 34, 35, 37, 38, 39, 41, 42, 43, 44, 46, 47, 48, 49, 50, 51,
//! 52, 53, 54, 55 and 56, at any message version (fields and groups gated by
//! `sinceVersion`, blocks read by their wire length). Not supported: templates
//! after v9 (57 and up, e.g. the LongQty family 64–69) and other schema ids (the
//! conflated TCP session's schema 2): [`CmeMessage::decode`] skips them by
//! `MsgSize` and counts them.
//!
//! ```text
//! Packet::new(payload) ─► messages() ─► SbeMessage ─► CmeMessage::decode ─► view
//!   (12-byte check)      (MsgSize)     (header)      (root + groups check)   (accessors never panic)
//! ```
//!
//! Nothing here allocates. Each view module opens with its layout table; the
//! field walk ([`Visit`], [`FieldVisitor`]) reports every field by schema name.

mod admin;
mod admin_replay;
pub(crate) mod block;
mod book;
pub mod cross_check;
mod definition_future;
mod definition_groups;
mod definition_option;
mod definition_option_e7;
mod definition_spread;
mod encoding;
mod enums;
pub(crate) mod group;
mod incremental_root;
mod message;
mod order_book;
mod order_book_e7;
mod packet;
mod price;
mod quote_request;
mod snapshot;
mod snapshot_e7;
mod statistics;
mod statistics_e7;
mod status;
pub mod tcp;
mod template;
mod trade;
mod visit;
mod volume;

pub use admin::{
    AdminHeartbeat12, AdminHeartbeat12Root, ChannelReset4, ChannelReset4Entry, ChannelReset4Root,
};
pub use admin_replay::{AdminLogin15, AdminLogin15Root, AdminLogout16, AdminLogout16Root};
pub use block::{Block, FromBlock};
pub use book::{
    Book32Entry, Book46Entry, BookEntryFields, BookOrderEntry, BookOrderFields,
    MdIncrementalRefreshBook32, MdIncrementalRefreshBook46,
};
pub use definition_future::{
    Future27Root, Future54Root, MdInstrumentDefinitionFuture27, MdInstrumentDefinitionFuture54,
};
pub use definition_groups::{
    EventEntry, FeedTypeEntry, InstAttribEntry, Leg29Entry, Leg56Entry, LotTypeRuleEntry,
    RelatedInstrumentEntry, UnderlyingEntry,
};
pub use definition_option::{MdInstrumentDefinitionOption55, Option55Root};
pub use definition_option_e7::{MdInstrumentDefinitionOption41, Option41Root};
pub use definition_spread::{
    MdInstrumentDefinitionSpread29, MdInstrumentDefinitionSpread56, Spread29Root, Spread56Root,
};
pub use encoding::*;
pub use enums::*;
pub use group::{DecodeError, Dimension, Group, GroupIter};
pub use incremental_root::IncrementalRoot;
pub use message::{CmeMessage, DecodeCounters, Skip, SCHEMA_ID, SUPPORTED_TEMPLATES};
pub use order_book::{MdIncrementalRefreshOrderBook47, OrderBook47Entry};
pub use order_book_e7::{MdIncrementalRefreshOrderBook43, OrderBook43Entry};
pub use packet::{field as packet_field, header, Messages, Packet, PacketError, SbeMessage};
pub use price::{PriceOverflow, PriceResult};
pub use quote_request::{QuoteRequest39, QuoteRequest39Root, RelatedSym39Entry};
pub use snapshot::{
    SnapshotFullRefresh52, SnapshotFullRefresh52Entry, SnapshotFullRefresh52Root,
    SnapshotFullRefreshOrderBook53, SnapshotFullRefreshOrderBook53Entry,
    SnapshotFullRefreshOrderBook53Root,
};
pub use snapshot_e7::{
    SnapshotFullRefresh38, SnapshotFullRefresh38Entry, SnapshotFullRefresh38Root,
    SnapshotFullRefreshOrderBook44, SnapshotFullRefreshOrderBook44Entry,
    SnapshotFullRefreshOrderBook44Root,
};
pub use statistics::{
    DailyStatistics49Entry, LimitsBanding50Entry, MdIncrementalRefreshDailyStatistics49,
    MdIncrementalRefreshLimitsBanding50, MdIncrementalRefreshSessionStatistics35,
    MdIncrementalRefreshSessionStatistics51, SessionStatistics35Entry, SessionStatistics51Entry,
};
pub use statistics_e7::{
    DailyStatistics33Entry, LimitsBanding34Entry, MdIncrementalRefreshDailyStatistics33,
    MdIncrementalRefreshLimitsBanding34,
};
pub use status::{SecurityStatus30, SecurityStatus30Root};
pub use template::TemplateId;
pub use trade::{
    MdIncrementalRefreshTradeSummary42, MdIncrementalRefreshTradeSummary48, TradeOrderEntry,
    TradeSummary42Entry, TradeSummary48Entry,
};
pub use visit::{FieldValue, FieldVisitor, Visit};
pub use volume::{MdIncrementalRefreshVolume37, Volume37Entry};
