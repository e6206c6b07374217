//! Deterministic scenarios: each feeds a scripted arrival order and checks the
//! exact output and counters.

use super::*;
use crate::time::{MonoNanos, UtcNanos};

use Line::{A, B};

/// What came out, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Out {
    /// Delivered: seq, line, waited.
    D(u32, Line, bool),
    G(u32, u32),
    L(u32, Line),
    R(u32, u32),
}

struct Harness {
    arb: Arbiter,
    out: Vec<Out>,
}

const WAIT: u64 = 1_000;

fn payload(line: Line, seq: u32) -> [u8; 5] {
    let s = seq.to_le_bytes();
    [s[0], s[1], s[2], s[3], line.index() as u8]
}

impl Harness {
    fn new() -> Self {
        Self::with(|_| {})
    }

    fn with(f: impl FnOnce(&mut ArbiterConfig)) -> Self {
        let mut cfg = ArbiterConfig {
            reorder_window: 8,
            max_wait_ns: WAIT,
            max_packet_len: 64,
            dup_horizon: 1024,
            late: LatePolicy::Drop,
        };
        f(&mut cfg);
        Harness {
            arb: Arbiter::new(cfg).unwrap(),
            out: Vec::new(),
        }
    }

    fn collect(out: &mut Vec<Out>, mut actions: Actions<'_, '_>) {
        while let Some(a) = actions.next_action() {
            out.push(match a {
                Action::Deliver(d) => {
                    // The bytes are the copy's own, wherever they were kept.
                    assert_eq!(d.payload, payload(d.line, d.seq), "{d:?}");
                    Out::D(d.seq, d.line, d.waited)
                }
                Action::Gap { first, last } => Out::G(first, last),
                Action::Late(d) => {
                    assert_eq!(d.payload, payload(d.line, d.seq));
                    Out::L(d.seq, d.line)
                }
                Action::Reset { last, first } => Out::R(last, first),
            });
        }
    }

    fn pkt(&mut self, t: u64, line: Line, seq: u32) -> &mut Self {
        let p = payload(line, seq);
        let arrival = Arrival {
            line,
            seq,
            ts_recv: UtcNanos::from_nanos(t),
            payload: &p,
        };
        let actions = self
            .arb
            .handle_packet(MonoNanos::from_nanos(t), arrival)
            .unwrap();
        Self::collect(&mut self.out, actions);
        self
    }

    fn timeout(&mut self, t: u64) -> &mut Self {
        let actions = self.arb.handle_timeout(MonoNanos::from_nanos(t));
        Self::collect(&mut self.out, actions);
        self
    }

    fn take(&mut self) -> Vec<Out> {
        std::mem::take(&mut self.out)
    }

    fn line(&self, line: Line) -> LineCounters {
        *self.arb.counters().line(line)
    }

    fn channel(&self) -> ChannelCounters {
        self.arb.counters().channel
    }
}

fn delivered(range: std::ops::RangeInclusive<u32>, line: Line) -> Vec<Out> {
    range.map(|s| Out::D(s, line, false)).collect()
}

#[test]
fn both_lines_clean_deliver_each_packet_once() {
    let mut h = Harness::new();
    for s in 100..110 {
        h.pkt(u64::from(s) * 10, A, s)
            .pkt(u64::from(s) * 10 + 1, B, s);
    }
    assert_eq!(h.take(), delivered(100..=109, A));
    let (a, b, c) = (h.line(A), h.line(B), h.channel());
    assert_eq!((a.accepted, a.duplicate, a.lost), (10, 0, 0));
    assert_eq!((b.accepted, b.duplicate, b.lost), (0, 10, 0));
    assert_eq!((c.accepted, c.duplicate, c.lost, c.gaps), (10, 10, 0, 0));
    assert_eq!(h.arb.next_seq(), Some(110));
    assert_eq!(h.arb.poll_timeout(), None);
}

#[test]
fn loss_on_a_only_is_no_gap() {
    let mut h = Harness::new();
    // B lags A by a little; A loses 3 and 6.
    h.pkt(0, A, 1).pkt(1, B, 1).pkt(10, A, 2).pkt(11, B, 2);
    h.pkt(30, A, 4).pkt(31, B, 3).pkt(32, B, 4);
    h.pkt(40, A, 5)
        .pkt(41, B, 5)
        .pkt(61, B, 6)
        .pkt(70, A, 7)
        .pkt(71, B, 7);
    assert_eq!(
        h.take(),
        [
            Out::D(1, A, false),
            Out::D(2, A, false),
            Out::D(3, B, false),
            Out::D(4, A, true),
            Out::D(5, A, false),
            Out::D(6, B, false),
            Out::D(7, A, false),
        ]
    );
    let (a, b, c) = (h.line(A), h.line(B), h.channel());
    assert_eq!((a.accepted, a.lost, a.recovered), (5, 2, 0));
    assert_eq!((b.accepted, b.lost, b.recovered, b.duplicate), (2, 0, 1, 5));
    assert_eq!((c.lost, c.gaps, c.recovered), (0, 0, 1));
    h.timeout(1_000_000);
    assert!(h.take().is_empty());
}

