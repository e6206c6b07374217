//! Replays the committed corpus of the `session` fuzz target on stable Rust.
//!
//! The same check function the target runs (`fuzz/checks/session/`, included
//! by path) goes over every file of `fuzz/corpus/session/` (which must not be
//! empty) and of `fuzz/regressions/session/` (inputs that once failed; may be
//! absent). The regressions also run strictly, failing on any engine bug that
//! `check` would step over (`session::Known`; every one found so far is fixed).
//! A failure names every input that panicked. See
//! `fuzz/README.md`.
//!
//! `FIXGATE_SESSION_TRACE=<file> cargo test --test fuzz_corpus_session -- --ignored
//! --nocapture trace` prints what an input does, operation by operation.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

#[path = "../fuzz/checks/session/mod.rs"]
mod session;

/// `fuzz/<kind>/session` under the root package.
fn dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join("session")
}

/// The files of `dir`, sorted by name; none when it does not exist.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("read a corpus entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs the checks over every file of `fuzz/<kind>/session`; returns how many.
///
/// # Panics
/// Naming every input whose check panicked.
fn replay(kind: &str, check: fn(&[u8])) -> usize {
    let files = inputs(&dir(kind));
    let mut failed = Vec::new();
    for path in &files {
        let data = std::fs::read(path).expect("read a corpus file");
        if catch_unwind(AssertUnwindSafe(|| check(&data))).is_err() {
            failed.push(path.display().to_string());
        }
    }
    println!("session: ran {} {kind} inputs", files.len());
    assert!(
        failed.is_empty(),
        "session: {} of {} {kind} inputs fail:\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
    files.len()
}

#[test]
fn session_corpus() {
    let n = replay("corpus", session::check);
    assert!(n > 0, "session: fuzz/corpus/session/ is empty or missing");
}

/// The regressions as the fuzz target runs them: open bugs stepped over.
#[test]
fn session_regressions() {
    replay("regressions", session::check);
}

/// The regressions run strictly: bugs the checks step over ([`session::Known`])
/// fail here until fixed.
#[test]
fn session_regressions_strict() {
    replay("regressions", session::check_strict);
}

/// Prints the trace of the input named by `FIXGATE_SESSION_TRACE`.
#[test]
#[ignore = "a tool: set FIXGATE_SESSION_TRACE to an input file"]
fn trace() {
    let Ok(path) = std::env::var("FIXGATE_SESSION_TRACE") else {
        return;
    };
    let data = std::fs::read(&path).expect("read the input");
    let strict = std::env::var_os("FIXGATE_SESSION_STRICT").is_some();
    println!("{}", session::describe(&data, strict));
}

/// Writes the `seed-*` files of `fuzz/corpus/session/` (replacing old ones):
/// `cargo test --test fuzz_corpus_session -- --ignored write_seeds`.
#[test]
#[ignore = "a tool: rewrites the seed files of fuzz/corpus/session/"]
fn write_seeds() {
    let dir = dir("corpus");
    std::fs::create_dir_all(&dir).expect("create the corpus folder");
    for entry in std::fs::read_dir(&dir).expect("list the corpus") {
        let path = entry.expect("corpus entry").path();
        let seed = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("seed-"));
        if seed {
            std::fs::remove_file(&path).expect("remove an old seed");
        }
    }
    let all = seeds::all();
    for (name, bytes) in &all {
        std::fs::write(dir.join(format!("seed-{name}")), bytes).expect("write a seed");
    }
    println!("wrote {} seeds", all.len());
}

/// The seed programs, written with a builder for the input format documented in
/// `fuzz/checks/session/`.
mod seeds {
    use super::session::{APP_TYPES, TYPES};

    const MSG: u8 = 0;
    const BATCH: u8 = 6;
    const RAW: u8 = 7;
    const FRAMED: u8 = 8;
    const TIME: u8 = 9;
    const SEND: u8 = 11;
    const MISC: u8 = 13;
    const RECONNECT: u8 = 14;
    const CLEAN: u8 = 15;

    fn ty(t: &str) -> u8 {
        TYPES
            .iter()
            .position(|x| *x == t.as_bytes())
            .expect("a known MsgType") as u8
    }

