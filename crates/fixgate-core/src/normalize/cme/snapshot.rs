//! Market recovery snapshots applied as full refreshes, every event flagged
//! `SNAPSHOT`.
//!
//! - 52 (MBP): the instrument's outright and implied books are emptied, then
//!   each book entry (`0 1 E F`) is a `New` at its `MDPriceLevel` (in the order
//!   sent: CME sends each side best first); statistics entries set their
//!   statistic; the root's limits set theirs; its `MDSecurityTradingStatus`
//!   sets the trading state; its `RptSeq` becomes the instrument's last, so
//!   older incrementals are then skipped.
//! - 53 (MBO, chunked): chunk 1 empties the instrument's orders, every chunk's
//!   entries are `New` orders. The orders are complete after the chunk with
//!   `CurrentChunk == NoChunks`.
//!
//! Which snapshots to apply, and when (only while recovering, matching
//! `LastMsgSeqNumProcessed` against buffered incrementals), is the recovery
//! layer's decision: with the [`sync`](super::sync) gates on, a snapshot is
//! applied only to an instrument that needs one and whose
//! `LastMsgSeqNumProcessed` is at or after the floor, and its events carry
//! `MAYBE_BAD_BOOK` until the layer replays what followed it. With the gates
//! off (the adapter alone) every snapshot is applied.

use super::{convert, CmeNormalizer, Msg, Observer, RefusalReason};
use crate::event::EventFlags;
use crate::md::cme::{MdEntryType, SnapshotFullRefresh52, SnapshotFullRefreshOrderBook53};
use crate::normalize::batch::EventSink;
use crate::normalize::book::{MbpAction, MbpOp};
use crate::normalize::stats::StatAction;
use crate::normalize::status::{StatusScope, StatusUpdate};
use crate::normalize::LevelUpdate;
use crate::types::{InstrumentId, Price};

impl<S: EventSink> CmeNormalizer<S> {
    /// 52: one instrument's books, statistics, limits and state.
    pub(super) fn snapshot_mbp(
        &mut self,
        msg: &Msg,
        m: SnapshotFullRefresh52<'_>,
        r: &mut Observer<'_>,
    ) {
        let root = m.root();
        let open = self.norm.in_event();
        let rpt_seq = root.rpt_seq();
        let resolved = self.resolve(root.security_id());
        if let Ok((_, slot)) = resolved {
            let last_seq = root.last_msg_seq_num_processed().unwrap_or(0);
            if !self.snapshot_levels_gate(slot, last_seq) {
                return;
            }
        }
        self.begin(msg, root.transact_time_ns(), EventFlags::SNAPSHOT);
        let head = (|| {
            let (id, slot) = resolved?;
            self.norm.handle_mbp_reset(id, rpt_seq.unwrap_or(0))?;
            self.rpt.set(slot, rpt_seq.unwrap_or(0));
            if self.sync.enabled {
                // Rebuilt as of the snapshot, not yet as of now.
                self.norm.mark_levels_suspect(id)?;
            }
            self.counters.snapshots += 1;
            Ok(id)
        })();
        match head {
            Ok(id) => {
                for (i, e) in m.md_entries().into_iter().flatten().enumerate() {
                    if let Err(reason) = self.snapshot_entry(id, &e, rpt_seq) {
                        self.refuse(msg, Some(i as u16), reason, r);
                    }
                }
                if let Err(reason) = self.snapshot_root(id, &m, rpt_seq) {
                    self.refuse(msg, None, reason, r);
                }
            }
            Err(reason) => self.refuse(msg, None, reason, r),
        }
        self.norm.end_message(!open);
    }

