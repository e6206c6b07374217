//! Dispatch: each framed message to its template's handler. The book,
//! trade, volume and statistics templates (most of the incremental feed) are
//! decoded here straight into their handlers; the others go through
//! [`CmeMessage::decode`].

use super::{CmeNormalizer, Msg, Observer};
use crate::md::cme::{
    CmeMessage, MdIncrementalRefreshBook32, MdIncrementalRefreshBook46,
    MdIncrementalRefreshDailyStatistics49, MdIncrementalRefreshOrderBook47,
    MdIncrementalRefreshSessionStatistics35, MdIncrementalRefreshSessionStatistics51,
    MdIncrementalRefreshTradeSummary42, MdIncrementalRefreshTradeSummary48,
    MdIncrementalRefreshVolume37, SbeMessage, TemplateId, SCHEMA_ID,
};
use crate::normalize::batch::EventSink;

impl<S: EventSink> CmeNormalizer<S> {
    /// Decodes one message and hands it to its template's handler: the hot
    /// templates directly, the others through [`CmeMessage::decode`].
    pub(super) fn handle_message(&mut self, msg: &Msg, m: SbeMessage<'_>, r: &mut Observer<'_>) {
        if self.handle_hot_message(msg, m, r) {
            return;
        }
        let view = match CmeMessage::decode(m, &mut self.counters.decode) {
            Ok(Some(v)) => v,
            Ok(None) => return,
            Err(e) => {
                self.refuse(msg, None, e.into(), r);
                return;
            }
        };
        match view {
            CmeMessage::Book46(v) => {
                self.book(msg, v.root(), v.md_entries(), v.order_id_entries(), r)
            }
            CmeMessage::Book32(v) => {
                self.book(msg, v.root(), v.md_entries(), v.order_id_entries(), r)
            }
            CmeMessage::OrderBook47(v) => self.order_book(msg, v, r),
            CmeMessage::TradeSummary48(v) => {
                self.trades(msg, v.root(), v.md_entries(), v.order_id_entries(), r)
            }
            CmeMessage::TradeSummary42(v) => {
                self.trades(msg, v.root(), v.md_entries(), v.order_id_entries(), r)
            }
            CmeMessage::Volume37(v) => self.volume(msg, v, r),
            CmeMessage::SessionStatistics51(v) => {
                self.session_stats(msg, v.root(), v.md_entries(), r)
            }
            CmeMessage::SessionStatistics35(v) => {
                self.session_stats(msg, v.root(), v.md_entries(), r)
            }
            CmeMessage::DailyStatistics49(v) => self.daily_stats(msg, v, r),
            CmeMessage::LimitsBanding50(v) => self.limits(msg, v, r),
            CmeMessage::SecurityStatus30(v) => self.security_status(msg, v, r),
            CmeMessage::ChannelReset4(v) => self.channel_reset(msg, v),
            CmeMessage::SnapshotFullRefresh52(v) => self.snapshot_mbp(msg, v, r),
            CmeMessage::SnapshotFullRefreshOrderBook53(v) => self.snapshot_mbo(msg, v, r),
            CmeMessage::InstrumentDefinitionFuture27(v) => self.definition_27(msg, v, r),
            CmeMessage::InstrumentDefinitionSpread29(v) => self.definition_29(msg, v, r),
            CmeMessage::InstrumentDefinitionFuture54(v) => self.definition_54(msg, v, r),
            CmeMessage::InstrumentDefinitionOption55(v) => self.definition_55(msg, v, r),
            CmeMessage::InstrumentDefinitionSpread56(v) => self.definition_56(msg, v, r),
            CmeMessage::AdminHeartbeat12(_) => {}
            CmeMessage::AdminLogin15(_)
            | CmeMessage::AdminLogout16(_)
            | CmeMessage::DailyStatistics33(_)
            | CmeMessage::LimitsBanding34(_)
            | CmeMessage::SnapshotFullRefresh38(_)
            | CmeMessage::QuoteRequest39(_)
            | CmeMessage::InstrumentDefinitionOption41(_)
            | CmeMessage::OrderBook43(_)
            | CmeMessage::SnapshotFullRefreshOrderBook44(_) => self.counters.not_normalized += 1,
        }
    }

    /// The book, trade, volume and statistics templates (most of the
    /// incremental feed):
    /// decoded and handled here as [`CmeMessage::decode`] then
    /// [`CmeNormalizer::handle_message`] would (same checks, same counters,
    /// same refusals), without building the [`CmeMessage`] in between (a copy
    /// of a few hundred bytes per message). `false`: another template, for
    /// the general path.
    #[inline(always)]
    fn handle_hot_message(&mut self, msg: &Msg, m: SbeMessage<'_>, r: &mut Observer<'_>) -> bool {
        if m.schema_id() != SCHEMA_ID {
            return false;
        }
        macro_rules! decoded {
            ($view:ident, |$v:ident| $handle:expr) => {
                match $view::new(m) {
                    Ok($v) => {
                        self.counters.decode.messages += 1;
                        $handle;
                    }
                    Err(e) => {
                        self.counters.decode.malformed += 1;
                        self.refuse(msg, None, e.into(), r);
                    }
                }
            };
        }
        match m.template_id() {
            TemplateId::MD_INCREMENTAL_REFRESH_BOOK_46 => {
                decoded!(MdIncrementalRefreshBook46, |v| self.book(
                    msg,
                    v.root(),
                    v.md_entries(),
                    v.order_id_entries(),
                    r
                ))
            }
            TemplateId::MD_INCREMENTAL_REFRESH_BOOK_32 => {
                decoded!(MdIncrementalRefreshBook32, |v| self.book(
                    msg,
                    v.root(),
                    v.md_entries(),
                    v.order_id_entries(),
                    r
                ))
            }
            TemplateId::MD_INCREMENTAL_REFRESH_ORDER_BOOK_47 => {
                decoded!(MdIncrementalRefreshOrderBook47, |v| self
                    .order_book(msg, v, r))
            }
            TemplateId::MD_INCREMENTAL_REFRESH_TRADE_SUMMARY_48 => {
                decoded!(MdIncrementalRefreshTradeSummary48, |v| self.trades(
                    msg,
                    v.root(),
                    v.md_entries(),
                    v.order_id_entries(),
                    r
                ))
            }
            TemplateId::MD_INCREMENTAL_REFRESH_VOLUME_37 => {
                decoded!(MdIncrementalRefreshVolume37, |v| self.volume(msg, v, r))
            }
            TemplateId::MD_INCREMENTAL_REFRESH_TRADE_SUMMARY_42 => {
                decoded!(MdIncrementalRefreshTradeSummary42, |v| self.trades(
                    msg,
                    v.root(),
                    v.md_entries(),
                    v.order_id_entries(),
                    r
                ))
            }
            TemplateId::MD_INCREMENTAL_REFRESH_SESSION_STATISTICS_35 => {
                decoded!(MdIncrementalRefreshSessionStatistics35, |v| self
                    .session_stats(msg, v.root(), v.md_entries(), r))
            }
            TemplateId::MD_INCREMENTAL_REFRESH_SESSION_STATISTICS_51 => {
                decoded!(MdIncrementalRefreshSessionStatistics51, |v| self
                    .session_stats(msg, v.root(), v.md_entries(), r))
            }
            TemplateId::MD_INCREMENTAL_REFRESH_DAILY_STATISTICS_49 => {
                decoded!(MdIncrementalRefreshDailyStatistics49, |v| self
                    .daily_stats(msg, v, r))
            }
            _ => return false,
        }
        true
    }
}
