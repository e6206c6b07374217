//! Checks for the `feed_arbiter` fuzz target: one sans-IO
//! [`Arbiter`] (A/B arbitration and sequencing) driven by a fuzz-chosen
//! sequence of packet copies, timer calls and kernel drop reports, with a
//! model of what its output must look like.
//!
//! # Input
//!
//! A program read byte by byte (zeros once the input runs out). Four header
//! bytes pick the configuration: `reorder_window = 1 + b0 % 16`,
//! `max_wait_ns = 1 + b1 * 50`, `dup_horizon = 64 << (b2 % 4)` (bit 7 of b2:
//! `LatePolicy::Surface`), `max_packet_len = 8 + b3 % 56`. Then up to
//! [`MAX_OPS`] operations, each an op byte (`% 8`) and its arguments:
//!
//! | op | record | what |
//! |---|---|---|
//! | 0–4 | `[mode][arg][len][dt]` (+ 4 bytes for mode 7) | one copy: line = bit 7 of `mode`; sequence number by `mode % 8` (below); `len` bytes (`len % 72`: some too long); time advances `dt` ns first |
//! | 5 | `[dt: u16]` | time advances, then `handle_timeout(now)` |
//! | 6 | `[kind]` | `handle_timeout` at `poll_timeout()` (if any) |
//! | 7 | `[line][n]` | `handle_kernel_drops(line, n)` |
//!
//! Sequence modes, relative to `h` (the arbiter's next sequence number, or
//! 1000 before the first packet) and `last` (the last copy's number):
//! 0 `h + (arg as i8)`, 1 `last + 1`, 2 `last - arg % 4`, 3 `h + 1 + arg %
//! (window + 4)`, 4 `h + arg * 257` (far ahead), 5 `1 + arg % 8` (resets),
//! 6 `u32::MAX - arg % 8`, 7 four raw bytes.
//!
//! # Invariants (beyond "never panics")
//!
//! - Within an epoch, `Deliver` and `Gap` tile the sequence from the epoch's
//!   first packet without holes or overlap (each starts where the last
//!   ended); `Reset { last, first }` names the end of that tiling and starts
//!   a new one at `first`, which is delivered next.
//! - A delivered packet's bytes are exactly a copy that was sent for that
//!   sequence number and line (the pattern below), with that copy's
//!   `ts_recv`; a packet delivered without waiting is the current copy.
//! - Every accepted copy is delivered exactly once, before any gap could
//!   cover it and before a reset; nothing stays buffered after a final
//!   `handle_timeout` far in the future.
//! - `Late` appears only with `LatePolicy::Surface`, for a sequence number
//!   already passed.
//! - Counters: every copy is exactly one of accepted, duplicate, late,
//!   too long; `accepted`, `lost`, `gaps`, `resets` match the actions; the
//!   channel's sums match the lines'.
//! - At most `reorder_window` packets wait; after `handle_timeout(now)`,
//!   `poll_timeout()` is `None` or later than `now`.

use std::collections::{BTreeSet, HashSet};

use fixgate_core::normalize::arbiter::{Action, Arbiter, ArbiterConfig, Arrival, LatePolicy, Line};
use fixgate_core::time::{MonoNanos, UtcNanos};

/// The most operations one input runs.
pub const MAX_OPS: usize = 2_000;

struct Input<'a> {
    data: &'a [u8],
}

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        let (&b, rest) = self.data.split_first().unwrap_or((&0, &[]));
        self.data = rest;
        b
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.byte(), self.byte()])
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.byte(), self.byte(), self.byte(), self.byte()])
    }
}

/// The bytes of a copy: sequence number (LE), line, then a pattern.
fn pattern(seq: u32, line: Line, len: usize) -> Vec<u8> {
    let mut head = seq.to_le_bytes().to_vec();
    head.push(line.index() as u8);
    (0..len)
        .map(|i| match head.get(i) {
            Some(&b) => b,
            None => (seq as usize).wrapping_mul(7).wrapping_add(i) as u8,
        })
        .collect()
}