    /// A message record.
    #[derive(Clone, Default)]
    pub struct M {
        ty: u8,
        seq: u8,
        k: u8,
        flags: u8,
        time: u8,
        d: u8,
        a1: u8,
        a2: u8,
        vseed: u8,
        extras: Vec<u8>,
        muts: Vec<(u8, u8, u8)>,
        corrupt: Option<(u16, u8)>,
    }

    pub fn m(t: &str) -> M {
        M {
            ty: ty(t),
            ..M::default()
        }
    }

    impl M {
        /// MsgSeqNum: 9 above, 11 below (by `1 + k % 8`), 13 absolute, 14 missing, 15 garbage.
        fn seq(mut self, mode: u8, k: u8) -> M {
            self.seq = mode;
            self.k = k;
            self
        }
        fn flags(mut self, f: u8) -> M {
            self.flags = f;
            self
        }
        /// SendingTime: 8/9 near (-/+ d × 100 ms), 10/11 far, 12 missing, 13–15 literals.
        fn time(mut self, mode: u8, d: u8) -> M {
            self.time = mode;
            self.d = d;
            self
        }
        fn args(mut self, a1: u8, a2: u8) -> M {
            self.a1 = a1;
            self.a2 = a2;
            self
        }
        fn vseed(mut self, v: u8) -> M {
            self.vseed = v;
            self
        }
        fn extras(mut self, x: &[u8]) -> M {
            self.extras = x.to_vec();
            self
        }
        fn mutate(mut self, kind: u8, idx: u8, arg: u8) -> M {
            self.muts.push((kind, idx, arg));
            self
        }
        fn corrupt(mut self, at: u16, b: u8) -> M {
            self.corrupt = Some((at, b));
            self
        }
        fn record(&self) -> Vec<u8> {
            let mut v = vec![
                self.ty, self.seq, self.k, self.flags, self.time, self.d, self.a1, self.a2,
                self.vseed,
            ];
            v.push(self.extras.len() as u8);
            v.extend_from_slice(&self.extras);
            v.push(self.muts.len() as u8);
            for &(k, i, a) in &self.muts {
                v.extend_from_slice(&[k, i, a]);
            }
            match self.corrupt {
                Some((at, b)) => {
                    v.push(224);
                    v.extend_from_slice(&at.to_le_bytes());
                    v.push(b);
                }
                None => v.push(0),
            }
            v
        }
    }

    /// A program.
    pub struct P(Vec<u8>);

    /// `cfg` and `hb` header bytes (see the checks' module doc).
    pub fn p(cfg: u8, hb: u8) -> P {
        P(vec![cfg, hb])
    }

    impl P {
        fn msg(self, m: M) -> P {
            self.msg_chunked(m, 0)
        }
        fn msg_chunked(mut self, m: M, chunk: u8) -> P {
            self.0.push(MSG);
            self.0.extend(m.record());
            self.0.push(chunk);
            self
        }
        fn batch(mut self, ms: &[M], chunk: u8) -> P {
            self.0.extend_from_slice(&[BATCH, (ms.len() - 2) as u8]);
            for m in ms {
                self.0.extend(m.record());
            }
            self.0.push(chunk);
            self
        }
        fn clean(mut self, t: &str) -> P {
            self.0.extend_from_slice(&[CLEAN, ty(t)]);
            self
        }
        fn raw(mut self, bytes: &[u8], framed: bool, chunk: u8) -> P {
            self.0.push(if framed { FRAMED } else { RAW });
            if bytes.len() < 255 {
                self.0.push(bytes.len() as u8);
            } else {
                self.0.push(255);
                self.0
                    .extend_from_slice(&(bytes.len() as u16).to_le_bytes());
            }
            self.0.extend_from_slice(bytes);
            self.0.push(chunk);
            self
        }
        /// Clock: 0 none, 1 arg × 10 ms, 2 arg s, 3 to the deadline, 4 just
        /// before it, 5 arg ms past it, 6 arg min, 7 u16 × 1.5 h, 8 any u64.
        fn time(mut self, mode: u8, arg: u8) -> P {
            self.0.extend_from_slice(&[TIME, mode, arg]);
            if mode == 7 {
                self.0.extend_from_slice(&[0x10, 0]);
            }
            if mode == 8 {
                self.0.extend_from_slice(&u64::MAX.to_le_bytes());
            }
            self
        }
        fn send(mut self, t: &str, vseed: u8, extras: &[u8]) -> P {
            let i = APP_TYPES
                .iter()
                .position(|x| *x == t.as_bytes())
                .expect("app type");
            self.0
                .extend_from_slice(&[SEND, i as u8, vseed, extras.len() as u8]);
            self.0.extend_from_slice(extras);
            self
        }
        /// 0 logout, 1 logout with text, 2 unencodable send, 3 a STALE order.
        fn misc(mut self, m: u8) -> P {
            self.0.extend_from_slice(&[MISC, m]);
            self
        }
        /// Logon mode 0 plain, 2 the given record, 3 none; `+4`: a second passes first.
        fn reconnect(mut self, r: u8, logon: Option<M>) -> P {
            self.0.extend_from_slice(&[RECONNECT, r]);
            if let Some(m) = logon {
                self.0.extend(m.record());
                self.0.push(0);
            }
            self
        }
        fn done(self) -> Vec<u8> {
            self.0
        }
    }

