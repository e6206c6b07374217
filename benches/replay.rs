//! `fixgate replay --speed max` throughput: a capture read, dissected, routed,
//! arbitrated (A/B), normalized, folded into the board and published into the
//! broadcast ring, per packet and per event.
//!
//! The capture is generated (`src/sim/cme_sample.rs`: 16 futures
//! with two-sided books, then level changes and trades, one packet per venue
//! event, `MsgSeqNum` from 1): the streams built from `../shared` are a few
//! dozen packets, too short to time a replay (and their mid-session
//! incrementals need snapshots that a channel joining at sequence 1 does not
//! apply). Written once with fixgate's pcap writer into the temporary
//! directory, outside the timing.
//!
//! - `replay/line_a`: every packet once, no strategy (the pipeline alone).
//! - `replay/lines_ab`: every packet on lines A and B (the arbiter drops one
//!   copy of each): throughput counted in packets delivered.
//! - `replay/lines_ab_probe`: as `lines_ab`, with one `latency_probe` strategy
//!   on its runner thread, in lockstep with the producer (the board written,
//!   the producer waiting for the strategy after each venue event).
//!
//! One iteration is one whole `replay_file` call, including its fixed costs
//! (TSC clock set-up, the latency collector thread, opening the file); the
//! bench prints them apart, from a replay of a one-packet capture, and the
//! per-packet and per-event rates of a plain run.

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, Throughput};
use fixgate::app::replay::{replay_file, ReplayConfig, ReplayOptions, ReplaySummary};
use fixgate::app::strategies::StrategyRegistry;

#[path = "../tests/support"]
#[allow(
    unused_imports,
    reason = "the test encoder re-exports helpers this bench does not use"
)]
mod replay_support {
    pub mod cme_encode;
    pub mod cme_encode_recovery;
    pub mod replay_capture;
    pub mod replay_stream;
}

use replay_support::replay_capture::{both_lines, line_a, write_capture, LINES_TOML};
use replay_support::replay_stream::generate;

const INSTRUMENTS: usize = 16;
const PACKETS: usize = 100_000;

fn replay(path: &Path, config: &ReplayConfig) -> ReplaySummary {
    replay_file(
        path,
        &ReplayOptions::new(config.clone()),
        &StrategyRegistry::with_builtins(),
    )
    .expect("replay")
}

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fixgate-bench-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn report(name: &str, s: &ReplaySummary, fixed_ns: u64) {
    let json = s.counters_json();
    let packets = json["packets"].as_u64().unwrap_or(0);
    let events = s.events;
    let run_ns = s.wall_ns.saturating_sub(fixed_ns).max(1) as f64;
    println!(
        "replay/{name}: {packets} packets ({} copies), {events} events in {:.1} ms (fixed costs {:.1} ms left out): {:.0} packets/s, {:.0} events/s, {:.0} ns/packet",
        json["copies"],
        s.wall_ns as f64 / 1e6,
        fixed_ns as f64 / 1e6,
        packets as f64 / run_ns * 1e9,
        events as f64 / run_ns * 1e9,
        run_ns / packets.max(1) as f64,
    );
}

fn main() {
    let dir = scratch();
    let payloads = generate(INSTRUMENTS, PACKETS, 3);
    let (one, a, ab) = (
        dir.join("one.pcap"),
        dir.join("a.pcap"),
        dir.join("ab.pcap"),
    );
    write_capture(&one, &line_a(&payloads[..1]));
    write_capture(&a, &line_a(&payloads));
    write_capture(&ab, &both_lines(&payloads));
    let plain = ReplayConfig::parse(LINES_TOML).expect("config");
    let probe = ReplayConfig::parse(&format!(
        "{LINES_TOML}\n[[strategy]]\nname = \"latency_probe\"\nsubscribe = [{{ ring = \"cme\", mode = \"blocking\" }}]\n"
    ))
    .expect("config");

    // Fixed costs: the fastest of a few one-packet replays.
    let fixed_ns = (0..5)
        .map(|_| replay(&one, &plain).wall_ns)
        .min()
        .unwrap_or(0);
    let fixed_probe_ns = (0..5)
        .map(|_| replay(&one, &probe).wall_ns)
        .min()
        .unwrap_or(0);
    let n = payloads.len() as u64;
    for (name, path, config, fixed) in [
        ("line_a", &a, &plain, fixed_ns),
        ("lines_ab", &ab, &plain, fixed_ns),
        ("lines_ab_probe", &ab, &probe, fixed_probe_ns),
    ] {
        let s = replay(path, config);
        assert_eq!(
            s.counters_json()["packets"],
            n,
            "{name}: every packet delivered"
        );
        assert_eq!(
            s.counters_json()["refused"],
            0,
            "{name}: every entry applied"
        );
        report(name, &s, fixed);
    }

    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    let mut g = c.benchmark_group("replay");
    g.throughput(Throughput::Elements(n));
    g.bench_function("line_a", |b| b.iter(|| replay(&a, &plain)));
    g.bench_function("lines_ab", |b| b.iter(|| replay(&ab, &plain)));
    g.bench_function("lines_ab_probe", |b| b.iter(|| replay(&ab, &probe)));
    g.finish();
    c.final_summary();
    let _ = std::fs::remove_dir_all(&dir);
}