/// What the model knows about the output so far.
struct Model {
    late_policy: LatePolicy,
    /// Where the current epoch's tiling has reached (the next seq expected).
    pos: Option<u64>,
    /// Accepted copies not yet delivered.
    pending: BTreeSet<u64>,
    /// (seq, line, ts_recv) of every copy sent in this epoch.
    sent: HashSet<(u32, Line, u64)>,
    delivered: u64,
    lost: u64,
    gaps: u64,
    resets: u64,
    late_surfaced: u64,
}

impl Model {
    /// Checks one action; `current` is the copy of this call (if any).
    fn action(
        &mut self,
        a: Action<'_>,
        current: Option<&Arrival<'_>>,
        delivered_now: &mut Vec<u64>,
    ) {
        match a {
            Action::Deliver(d) => {
                let seq = u64::from(d.seq);
                if let Some(pos) = self.pos {
                    assert_eq!(seq, pos, "deliver {seq}, expected {pos}");
                }
                self.pos = Some(seq + 1);
                assert_eq!(d.payload, &pattern(d.seq, d.line, d.payload.len())[..]);
                assert!(
                    self.sent.contains(&(d.seq, d.line, d.ts_recv.as_nanos())),
                    "deliver {seq} on {} at {} was never sent",
                    d.line,
                    d.ts_recv.as_nanos()
                );
                if !d.waited {
                    let c = current.expect("an unbuffered delivery needs a current copy");
                    assert_eq!((c.seq, c.line, c.payload), (d.seq, d.line, d.payload));
                }
                self.pending.remove(&seq);
                delivered_now.push(seq);
                self.delivered += 1;
            }
            Action::Gap { first, last } => {
                let (first, last) = (u64::from(first), u64::from(last));
                assert!(first <= last, "gap {first}..={last}");
                assert_eq!(Some(first), self.pos, "gap {first}..={last}");
                assert!(
                    self.pending.range(first..=last).next().is_none(),
                    "gap {first}..={last} covers accepted packets {:?}",
                    self.pending
                );
                self.pos = Some(last + 1);
                self.lost += last - first + 1;
                self.gaps += 1;
            }
            Action::Late(d) => {
                assert_eq!(self.late_policy, LatePolicy::Surface);
                let c = current.expect("a late packet is the current copy");
                assert_eq!((c.seq, c.line, c.payload), (d.seq, d.line, d.payload));
                let pos = self.pos.expect("late before any packet");
                assert!(u64::from(d.seq) < pos, "late {} at {pos}", d.seq);
                self.late_surfaced += 1;
            }
            Action::Reset { last, first } => {
                assert!(
                    self.pending.is_empty(),
                    "reset with {:?} pending",
                    self.pending
                );
                assert_eq!(Some(u64::from(last) + 1), self.pos, "reset last {last}");
                self.pos = Some(u64::from(first));
                self.resets += 1;
                // Copies of the old epoch can no longer be delivered.
                self.sent.retain(|&(s, _, _)| s == first);
            }
        }
    }
}

