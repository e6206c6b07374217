//! Dispatch on `schemaId` and `templateId`: a [`CmeMessage`] holds the view of
//! whichever supported template a message is, and [`DecodeCounters`] (owned by
//! the caller) counts what was decoded, skipped and malformed.

use super::admin::{AdminHeartbeat12, ChannelReset4};
use super::admin_replay::{AdminLogin15, AdminLogout16};
use super::book::{MdIncrementalRefreshBook32, MdIncrementalRefreshBook46};
use super::definition_future::{MdInstrumentDefinitionFuture27, MdInstrumentDefinitionFuture54};
use super::definition_option::MdInstrumentDefinitionOption55;
use super::definition_option_e7::MdInstrumentDefinitionOption41;
use super::definition_spread::{MdInstrumentDefinitionSpread29, MdInstrumentDefinitionSpread56};
use super::group::DecodeError;
use super::order_book::MdIncrementalRefreshOrderBook47;
use super::order_book_e7::MdIncrementalRefreshOrderBook43;
use super::packet::SbeMessage;
use super::quote_request::QuoteRequest39;
use super::snapshot::{SnapshotFullRefresh52, SnapshotFullRefreshOrderBook53};
use super::snapshot_e7::{SnapshotFullRefresh38, SnapshotFullRefreshOrderBook44};
use super::statistics::{
    MdIncrementalRefreshDailyStatistics49, MdIncrementalRefreshLimitsBanding50,
    MdIncrementalRefreshSessionStatistics35, MdIncrementalRefreshSessionStatistics51,
};
use super::statistics_e7::{
    MdIncrementalRefreshDailyStatistics33, MdIncrementalRefreshLimitsBanding34,
};
use super::status::SecurityStatus30;
use super::template::TemplateId;
use super::trade::{MdIncrementalRefreshTradeSummary42, MdIncrementalRefreshTradeSummary48};
use super::visit::{FieldVisitor, Visit};
use super::volume::MdIncrementalRefreshVolume37;

/// The schema id of MDP 3.0 market data.
pub const SCHEMA_ID: u16 = 1;

/// Why a well-framed message was not decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skip {
    /// A `schemaId` other than 1 (e.g. 2, the conflated TCP session schema).
    UnknownSchema {
        /// The wire `schemaId`.
        schema_id: u16,
    },
    /// A template this decoder has no view for.
    UnknownTemplate {
        /// The wire `templateId`.
        template: TemplateId,
    },
}

/// Counts of a decode run, owned by the caller (one per feed thread).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DecodeCounters {
    /// Messages decoded into a view.
    pub messages: u64,
    /// Messages skipped for their `schemaId`.
    pub unknown_schema: u64,
    /// Messages skipped for their `templateId`.
    pub unknown_template: u64,
    /// Messages whose root block or groups run past `MsgSize`.
    pub malformed: u64,
}

