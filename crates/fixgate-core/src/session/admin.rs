//! The session-level messages a session generates, worded as QuickFIX words them.

use super::config::Role;
use super::engine::{Core, ResendRange};
use super::event::{DisconnectReason, SessionEvent};
use super::outbound::Delivery;
use super::store::MessageStore;
use crate::fix::encode::{TimePrecision, TimestampCache};
use crate::fix::{Message, MsgType, SessionRejectReason, Tag};
use crate::time::UtcNanos;

/// BusinessRejectReason (380) values and QuickFIX's texts for them.
pub(crate) fn business_reject_text(reason: u32) -> &'static str {
    match reason {
        0 => "Other",
        1 => "Unknown ID",
        2 => "Unknown Security",
        3 => "Unsupported Message Type",
        4 => "Application not available",
        5 => "Conditionally required field missing",
        6 => "Not authorized",
        7 => "Deliverto firm not available at this time",
        _ => "Other",
    }
}

/// RefSeqNum (45) for a reply to a message numbered `seq`. The field is required
/// and must be a FIX INT: the number when it is one, else 0 (missing, unreadable,
/// or beyond `i64::MAX`).
fn ref_seq_num(seq: Option<u64>) -> u64 {
    seq.filter(|s| i64::try_from(*s).is_ok()).unwrap_or(0)
}

