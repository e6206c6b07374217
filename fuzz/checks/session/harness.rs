//! The harness: one session, its clock, store and link, and the per-message wire checks.

use super::*;

/// What a message record holds.
#[derive(Clone, Copy)]
pub(super) enum Build {
    /// `[type][seq][k][flags][time][d][a1][a2][vseed][nx][nx × member]
    /// [nm][nm × (kind, idx, arg)][c]`, and `[pos: u16][byte]` when `c >= 224`.
    Full,
    /// The same with MsgType A whatever the type byte says.
    Logon,
    /// Nothing: a clean message of this type (values from seed 0).
    Clean(&'static [u8]),
}

/// Where the transport stands, as the shell sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Link {
    Up,
    /// A Disconnect event was seen and what was pending flushed (lazy close).
    Closing,
    Down,
}

/// A transmitted message, parsed.
#[derive(Debug)]
pub(super) struct Sent {
    pub(super) bytes: Vec<u8>,
    pub(super) msg_type: Vec<u8>,
    pub(super) seq: u64,
    pub(super) poss_dup: bool,
}

impl Sent {
    /// The first value of `tag` (our messages hold no SOH in admin values).
    pub(super) fn get(&self, tag: u32) -> Option<&[u8]> {
        let key = format!("\x01{tag}=");
        let at = self
            .bytes
            .windows(key.len())
            .position(|w| w == key.as_bytes())?
            + key.len();
        let end = self.bytes[at..].iter().position(|&b| b == 1)? + at;
        Some(&self.bytes[at..end])
    }
    pub(super) fn is(&self, t: &[u8]) -> bool {
        self.msg_type == t
    }
}

/// What one operation produced.
#[derive(Default, Debug)]
pub(super) struct Outcome {
    pub(super) sent: Vec<Sent>,
    pub(super) events: Vec<SessionEvent>,
}

impl Outcome {
    pub(super) fn disconnect(&self) -> Option<DisconnectReason> {
        self.events.iter().find_map(|e| match e {
            SessionEvent::Disconnect(r) => Some(*r),
            _ => None,
        })
    }
    pub(super) fn count(&self, t: &[u8]) -> usize {
        self.sent.iter().filter(|s| s.is(t)).count()
    }
    pub(super) fn rejects(&self, reason: &[u8]) -> bool {
        self.sent
            .iter()
            .any(|s| s.is(b"3") && s.get(373) == Some(reason))
    }
    pub(super) fn summary(&self) -> String {
        let sent: Vec<String> = self
            .sent
            .iter()
            .map(|s| {
                format!(
                    "{}#{}{}",
                    String::from_utf8_lossy(&s.msg_type),
                    s.seq,
                    if s.poss_dup { "(dup)" } else { "" }
                )
            })
            .collect();
        format!("sent [{}] events {:?}", sent.join(" "), self.events)
    }
}

pub(super) struct Harness {
    pub(super) s: Session<CheckedStore>,
    pub(super) app: App,
    pub(super) journal: Rc<RefCell<Journal>>,
    pub(super) clock: ManualClock,
    pub(super) dict: Arc<Dictionary>,
    pub(super) validator_options: fixgate_core::fix::ValidationOptions,
    pub(super) link: Link,
    pub(super) lazy_close: bool,
    pub(super) write_half: bool,
    /// Only whole, uncorrupted messages with MsgSeqNum at most the expected one
    /// were delivered since connect (so the oracles know the session's state).
    pub(super) clean: bool,
    pub(super) wire: Vec<u8>,
    /// Store resets seen when the harness last drained the session.
    pub(super) resets_seen: u64,
    /// (reset epoch, MsgSeqNum) of the last transmitted message without PossDup.
    pub(super) last_out: Option<(u64, u64)>,
    pub(super) buf: Vec<u8>,
    pub(super) out: Outcome,
    pub(super) trace: Option<Vec<String>>,
    /// Fail on [`Known`] bugs too.
    pub(super) strict: bool,
}

impl Harness {
    pub(super) fn new(cfg: u8, hb_byte: u8, trace: bool, strict: bool) -> Harness {
        let now = UtcNanos::from_nanos(T0);
        let mut c = SessionConfig::new("FIX.4.4", "VENUE", "CLIENT", Role::Acceptor);
        c.check_latency = true;
        c.max_message_len = MAX_MESSAGE_LEN;
        c.reset_on_logon = cfg & 1 != 0;
        c.reset_on_logout = cfg & 2 != 0;
        c.reset_on_disconnect = cfg & 4 != 0;
        c.persist_messages = cfg & 8 == 0;
        c.enable_next_expected_msg_seq_num = cfg & 16 != 0;
        if cfg & 32 != 0 {
            c.send_redundant_resend_requests = true;
            c.resend_request_chunk_size = 2;
        }
        if cfg & 64 != 0 {
            c.max_queued_messages = 3;
        }
        let journal = Rc::new(RefCell::new(Journal::default()));
        let store = CheckedStore {
            inner: MemoryStore::new(now),
            journal: journal.clone(),
        };
        let dict = dictionary();
        let validator_options = c.validation;
        let mut h = Harness {
            s: Session::new(c, store, Some(dict.clone()), None),
            app: App::default(),
            journal,
            clock: ManualClock::new(now),
            dict,
            validator_options,
            link: Link::Down,
            lazy_close: cfg & 128 != 0,
            write_half: hb_byte & 8 != 0,
            clean: true,
            wire: Vec::new(),
            last_out: None,
            resets_seen: 0,
            buf: vec![0u8; 32 * 1024],
            out: Outcome::default(),
            trace: trace.then(Vec::new),
            strict,
        };
        trace!(h, "config {:?}", h.s.config());
        h
    }