/// Defines [`CmeMessage`]. `hot` templates (the incremental feed's) are
/// decoded inline in [`CmeMessage::try_decode`]; `cold` ones (definitions,
/// snapshots, the templates not normalized) in a separate, non-inlined
/// function, so that the dispatch of the hot ones stays small.
macro_rules! cme_messages {
    (
        hot { $($(#[$doc:meta])* $variant:ident($view:ident) = $template:ident;)* }
        cold { $($(#[$cdoc:meta])* $cvariant:ident($cview:ident) = $ctemplate:ident;)* }
    ) => {
        /// The view of one supported message.
        #[derive(Clone, Copy, Debug)]
        pub enum CmeMessage<'a> {
            $($(#[$doc])* $variant($view<'a>),)*
            $($(#[$cdoc])* $cvariant($cview<'a>),)*
        }

        impl<'a> CmeMessage<'a> {
            /// Decodes `message` if its schema and template are supported.
            ///
            /// # Errors
            /// A [`DecodeError`] when the root block or a group runs past `MsgSize`.
            #[inline]
            pub fn try_decode(message: SbeMessage<'a>) -> Result<Result<Self, Skip>, DecodeError> {
                if message.schema_id() != SCHEMA_ID {
                    return Ok(Err(Skip::UnknownSchema { schema_id: message.schema_id() }));
                }
                Ok(Ok(match message.template_id() {
                    $(TemplateId::$template => CmeMessage::$variant($view::new(message)?),)*
                    _ => return Self::try_decode_cold(message),
                }))
            }

            /// [`CmeMessage::try_decode`] of the cold templates.
            #[inline(never)]
            fn try_decode_cold(message: SbeMessage<'a>) -> Result<Result<Self, Skip>, DecodeError> {
                Ok(Ok(match message.template_id() {
                    $(TemplateId::$ctemplate => CmeMessage::$cvariant($cview::new(message)?),)*
                    template => return Ok(Err(Skip::UnknownTemplate { template })),
                }))
            }

            /// The template id.
            pub fn template(&self) -> TemplateId {
                match self {
                    $(CmeMessage::$variant(_) => $view::TEMPLATE,)*
                    $(CmeMessage::$cvariant(_) => $cview::TEMPLATE,)*
                }
            }

            /// The schema's message name.
            pub fn name(&self) -> &'static str {
                match self {
                    $(CmeMessage::$variant(_) => $view::NAME,)*
                    $(CmeMessage::$cvariant(_) => $cview::NAME,)*
                }
            }

            /// The framed message under the view.
            pub fn message(&self) -> SbeMessage<'a> {
                match self {
                    $(CmeMessage::$variant(m) => m.message(),)*
                    $(CmeMessage::$cvariant(m) => m.message(),)*
                }
            }

            /// Bytes after the groups the view knows, up to `MsgSize`.
            pub fn trailing_len(&self) -> usize {
                match self {
                    $(CmeMessage::$variant(m) => m.trailing_len(),)*
                    $(CmeMessage::$cvariant(m) => m.trailing_len(),)*
                }
            }
        }

        impl<'a> Visit<'a> for CmeMessage<'a> {
            fn visit<V: FieldVisitor<'a>>(&self, v: &mut V) {
                match self {
                    $(CmeMessage::$variant(m) => m.visit(v),)*
                    $(CmeMessage::$cvariant(m) => m.visit(v),)*
                }
            }
        }

        /// Every template with a view.
        pub const SUPPORTED_TEMPLATES: &[TemplateId] =
            &[$(TemplateId::$template,)* $(TemplateId::$ctemplate,)*];
    };
}

cme_messages! {
    hot {
        /// 4.
        ChannelReset4(ChannelReset4) = CHANNEL_RESET_4;
        /// 12.
        AdminHeartbeat12(AdminHeartbeat12) = ADMIN_HEARTBEAT_12;
        /// 30.
        SecurityStatus30(SecurityStatus30) = SECURITY_STATUS_30;
        /// 32.
        Book32(MdIncrementalRefreshBook32) = MD_INCREMENTAL_REFRESH_BOOK_32;
        /// 35.
        SessionStatistics35(MdIncrementalRefreshSessionStatistics35) = MD_INCREMENTAL_REFRESH_SESSION_STATISTICS_35;
        /// 37.
        Volume37(MdIncrementalRefreshVolume37) = MD_INCREMENTAL_REFRESH_VOLUME_37;
        /// 42.
        TradeSummary42(MdIncrementalRefreshTradeSummary42) = MD_INCREMENTAL_REFRESH_TRADE_SUMMARY_42;
        /// 46.
        Book46(MdIncrementalRefreshBook46) = MD_INCREMENTAL_REFRESH_BOOK_46;
        /// 47.
        OrderBook47(MdIncrementalRefreshOrderBook47) = MD_INCREMENTAL_REFRESH_ORDER_BOOK_47;
        /// 48.
        TradeSummary48(MdIncrementalRefreshTradeSummary48) = MD_INCREMENTAL_REFRESH_TRADE_SUMMARY_48;
        /// 49.
        DailyStatistics49(MdIncrementalRefreshDailyStatistics49) = MD_INCREMENTAL_REFRESH_DAILY_STATISTICS_49;
        /// 50.
        LimitsBanding50(MdIncrementalRefreshLimitsBanding50) = MD_INCREMENTAL_REFRESH_LIMITS_BANDING_50;
        /// 51.
        SessionStatistics51(MdIncrementalRefreshSessionStatistics51) = MD_INCREMENTAL_REFRESH_SESSION_STATISTICS_51;
    }
    cold {
        /// 15.
        AdminLogin15(AdminLogin15) = ADMIN_LOGIN_15;
        /// 16.
        AdminLogout16(AdminLogout16) = ADMIN_LOGOUT_16;
        /// 27.
        InstrumentDefinitionFuture27(MdInstrumentDefinitionFuture27) = MD_INSTRUMENT_DEFINITION_FUTURE_27;
        /// 29.
        InstrumentDefinitionSpread29(MdInstrumentDefinitionSpread29) = MD_INSTRUMENT_DEFINITION_SPREAD_29;
        /// 33.
        DailyStatistics33(MdIncrementalRefreshDailyStatistics33) = MD_INCREMENTAL_REFRESH_DAILY_STATISTICS_33;
        /// 34.
        LimitsBanding34(MdIncrementalRefreshLimitsBanding34) = MD_INCREMENTAL_REFRESH_LIMITS_BANDING_34;
        /// 38.
        SnapshotFullRefresh38(SnapshotFullRefresh38) = SNAPSHOT_FULL_REFRESH_38;
        /// 39.
        QuoteRequest39(QuoteRequest39) = QUOTE_REQUEST_39;
        /// 41.
        InstrumentDefinitionOption41(MdInstrumentDefinitionOption41) = MD_INSTRUMENT_DEFINITION_OPTION_41;
        /// 43.
        OrderBook43(MdIncrementalRefreshOrderBook43) = MD_INCREMENTAL_REFRESH_ORDER_BOOK_43;
        /// 44.
        SnapshotFullRefreshOrderBook44(SnapshotFullRefreshOrderBook44) = SNAPSHOT_FULL_REFRESH_ORDER_BOOK_44;
        /// 52.
        SnapshotFullRefresh52(SnapshotFullRefresh52) = SNAPSHOT_FULL_REFRESH_52;
        /// 53.
        SnapshotFullRefreshOrderBook53(SnapshotFullRefreshOrderBook53) = SNAPSHOT_FULL_REFRESH_ORDER_BOOK_53;
        /// 54.
        InstrumentDefinitionFuture54(MdInstrumentDefinitionFuture54) = MD_INSTRUMENT_DEFINITION_FUTURE_54;
        /// 55.
        InstrumentDefinitionOption55(MdInstrumentDefinitionOption55) = MD_INSTRUMENT_DEFINITION_OPTION_55;
        /// 56.
        InstrumentDefinitionSpread56(MdInstrumentDefinitionSpread56) = MD_INSTRUMENT_DEFINITION_SPREAD_56;
    }
}

impl<'a> CmeMessage<'a> {
    /// Decodes `message`, counting it in `counters`: `Ok(None)` when it was
    /// skipped for its schema or template (its `MsgSize` still frames the next).
    ///
    /// # Errors
    /// A [`DecodeError`] (also counted) when the root block or a group runs past
    /// `MsgSize`.
    #[inline]
    pub fn decode(
        message: SbeMessage<'a>,
        counters: &mut DecodeCounters,
    ) -> Result<Option<Self>, DecodeError> {
        match Self::try_decode(message) {
            Ok(Ok(m)) => {
                counters.messages += 1;
                Ok(Some(m))
            }
            Ok(Err(Skip::UnknownSchema { .. })) => {
                counters.unknown_schema += 1;
                Ok(None)
            }
            Ok(Err(Skip::UnknownTemplate { .. })) => {
                counters.unknown_template += 1;
                Ok(None)
            }
            Err(e) => {
                counters.malformed += 1;
                Err(e)
            }
        }
    }
}
