//! The other operations (raw bytes, clock, sends, logout, reconnect) and the run loop.

use super::*;

impl Harness {
    pub(super) fn raw_op(&mut self, inp: &mut Input<'_>, framed: bool) {
        let n = match inp.byte() {
            255 => usize::from(inp.u16()) % 2048,
            n => usize::from(n),
        };
        let raw = inp.bytes(n).to_vec();
        let bytes = if framed {
            let mut body = b"35=".to_vec();
            body.extend_from_slice(&raw);
            let mut m = format!("8=FIX.4.4\x019={}\x01", body.len()).into_bytes();
            m.extend_from_slice(&body);
            let sum = checksum(&m);
            m.extend_from_slice(format!("10={sum:03}\x01").as_bytes());
            m
        } else {
            raw
        };
        trace!(
            self,
            "-> raw {}",
            String::from_utf8_lossy(&bytes).replace('\x01', "|")
        );
        self.clean = false;
        let chunk = usize::from(inp.byte());
        self.deliver(&bytes, chunk);
        trace!(self, "  {}", self.out.summary());
    }

    pub(super) fn time_op(&mut self, inp: &mut Input<'_>) {
        let (mode, arg) = (inp.byte() % 10, u64::from(inp.byte()));
        let now = self.now().as_nanos();
        let deadline = self.s.poll_timeout().map(UtcNanos::as_nanos);
        let step = match (mode, deadline) {
            (0, _) => 0,
            (1, _) => arg * 10_000_000,
            (2, _) => arg * SEC,
            (3, Some(d)) => d.saturating_sub(now),
            (4, Some(d)) => d.saturating_sub(now).saturating_sub(1),
            (5, Some(d)) => d.saturating_sub(now) + arg * 1_000_000,
            (6, _) => arg * 60 * SEC,
            (7, _) => u64::from(inp.u16()) * 86_400 * SEC / 16,
            (8, _) => inp.u64(),
            _ => SEC,
        };
        let step = self.advance(step);
        let now = self.now();
        trace!(
            self,
            "time +{step} ns = {now} (deadline was {deadline:?}); handle_timeout"
        );
        self.s.handle_timeout(now, &mut self.app);
        let early = deadline.is_some_and(|d| now.as_nanos() < d);
        let transmitted = !self.s.poll_transmit().is_empty();
        self.pump();
        trace!(self, "  {}", self.out.summary());
        if early {
            assert!(
                !transmitted && self.out.events.is_empty(),
                "handle_timeout before poll_timeout's instant acted: {}",
                self.out.summary()
            );
        }
        if self.link == Link::Up {
            if let Some(next) = self.s.poll_timeout() {
                // At the end of time there is no later instant.
                assert!(
                    next > now || now.as_nanos() == u64::MAX,
                    "after handle_timeout at {now}, poll_timeout is {next}: a shell sleeping \
                     until it would spin ({})",
                    self.out.summary()
                );
            }
        }
    }

    pub(super) fn send_op(&mut self, inp: &mut Input<'_>) {
        let t = inp.pick(&APP_TYPES);
        let mt = MsgType::from_bytes(t).expect("MsgType literal");
        let dict = self.dict.clone();
        let def = dict
            .message(mt)
            .expect("application types are in the dictionary");
        let mut gen = Gen {
            dict: &dict,
            rng: Rng::new(inp.byte()),
            now: self.now(),
        };
        let mut extras = Vec::new();
        for _ in 0..inp.byte() % 3 {
            extras.push(usize::from(inp.byte()) % def.layout.members().len());
        }
        let mut body = Vec::new();
        gen.layout(&def.layout, &extras, 0, None, &mut body);
        self.send(mt, &body, true);
    }

    /// `Session::send`; checks numbering and whether it went out.
    pub(super) fn send(&mut self, mt: MsgType, body: &[BodyField], encodable: bool) {
        let before = self.s.seq_nums().0;
        let live = self.s.is_logged_on() && self.link == Link::Up;
        let now = self.now();
        let r = self.s.send(now, mt, |e| {
            for (tag, v, data) in body {
                if *data {
                    e.raw_field(*tag, v);
                } else {
                    e.field(*tag, v);
                }
            }
        });
        trace!(
            self,
            "app send {} {:?}: {:?}",
            String::from_utf8_lossy(mt.as_bytes()),
            body,
            r
        );
        self.pump();
        trace!(self, "  {}", self.out.summary());
        let after = self.s.seq_nums().0;
        match r {
            Ok(seq) => {
                assert!(encodable, "an unencodable message was sent as {seq}");
                assert_eq!((seq, after), (before, before + 1), "send numbering");
                let out: Vec<_> = self.out.sent.iter().filter(|s| !s.poss_dup).collect();
                if live {
                    assert!(
                        out.len() == 1 && out[0].seq == seq && out[0].msg_type == mt.as_bytes(),
                        "a send while logged on transmits it: {}",
                        self.out.summary()
                    );
                } else {
                    assert!(out.is_empty(), "a send while logged off is only stored");
                }
            }
            Err(e) => {
                assert!(!encodable, "send failed: {e}");
                assert_eq!(after, before, "a failed send used a sequence number");
                assert!(self.out.sent.is_empty(), "a failed send transmitted");
            }
        }
    }

