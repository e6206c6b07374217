//! The application callbacks: refuses `BAD` ClOrdIDs, declines to resend `STALE` ones.

use super::*;

/// Records messages; answers D with an ExecutionReport; refuses some.
#[derive(Default)]
pub(super) struct App {
    pub(super) received: u64,
    pub(super) logons: u64,
    pub(super) logouts: u64,
    pub(super) exec_id: u64,
}

pub(super) fn starts(msg: &Message<'_>, tag: u32, prefix: &[u8]) -> bool {
    msg.raw(Tag(tag)).is_ok_and(|v| v.starts_with(prefix))
}

impl Application for App {
    fn on_message(&mut self, msg: &Message<'_>, out: &mut Outbox<'_>) -> Result<(), AppReject> {
        self.received += 1;
        match msg.msg_type() {
            Some(MsgType::NEW_ORDER_SINGLE) => {
                if starts(msg, 11, b"BAD") {
                    return Err(AppReject::Session {
                        reason: fixgate_core::fix::SessionRejectReason::VALUE_OUT_OF_RANGE,
                        ref_tag: Some(Tag(11)),
                    });
                }
                self.exec_id += 1;
                let id = self.exec_id;
                let cl = msg.raw(Tag(11)).ok();
                let side = msg.raw(Tag(54)).unwrap_or(b"1");
                let symbol = msg.raw(Tag(55)).ok();
                let _ = out.send(MsgType::EXECUTION_REPORT, |e| {
                    e.uint(Tag(6), 0);
                    if let Some(c) = cl {
                        e.field(Tag(11), c);
                    }
                    e.uint(Tag(14), 0);
                    e.uint(Tag(17), id);
                    e.field(Tag(37), b"O1");
                    e.char(Tag(39), b'0');
                    e.field(Tag(54), side);
                    if let Some(s) = symbol {
                        e.field(Tag(55), s);
                    }
                    e.char(Tag(150), b'0');
                    e.uint(Tag(151), 0);
                });
                Ok(())
            }
            Some(MsgType::MARKET_DATA_SNAPSHOT) => Err(AppReject::UnsupportedMessageType),
            Some(MsgType::MARKET_DATA_INCREMENTAL) => Err(AppReject::FieldMissing(Tag(262))),
            _ => Ok(()),
        }
    }
    fn authenticate(&mut self, logon: &Message<'_>) -> Result<(), String> {
        if logon.raw(Tag(553)) == Ok(b"intruder") {
            Err("Invalid username".to_string())
        } else {
            Ok(())
        }
    }
    fn on_logon(&mut self, _out: &mut Outbox<'_>) {
        self.logons += 1;
    }
    fn on_logout(&mut self) {
        self.logouts += 1;
    }
    fn on_resend(&mut self, msg: &Message<'_>) -> bool {
        !starts(msg, 11, b"STALE")
    }
}