    fn order(v: u8) -> M {
        m("D").vseed(v)
    }

    pub fn all() -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(&str, Vec<u8>)> = Vec::new();
        out.push(("logon-only", p(0, 0).done()));
        let mut every = p(0, 0);
        for t in [
            "0", "1", "2", "3", "4", "D", "8", "j", "W", "X", "F", "ZZ", "U1", "5",
        ] {
            every = every.clean(t);
        }
        out.push(("clean-every-type", every.done()));
        out.push((
            "heartbeats-and-test-requests",
            p(0, 1)
                .time(3, 0)
                .time(3, 0)
                .clean("0")
                .time(3, 0)
                .time(3, 0)
                .time(3, 0)
                .time(3, 0)
                .done(),
        ));
        out.push((
            "timer-before-and-after-deadline",
            p(0, 2)
                .time(4, 0)
                .time(5, 10)
                .time(4, 0)
                .time(3, 0)
                .time(2, 3)
                .done(),
        ));
        out.push(("heartbeat-timeout", p(0, 1).time(2, 13).time(3, 0).done()));
        out.push((
            "no-heartbeats",
            p(0, 3).time(6, 200).clean("1").time(7, 0).done(),
        ));
        out.push((
            "test-request-ids",
            p(0, 0)
                .msg(m("1").args(1, 0))
                .msg(m("1").args(4, 5).vseed(7))
                .msg(m("1").args(5, 0))
                .done(),
        ));
        out.push((
            "gap-then-fill",
            p(0, 0)
                .msg(order(1).seq(9, 2))
                .msg(order(2).seq(9, 3))
                .clean("D")
                .clean("0")
                .clean("0")
                .done(),
        ));
        out.push((
            "gap-then-sequence-reset",
            p(0, 0)
                .msg(order(1).seq(9, 4))
                .msg(m("4").args(0, 2).flags(1 | 2))
                .clean("0")
                .done(),
        ));
        out.push((
            "sequence-reset-modes",
            p(0, 0)
                .msg(m("4").args(2, 0))
                .msg(m("4").args(3, 3))
                .msg(m("4").args(0, 4))
                .msg(m("4").args(0, 6))
                .msg(m("4").args(1, 7).seq(11, 0))
                .msg(m("4").args(0, 5))
                .clean("0")
                .done(),
        ));
        out.push((
            "too-low-disconnects",
            p(0, 0).clean("0").msg(m("0").seq(11, 0)).done(),
        ));
        out.push((
            "too-low-poss-dup",
            p(0, 0)
                .clean("0")
                .clean("0")
                .msg(order(3).seq(11, 1).flags(1 | 2))
                .msg(order(3).seq(11, 1).flags(1))
                .msg(order(3).seq(11, 1).flags(1 | 2 | 4))
                .done(),
        ));
        out.push((
            "resend-request-after-sends",
            p(0, 0)
                .send("D", 1, &[])
                .send("8", 2, &[])
                .clean("1")
                .send("j", 3, &[])
                .misc(3)
                .send("D", 4, &[3])
                .msg(m("2").args(0, 0))
                .msg(m("2").args(1, 2))
                .msg(m("2").args(4, 0))
                .msg(m("2").args(2, 3))
                .msg(m("2").args(6, 5))
                .done(),
        ));
        out.push((
            "resend-without-persistence",
            p(8, 0)
                .send("D", 1, &[])
                .send("W", 2, &[])
                .msg(m("2").args(0, 0))
                .done(),
        ));
        out.push((
            "far-sending-time-then-logout",
            p(0, 0)
                .msg(order(1).time(10, 5))
                .msg(m("5"))
                .reconnect(0, None)
                .msg(m("0").time(11, 9))
                .time(3, 0)
                .done(),
        ));
        out.push((
            "near-sending-times",
            p(0, 0)
                .msg(m("0").time(8, 200))
                .msg(m("0").time(9, 200))
                .msg(m("0").time(12, 0))
                .msg(m("0").time(13, 0))
                .msg(m("0").time(14, 0))
                .msg(m("0").time(15, 0))
                .done(),
        ));
        out.push((
            "comp-ids",
            p(0, 0)
                .msg(m("0").flags(0x40))
                .msg(m("0").flags(0x50))
                .msg(m("0").flags(0x60))
                .msg(m("0").flags(0x70))
                .done(),
        ));
        out.push((
            "seq-garbage",
            p(0, 0)
                .msg(m("0").seq(13, 1))
                .msg(m("0").seq(13, 2))
                .msg(m("0").seq(14, 0))
                .msg(m("0").seq(15, 0))
                .msg(m("0").seq(15, 4))
                .done(),
        ));
        let mut muts = p(0, 0);
        for kind in 0..8u8 {
            muts = muts.msg(order(kind).mutate(kind, kind * 3, kind));
        }
        out.push(("body-mutations", muts.done()));
        out.push((
            "groups",
            p(0, 0)
                .msg(m("W").extras(&[5, 9, 30]).vseed(3))
                .msg(m("X").vseed(4))
                .msg(m("W").mutate(5, 0, 0).vseed(5))
                .msg(m("W").mutate(5, 0, 1).vseed(6))
                .msg(m("8").extras(&[14, 40, 90]).vseed(7))
                .send("W", 8, &[20])
                .send("X", 9, &[])
                .done(),
        ));
        out.push((
            "corruption",
            p(0, 0)
                .msg(order(1).corrupt(12, b'7'))
                .msg(order(2).corrupt(40, 1))
                .msg(order(3).corrupt(0xffff, b'x'))
                .clean("0")
                .done(),
        ));
        out.push((
            "raw-bytes",
            p(0, 0)
                .raw(
                    b"garbage\x018=FIX.4.4\x019=5\x0135=0\x0110=000\x01",
                    false,
                    3,
                )
                .raw(
                    b"0\x0134=2\x0149=CLIENT\x0152=20260316-14:30:00.000\x0156=VENUE\x01",
                    true,
                    0,
                )
                .raw(
                    b"D\x0134=3\x0149=CLIENT\x0152=20260316-14:30:00.000\x0156=VENUE\x0111=A\x01",
                    true,
                    7,
                )
                .raw(b"A\x0134=1\x01", true, 0)
                .done(),
        ));
        out.push((
            "garbled-logon",
            p(0, 0)
                .raw(b"8=FIX.4.4\x019=999\x0135=A\x0134=9\x01", false, 0)
                .time(2, 1)
                .done(),
        ));
        out.push((
            "chunked",
            p(0, 0)
                .msg_chunked(order(1), 1)
                .msg_chunked(m("1"), 7)
                .msg_chunked(m("W").vseed(2), 33)
                .done(),
        ));
        out.push((
            "batch-with-logout",
            p(0, 0)
                .batch(
                    &[m("0"), m("1").seq(9, 0), m("5").seq(9, 1), m("0").seq(9, 2)],
                    0,
                )
                .batch(&[m("0"), m("0")], 5)
                .done(),
        ));
        out.push((
            "batch-lazy-close",
            p(128, 0)
                .batch(&[m("0").seq(11, 0), m("0"), m("1")], 9)
                .time(3, 0)
                .send("D", 1, &[])
                .misc(0)
                .reconnect(0, None)
                .done(),
        ));
        out.push((
            "send-while-logged-off-then-resend",
            p(0, 0)
                .send("D", 1, &[])
                .reconnect(3, None)
                .send("D", 2, &[])
                .misc(3)
                .time(2, 11)
                .reconnect(0, None)
                .msg(m("2").args(0, 0))
                .done(),
        ));
        out.push((
            "reconnect-modes",
            p(0, 0)
                .reconnect(4, None)
                .reconnect(2, Some(m("A").args(8, 0)))
                .clean("0")
                .reconnect(2, Some(m("A").args(0x80, 0)))
                .reconnect(2, Some(m("A").seq(9, 3)))
                .clean("0")
                .reconnect(2, Some(m("A").mutate(0, 0, 0)))
                .reconnect(3, None)
                .time(2, 11)
                .done(),
        ));
        out.push((
            "logon-while-logged-on",
            p(0, 0)
                .clean("A")
                .reconnect(0, None)
                .msg(m("A").args(1, 0))
                .done(),
        ));
        out.push((
            "app-logout",
            p(0, 0)
                .misc(0)
                .clean("0")
                .clean("5")
                .reconnect(0, None)
                .misc(1)
                .time(2, 3)
                .reconnect(0, None)
                .misc(2)
                .done(),
        ));
        out.push((
            "reset-on-logon",
            p(1, 0)
                .send("D", 1, &[])
                .clean("0")
                .reconnect(0, None)
                .clean("0")
                .reconnect(2, Some(m("A").args(8, 0)))
                .done(),
        ));
        out.push((
            "reset-on-logout-and-disconnect",
            p(2 | 4, 0)
                .send("D", 1, &[])
                .clean("5")
                .reconnect(0, None)
                .send("8", 1, &[])
                .reconnect(0, None)
                .done(),
        ));
        out.push((
            "next-expected-msg-seq-num",
            p(16, 0)
                .send("D", 1, &[])
                .send("D", 2, &[])
                .reconnect(2, Some(m("A").args(16 | 32, 0)))
                .reconnect(2, Some(m("A").args(16 | 96, 0)))
                .reconnect(2, Some(m("A").args(16, 0)))
                .done(),
        ));
        out.push((
            "redundant-chunked-resend-requests",
            p(32, 0)
                .msg(order(1).seq(9, 5))
                .msg(order(2).seq(9, 6))
                .clean("0")
                .msg(m("4").args(0, 7))
                .done(),
        ));
        out.push((
            "small-queue",
            p(64, 0)
                .msg(m("0").seq(9, 1))
                .msg(m("0").seq(9, 2))
                .msg(m("0").seq(9, 3))
                .msg(m("0").seq(9, 4))
                .msg(m("0").seq(9, 5))
                .clean("0")
                .done(),
        ));
        out.push((
            "logon-timeout",
            p(0, 0)
                .reconnect(3, None)
                .time(2, 5)
                .time(3, 0)
                .time(2, 1)
                .done(),
        ));
        out.push((
            "logout-timeout",
            p(0, 0).misc(0).time(3, 0).time(2, 1).time(3, 0).done(),
        ));
        out.push((
            "clock-jumps",
            p(0, 4).time(7, 0).clean("0").time(6, 255).done(),
        ));
        out.push((
            "poss-resend-and-orig-time",
            p(0, 0)
                .msg(order(1).flags(8))
                .msg(order(2).flags(2))
                .msg(order(3).flags(1 | 2 | 8))
                .done(),
        ));
        out.push((
            "half-writes",
            p(0, 8).send("D", 1, &[]).clean("1").time(3, 0).done(),
        ));
        out.into_iter().map(|(n, b)| (n.to_string(), b)).collect()
    }
}
