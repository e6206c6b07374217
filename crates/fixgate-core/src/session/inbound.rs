//! Handling each inbound message, as QuickFIX's `Session::next(Message)` does.

use super::app::{AppReject, Application, Outbox, SendApp};
use super::config::Role;
use super::engine::{Core, NANOS};
use super::event::{DisconnectReason, GarbledReason, SessionEvent};
use super::outbound::SendError;
use super::store::MessageStore;
use crate::fix::encode::Encoder;
use crate::fix::value::{parse_bool, parse_uint, parse_utc_timestamp};
use crate::fix::{Message, MsgType, SessionRejectReason, Tag, ValidationError, Validator};
use crate::time::UtcNanos;

impl<S: MessageStore> SendApp for Core<S> {
    fn send_app(
        &mut self,
        now: UtcNanos,
        msg_type: MsgType,
        extra_header: &[(Tag, &[u8])],
        body: &mut dyn FnMut(&mut Encoder<'_>),
    ) -> Result<u64, SendError> {
        self.send_app_message(now, msg_type, extra_header, |e| body(e))
    }
}

/// The largest NewSeqNo accepted (2^62): far beyond any real session, and far
/// enough below `i64::MAX` that numbers derived from it stay valid SEQNUMs.
const MAX_SEQ_NUM: u64 = 1 << 62;

fn raw<'m>(msg: &Message<'m>, tag: Tag) -> Option<&'m [u8]> {
    msg.find(tag).map(|f| f.value)
}

impl<S: MessageStore> Core<S> {
    /// A garbled frame: ignored (FIX sends no Reject for it), except that a
    /// garbled Logon drops the connection.
    pub(crate) fn garbled(&mut self, offset: u64, error: GarbledReason, msg_type: Option<MsgType>) {
        self.counters.garbled += 1;
        self.event(SessionEvent::Garbled { offset, error });
        if msg_type == Some(MsgType::LOGON) && !self.st.disconnecting {
            self.events
                .push_back(SessionEvent::Disconnect(DisconnectReason::GarbledLogon));
            self.st.disconnecting = true;
        }
    }

    /// One whole, indexed inbound message.
    pub(crate) fn next_message<A: Application>(
        &mut self,
        now: UtcNanos,
        msg: &Message<'_>,
        app: &mut A,
        queued: bool,
    ) {
        self.dispatch(now, msg, app);
        if !queued {
            self.next_queued(now, app);
        }
    }

    fn dispatch<A: Application>(&mut self, now: UtcNanos, msg: &Message<'_>, app: &mut A) {
        let msg_type = msg.msg_type();
        let is_logon = msg_type == Some(MsgType::LOGON);
        for tag in [Tag::SENDER_COMP_ID, Tag::TARGET_COMP_ID] {
            if msg.find(tag).is_none() {
                self.generate_reject(
                    now,
                    msg,
                    SessionRejectReason::REQUIRED_TAG_MISSING,
                    Some(tag),
                    app,
                );
                if is_logon {
                    self.disconnect(DisconnectReason::InvalidLogonState, app);
                }
                return;
            }
        }
        if msg.begin_string() != Some(self.config.begin_string.as_bytes()) {
            if msg_type == Some(MsgType::LOGOUT) {
                self.next_logout(now, msg, app);
            } else {
                self.generate_logout(now, Some(b"Incorrect BeginString"));
                self.incr_target();
            }
            return;
        }
        if let Some(dict) = self
            .session_dict
            .clone()
            .filter(|_| self.config.use_data_dictionary)
        {
            let validator = match &self.app_dict {
                Some(a) => Validator::fixt(&dict, a),
                None => Validator::new(&dict),
            }
            .with_options(self.config.validation);
            match validator.validate(msg) {
                Ok(()) => {}
                Err(ValidationError::UnsupportedVersion) => {
                    self.generate_logout(now, Some(b"Incorrect BeginString"));
                    self.incr_target();
                    return;
                }
                Err(ValidationError::Reject { reason, ref_tag }) => {
                    self.generate_reject(now, msg, reason, ref_tag, app);
                    if is_logon && reason == SessionRejectReason::REQUIRED_TAG_MISSING {
                        self.disconnect(DisconnectReason::InvalidLogonState, app);
                    }
                    return;
                }
            }
        }
        match msg_type {
            Some(MsgType::LOGON) => self.next_logon(now, msg, app),
            Some(MsgType::HEARTBEAT) => {
                if self.verify(now, msg, true, true, app) {
                    self.incr_target();
                }
            }
            Some(MsgType::TEST_REQUEST) => {
                if self.verify(now, msg, true, true, app) {
                    self.generate_heartbeat(now, raw(msg, Tag(112)));
                    self.incr_target();
                }
            }
            Some(MsgType::SEQUENCE_RESET) => self.next_sequence_reset(now, msg, app),
            Some(MsgType::LOGOUT) => self.next_logout(now, msg, app),
            Some(MsgType::RESEND_REQUEST) => self.next_resend_request(now, msg, app),
            Some(MsgType::REJECT) => {
                if self.verify(now, msg, false, true, app) {
                    self.incr_target();
                }
            }
            _ => {
                if !self.verify(now, msg, true, true, app) {
                    return;
                }
                self.counters.received += 1;
                let result = app.on_message(msg, &mut Outbox { now, sender: self });
                match result {
                    Ok(()) => self.incr_target(),
                    Err(AppReject::UnsupportedMessageType) => {
                        if self.config.at_least_fix42() {
                            self.generate_business_reject(now, msg, 3, None);
                        } else {
                            self.generate_text_reject(now, msg, "Unsupported message type");
                        }
                    }
                    Err(AppReject::FieldMissing(tag)) => {
                        if self.config.at_least_fix42() {
                            self.generate_business_reject(now, msg, 5, Some(tag));
                        } else {
                            self.generate_reject(
                                now,
                                msg,
                                SessionRejectReason::REQUIRED_TAG_MISSING,
                                Some(tag),
                                app,
                            );
                        }
                    }
                    Err(AppReject::Session { reason, ref_tag }) => {
                        self.generate_reject(now, msg, reason, ref_tag, app)
                    }
                }
            }
        }
    }