/// Runs one program.
pub fn check(data: &[u8]) {
    let mut input = Input { data };
    let b0 = input.byte();
    let b1 = input.byte();
    let b2 = input.byte();
    let b3 = input.byte();
    let cfg = ArbiterConfig {
        reorder_window: 1 + u16::from(b0 % 16),
        max_wait_ns: 1 + u64::from(b1) * 50,
        dup_horizon: 64 << (b2 % 4),
        max_packet_len: 8 + u16::from(b3 % 56),
        late: if b2 & 0x80 != 0 {
            LatePolicy::Surface
        } else {
            LatePolicy::Drop
        },
    };
    let mut arb = Arbiter::new(cfg).expect("a valid configuration");
    let mut model = Model {
        late_policy: cfg.late,
        pos: None,
        pending: BTreeSet::new(),
        sent: HashSet::new(),
        delivered: 0,
        lost: 0,
        gaps: 0,
        resets: 0,
        late_surfaced: 0,
    };
    let mut now = 0u64;
    let mut last = 1_000u32;
    let mut copies = 0u64;
    let mut kernel = [0u64; 2];
    let mut delivered_now = Vec::new();
    for _ in 0..MAX_OPS {
        if input.data.is_empty() {
            break;
        }
        match input.byte() % 8 {
            0..=4 => {
                let mode = input.byte();
                let arg = input.byte();
                let len = usize::from(input.byte() % 72);
                now += u64::from(input.byte());
                let line = if mode & 0x80 != 0 { Line::B } else { Line::A };
                let h = arb.next_seq().unwrap_or(1_000).min(u64::from(u32::MAX)) as u32;
                let seq = match mode % 8 {
                    0 => h.wrapping_add_signed(i32::from(arg as i8)),
                    1 => last.wrapping_add(1),
                    2 => last.wrapping_sub(u32::from(arg % 4)),
                    3 => h.wrapping_add(1 + u32::from(arg) % (u32::from(cfg.reorder_window) + 4)),
                    4 => h.wrapping_add(u32::from(arg) * 257),
                    5 => 1 + u32::from(arg % 8),
                    6 => u32::MAX - u32::from(arg % 8),
                    _ => input.u32(),
                };
                last = seq;
                let bytes = pattern(seq, line, len);
                let arrival = Arrival {
                    line,
                    seq,
                    ts_recv: UtcNanos::from_nanos(now),
                    payload: &bytes,
                };
                copies += 1;
                let accepted_before = arb.counters().channel.accepted;
                model.sent.insert((seq, line, now));
                delivered_now.clear();
                match arb.handle_packet(MonoNanos::from_nanos(now), arrival) {
                    Ok(mut actions) => {
                        while let Some(a) = actions.next_action() {
                            model.action(a, Some(&arrival), &mut delivered_now);
                        }
                    }
                    Err(_) => assert!(len > usize::from(cfg.max_packet_len)),
                }
                if arb.counters().channel.accepted > accepted_before
                    && !delivered_now.contains(&u64::from(seq))
                {
                    model.pending.insert(u64::from(seq));
                }
            }
            5 => {
                now += u64::from(input.u16());
                let mut actions = arb.handle_timeout(MonoNanos::from_nanos(now));
                while let Some(a) = actions.next_action() {
                    model.action(a, None, &mut delivered_now);
                }
                drop(actions);
                assert!(arb.poll_timeout().is_none_or(|t| t.as_nanos() > now));
            }
            6 => {
                let _ = input.byte();
                if let Some(due) = arb.poll_timeout() {
                    now = now.max(due.as_nanos());
                    let mut actions = arb.handle_timeout(due);
                    while let Some(a) = actions.next_action() {
                        model.action(a, None, &mut delivered_now);
                    }
                }
            }
            _ => {
                let line = if input.byte() & 1 != 0 {
                    Line::B
                } else {
                    Line::A
                };
                let n = u64::from(input.byte());
                arb.handle_kernel_drops(line, n);
                kernel[line.index()] += n;
            }
        }
        assert!(arb.buffered() <= usize::from(cfg.reorder_window));
    }
    let mut actions = arb.handle_timeout(MonoNanos::from_nanos(u64::MAX));
    while let Some(a) = actions.next_action() {
        model.action(a, None, &mut delivered_now);
    }
    drop(actions);
    assert_eq!(arb.buffered(), 0);
    assert_eq!(arb.poll_timeout(), None);
    assert!(
        model.pending.is_empty(),
        "never delivered: {:?}",
        model.pending
    );

    let c = arb.counters();
    let ch = c.channel;
    assert_eq!(ch.accepted + ch.duplicate + ch.late + ch.too_long, copies);
    assert_eq!(ch.accepted, model.delivered);
    assert_eq!(
        (ch.lost, ch.gaps, ch.resets),
        (model.lost, model.gaps, model.resets)
    );
    if cfg.late == LatePolicy::Drop {
        assert_eq!(model.late_surfaced, 0);
    } else {
        assert!(model.late_surfaced <= ch.late);
    }
    let [a, b] = c.lines;
    assert_eq!(ch.duplicate, a.duplicate + b.duplicate);
    assert_eq!(ch.late, a.late + b.late);
    assert_eq!(ch.recovered, a.recovered + b.recovered);
    assert!(ch.recovered <= ch.accepted);
    assert_eq!([a.kernel_drops, b.kernel_drops], kernel);
}