    fn snapshot_entry(
        &mut self,
        id: InstrumentId,
        e: &crate::md::cme::SnapshotFullRefresh52Entry<'_>,
        rpt_seq: Option<u32>,
    ) -> Result<(), RefusalReason> {
        let entry_type = e.md_entry_type().ok_or(RefusalReason::MissingField {
            field: "MDEntryType",
        })?;
        let price = e.md_entry_px()?.unwrap_or(Price::NULL);
        let qty = convert::qty("MDEntrySize", e.md_entry_size())?;
        if let Some((book, side)) = convert::book_side(entry_type) {
            let level = e
                .md_price_level()
                .and_then(|l| u8::try_from(l).ok())
                .ok_or(RefusalReason::MissingField {
                    field: "MDPriceLevel",
                })?;
            self.norm.handle_level(&LevelUpdate {
                instrument: id,
                book,
                rpt_seq: rpt_seq.unwrap_or(0),
                op: MbpOp {
                    side,
                    action: MbpAction::New,
                    level,
                    price_e9: price,
                    qty,
                    order_count: convert::order_count(e.number_of_orders()),
                },
            })?;
            return Ok(());
        }
        if entry_type == MdEntryType::BOOK_RESET {
            return Ok(());
        }
        let stat = convert::stat_type(entry_type, e.open_close_settl_flag()).ok_or(
            RefusalReason::UnsupportedEntryType {
                entry_type: entry_type.0,
            },
        )?;
        let flags = e.settl_price_type().map_or(0, |f| f.0);
        self.norm
            .handle_stat(&crate::normalize::stats::StatUpdate {
                instrument: id,
                stat,
                action: StatAction::Set,
                price_e9: price,
                qty,
                venue_flags: flags,
                rpt_seq: rpt_seq.unwrap_or(0),
            })?;
        Ok(())
    }

    fn snapshot_root(
        &mut self,
        id: InstrumentId,
        m: &SnapshotFullRefresh52<'_>,
        rpt_seq: Option<u32>,
    ) -> Result<(), RefusalReason> {
        let root = m.root();
        let high = root.high_limit_price()?.unwrap_or(Price::NULL);
        let low = root.low_limit_price()?.unwrap_or(Price::NULL);
        let band = root.max_price_variation()?.unwrap_or(Price::NULL);
        self.set_limits(id, high, low, band, rpt_seq)?;
        if let Some(status) = root.md_security_trading_status() {
            self.norm.handle_status(&StatusUpdate {
                scope: StatusScope::Instrument(id),
                state: convert::trading_state(Some(status)),
                venue_status: u16::from(status.0),
                halt_reason: 0,
                trading_event: 0,
                reset_statistics: false,
            })?;
        }
        Ok(())
    }

    /// 53: one chunk of one instrument's orders.
    pub(super) fn snapshot_mbo(
        &mut self,
        msg: &Msg,
        m: SnapshotFullRefreshOrderBook53<'_>,
        r: &mut Observer<'_>,
    ) {
        let root = m.root();
        self.saw_orders();
        let open = self.norm.in_event();
        let chunk = root.current_chunk().unwrap_or(1);
        let resolved = self.resolve(root.security_id());
        if let Ok((id, slot)) = resolved {
            let of = root.no_chunks().unwrap_or(1);
            let last_seq = root.last_msg_seq_num_processed().unwrap_or(0);
            if !self.snapshot_orders_gate(id, slot, chunk, of, last_seq) {
                return;
            }
        }
        self.begin(msg, root.transact_time_ns(), EventFlags::SNAPSHOT);
        let head = (|| {
            let (id, slot) = resolved?;
            if chunk <= 1 {
                self.norm.handle_order_reset(id)?;
                if self.sync.enabled {
                    // Rebuilt as of the snapshot, not yet as of now.
                    self.norm.mark_orders(id, true)?;
                }
            }
            self.counters.snapshots += 1;
            Ok((id, slot))
        })();
        match head {
            Ok((id, slot)) => {
                for (i, e) in m.md_entries().into_iter().flatten().enumerate() {
                    let result = (|| {
                        let entry_type = e.md_entry_type().ok_or(RefusalReason::MissingField {
                            field: "MDEntryType",
                        })?;
                        let side = convert::order_side(entry_type).ok_or(
                            RefusalReason::UnsupportedEntryType {
                                entry_type: entry_type.0,
                            },
                        )?;
                        self.apply_order(
                            id,
                            slot,
                            e.order_id(),
                            side,
                            e.md_entry_px()?,
                            e.md_display_qty(),
                            e.md_order_priority(),
                            Some(0),
                        )
                    })();
                    if let Err(reason) = result {
                        self.refuse(msg, Some(i as u16), reason, r);
                    }
                }
            }
            Err(reason) => self.refuse(msg, None, reason, r),
        }
        self.norm.end_message(!open);
    }
}
