//! Message records of the input built into wire bytes and delivered.

use super::*;

impl Harness {
    /// Reads a message record (see [`Build`]) and encodes it into `self.buf`;
    /// returns its bytes (empty when it cannot be encoded) and its [`Spec`].
    pub(super) fn build(&mut self, inp: &mut Input<'_>, kind: Build) -> (Vec<u8>, Spec) {
        let now = self.now();
        let (next_out, expected_in) = self.s.seq_nums();
        let full = !matches!(kind, Build::Clean(_));
        let msg_type = match kind {
            Build::Clean(t) => t,
            Build::Logon => {
                inp.byte();
                b"A"
            }
            Build::Full => inp.pick(&TYPES),
        };
        let mut r = [0u8; 8];
        if full {
            r.iter_mut().for_each(|b| *b = inp.byte());
        }
        let [seq, k, flags, time, d, a1, a2, vseed] = r;
        let k = u64::from(k);
        let spec_seq = match seq % 16 {
            0..=8 => Seq::Expected,
            9 | 10 => Seq::Above(1 + k % 8),
            11 | 12 => Seq::Below(1 + k % 8),
            13 => Seq::Absolute([0, i64::MAX as u64, u64::MAX, 1_000_000][(k % 4) as usize]),
            14 => Seq::Missing,
            _ => Seq::Garbage(["1a", "-1", "", "+2", "99999999999999999999"][(k % 5) as usize]),
        };
        let d = i64::from(d);
        let mut spec = Spec {
            msg_type,
            seq: spec_seq,
            seq_num: match spec_seq {
                Seq::Expected => Some(expected_in),
                Seq::Above(k) => Some(expected_in + k),
                Seq::Below(k) => Some(expected_in.saturating_sub(k)),
                Seq::Absolute(n) => Some(n),
                Seq::Missing | Seq::Garbage(_) => None,
            },
            poss_dup: flags & 1 != 0,
            orig_time: flags & 2 != 0,
            poss_resend: flags & 8 != 0,
            ids: match (flags >> 4) & 7 {
                0..=3 => Ids::Right,
                4 => Ids::WrongSender,
                5 => Ids::WrongTarget,
                6 => Ids::NoSender,
                _ => Ids::NoTarget,
            },
            time: match time % 16 {
                0..=7 => Time::Now,
                8 => Time::Near(-100 * d),
                9 => Time::Near(100 * d),
                10 => Time::Far(-121_000 - 1000 * d),
                11 => Time::Far(121_000 + 1000 * d),
                12 => Time::Missing,
                13 => Time::Literal("20261316-25:00:00"),
                14 => Time::Literal("19000101-00:00:00"),
                _ => Time::Literal("20260316-14:30:00.000000"),
            },
            extras: 0,
            mutations: Vec::new(),
            corrupt: None,
            body: Vec::new(),
        };
        let ms = |d: i64| {
            let (n, d_ns) = (now.as_nanos(), d.unsigned_abs() * 1_000_000);
            UtcNanos::from_nanos(if d < 0 {
                n.saturating_sub(d_ns)
            } else {
                n.saturating_add(d_ns)
            })
        };
        if let Time::Far(d) = spec.time {
            if d > 0
                && now
                    .as_nanos()
                    .checked_add(d.unsigned_abs() * 1_000_000)
                    .is_none()
            {
                // It saturates at the end of UtcNanos: not far from now at all.
                spec.time = Time::Literal("far future, saturated");
            }
        }
        let sending = match spec.time {
            Time::Now => Some(render(now)),
            Time::Near(d) | Time::Far(d) => Some(render(ms(d))),
            Time::Missing => None,
            Time::Literal("far future, saturated") => Some(render(UtcNanos::from_nanos(u64::MAX))),
            Time::Literal(s) => Some(s.to_string()),
        };
        // Body: the dictionary's required members plus fuzz-chosen extras.
        let mut body: Vec<BodyField> = Vec::new();
        let mt = MsgType::from_bytes(msg_type).expect("MsgType literal");
        let dict = self.dict.clone();
        let mut gen = Gen {
            dict: &dict,
            rng: Rng::new(vseed),
            now,
        };
        let mut extras = Vec::new();
        if full {
            for _ in 0..inp.byte() % 4 {
                extras.push(usize::from(inp.byte()));
            }
        }
        spec.extras = extras.len();
        if let Some(def) = dict.message(mt) {
            let n = def.layout.members().len().max(1);
            extras.iter_mut().for_each(|x| *x %= n);
            gen.layout(&def.layout, &extras, 0, None, &mut body);
        } else {
            body.push((Tag(58), b"unknown".to_vec(), false));
        }
        if let Some(bad) = type_specific(
            msg_type,
            &mut body,
            &mut gen.rng,
            a1,
            a2,
            expected_in,
            next_out,
        ) {
            spec.mutations.push(bad);
        }
        if full {
            for _ in 0..inp.byte() % 4 {
                let (kind, idx, arg) = (inp.byte(), inp.byte(), inp.byte());
                spec.mutations
                    .push(mutate(&mut body, kind, idx, arg, &dict));
            }
        }
        spec.body = body.iter().map(|(t, v, _)| (*t, v.clone())).collect();
        // Encode: header in tag order, then the body.
        let mut e = Encoder::new(&mut self.buf, b"FIX.4.4", mt);
        match spec.seq {
            Seq::Missing => {}
            Seq::Garbage(g) => e.field(Tag(34), g.as_bytes()),
            _ => e.uint(Tag(34), spec.seq_num.unwrap_or(0)),
        }
        if spec.poss_dup {
            e.field(Tag(43), b"Y");
        }
        match spec.ids {
            Ids::NoSender => {}
            Ids::WrongSender => e.field(Tag(49), b"EVIL"),
            _ => e.field(Tag(49), b"CLIENT"),
        }
        if let Some(t) = &sending {
            e.field(Tag(52), t.as_bytes());
        }
        match spec.ids {
            Ids::NoTarget => {}
            Ids::WrongTarget => e.field(Tag(56), b"OTHER"),
            _ => e.field(Tag(56), b"VENUE"),
        }
        if spec.poss_resend {
            e.field(Tag(97), b"Y");
        }
        if spec.orig_time {
            let t = if flags & 4 != 0 {
                ms(5_000)
            } else {
                ms(-1_000)
            };
            e.field(Tag(122), render(t).as_bytes());
        }
        for (tag, v, data) in &body {
            if *data {
                e.raw_field(*tag, v);
            } else {
                e.field(*tag, v);
            }
        }
        let mut bytes = e.finish().map(<[u8]>::to_vec).unwrap_or_default();
        if full && inp.byte() >= 224 {
            let (at, b) = (usize::from(inp.u16()), inp.byte());
            if !bytes.is_empty() {
                let at = at % bytes.len();
                bytes[at] = b;
                spec.corrupt = Some((at, b));
            }
        }
        (bytes, spec)
    }

    // -------------------------------------------------------------- ops

    pub(super) fn message_op(&mut self, inp: &mut Input<'_>, count: usize, kind: Build) {
        let before = self.s.seq_nums();
        let logged_on = self.s.is_logged_on() && self.link == Link::Up;
        let was_clean = self.clean;
        let mut all = Vec::new();
        let mut specs = Vec::new();
        for _ in 0..count {
            let (bytes, spec) = self.build(inp, kind);
            trace!(
                self,
                "-> {} | {}",
                spec,
                String::from_utf8_lossy(&bytes).replace('\x01', "|")
            );
            // Later messages of a batch see the state before it: not clean.
            let too_high = spec.seq_num.is_none_or(|n| n > before.1);
            if !spec.well_formed() || too_high || count > 1 || bytes.is_empty() {
                self.clean = false;
            }
            all.extend_from_slice(&bytes);
            specs.push(spec);
        }
        let chunk = if matches!(kind, Build::Clean(_)) {
            0
        } else {
            usize::from(inp.byte())
        };
        self.deliver(&all, chunk);
        trace!(self, "  {}", self.out.summary());
        if count == 1 && was_clean && logged_on && !all.is_empty() {
            self.oracle(&specs[0], before);
        }
    }
}
