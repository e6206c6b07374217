//! Seeded random loss, duplication and reordering on line A, line B or both,
//! over many seeds: every packet present on at least one line is delivered
//! exactly once, in order, from the copy that arrived first; gaps are reported
//! for exactly the packets missing on both lines; the counters add up.
//!
//! Arrival times are drawn so that reordering stays inside both bounds of the
//! arbiter (the reorder window and the wait): packet `n`'s copies arrive at
//! `n × 100 ns + line offset (≤ 1 µs) + jitter (≤ 500 ns)`, with a window of
//! 32 packets (3.3 µs ahead) and a 2 µs wait, so a packet present on some line
//! always arrives before its hole is declared. Extra duplicate copies may come
//! much later (up to 20 µs, 200 packets). The first copy to arrive starts the
//! sequence; copies below it are late.

#[path = "sim/rng.rs"]
mod rng;

use std::collections::{BTreeSet, HashMap};

use fixgate_core::normalize::arbiter::{Action, Arbiter, ArbiterConfig, Arrival, LatePolicy, Line};
use fixgate_core::time::{MonoNanos, UtcNanos};
use rng::Rng;

const SPACING_NS: u64 = 100;

/// One copy on the wire.
#[derive(Clone, Copy, Debug)]
struct Copy {
    t: u64,
    line: Line,
    seq: u32,
    len: usize,
}

fn payload(line: Line, seq: u32, len: usize) -> Vec<u8> {
    let mut p: Vec<u8> = (0..len)
        .map(|i| (seq as usize).wrapping_mul(31).wrapping_add(i) as u8)
        .collect();
    p[..4].copy_from_slice(&seq.to_le_bytes());
    p[4] = line.index() as u8;
    p
}

struct Scenario {
    copies: Vec<Copy>,
    first_seq: u32,
    last_seq: u32,
}

fn scenario(seed: u64) -> Scenario {
    let mut rng = Rng::new(seed);
    let n = rng.range(20, 1_500) as u32;
    let first_seq = match rng.range(0, 3) {
        0 => 1,
        1 => u32::MAX - n + 1,
        _ => rng.range(2, u64::from(u32::MAX - n)) as u32,
    };
    // Which lines lose packets: A only, B only, both, neither.
    let lossy = [
        seed % 4 == 0 || seed % 4 == 2,
        seed % 4 == 1 || seed % 4 == 2,
    ];
    let drop_per_mille = [rng.range(1, 300), rng.range(1, 300)];
    let burst_per_mille = rng.range(0, 20);
    let dup_per_mille = rng.range(0, 50);
    let offset = [rng.range(0, 1_000), rng.range(0, 1_000)];
    let jitter = rng.range(0, 500);
    let mut copies = Vec::new();
    for line in Line::ALL {
        let l = line.index();
        let mut burst = 0;
        for k in 0..n {
            let seq = first_seq + k;
            if lossy[l] && burst == 0 && rng.per_mille(burst_per_mille) {
                burst = rng.range(1, 100);
            }
            if burst > 0 {
                burst -= 1;
                continue;
            }
            if lossy[l] && rng.per_mille(drop_per_mille[l]) {
                continue;
            }
            let t = u64::from(k) * SPACING_NS + offset[l] + rng.range(0, jitter);
            let len = rng.range(5, 200) as usize;
            copies.push(Copy { t, line, seq, len });
            while rng.per_mille(dup_per_mille) {
                let late = t + rng.range(0, 20_000);
                copies.push(Copy {
                    t: late,
                    line,
                    seq,
                    len,
                });
            }
        }
    }
    // Stable: equal times keep generation order.
    copies.sort_by_key(|c| c.t);
    Scenario {
        copies,
        first_seq,
        last_seq: first_seq + (n - 1),
    }
}

#[derive(Default)]
struct Totals {
    seeds: u64,
    copies: u64,
    delivered: u64,
    gaps: u64,
    lost: u64,
}

