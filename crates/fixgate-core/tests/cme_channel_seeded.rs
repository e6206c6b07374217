//! Seeded random faults on the incremental lines of a `CmeChannel`: each
//! copy of each packet dropped, duplicated or delayed up to 4 places, on
//! line A, line B or both, with snapshot loops going round. At every
//! venue-event end the verified books equal the fault-free run's (see
//! `cme_channel_support/harness.rs`); after the last loops every book is
//! verified and equal.

mod cme_channel_support;

use cme_channel_support::harness::*;
use cme_channel_support::venue::*;
use fixgate_core::normalize::arbiter::Line;

/// Which lines the faults hit.
#[derive(Clone, Copy, Debug)]
enum Hit {
    A,
    B,
    Both,
}

const PACKETS: usize = 160;
const LOOP_EVERY: usize = 40;
/// The last packets come through clean (a loss at the very end cannot be
/// seen until a later packet shows it).
const CLEAN_TAIL: usize = 3;

/// The arrivals of one seeded run: both lines, faults on `hit`, a snapshot
/// loop (as of that point) spread over the packets after every
/// `LOOP_EVERY`.
fn arrivals(v: &Venue, loops: &[(usize, Vec<Vec<u8>>)], hit: Hit, rng: &mut Rng) -> Vec<Arrival> {
    let (drop_pct, dup_pct, hold_pct) = (2 + rng.below(6), rng.below(5), rng.below(8));
    let mut out = Reorder::default();
    let mut pending_snaps: Vec<Arrival> = Vec::new();
    for (i, p) in v.packets.iter().enumerate() {
        out.tick();
        // Lost upstream: on both lines at once.
        let upstream =
            matches!(hit, Hit::Both) && i + CLEAN_TAIL < v.packets.len() && rng.chance(drop_pct);
        for line in [Line::A, Line::B] {
            if upstream {
                continue;
            }
            let faulty = i + CLEAN_TAIL < v.packets.len()
                && match hit {
                    Hit::A => line == Line::A,
                    Hit::B => line == Line::B,
                    Hit::Both => true,
                };
            let copy = Arrival::inc(line, p);
            if faulty && rng.chance(drop_pct) {
                continue;
            }
            let delay = if faulty && rng.chance(hold_pct) {
                // Up to 4 packets late.
                1 + rng.below(4) as usize
            } else {
                0
            };
            out.push(copy.clone(), delay);
            if faulty && rng.chance(dup_pct) {
                out.push(copy, 0);
            }
        }
        if let Some(s) = pending_snaps.first().cloned() {
            pending_snaps.remove(0);
            out.push(s, 0);
        }
        if let Some((_, l)) = loops.iter().find(|(at, _)| *at == i + 1) {
            pending_snaps.extend(snapshots(l));
        }
    }
    for s in pending_snaps {
        out.push(s, 0);
    }
    out.finish()
}

fn one(seed: u64, hit: Hit) -> (u64, u64) {
    let mut v = Venue::standard(seed);
    let mut loops = Vec::new();
    for i in 1..=PACKETS {
        v.step();
        if i % LOOP_EVERY == 0 {
            loops.push((i, v.snapshot_loop()));
        }
    }
    let end_loop = v.snapshot_loop();
    let clean = clean(&v);
    let mut rng = Rng(seed ^ 0xA5A5_5A5A);
    let mut run = Run::new();
    run.deliver_all(&definitions(&v), &clean);
    run.deliver_all(&arrivals(&v, &loops, hit, &mut rng), &clean);
    run.drain(&clean);
    // Within two loops of the end, every instrument is recovered.
    for _ in 0..2 {
        if run.ch.is_recovering() {
            run.deliver_all(&snapshots(&end_loop), &clean);
        }
    }
    run.assert_recovered(&clean);
    let c = run.ch.counters();
    assert_eq!(
        // (`recovery.lost_packets`: the arbiter's gaps, and the packets
        // before the first one when that one was lost: a join.)
        c.arbiter.channel.accepted + c.recovery.lost_packets,
        PACKETS as u64,
        "seed {seed} {hit:?}: every packet delivered once or declared lost"
    );
    (run.compared, c.recovery.gaps)
}

#[test]
fn seeded_faults_on_either_or_both_lines() {
    let seeds = 50;
    let (mut compared, mut gaps, mut runs) = (0, 0, 0);
    for seed in 0..seeds {
        for hit in [Hit::A, Hit::B, Hit::Both] {
            let (c, g) = one(seed, hit);
            compared += c;
            gaps += g;
            runs += 1;
        }
    }
    println!("{runs} runs, {compared} instrument books compared, {gaps} gaps recovered");
    assert!(gaps > seeds, "the faults on both lines make gaps");
}