    fn valid_logon_state(&self, msg_type: Option<MsgType>) -> bool {
        let logon = msg_type == Some(MsgType::LOGON);
        let logout = msg_type == Some(MsgType::LOGOUT);
        (logon && self.st.sent_reset)
            || self.st.received_reset
            || (logon && !self.st.received_logon)
            || (!logon && self.st.received_logon)
            || (logout && self.st.sent_logon)
            || (!logout && self.st.sent_logout)
            || msg_type == Some(MsgType::SEQUENCE_RESET)
            || msg_type == Some(MsgType::REJECT)
    }

    /// QuickFIX's `verify`: logon state, SendingTime, CompIDs, then sequence
    /// number (too high: queue and ask for a resend; too low: Logout unless
    /// PossDup). True when the message may be processed.
    fn verify<A: Application>(
        &mut self,
        now: UtcNanos,
        msg: &Message<'_>,
        too_high: bool,
        too_low: bool,
        app: &mut A,
    ) -> bool {
        let msg_type = msg.msg_type();
        if !self.valid_logon_state(msg_type) {
            self.disconnect(DisconnectReason::InvalidLogonState, app);
            return false;
        }
        let sending_time = raw(msg, Tag::SENDING_TIME).and_then(|v| parse_utc_timestamp(v).ok());
        if self.config.check_latency {
            let good = sending_time.is_some_and(|t| {
                let skew = now.as_nanos().abs_diff(t.as_nanos());
                skew <= self.config.max_latency_s * NANOS
            });
            if !good {
                self.generate_reject(
                    now,
                    msg,
                    SessionRejectReason::SENDING_TIME_ACCURACY,
                    None,
                    app,
                );
                if self.st.connected && !self.st.disconnecting {
                    self.generate_logout(now, None);
                }
                return false;
            }
        }
        if self.config.check_comp_id {
            let ok = raw(msg, Tag::SENDER_COMP_ID) == Some(self.config.target_comp_id.as_bytes())
                && raw(msg, Tag::TARGET_COMP_ID) == Some(self.config.sender_comp_id.as_bytes());
            if !ok {
                self.generate_reject(now, msg, SessionRejectReason::COMP_ID_PROBLEM, None, app);
                if self.st.connected && !self.st.disconnecting {
                    self.generate_logout(now, None);
                }
                return false;
            }
        }
        if too_high || too_low {
            let Some(seq) = raw(msg, Tag::MSG_SEQ_NUM).and_then(|v| parse_uint(v).ok()) else {
                self.disconnect(DisconnectReason::InvalidLogonState, app);
                return false;
            };
            let expected = self.out.store.next_target_seq();
            if too_high && seq > expected {
                self.do_target_too_high(now, msg, seq);
                return false;
            }
            if too_low && seq < expected {
                self.do_target_too_low(now, msg, seq, expected, app);
                return false;
            }
            if let Some(r) = self.resend_range {
                if seq >= r.end {
                    self.resend_range = None;
                } else if seq >= r.chunk_end {
                    // This chunk has arrived: ask for the next one.
                    self.request_resend(now, r.chunk_end.saturating_add(1), r.end);
                }
            }
        }
        self.last_received = now;
        self.test_requests = 0;
        true
    }