#[test]
fn loss_on_both_lines_is_a_gap_after_the_wait() {
    let mut h = Harness::new();
    h.pkt(0, A, 1).pkt(1, B, 1).pkt(10, A, 2).pkt(11, B, 2);
    // 3 never comes; 4 arrives at t = 30 and starts the clock.
    h.pkt(30, A, 4).pkt(31, B, 4).pkt(40, B, 5).pkt(41, A, 5);
    assert_eq!(h.take(), delivered(1..=2, A));
    assert_eq!(h.arb.buffered(), 2);
    assert_eq!(h.arb.poll_timeout(), Some(MonoNanos::from_nanos(30 + WAIT)));
    h.timeout(30 + WAIT - 1);
    assert!(h.take().is_empty(), "not before the deadline");
    h.timeout(30 + WAIT);
    assert_eq!(
        h.take(),
        [Out::G(3, 3), Out::D(4, A, true), Out::D(5, B, true)]
    );
    assert_eq!(h.arb.poll_timeout(), None);
    let c = h.channel();
    assert_eq!((c.lost, c.gaps, c.accepted), (1, 1, 4));
    assert_eq!((h.line(A).lost, h.line(B).lost), (1, 1));
}

#[test]
fn an_overdue_hole_is_declared_by_the_next_packet_too() {
    // Without handle_timeout, the next arrival applies the deadline first, so
    // the output does not depend on timer punctuality.
    let mut h = Harness::new();
    h.pkt(0, A, 1).pkt(5, A, 3).pkt(5 + WAIT, A, 4);
    assert_eq!(
        h.take(),
        [
            Out::D(1, A, false),
            Out::G(2, 2),
            Out::D(3, A, true),
            Out::D(4, A, false),
        ]
    );
}

#[test]
fn reordering_within_the_window_is_delivered_in_order() {
    let mut h = Harness::new();
    for (t, s) in [(0, 1), (1, 3), (2, 2), (3, 6), (4, 5), (5, 4), (6, 7)] {
        h.pkt(t, A, s);
    }
    assert_eq!(
        h.take(),
        [
            Out::D(1, A, false),
            Out::D(2, A, false),
            Out::D(3, A, true),
            Out::D(4, A, false),
            Out::D(5, A, true),
            Out::D(6, A, true),
            Out::D(7, A, false),
        ]
    );
    let a = h.line(A);
    assert_eq!((a.accepted, a.recovered, a.lost), (7, 3, 0));
    assert_eq!(h.channel().gaps, 0);
}

#[test]
fn holes_are_declared_oldest_first_each_after_its_own_wait() {
    let mut h = Harness::new();
    // 2 and 5 missing; 3 arrives at t=10, 6 at t=500.
    h.pkt(0, A, 1).pkt(10, A, 3).pkt(20, A, 4).pkt(500, A, 6);
    assert_eq!(h.take(), [Out::D(1, A, false)]);
    assert_eq!(h.arb.poll_timeout(), Some(MonoNanos::from_nanos(10 + WAIT)));
    h.timeout(10 + WAIT);
    assert_eq!(
        h.take(),
        [Out::G(2, 2), Out::D(3, A, true), Out::D(4, A, true)]
    );
    // The hole at 5 has been overdue since 6 arrived.
    assert_eq!(
        h.arb.poll_timeout(),
        Some(MonoNanos::from_nanos(500 + WAIT))
    );
    h.pkt(600, B, 5);
    assert_eq!(h.take(), [Out::D(5, B, false), Out::D(6, A, true)]);
    assert_eq!(h.arb.poll_timeout(), None);
}