    pub(super) fn misc_op(&mut self, inp: &mut Input<'_>) {
        let now = self.now();
        match inp.byte() % 4 {
            0 => {
                trace!(self, "app logout");
                self.s.logout(now, None);
            }
            1 => {
                trace!(self, "app logout with text");
                self.s.logout(now, Some("bye"));
            }
            2 => {
                let body = [(Tag(58), b"a\x01b".to_vec(), false)];
                self.send(MsgType::NEW_ORDER_SINGLE, &body, false);
                return;
            }
            _ => {
                let body = [
                    (Tag(11), b"STALE9".to_vec(), false),
                    (Tag(40), b"1".to_vec(), false),
                    (Tag(54), b"1".to_vec(), false),
                    (Tag(60), render(now).into_bytes(), false),
                ];
                self.send(MsgType::NEW_ORDER_SINGLE, &body, true);
                return;
            }
        }
        self.pump();
        trace!(self, "  {}", self.out.summary());
    }

    pub(super) fn reconnect_op(&mut self, inp: &mut Input<'_>) {
        let r = inp.byte();
        if self.link != Link::Down {
            self.close();
        }
        if r & 4 != 0 {
            self.advance(SEC);
        }
        let now = self.now();
        trace!(self, "reconnect at {now} (logon mode {})", r & 3);
        self.s.handle_connect(now);
        self.link = Link::Up;
        self.clean = true;
        self.pump();
        assert!(
            self.out.sent.is_empty(),
            "an acceptor sent something on connect"
        );
        match r & 3 {
            0 | 1 => self.logon(None),
            2 => {
                let (bytes, spec) = self.build(inp, Build::Logon);
                trace!(
                    self,
                    "-> logon {} | {}",
                    spec,
                    String::from_utf8_lossy(&bytes).replace('\x01', "|")
                );
                self.clean = false;
                let chunk = usize::from(inp.byte());
                self.deliver(&bytes, chunk);
                trace!(self, "  {}", self.out.summary());
            }
            _ => {}
        }
    }

    /// A plain Logon at the expected number; it must log on.
    pub(super) fn logon(&mut self, hb: Option<u64>) {
        let now = self.now();
        let expected = self.s.seq_nums().1;
        let mut e = Encoder::new(&mut self.buf, b"FIX.4.4", MsgType::LOGON);
        e.uint(Tag(34), expected);
        e.field(Tag(49), b"CLIENT");
        e.field(Tag(52), render(now).as_bytes());
        e.field(Tag(56), b"VENUE");
        e.uint(Tag(98), 0);
        e.uint(Tag(108), hb.unwrap_or(30));
        let bytes = e.finish().expect("Logon encodes").to_vec();
        trace!(
            self,
            "-> logon {}",
            String::from_utf8_lossy(&bytes).replace('\x01', "|")
        );
        self.deliver(&bytes, 0);
        trace!(self, "  {}", self.out.summary());
        assert!(
            self.s.is_logged_on() && self.out.events.contains(&SessionEvent::LoggedOn),
            "a plain Logon did not log on: {}",
            self.out.summary()
        );
        assert!(
            self.out.sent.first().is_some_and(|s| s.is(b"A")),
            "Logon answered first"
        );
    }

    pub(super) fn run(&mut self, inp: &mut Input<'_>, hb: u64) {
        let now = self.now();
        self.s.handle_connect(now);
        self.link = Link::Up;
        self.pump();
        self.logon(Some(hb));
        let mut ops = 0;
        while !inp.data.is_empty() && ops < MAX_OPS {
            ops += 1;
            self.out = Outcome::default();
            let (sender_before, resets_before) =
                (self.s.seq_nums().0, self.journal.borrow().resets);
            let counters_before = self.s.counters();
            match inp.byte() % 16 {
                0..=5 => self.message_op(inp, 1, Build::Full),
                6 => {
                    let n = 2 + usize::from(inp.byte() % 3);
                    self.message_op(inp, n, Build::Full);
                }
                7 => self.raw_op(inp, false),
                8 => self.raw_op(inp, true),
                9 | 10 => self.time_op(inp),
                11 | 12 => self.send_op(inp),
                13 => self.misc_op(inp),
                14 => self.reconnect_op(inp),
                _ => {
                    let t = inp.pick(&TYPES);
                    self.message_op(inp, 1, Build::Clean(t));
                }
            }
            if self
                .out
                .events
                .iter()
                .any(|e| matches!(e, SessionEvent::GapDetected { .. }))
            {
                self.clean = false;
            }
            let sender_after = self.s.seq_nums().0;
            assert!(
                sender_after >= sender_before || self.journal.borrow().resets > resets_before,
                "outbound MsgSeqNum went back from {sender_before} to {sender_after} without a reset"
            );
            let c = self.s.counters();
            let pairs = [
                (counters_before.received, c.received),
                (counters_before.garbled, c.garbled),
                (counters_before.rejects_sent, c.rejects_sent),
                (counters_before.resend_requests_sent, c.resend_requests_sent),
                (counters_before.resent, c.resent),
                (counters_before.gap_fills_sent, c.gap_fills_sent),
                (counters_before.queue_overflow, c.queue_overflow),
            ];
            assert!(
                pairs.iter().all(|(a, b)| b >= a),
                "a counter went down: {counters_before:?} -> {c:?}"
            );
        }
    }
}