    pub(super) fn now(&self) -> UtcNanos {
        self.clock.utc()
    }

    /// Moves the clock forward (saturating); returns by how much it moved.
    pub(super) fn advance(&mut self, step: u64) -> u64 {
        let now = self.now().as_nanos();
        self.clock.advance_nanos(step);
        self.now().as_nanos() - now
    }

    /// A [`Known`] bug showed: fail when strict, else note it and go on.
    pub(super) fn known(&mut self, k: Known, detail: String) {
        use std::sync::atomic::{AtomicBool, Ordering};
        static ANNOUNCED: AtomicBool = AtomicBool::new(false);
        assert!(!self.strict, "open bug {k:?}: {detail}");
        trace!(self, "  KNOWN BUG {k:?}: {detail}");
        if !ANNOUNCED.swap(true, Ordering::Relaxed) {
            eprintln!("session: known issue stepped over: {k:?}: {detail}");
        }
    }

    /// Drains `poll_transmit` and `poll_event` after a session call, checking
    /// every transmitted message and honouring Disconnect.
    pub(super) fn pump(&mut self) {
        let before = self.out.sent.len();
        loop {
            let p = self.s.poll_transmit();
            if p.is_empty() {
                break;
            }
            assert!(
                self.link == Link::Up,
                "{} bytes transmitted while the link is {:?}: {}",
                p.len(),
                self.link,
                String::from_utf8_lossy(p)
            );
            let n = if self.write_half && p.len() > 1 {
                p.len() / 2
            } else {
                p.len()
            };
            self.wire.extend_from_slice(&p[..n]);
            self.s.transmitted(n);
        }
        self.check_wire();
        let mut disconnect = false;
        while let Some(e) = self.s.poll_event() {
            assert!(self.link != Link::Down, "event {e:?} while disconnected");
            disconnect |= matches!(e, SessionEvent::Disconnect(_));
            self.out.events.push(e);
        }
        for s in &self.out.sent[before..] {
            trace!(
                self,
                "  <- {}",
                String::from_utf8_lossy(&s.bytes).replace('\x01', "|")
            );
        }
        if disconnect && self.link == Link::Up {
            // Everything pending was flushed above; now close (or half-close).
            if self.lazy_close {
                self.link = Link::Closing;
                trace!(self, "  link half-closed");
            } else {
                self.close();
            }
        }
        if self.link == Link::Down {
            assert!(
                !self.s.is_connected(),
                "disconnected, but the session says connected"
            );
            assert_eq!(self.s.poll_timeout(), None, "a timer while disconnected");
        }
    }

    pub(super) fn close(&mut self) {
        let now = self.now();
        self.s.handle_disconnect(now, &mut self.app);
        self.link = Link::Down;
        trace!(self, "  link closed");
        assert!(
            self.s.poll_transmit().is_empty(),
            "transmission from handle_disconnect"
        );
        assert!(
            self.s.poll_event().is_none(),
            "event from handle_disconnect"
        );
        assert!(!self.s.is_logged_on(), "logged on after handle_disconnect");
    }

    /// Checks and consumes the complete messages in `wire`; nothing may be left.
    pub(super) fn check_wire(&mut self) {
        let wire = std::mem::take(&mut self.wire);
        let mut rest = &wire[..];
        while !rest.is_empty() {
            let len = match check_frame(rest, MAX_MESSAGE_LEN + 64) {
                FrameStatus::Complete(l) => l.len,
                other => panic!(
                    "transmitted bytes do not frame ({other:?}): {}",
                    String::from_utf8_lossy(rest)
                ),
            };
            let (msg, tail) = rest.split_at(len);
            rest = tail;
            let sent = self.check_message(msg);
            self.out.sent.push(sent);
        }
        let mut j = self.journal.borrow_mut();
        j.high = self.s.seq_nums().0;
        self.resets_seen = j.resets;
    }

