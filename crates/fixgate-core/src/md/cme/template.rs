//! Template ids: an open newtype, so unknown templates decode and are skipped.

use std::fmt;

/// An SBE `templateId` of the CME MDP 3.0 schema (schema id 1).
///
/// Open: any `u16` is representable; the constants name the templates of the v9
/// schema. [`TemplateId::name`] gives the schema's message name where known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TemplateId(pub u16);

macro_rules! templates {
    ($($(#[$doc:meta])* $konst:ident = $id:literal, $name:literal;)*) => {
        impl TemplateId {
            $($(#[$doc])* pub const $konst: TemplateId = TemplateId($id);)*

            /// The schema's message name (`"MDIncrementalRefreshBook46"`), `None` for
            /// a template the v9 schema does not define.
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($id => Some($name),)*
                    _ => None,
                }
            }
        }
    };
}

templates! {
    /// 4: channel reset (empty every book of the channel).
    CHANNEL_RESET_4 = 4, "ChannelReset4";
    /// 12: heartbeat on an idle channel.
    ADMIN_HEARTBEAT_12 = 12, "AdminHeartbeat12";
    /// 15: TCP replay logon (not on the multicast feeds).
    ADMIN_LOGIN_15 = 15, "AdminLogin15";
    /// 16: TCP replay logout (not on the multicast feeds).
    ADMIN_LOGOUT_16 = 16, "AdminLogout16";
    /// 27: future definition, exponent −7 prices.
    MD_INSTRUMENT_DEFINITION_FUTURE_27 = 27, "MDInstrumentDefinitionFuture27";
    /// 29: spread definition, exponent −7 prices.
    MD_INSTRUMENT_DEFINITION_SPREAD_29 = 29, "MDInstrumentDefinitionSpread29";
    /// 30: security status.
    SECURITY_STATUS_30 = 30, "SecurityStatus30";
    /// 32: MBP book update, exponent −7 prices.
    MD_INCREMENTAL_REFRESH_BOOK_32 = 32, "MDIncrementalRefreshBook32";
    /// 33: daily statistics, exponent −7.
    MD_INCREMENTAL_REFRESH_DAILY_STATISTICS_33 = 33, "MDIncrementalRefreshDailyStatistics33";
    /// 34: limits and banding, exponent −7.
    MD_INCREMENTAL_REFRESH_LIMITS_BANDING_34 = 34, "MDIncrementalRefreshLimitsBanding34";
    /// 35: session statistics, exponent −7.
    MD_INCREMENTAL_REFRESH_SESSION_STATISTICS_35 = 35, "MDIncrementalRefreshSessionStatistics35";
    /// 37: electronic volume.
    MD_INCREMENTAL_REFRESH_VOLUME_37 = 37, "MDIncrementalRefreshVolume37";
    /// 38: MBP snapshot, exponent −7.
    SNAPSHOT_FULL_REFRESH_38 = 38, "SnapshotFullRefresh38";
    /// 39: quote request.
    QUOTE_REQUEST_39 = 39, "QuoteRequest39";
    /// 41: option definition, exponent −7.
    MD_INSTRUMENT_DEFINITION_OPTION_41 = 41, "MDInstrumentDefinitionOption41";
    /// 42: trade summary, exponent −7.
    MD_INCREMENTAL_REFRESH_TRADE_SUMMARY_42 = 42, "MDIncrementalRefreshTradeSummary42";
    /// 43: MBO book update, exponent −7.
    MD_INCREMENTAL_REFRESH_ORDER_BOOK_43 = 43, "MDIncrementalRefreshOrderBook43";
    /// 44: MBO snapshot, exponent −7.
    SNAPSHOT_FULL_REFRESH_ORDER_BOOK_44 = 44, "SnapshotFullRefreshOrderBook44";
    /// 46: MBP book update with its orders, exponent −9.
    MD_INCREMENTAL_REFRESH_BOOK_46 = 46, "MDIncrementalRefreshBook46";
    /// 47: MBO book update, exponent −9.
    MD_INCREMENTAL_REFRESH_ORDER_BOOK_47 = 47, "MDIncrementalRefreshOrderBook47";
    /// 48: trade summary, exponent −9.
    MD_INCREMENTAL_REFRESH_TRADE_SUMMARY_48 = 48, "MDIncrementalRefreshTradeSummary48";
    /// 49: daily statistics (settlement, cleared volume, open interest, fixing).
    MD_INCREMENTAL_REFRESH_DAILY_STATISTICS_49 = 49, "MDIncrementalRefreshDailyStatistics49";
    /// 50: price limits and banding.
    MD_INCREMENTAL_REFRESH_LIMITS_BANDING_50 = 50, "MDIncrementalRefreshLimitsBanding50";
    /// 51: session statistics (open, high, low), exponent −9.
    MD_INCREMENTAL_REFRESH_SESSION_STATISTICS_51 = 51, "MDIncrementalRefreshSessionStatistics51";
    /// 52: MBP snapshot (market recovery feed).
    SNAPSHOT_FULL_REFRESH_52 = 52, "SnapshotFullRefresh52";
    /// 53: MBO snapshot (market recovery feed).
    SNAPSHOT_FULL_REFRESH_ORDER_BOOK_53 = 53, "SnapshotFullRefreshOrderBook53";
    /// 54: future definition, exponent −9.
    MD_INSTRUMENT_DEFINITION_FUTURE_54 = 54, "MDInstrumentDefinitionFuture54";
    /// 55: option definition, exponent −9.
    MD_INSTRUMENT_DEFINITION_OPTION_55 = 55, "MDInstrumentDefinitionOption55";
    /// 56: spread definition, exponent −9.
    MD_INSTRUMENT_DEFINITION_SPREAD_56 = 56, "MDInstrumentDefinitionSpread56";
}

impl fmt::Display for TemplateId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{} ({name})", self.0),
            None => write!(f, "{}", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_unknown_ids() {
        assert_eq!(
            TemplateId::MD_INCREMENTAL_REFRESH_BOOK_46.name(),
            Some("MDIncrementalRefreshBook46")
        );
        assert_eq!(TemplateId(64).name(), None);
        assert_eq!(TemplateId(64).to_string(), "64");
        assert_eq!(TemplateId(4).to_string(), "4 (ChannelReset4)");
    }
}
