//! Seeded fault runs of the deterministic two-session simulation (the harness
//! is in `sim/`): the client sends `N` NewOrderSingles while the fault layer
//! cuts, drops, duplicates, corrupts and delays the traffic and cuts the
//! connection now and then. Faults stop at 80% of the order flow; the run then
//! goes on fault-free until it converges.
//!
//! Properties, per seed: (a) both sides end logged on, each expecting the
//! other's next outbound number; (b) every NOS reaches the venue application and
//! every ER the client application at least once; (c) every repeated delivery of
//! a ClOrdID carries PossDupFlag=Y; (d) nothing panics. `FIXGATE_SIM_SEED=<n>`
//! runs one seed, `FIXGATE_SIM_SEEDS=<count>` sets how many (300 by default),
//! and `FIXGATE_SIM_TRACE=1` prints every message and fault of the run.

mod sim;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use sim::faults::Faults;
use sim::properties::repeats_without_poss_dup;
use sim::rng::Rng;
use sim::{Sim, MS, SEC, T0};

/// What one seed's run came to.
#[derive(Debug, Default)]
struct Outcome {
    orders: usize,
    closes: u64,
    sim_s: u64,
    resent: u64,
    gap_fills: u64,
    garbled: u64,
    stale_timers: usize,
    dup_deliveries: usize,
}

/// One seeded run with faults; `Err` says which property failed and how.
fn run_seed(seed: u64) -> Result<Outcome, String> {
    let mut rng = Rng::new(seed ^ 0xF1C5);
    let heart_bt_int = [1, 2, 5][rng.range(0, 2) as usize];
    let mut sim = Sim::new(seed, heart_bt_int);
    let n = rng.range(20, 120) as usize;
    let mut t = T0 + rng.range(0, SEC);
    for _ in 0..n {
        t += rng.range(MS, 400 * MS);
        sim.order_times.push(t);
    }
    let span = t - T0;
    sim.faults = Faults {
        drop: rng.range(0, 30),
        dup: rng.range(0, 30),
        reorder: rng.range(0, 30),
        corrupt: rng.range(0, 30),
        split: rng.range(0, 500),
        cut_every: rng.range(2, 20) * SEC,
    };
    sim.faults_until = T0 + span * 8 / 10;
    sim.next_cut = T0 + rng.range(SEC, sim.faults.cut_every);
    let faults = sim.faults;
    sim.log(|| {
        format!("seed {seed}: {n} orders over {span} ns, HeartBtInt {heart_bt_int} s, {faults:?}")
    });
    sim.connect();

    let limit = t + 5 * 60 * SEC;
    let mut steps = 0u64;
    loop {
        sim.settle();
        if sim.now >= sim.faults_until && sim.in_sync() && sim.all_delivered() {
            break;
        }
        steps += 1;
        let next = sim.next_wake();
        match next {
            Some(at) if at <= limit && steps < 2_000_000 => sim.now = at,
            _ => {
                let (nos, ers) = sim.missing();
                let what = if nos.is_empty() && ers.is_empty() {
                    "(a) the sessions never got back in sync"
                } else {
                    "(b) a message never reached its application"
                };
                return Err(format!(
                    "{what} within 5 min of simulated time after the last order \
                     ({steps} steps): {}",
                    sim.state()
                ));
            }
        }
    }
    // Quiescence holds: three more heartbeat intervals without a disconnect.
    let closes = sim.closes;
    let soak_end = sim.now + 3 * u64::from(heart_bt_int) * SEC;
    sim.run_until(soak_end);
    while !sim.in_sync() {
        let Some(at) = sim.next_wake().filter(|&at| at <= soak_end + 10 * SEC) else {
            return Err(format!("lost sync after converging: {}", sim.state()));
        };
        sim.now = at;
        sim.settle();
    }
    if sim.closes != closes {
        return Err(format!("disconnected after converging: {}", sim.state()));
    }
    let mut dup = repeats_without_poss_dup(&sim.venue.app.nos);
    dup.extend(repeats_without_poss_dup(&sim.client.app.ers));
    if !dup.is_empty() {
        return Err(format!(
            "repeated delivery without PossDupFlag=Y: {dup:?}: {}",
            sim.state()
        ));
    }
    let (c, v) = (sim.client.session.counters(), sim.venue.session.counters());
    Ok(Outcome {
        orders: n,
        closes: sim.closes,
        sim_s: (sim.now - T0) / SEC,
        resent: c.resent + v.resent,
        gap_fills: c.gap_fills_sent + v.gap_fills_sent,
        garbled: c.garbled + v.garbled,
        stale_timers: sim.client.stale_timers.len() + sim.venue.stale_timers.len(),
        dup_deliveries: sim.venue.app.nos.len() + sim.client.app.ers.len() - 2 * n,
    })
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// Shards of the seed range, run as separate tests so they use every core.
const SHARDS: u64 = 4;

/// Runs this shard's seeds (or the one seed of `FIXGATE_SIM_SEED`, in shard 0)
/// and fails listing every seed whose run broke a property.
fn check_seeds(shard: u64) {
    let seeds: Vec<u64> = match env_u64("FIXGATE_SIM_SEED") {
        Some(s) if shard == 0 => vec![s],
        Some(_) => return,
        None => {
            let count = env_u64("FIXGATE_SIM_SEEDS").unwrap_or(300);
            (count * shard / SHARDS..count * (shard + 1) / SHARDS).collect()
        }
    };
    let mut failures = BTreeMap::new();
    let mut total = Outcome::default();
    for &seed in &seeds {
        let r = catch_unwind(AssertUnwindSafe(|| run_seed(seed))).unwrap_or_else(|p| {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(format!("panicked: {msg}"))
        });
        match r {
            Ok(o) => {
                total.orders += o.orders;
                total.closes += o.closes;
                total.sim_s += o.sim_s;
                total.resent += o.resent;
                total.gap_fills += o.gap_fills;
                total.garbled += o.garbled;
                total.stale_timers += o.stale_timers;
                total.dup_deliveries += o.dup_deliveries;
            }
            Err(e) => {
                failures.insert(seed, e);
            }
        }
    }
    println!(
        "session_sim shard {shard}: seeds {:?}..={:?} ({}), {} failed; {} orders, {} s simulated, \
         {} disconnects, {} resent, {} gap fills, {} garbled frames, {} PossDup repeats, \
         {} stale timer deadlines",
        seeds.first(),
        seeds.last(),
        seeds.len(),
        failures.len(),
        total.orders,
        total.sim_s,
        total.closes,
        total.resent,
        total.gap_fills,
        total.garbled,
        total.dup_deliveries,
        total.stale_timers,
    );
    let report: Vec<String> = failures
        .iter()
        .take(5)
        .map(|(seed, e)| {
            format!(
                "seed {seed}: {e}\n  rerun: FIXGATE_SIM_SEED={seed} FIXGATE_SIM_TRACE=1 cargo test \
                 -p fixgate-core --test session_sim_seeded seeded_faults_0 -- --nocapture"
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} seeds failed (seeds {:?}):\n{}",
        failures.len(),
        seeds.len(),
        failures.keys().collect::<Vec<_>>(),
        report.join("\n")
    );
}

#[test]
fn seeded_faults_0() {
    check_seeds(0);
}

#[test]
fn seeded_faults_1() {
    check_seeds(1);
}

#[test]
fn seeded_faults_2() {
    check_seeds(2);
}

#[test]
fn seeded_faults_3() {
    check_seeds(3);
}