    pub(super) fn check_message(&mut self, bytes: &[u8]) -> Sent {
        let text = || String::from_utf8_lossy(bytes).replace('\x01', "|");
        let mut refs = vec![FieldRef::default(); bytes.len() / 4 + 8];
        let msg = Message::from_parts(bytes, self.dict.data_tags(), &mut refs)
            .unwrap_or_else(|e| panic!("transmitted message does not index ({e:?}): {}", text()));
        if let Err(e) = Validator::new(&self.dict)
            .with_options(self.validator_options)
            .validate(&msg)
        {
            let detail = format!("transmitted message does not validate ({e:?}): {}", text());
            let past_int_max = msg.msg_type() == Some(MsgType::REJECT)
                && matches!(
                    e,
                    ValidationError::Reject {
                        ref_tag: Some(Tag(45)),
                        ..
                    }
                )
                && msg.uint(Tag(45)).is_ok_and(|n| n > i64::MAX as u64);
            if past_int_max {
                self.known(Known::RejectRefSeqNumPastIntMax, detail);
            } else {
                panic!("{detail}");
            }
        }
        assert_eq!(msg.begin_string(), Some(&b"FIX.4.4"[..]), "{}", text());
        assert_eq!(msg.raw(Tag(49)), Ok(&b"VENUE"[..]), "{}", text());
        assert_eq!(msg.raw(Tag(56)), Ok(&b"CLIENT"[..]), "{}", text());
        let msg_type = msg
            .msg_type()
            .map(|t| t.as_bytes().to_vec())
            .unwrap_or_default();
        let seq = msg
            .seq_num()
            .unwrap_or_else(|e| panic!("MsgSeqNum ({e:?}): {}", text()));
        let poss_dup = msg.raw(Tag(43)) == Ok(b"Y");
        // A reset later in the same call may have lowered the store's number.
        let (next_sender, reset) = {
            let j = self.journal.borrow();
            (
                j.high.max(self.s.seq_nums().0),
                j.resets != self.resets_seen,
            )
        };
        if poss_dup {
            assert!(
                msg.raw(Tag(122)).is_ok(),
                "PossDup without OrigSendingTime: {}",
                text()
            );
            if msg_type == b"4" {
                assert_eq!(
                    msg.raw(Tag(123)),
                    Ok(&b"Y"[..]),
                    "PossDup SequenceReset: {}",
                    text()
                );
                let new_seq = msg.uint(Tag(36)).unwrap_or(0);
                assert!(
                    new_seq <= next_sender,
                    "gap fill to {new_seq} beyond the next outbound number {next_sender}: {}",
                    text()
                );
            } else {
                assert!(seq < next_sender, "resent {seq}, not sent yet: {}", text());
                if !reset {
                    let mut stored = None;
                    let _ = self
                        .s
                        .store()
                        .for_each(seq, seq, &mut |_, m| stored = Some(m.to_vec()));
                    let stored =
                        stored.unwrap_or_else(|| panic!("resent {seq}, not stored: {}", text()));
                    let sep = |b: &[u8]| b.windows(4).position(|w| w == b"\x0135=").map(|i| i + 4);
                    let stype = sep(&stored)
                        .map(|i| &stored[i..])
                        .and_then(|r| r.split(|&b| b == 1).next());
                    assert_eq!(
                        stype,
                        Some(&msg_type[..]),
                        "resent as another MsgType: {}",
                        text()
                    );
                }
                let admin = MsgType::from_bytes(&msg_type).is_none_or(|t| t.is_admin());
                assert!(
                    !admin,
                    "an admin message resent instead of gap-filled: {}",
                    text()
                );
            }
        } else {
            let mut j = self.journal.borrow_mut();
            let epoch = loop {
                let Some((epoch, s, saved)) = j.saved.pop_front() else {
                    panic!(
                        "transmitted a message that was not saved first, or out of save order: {}",
                        text()
                    );
                };
                if saved == bytes {
                    assert_eq!(s, seq);
                    break epoch;
                }
            };
            drop(j);
            if let Some(last) = self.last_out {
                assert!(
                    (epoch, seq) > last,
                    "MsgSeqNum {seq} (reset epoch {epoch}) after {last:?} without PossDup: {}",
                    text()
                );
            }
            self.last_out = Some((epoch, seq));
        }
        Sent {
            bytes: bytes.to_vec(),
            msg_type,
            seq,
            poss_dup,
        }
    }

    /// Feeds bytes to the session in chunks of `chunk` (0: all at once).
    pub(super) fn deliver(&mut self, bytes: &[u8], chunk: usize) {
        let chunk = if chunk == 0 {
            bytes.len().max(1)
        } else {
            chunk
        };
        for c in bytes.chunks(chunk) {
            if self.link == Link::Down {
                trace!(self, "  (link down: {} bytes dropped)", c.len());
                return;
            }
            let now = self.now();
            self.s.handle_input(now, c, &mut self.app);
            self.pump();
        }
    }

    // ------------------------------------------------------ message building
}