/// Header routing fields of a reply, reversed from the message it answers
/// (OnBehalfOf ↔ DeliverTo, as QuickFIX's `reverseRoute`), ascending by tag.
fn reverse_route<'m>(msg: &Message<'m>) -> ([(Tag, &'m [u8]); 6], usize) {
    const PAIRS: [(u32, u32); 6] = [
        (115, 128),
        (116, 129),
        (128, 115),
        (129, 116),
        (144, 145),
        (145, 144),
    ];
    let mut out: [(Tag, &[u8]); 6] = [(Tag(0), &[]); 6];
    let mut n = 0;
    for (from, to) in PAIRS {
        if let Some(f) = msg.find(Tag(from)) {
            if !f.value.is_empty() {
                out[n] = (Tag(to), f.value);
                n += 1;
            }
        }
    }
    out[..n].sort_by_key(|(t, _)| *t);
    (out, n)
}

/// Renders a SendingTime-like value at the session's precision.
pub(crate) fn render_time(now: UtcNanos, precision: TimePrecision) -> ([u8; 27], usize) {
    let mut buf = [0u8; 27];
    let n = TimestampCache::default().render(now, precision, &mut buf);
    (buf, n)
}

impl<S: MessageStore> Core<S> {
    fn admin_delivery(&self, msg_type: MsgType) -> Delivery {
        let always = matches!(msg_type.as_bytes(), b"A" | b"5" | b"2" | b"4");
        if !self.st.disconnecting && (always || self.is_logged_on()) {
            Delivery::Transmit
        } else {
            Delivery::StoreOnly
        }
    }

    /// Sends a session message with the next sequence number.
    pub(crate) fn send_admin(
        &mut self,
        now: UtcNanos,
        msg_type: MsgType,
        extra: &[(Tag, &[u8])],
        body: impl FnOnce(&mut crate::fix::encode::Encoder<'_>),
    ) {
        let delivery = self.admin_delivery(msg_type);
        if self.out.send(now, msg_type, extra, delivery, body).is_err() {
            self.event(SessionEvent::Disconnect(DisconnectReason::StoreFailed));
        }
    }

    pub(crate) fn generate_logon(&mut self, now: UtcNanos, reply_to: Option<&Message<'_>>) {
        if reply_to.is_none() {
            // Initiator: reset first when configured, and say so with 141=Y.
            if self.config.reset_on_logon {
                self.reset_store(now);
            }
        }
        let fresh = self.out.store.next_sender_seq() == 1 && self.out.store.next_target_seq() == 1;
        let send_reset = match reply_to {
            Some(_) => self.st.received_reset,
            None => {
                fresh
                    && self.config.begin_string.as_str() >= "FIX.4.1"
                    && (self.config.reset_on_logon
                        || self.config.reset_on_logout
                        || self.config.reset_on_disconnect)
            }
        };
        if reply_to.is_none() && send_reset {
            self.st.sent_reset = true;
        }
        let hb = self.heart_bt_int;
        let appl = self
            .config
            .default_appl_ver_id
            .clone()
            .filter(|_| self.config.is_fixt());
        // After a reset both sides start at 1; a reply expects the message after
        // the Logon it answers.
        let next_expected = self.config.enable_next_expected_msg_seq_num.then(|| {
            let expected = if send_reset && reply_to.is_none() {
                1
            } else {
                self.out.store.next_target_seq()
            };
            expected + u64::from(reply_to.is_some())
        });
        let (user, pass) = match reply_to {
            None => (self.config.username.clone(), self.config.password.clone()),
            Some(_) => (None, None),
        };
        self.send_admin(now, MsgType::LOGON, &[], |e| {
            e.uint(Tag(98), 0);
            e.uint(Tag(108), hb);
            if send_reset {
                e.bool(Tag(141), true);
            }
            if let Some(u) = &user {
                e.field(Tag(553), u.as_bytes());
            }
            if let Some(p) = &pass {
                e.field(Tag(554), p.as_bytes());
            }
            if let Some(n) = next_expected {
                e.uint(Tag(789), n);
            }
            if let Some(v) = &appl {
                e.field(Tag::DEFAULT_APPL_VER_ID, v.as_bytes());
            }
        });
        self.st.sent_logon = true;
        if self.config.role == Role::Initiator && reply_to.is_none() {
            self.logon_started = now;
        }
    }

    pub(crate) fn generate_logout(&mut self, now: UtcNanos, text: Option<&[u8]>) {
        self.send_admin(now, MsgType::LOGOUT, &[], |e| {
            if let Some(t) = text {
                e.field(Tag::TEXT, t);
            }
        });
        self.st.sent_logout = true;
        self.logout_started = now;
    }

    pub(crate) fn generate_heartbeat(&mut self, now: UtcNanos, test_req_id: Option<&[u8]>) {
        self.send_admin(now, MsgType::HEARTBEAT, &[], |e| {
            if let Some(id) = test_req_id {
                e.field(Tag(112), id);
            }
        });
    }

    pub(crate) fn generate_test_request(&mut self, now: UtcNanos, id: &[u8]) {
        self.send_admin(now, MsgType::TEST_REQUEST, &[], |e| e.field(Tag(112), id));
    }

    /// ResendRequest from the expected number, up to `received - 1` (EndSeqNo 0,
    /// "infinity", from FIX 4.2 on), in chunks when configured.
    pub(crate) fn generate_resend_request(&mut self, now: UtcNanos, received: u64) {
        let begin = self.out.store.next_target_seq();
        let last = received.saturating_sub(1);
        self.request_resend(now, begin, last);
        self.event(SessionEvent::GapDetected { begin, end: last });
    }

    /// Asks for `begin..=end`, or for its first chunk when a chunk size is set
    /// (the next chunk is asked for when this one has arrived).
    pub(crate) fn request_resend(&mut self, now: UtcNanos, begin: u64, end: u64) {
        let chunk = self.config.resend_request_chunk_size;
        let (chunk_end, end_on_wire) =
            if chunk > 0 && end.saturating_sub(begin).saturating_add(1) > chunk {
                let c = begin.saturating_add(chunk - 1);
                (c, c)
            } else if self.config.at_least_fix42() {
                (end, 0)
            } else {
                (end, 999_999)
            };
        self.send_admin(now, MsgType::RESEND_REQUEST, &[], |e| {
            e.uint(Tag(7), begin);
            e.uint(Tag(16), end_on_wire);
        });
        self.resend_range = Some(ResendRange {
            begin,
            chunk_end,
            end,
        });
        self.counters.resend_requests_sent += 1;
    }

    /// SequenceReset-GapFill sent as message `seq`, moving the peer to `new_seq`.
    pub(crate) fn generate_gap_fill(&mut self, now: UtcNanos, seq: u64, new_seq: u64) {
        let (time, n) = render_time(now, self.config.timestamp_precision);
        let extra: [(Tag, &[u8]); 2] = [
            (Tag::POSS_DUP_FLAG, b"Y"),
            (Tag::ORIG_SENDING_TIME, &time[..n]),
        ];
        let r = self
            .out
            .send_with_seq(now, seq, MsgType::SEQUENCE_RESET, &extra, |e| {
                e.uint(Tag(36), new_seq);
                e.bool(Tag(123), true);
            });
        if r.is_err() {
            self.event(SessionEvent::Disconnect(DisconnectReason::Backpressure));
        }
        self.counters.gap_fills_sent += 1;
    }

    /// A session Reject of `msg`, as QuickFIX's `generateReject`. Before Logon
    /// nothing can be sent: the connection is dropped instead.
    pub(crate) fn generate_reject<A: super::app::Application>(
        &mut self,
        now: UtcNanos,
        msg: &Message<'_>,
        reason: SessionRejectReason,
        field: Option<Tag>,
        app: &mut A,
    ) {
        let seq_raw = msg
            .find(Tag::MSG_SEQ_NUM)
            .map(|f| f.value)
            .filter(|v| !v.is_empty());
        let seq = seq_raw.and_then(|v| crate::fix::value::parse_uint(v).ok());
        let msg_type = msg.msg_type();
        let expected = self.out.store.next_target_seq();
        if !matches!(msg_type, Some(MsgType::LOGON | MsgType::SEQUENCE_RESET))
            && seq == Some(expected)
        {
            self.incr_target();
        }
        if !self.st.received_logon {
            self.disconnect(DisconnectReason::RejectBeforeLogon, app);
            return;
        }
        let fix42 = self.config.at_least_fix42();
        let with_reason = self.config.is_fixt()
            || self.config.begin_string.as_str() > "FIX.4.2"
            || (self.config.begin_string == "FIX.4.2" && reason.0 <= 11);
        let names_tag = field.is_some() || reason == SessionRejectReason::INVALID_TAG_NUMBER;
        let text = reason.text();
        let (route, n) = reverse_route(msg);
        let ref_type = msg
            .field(2)
            .filter(|f| f.tag == Tag::MSG_TYPE && !f.value.is_empty())
            .map(|f| f.value);
        let ref_seq = ref_seq_num(seq);
        self.send_admin(now, MsgType::REJECT, &route[..n], |e| {
            e.uint(Tag::REF_SEQ_NUM, ref_seq);
            if names_tag && !fix42 {
                let t = format!("{text} ({})", field.map_or(0, |t| t.wire_value()));
                e.field(Tag::TEXT, t.as_bytes());
            } else {
                e.field(Tag::TEXT, text.as_bytes());
            }
            if names_tag && fix42 {
                e.int(
                    Tag::REF_TAG_ID,
                    i64::from(field.map_or(0, |t| t.wire_value())),
                );
            }
            if fix42 {
                if let Some(t) = ref_type {
                    e.field(Tag::REF_MSG_TYPE, t);
                }
                if with_reason {
                    e.uint(Tag::SESSION_REJECT_REASON, u64::from(reason.0));
                }
            }
        });
        self.counters.rejects_sent += 1;
        self.event(SessionEvent::Rejected {
            seq: seq.unwrap_or(0),
            reason: Some(reason),
        });
    }

    /// A Reject with only a Text (FIX 4.0/4.1 "Unsupported message type").
    pub(crate) fn generate_text_reject(&mut self, now: UtcNanos, msg: &Message<'_>, text: &str) {
        let seq = msg.seq_num().ok();
        if seq == Some(self.out.store.next_target_seq()) {
            self.incr_target();
        }
        self.send_admin(now, MsgType::REJECT, &[], |e| {
            e.uint(Tag::REF_SEQ_NUM, ref_seq_num(seq));
            e.field(Tag::TEXT, text.as_bytes());
        });
        self.counters.rejects_sent += 1;
    }

    /// A BusinessMessageReject (35=j) of `msg`.
    pub(crate) fn generate_business_reject(
        &mut self,
        now: UtcNanos,
        msg: &Message<'_>,
        reason: u32,
        field: Option<Tag>,
    ) {
        let seq = ref_seq_num(msg.seq_num().ok());
        let ref_type = msg.field(2).map(|f| f.value).unwrap_or_default();
        let text = business_reject_text(reason);
        let appl = self
            .config
            .default_appl_ver_id
            .clone()
            .filter(|_| self.config.is_fixt());
        self.incr_target();
        let delivery = if self.is_logged_on() {
            Delivery::Transmit
        } else {
            Delivery::StoreOnly
        };
        let r = self
            .out
            .send(now, MsgType::BUSINESS_MESSAGE_REJECT, &[], delivery, |e| {
                e.uint(Tag::REF_SEQ_NUM, seq);
                match field {
                    Some(t) => {
                        e.field(Tag::TEXT, format!("{text} ({})", t.wire_value()).as_bytes())
                    }
                    None => e.field(Tag::TEXT, text.as_bytes()),
                }
                e.field(Tag::REF_MSG_TYPE, ref_type);
                e.uint(Tag(380), u64::from(reason));
                if let Some(v) = &appl {
                    e.field(Tag::DEFAULT_APPL_VER_ID, v.as_bytes());
                }
            });
        if r.is_err() {
            self.event(SessionEvent::Disconnect(DisconnectReason::StoreFailed));
        }
        self.counters.rejects_sent += 1;
        self.event(SessionEvent::Rejected { seq, reason: None });
    }

    pub(crate) fn incr_target(&mut self) {
        let next = self.out.store.next_target_seq().saturating_add(1);
        if self.out.store.set_next_target_seq(next).is_err() {
            self.event(SessionEvent::Disconnect(DisconnectReason::StoreFailed));
        }
    }
}