fn run(seed: u64, totals: &mut Totals) {
    let sc = scenario(seed);
    let cfg = ArbiterConfig {
        reorder_window: 32,
        max_wait_ns: 2_000,
        max_packet_len: 256,
        dup_horizon: 1 << 16,
        late: LatePolicy::Drop,
    };
    let mut arb = Arbiter::new(cfg).unwrap();
    let mut rng = Rng::new(seed ^ 0xA5A5);
    // (seq, line, ts_recv) of every delivery; gap ranges.
    let mut delivered: Vec<(u32, Line, u64)> = Vec::new();
    let mut stream: Vec<(u64, u64)> = Vec::new(); // covered ranges, in order
    let mut record = |a: Action<'_>, stream: &mut Vec<(u64, u64)>| match a {
        Action::Deliver(d) => {
            let want = payload(d.line, d.seq, d.payload.len());
            assert_eq!(d.payload, &want[..], "seed {seed}: payload of {}", d.seq);
            delivered.push((d.seq, d.line, d.ts_recv.as_nanos()));
            stream.push((u64::from(d.seq), u64::from(d.seq)));
        }
        Action::Gap { first, last } => {
            assert!(first <= last, "seed {seed}: gap {first}..={last}");
            stream.push((u64::from(first), u64::from(last)));
        }
        other => panic!("seed {seed}: unexpected {other:?}"),
    };
    for c in &sc.copies {
        // A shell calls handle_timeout at the deadline; sometimes it is late
        // and the next packet applies the deadline instead.
        if let Some(due) = arb.poll_timeout() {
            if due.as_nanos() <= c.t && rng.per_mille(700) {
                let mut acts = arb.handle_timeout(due);
                while let Some(a) = acts.next_action() {
                    record(a, &mut stream);
                }
            }
        }
        let bytes = payload(c.line, c.seq, c.len);
        let arrival = Arrival {
            line: c.line,
            seq: c.seq,
            ts_recv: UtcNanos::from_nanos(c.t),
            payload: &bytes,
        };
        let mut acts = arb
            .handle_packet(MonoNanos::from_nanos(c.t), arrival)
            .unwrap();
        while let Some(a) = acts.next_action() {
            record(a, &mut stream);
        }
    }
    let mut acts = arb.handle_timeout(MonoNanos::from_nanos(u64::MAX / 2));
    while let Some(a) = acts.next_action() {
        record(a, &mut stream);
    }
    drop(acts);
    assert_eq!(arb.buffered(), 0);

    // What the wire held.
    let start = sc.copies.first().map(|c| c.seq);
    let Some(start) = start else {
        assert!(stream.is_empty());
        return;
    };
    let present: BTreeSet<u32> = sc.copies.iter().map(|c| c.seq).collect();
    let want_delivered: Vec<u32> = present.range(start..).copied().collect();
    let last_present = *present.last().unwrap();
    let want_lost: Vec<u32> = (start..=last_present)
        .filter(|s| !present.contains(s))
        .collect();

    // Delivered: each present packet from `start` on, once, in order, from
    // the first copy to arrive.
    let got: Vec<u32> = delivered.iter().map(|d| d.0).collect();
    assert_eq!(got, want_delivered, "seed {seed}: delivered");
    let mut first_copy = HashMap::new();
    for c in &sc.copies {
        first_copy.entry(c.seq).or_insert(c);
    }
    for &(seq, line, t) in &delivered {
        let first = first_copy[&seq];
        assert_eq!(
            (line, t),
            (first.line, first.t),
            "seed {seed}: first copy of {seq}"
        );
    }
    // Deliveries and gaps tile start..=last_present in order.
    let mut expect = u64::from(start);
    for &(first, last) in &stream {
        assert_eq!(first, expect, "seed {seed}: stream {stream:?}");
        expect = last + 1;
    }
    assert_eq!(expect, u64::from(last_present) + 1, "seed {seed}");
    let gap_seqs: Vec<u32> = stream
        .iter()
        .filter(|&&(f, l)| f != l || !present.contains(&(f as u32)))
        .flat_map(|&(f, l)| f as u32..=l as u32)
        .collect();
    assert_eq!(gap_seqs, want_lost, "seed {seed}: gaps");

    // Counters.
    let c = arb.counters();
    let copies = sc.copies.len() as u64;
    let late_seqs: BTreeSet<u32> = present.range(..start).copied().collect();
    assert_eq!(
        c.channel.accepted,
        want_delivered.len() as u64,
        "seed {seed}"
    );
    assert_eq!(c.channel.lost, want_lost.len() as u64, "seed {seed}");
    assert_eq!(c.channel.late, late_seqs.len() as u64, "seed {seed}");
    assert_eq!(
        c.channel.accepted + c.channel.duplicate + c.channel.late,
        copies,
        "seed {seed}"
    );
    for line in Line::ALL {
        let mine: Vec<&Copy> = sc.copies.iter().filter(|c| c.line == line).collect();
        let Some(first) = mine.first() else {
            assert_eq!(c.line(line).lost, 0);
            continue;
        };
        let carried: BTreeSet<u32> = mine.iter().map(|c| c.seq).collect();
        let high = *carried.last().unwrap();
        let holes = (first.seq..=high).filter(|s| !carried.contains(s)).count() as u64;
        assert_eq!(c.line(line).lost, holes, "seed {seed}: line {line} lost");
        let accepted = delivered.iter().filter(|d| d.1 == line).count() as u64;
        assert_eq!(c.line(line).accepted, accepted, "seed {seed}: line {line}");
    }
    assert!(sc.first_seq <= start && last_present <= sc.last_seq);
    totals.seeds += 1;
    totals.copies += copies;
    totals.delivered += c.channel.accepted;
    totals.gaps += c.channel.gaps;
    totals.lost += c.channel.lost;
}

#[test]
fn every_present_packet_once_in_order_and_gaps_exactly_where_both_lines_lost() {
    let mut totals = Totals::default();
    for seed in 0..400 {
        run(seed, &mut totals);
    }
    println!(
        "feed_arbiter_seeded: {} seeds, {} copies, {} delivered, {} gaps, {} lost",
        totals.seeds, totals.copies, totals.delivered, totals.gaps, totals.lost
    );
    assert!(
        totals.gaps > 0 && totals.lost > 0,
        "the scenarios exercise gaps"
    );
}
