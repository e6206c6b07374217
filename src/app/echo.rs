//! The echo application of `fixgate acceptor`: behaves as QuickFIX's
//! acceptance-test application, so QuickFIX's own test runner can drive fixgate.
//!
//! - NewOrderSingle (D), Email (C) and SecurityDefinition (d) are echoed back:
//!   the original header fields other than the ones the session writes (and
//!   PossDupFlag and OrigSendingTime, which QuickFIX's `send` drops), and the
//!   body with its fields in tag order (groups kept whole behind their count
//!   field), as QuickFIX's sorted field maps write it;
//! - a NewOrderSingle with PossResend=Y whose ClOrdID was already seen since the
//!   last Logon is dropped;
//! - every other application message gets a BusinessMessageReject
//!   (Unsupported Message Type).

use std::collections::HashSet;
use std::sync::Arc;

use fixgate_core::fix::{Dictionary, FieldMap, Message, MsgType, Tag};
use fixgate_core::session::{AppReject, Application, Outbox};

/// Header tags the session writes itself, or that QuickFIX drops on send.
const SESSION_HEADER: &[u32] = &[8, 9, 10, 34, 35, 43, 49, 52, 56, 122];

/// The acceptance-test echo application.
#[derive(Debug, Default)]
pub struct EchoApplication {
    dictionary: Option<Arc<Dictionary>>,
    seen_cl_ord_ids: HashSet<Vec<u8>>,
    echoed: u64,
}

impl EchoApplication {
    /// An echo application; `dictionary` tells it where repeating groups are.
    pub fn new(dictionary: Option<Arc<Dictionary>>) -> Self {
        EchoApplication {
            dictionary,
            seen_cl_ord_ids: HashSet::new(),
            echoed: 0,
        }
    }

    /// Messages echoed so far.
    pub fn echoed(&self) -> u64 {
        self.echoed
    }

    fn echo(&mut self, msg: &Message<'_>, out: &mut Outbox<'_>) -> Result<(), AppReject> {
        let Some(msg_type) = msg.msg_type() else {
            return Ok(());
        };
        // Header: what the session does not write, in tag order.
        let mut header: Vec<(Tag, &[u8])> = msg
            .iter()
            .filter(|f| f.tag.is_standard_header() && !SESSION_HEADER.contains(&f.tag.0))
            .map(|f| (f.tag, f.value))
            .collect();
        header.sort_by_key(|(t, _)| *t);
        // Body: direct fields in tag order, each group's fields kept behind its count.
        let mut body: Vec<(Tag, std::ops::Range<usize>)> = Vec::with_capacity(msg.len());
        let body_map = self
            .dictionary
            .as_deref()
            .and_then(|d| FieldMap::body(*msg, d));
        let refs = msg.field_refs();
        let mut i = 0;
        while i < refs.len() {
            let tag = refs[i].tag;
            let next = match &body_map {
                Some(map) => map.group(tag).map_or(i + 1, |g| g.range().end.max(i + 1)),
                None => i + 1,
            };
            body.push((tag, i..next));
            i = next;
        }
        body.retain(|(t, _)| !t.is_standard_header() && !t.is_standard_trailer());
        body.sort_by_key(|(t, _)| *t);
        out.send_with_header(msg_type, &header, |e| {
            for (_, span) in &body {
                for f in &refs[span.clone()] {
                    e.raw_field(f.tag, msg.value_of(f));
                }
            }
        })
        .map_err(|_| AppReject::Session {
            reason: fixgate_core::fix::SessionRejectReason::OTHER,
            ref_tag: None,
        })?;
        self.echoed += 1;
        Ok(())
    }
}

impl Application for EchoApplication {
    /// A new logon starts a new set of orders (the suite logs on with
    /// ResetSeqNumFlag semantics before every definition).
    fn on_logon(&mut self, _out: &mut Outbox<'_>) {
        self.seen_cl_ord_ids.clear();
    }

    fn on_message(&mut self, msg: &Message<'_>, out: &mut Outbox<'_>) -> Result<(), AppReject> {
        match msg.msg_type() {
            Some(MsgType::NEW_ORDER_SINGLE) => {
                let poss_resend = msg.bool(Tag::POSS_RESEND).unwrap_or(false);
                let cl_ord_id = msg
                    .raw(Tag(11))
                    .map_err(|_| AppReject::FieldMissing(Tag(11)))?;
                let first_time = self.seen_cl_ord_ids.insert(cl_ord_id.to_vec());
                if poss_resend && !first_time {
                    return Ok(());
                }
                self.echo(msg, out)
            }
            Some(t) if t.as_bytes() == b"C" || t.as_bytes() == b"d" => self.echo(msg, out),
            _ => Err(AppReject::UnsupportedMessageType),
        }
    }
}