    fn do_target_too_high(&mut self, now: UtcNanos, msg: &Message<'_>, seq: u64) {
        if self.queue.len() < self.config.max_queued_messages {
            self.queue.insert(seq, msg.bytes().to_vec());
        } else {
            self.counters.queue_overflow += 1;
        }
        if let Some(super::engine::ResendRange { begin, .. }) = self.resend_range {
            if !self.config.send_redundant_resend_requests && seq >= begin {
                return;
            }
        }
        self.generate_resend_request(now, seq);
    }

    fn do_target_too_low<A: Application>(
        &mut self,
        now: UtcNanos,
        msg: &Message<'_>,
        seq: u64,
        expected: u64,
        app: &mut A,
    ) {
        let poss_dup = raw(msg, Tag::POSS_DUP_FLAG).is_some_and(|v| parse_bool(v) == Ok(true));
        if !poss_dup {
            let text = format!("MsgSeqNum too low, expecting {expected} but received {seq}");
            self.generate_logout(now, Some(text.as_bytes()));
            self.disconnect(
                DisconnectReason::SeqNumTooLow {
                    expected,
                    received: seq,
                },
                app,
            );
            return;
        }
        if msg.msg_type() != Some(MsgType::SEQUENCE_RESET) {
            let Some(orig) = raw(msg, Tag::ORIG_SENDING_TIME) else {
                self.generate_reject(
                    now,
                    msg,
                    SessionRejectReason::REQUIRED_TAG_MISSING,
                    Some(Tag::ORIG_SENDING_TIME),
                    app,
                );
                return;
            };
            let orig = parse_utc_timestamp(orig).ok();
            let sent = raw(msg, Tag::SENDING_TIME).and_then(|v| parse_utc_timestamp(v).ok());
            if let (Some(o), Some(s)) = (orig, sent) {
                if o > s {
                    self.generate_reject(
                        now,
                        msg,
                        SessionRejectReason::SENDING_TIME_ACCURACY,
                        None,
                        app,
                    );
                    self.generate_logout(now, None);
                }
            }
        }
    }

    fn next_logon<A: Application>(&mut self, now: UtcNanos, msg: &Message<'_>, app: &mut A) {
        let reset_flag = raw(msg, Tag(141)).is_some_and(|v| parse_bool(v) == Ok(true));
        self.st.received_reset = reset_flag;
        if reset_flag && !self.st.sent_reset {
            self.reset_store(now);
        }
        if self.config.role == Role::Initiator && !self.st.sent_logon && !reset_flag {
            self.disconnect(DisconnectReason::InvalidLogonState, app);
            return;
        }
        if self.config.role == Role::Acceptor && self.config.reset_on_logon {
            self.reset_store(now);
        }
        if !self.verify(now, msg, false, true, app) {
            return;
        }
        if let Err(text) = app.authenticate(msg) {
            self.generate_logout(now, Some(text.as_bytes()));
            self.disconnect(DisconnectReason::LogonRejected, app);
            return;
        }
        let next_expected = raw(msg, Tag(789))
            .and_then(|v| parse_uint(v).ok())
            .filter(|_| self.config.enable_next_expected_msg_seq_num);
        if next_expected.is_some_and(|n| n > self.out.store.next_sender_seq()) {
            self.generate_logout(now, Some(b"NextExpectedMsgSeqNum too high"));
            self.disconnect(DisconnectReason::NextExpectedTooHigh, app);
            return;
        }
        self.st.received_logon = true;
        if self.config.role == Role::Acceptor || (self.st.received_reset && !self.st.sent_reset) {
            if let Some(hb) = raw(msg, Tag(108)).and_then(|v| parse_uint(v).ok()) {
                self.heart_bt_int = hb;
            }
            self.generate_logon(now, Some(msg));
        }
        if let Some(n) = next_expected {
            // The counterparty says what it expects: resend from there.
            if n < self.out.store.next_sender_seq() {
                self.serve_resend(now, n, 0, app);
            }
        }
        self.st.sent_reset = false;
        self.st.received_reset = false;
        let seq = raw(msg, Tag::MSG_SEQ_NUM)
            .and_then(|v| parse_uint(v).ok())
            .unwrap_or(0);
        if seq > self.out.store.next_target_seq() && !reset_flag {
            self.do_target_too_high(now, msg, seq);
        } else {
            self.incr_target();
        }
        if self.is_logged_on() {
            self.event(SessionEvent::LoggedOn);
            app.on_logon(&mut Outbox { now, sender: self });
        }
    }