#[test]
fn a_packet_beyond_the_window_declares_the_oldest_holes_at_once() {
    let mut h = Harness::new(); // window 8
    h.pkt(0, A, 1).pkt(1, A, 3).pkt(2, A, 20);
    // 20 - 8 = 12: everything below 12 is settled now; 12..=19 may still come.
    assert_eq!(
        h.take(),
        [
            Out::D(1, A, false),
            Out::G(2, 2),
            Out::D(3, A, true),
            Out::G(4, 11),
        ]
    );
    assert_eq!(h.arb.next_seq(), Some(12));
    h.pkt(3, B, 12).pkt(4, B, 5);
    assert_eq!(h.take(), [Out::D(12, B, false)]);
    assert_eq!(h.line(B).late, 1);
    h.timeout(2 + WAIT);
    assert_eq!(h.take(), [Out::G(13, 19), Out::D(20, A, true)]);
    assert_eq!(h.channel().lost, 1 + 8 + 7);
}

#[test]
fn duplicates_on_either_line_are_dropped_and_counted() {
    let mut h = Harness::new();
    h.pkt(0, A, 1)
        .pkt(1, A, 1)
        .pkt(2, B, 1)
        .pkt(3, A, 3)
        .pkt(4, B, 3)
        .pkt(5, A, 3);
    h.pkt(6, B, 2).pkt(7, A, 2).pkt(8, B, 1);
    assert_eq!(
        h.take(),
        [Out::D(1, A, false), Out::D(2, B, false), Out::D(3, A, true)]
    );
    let (a, b) = (h.line(A), h.line(B));
    assert_eq!((a.accepted, a.duplicate), (2, 3));
    assert_eq!((b.accepted, b.duplicate), (1, 3));
    assert_eq!(h.channel().duplicate, 6);
}

#[test]
fn a_late_packet_is_counted_and_dropped_by_default() {
    let mut h = Harness::new();
    h.pkt(0, A, 1).pkt(10, A, 3).timeout(10 + WAIT);
    assert_eq!(
        h.take(),
        [Out::D(1, A, false), Out::G(2, 2), Out::D(3, A, true)]
    );
    h.pkt(2_000, B, 2).pkt(2_001, A, 2);
    assert!(h.take().is_empty());
    assert_eq!((h.line(B).late, h.line(A).duplicate), (1, 1));
    assert_eq!(
        h.line(A).lost,
        0,
        "A carried 2 after all, reordered on the line"
    );
    assert_eq!(h.channel().lost, 1, "the declared gap stands");
}

#[test]
fn a_late_packet_is_surfaced_once_by_policy() {
    let mut h = Harness::with(|c| c.late = LatePolicy::Surface);
    h.pkt(0, A, 1).pkt(10, A, 3).timeout(10 + WAIT).take();
    h.pkt(2_000, B, 2).pkt(2_001, A, 2).pkt(2_002, A, 4);
    assert_eq!(h.take(), [Out::L(2, B), Out::D(4, A, false)]);
    assert_eq!((h.line(B).late, h.line(A).duplicate), (1, 1));
}

#[test]
fn packets_before_the_first_one_are_late() {
    let mut h = Harness::new();
    h.pkt(0, B, 50).pkt(1, A, 49).pkt(2, A, 50).pkt(3, A, 51);
    assert_eq!(h.take(), [Out::D(50, B, false), Out::D(51, A, false)]);
    assert_eq!((h.line(A).late, h.line(A).duplicate), (1, 1));
}

#[test]
fn weekly_reset_starts_a_new_epoch_not_a_gap() {
    let mut h = Harness::new(); // dup_horizon 1024
    let end = 5_000_000u32;
    for s in end - 3..end {
        h.pkt(u64::from(s + 3 - end), A, s);
    }
    // B lags behind A across the reset: A's 1 arrives before B's last three.
    h.pkt(100, A, 1)
        .pkt(101, B, end - 3)
        .pkt(102, B, end - 1)
        .pkt(103, B, 1)
        .pkt(104, A, 2)
        .pkt(105, B, 2);
    assert_eq!(
        h.take(),
        [
            Out::D(end - 3, A, false),
            Out::D(end - 2, A, false),
            Out::D(end - 1, A, false),
            Out::R(end - 1, 1),
            Out::D(1, A, false),
            Out::D(2, A, false),
        ]
    );
    let c = h.channel();
    assert_eq!((c.resets, c.gaps, c.lost), (1, 0, 0));
    assert_eq!(h.line(B).duplicate, 4, "two stragglers, then 1 and 2");
    assert_eq!(h.arb.poll_timeout(), None);
    h.timeout(1_000_000);
    assert!(h.take().is_empty());
    assert_eq!((h.line(A).lost, h.line(B).lost), (0, 0));
}

