//! The two applications on top of the sessions, and the bodies they send: the
//! client's NewOrderSingle (`ClOrdID` = `ORD{i}`) and the venue's
//! ExecutionReport.

use std::collections::HashSet;

use fixgate_core::fix::encode::{Encoder, TimePrecision, TimestampCache};
use fixgate_core::fix::{Message, MsgType, Tag};
use fixgate_core::session::{AppReject, Application, Outbox};
use fixgate_core::time::UtcNanos;

/// The venue: answers each new ClOrdID with one ExecutionReport (a PossDup
/// repeat of a known order gets none), and records every NOS.
#[derive(Default)]
pub struct VenueApp {
    /// (ClOrdID, PossDupFlag) of every NOS delivered, in order.
    pub nos: Vec<(String, bool)>,
    answered: HashSet<String>,
}

impl Application for VenueApp {
    fn on_message(&mut self, msg: &Message<'_>, out: &mut Outbox<'_>) -> Result<(), AppReject> {
        if msg.msg_type() != Some(MsgType::NEW_ORDER_SINGLE) {
            return Err(AppReject::UnsupportedMessageType);
        }
        let id = msg
            .str(Tag(11))
            .map_err(|_| AppReject::FieldMissing(Tag(11)))?
            .to_string();
        let poss_dup = msg.bool(Tag::POSS_DUP_FLAG).unwrap_or(false);
        self.nos.push((id.clone(), poss_dup));
        if self.answered.insert(id.clone()) {
            let n = self.answered.len();
            out.send(MsgType::EXECUTION_REPORT, |e| er_body(e, &id, n))
                .expect("the venue's ExecutionReport is stored");
        }
        Ok(())
    }
}

/// The client: records every ExecutionReport.
#[derive(Default)]
pub struct ClientApp {
    /// (ClOrdID, PossDupFlag) of every ER delivered, in order.
    pub ers: Vec<(String, bool)>,
}

impl Application for ClientApp {
    fn on_message(&mut self, msg: &Message<'_>, _out: &mut Outbox<'_>) -> Result<(), AppReject> {
        if msg.msg_type() != Some(MsgType::EXECUTION_REPORT) {
            return Err(AppReject::UnsupportedMessageType);
        }
        let id = msg
            .str(Tag(11))
            .map_err(|_| AppReject::FieldMissing(Tag(11)))?;
        let poss_dup = msg.bool(Tag::POSS_DUP_FLAG).unwrap_or(false);
        self.ers.push((id.to_string(), poss_dup));
        Ok(())
    }
}

pub fn nos_body(e: &mut Encoder<'_>, i: usize, now: UtcNanos) {
    e.field(Tag(11), format!("ORD{i}").as_bytes());
    e.field(Tag(55), b"EURUSD");
    e.char(Tag(54), b'1');
    let mut cache = TimestampCache::default();
    e.timestamp(Tag(60), now, TimePrecision::Millis, &mut cache);
    e.uint(Tag(38), 100);
    e.char(Tag(40), b'2');
    e.field(Tag(44), b"1.085");
}

fn er_body(e: &mut Encoder<'_>, cl_ord_id: &str, n: usize) {
    e.field(Tag(37), format!("V{n}").as_bytes());
    e.field(Tag(11), cl_ord_id.as_bytes());
    e.field(Tag(17), format!("E{n}").as_bytes());
    e.char(Tag(150), b'0');
    e.char(Tag(39), b'0');
    e.field(Tag(55), b"EURUSD");
    e.char(Tag(54), b'1');
    e.uint(Tag(151), 100);
    e.uint(Tag(14), 0);
    e.field(Tag(6), b"0");
}