    fn next_sequence_reset<A: Application>(
        &mut self,
        now: UtcNanos,
        msg: &Message<'_>,
        app: &mut A,
    ) {
        let gap_fill = raw(msg, Tag(123)).is_some_and(|v| parse_bool(v) == Ok(true));
        if !self.verify(now, msg, gap_fill, gap_fill, app) {
            return;
        }
        if let Some(new_seq) = raw(msg, Tag(36)).and_then(|v| parse_uint(v).ok()) {
            let expected = self.out.store.next_target_seq();
            if new_seq > MAX_SEQ_NUM {
                // Far past anything a session reaches; accepting it would push our
                // own NextExpectedMsgSeqNum and RefSeqNums out of the SEQNUM range.
                self.generate_reject(
                    now,
                    msg,
                    SessionRejectReason::VALUE_OUT_OF_RANGE,
                    Some(Tag(36)),
                    app,
                );
            } else if new_seq > expected {
                if self.out.store.set_next_target_seq(new_seq).is_err() {
                    self.event(SessionEvent::Disconnect(DisconnectReason::StoreFailed));
                }
            } else if new_seq < expected {
                self.generate_reject(now, msg, SessionRejectReason::VALUE_OUT_OF_RANGE, None, app);
            }
        }
    }

    fn next_logout<A: Application>(&mut self, now: UtcNanos, msg: &Message<'_>, app: &mut A) {
        if !self.verify(now, msg, false, false, app) {
            return;
        }
        if !self.st.sent_logout {
            self.generate_logout(now, None);
        }
        // Only a Logout in sequence advances the expected number: one that
        // arrives after a gap must leave the gap to be asked for on reconnect
        // (QuickFIX C++ advances unconditionally and loses the missing messages;
        // QuickFIX/J fixed the same in QFJ-750).
        let seq = raw(msg, Tag::MSG_SEQ_NUM).and_then(|v| parse_uint(v).ok());
        if seq == Some(self.out.store.next_target_seq()) {
            self.incr_target();
        }
        if self.config.reset_on_logout {
            self.reset_store(now);
        }
        self.disconnect(DisconnectReason::LoggedOut, app);
    }

    fn next_resend_request<A: Application>(
        &mut self,
        now: UtcNanos,
        msg: &Message<'_>,
        app: &mut A,
    ) {
        if !self.verify(now, msg, false, false, app) {
            return;
        }
        let begin = raw(msg, Tag(7))
            .and_then(|v| parse_uint(v).ok())
            .unwrap_or(1);
        let end = raw(msg, Tag(16))
            .and_then(|v| parse_uint(v).ok())
            .unwrap_or(0);
        self.serve_resend(now, begin, end, app);
        let seq = raw(msg, Tag::MSG_SEQ_NUM)
            .and_then(|v| parse_uint(v).ok())
            .unwrap_or(0);
        if seq == self.out.store.next_target_seq() {
            self.incr_target();
        }
    }

    /// Processes queued messages that are now in sequence.
    fn next_queued<A: Application>(&mut self, now: UtcNanos, app: &mut A) {
        while self.st.connected && !self.st.disconnecting {
            let expected = self.out.store.next_target_seq();
            let Some(bytes) = self.queue.remove(&expected) else {
                break;
            };
            let data_tags = self
                .session_dict
                .as_ref()
                .map(|d| d.data_tags().clone())
                .unwrap_or_default();
            let mut index = vec![crate::fix::FieldRef::default(); bytes.len() / 4 + 8];
            let Ok(msg) = Message::from_parts(&bytes, &data_tags, &mut index) else {
                break;
            };
            match msg.msg_type() {
                Some(MsgType::LOGON | MsgType::RESEND_REQUEST) => self.incr_target(),
                _ => self.next_message(now, &msg, app, true),
            }
        }
    }
}