#[test]
fn a_reset_delivers_what_waited_before_it() {
    let mut h = Harness::new();
    h.pkt(0, A, 10_000)
        .pkt(1, A, 10_002)
        .pkt(2, A, 10_004)
        .pkt(3, A, 3);
    assert_eq!(
        h.take(),
        [
            Out::D(10_000, A, false),
            Out::G(10_001, 10_001),
            Out::D(10_002, A, true),
            Out::G(10_003, 10_003),
            Out::D(10_004, A, true),
            Out::R(10_004, 3),
            Out::D(3, A, false),
        ]
    );
    assert_eq!(h.arb.buffered(), 0);
    // The pool is whole again: the window fills up completely.
    for s in 5..13 {
        h.pkt(10, A, s);
    }
    assert_eq!(h.arb.buffered(), 8);
    h.pkt(11, A, 4);
    assert_eq!(h.take().len(), 9);
}

#[test]
fn the_reset_rule_is_the_dup_horizon() {
    let mut h = Harness::new(); // dup_horizon 1024
    for s in 1..=2_000u32 {
        h.pkt(u64::from(s), A, s);
    }
    h.take();
    h.pkt(3_000, B, 2_000 - 1_000).pkt(3_001, B, 2_000 - 1_025);
    assert_eq!(h.take(), [Out::R(2_000, 975), Out::D(975, B, false)]);
    assert_eq!(h.line(B).duplicate, 1);
}

#[test]
fn the_top_of_the_sequence_space_then_a_reset() {
    let mut h = Harness::new();
    h.pkt(0, A, u32::MAX - 1)
        .pkt(1, A, u32::MAX)
        .pkt(2, B, u32::MAX);
    assert_eq!(h.arb.next_seq(), Some(1 << 32));
    h.pkt(3, A, 1).pkt(4, A, 2);
    assert_eq!(
        h.take(),
        [
            Out::D(u32::MAX - 1, A, false),
            Out::D(u32::MAX, A, false),
            Out::R(u32::MAX, 1),
            Out::D(1, A, false),
            Out::D(2, A, false),
        ]
    );
}

#[test]
fn too_long_packets_are_refused_and_counted() {
    let mut h = Harness::new(); // max_packet_len 64
    let big = [0u8; 65];
    let err = h
        .arb
        .handle_packet(
            MonoNanos::ZERO,
            Arrival {
                line: B,
                seq: 1,
                ts_recv: UtcNanos::EPOCH,
                payload: &big,
            },
        )
        .map(|_| ())
        .unwrap_err();
    assert_eq!(
        err,
        ArbiterError::TooLong {
            line: B,
            seq: 1,
            len: 65,
            max: 64
        }
    );
    assert_eq!(
        err.to_string(),
        "line B: packet 1 is 65 bytes, more than the 64 allowed"
    );
    assert_eq!((h.line(B).too_long, h.channel().too_long), (1, 1));
    assert_eq!(h.arb.next_seq(), None);
}

#[test]
fn kernel_drops_are_counted_apart() {
    let mut h = Harness::new();
    h.arb.handle_kernel_drops(A, 3);
    h.arb.handle_kernel_drops(B, 4);
    h.arb.handle_kernel_drops(A, 1);
    assert_eq!((h.line(A).kernel_drops, h.line(B).kernel_drops), (4, 4));
    assert_eq!((h.channel().kernel_drops, h.channel().lost), (8, 0));
}

#[test]
fn dropping_actions_undrained_frees_their_slots() {
    let mut h = Harness::new();
    let p = payload(A, 0);
    let at = |arb: &mut Arbiter, t: u64, seq: u32| {
        let a = Arrival {
            line: A,
            seq,
            ts_recv: UtcNanos::EPOCH,
            payload: &p,
        };
        drop(arb.handle_packet(MonoNanos::from_nanos(t), a).unwrap());
    };
    at(&mut h.arb, 0, 1);
    for round in 0..5u32 {
        let base = 2 + round * 9;
        for s in base + 1..base + 9 {
            at(&mut h.arb, 1, s);
        }
        assert_eq!(h.arb.buffered(), 8);
        at(&mut h.arb, 1, base);
        assert_eq!(h.arb.buffered(), 0);
    }
    assert_eq!(h.channel().accepted, 46);
}

#[test]
fn config_errors_come_from_new() {
    let mut cfg = ArbiterConfig::cme();
    cfg.dup_horizon = 100;
    assert!(matches!(
        Arbiter::new(cfg).map(|_| ()),
        Err(ConfigError::DupHorizon { have: 100, .. })
    ));
    assert_eq!(
        Arbiter::new(ArbiterConfig::cme())
            .unwrap()
            .config()
            .reorder_window,
        64
    );
}
