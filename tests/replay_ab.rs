//! `fixgate replay` of A/B captures: every CME capture of
//! `../shared/conformance/mdp3/pcap` (and the multi-packet stream built from
//! them) written once on line A, then duplicated onto lines A and B, must
//! replay to the same packets, messages and events, with exactly one copy of
//! each packet dropped as a duplicate; the same for a generated feed (which
//! runs without `../shared`). Also the command line: the last
//! stdout line is one JSON object whose first keys are the counters.

mod support;

use std::path::Path;

use fixgate::app::replay::{replay_file, ReplayConfig, ReplayOptions, ReplaySummary};
use fixgate::app::strategies::StrategyRegistry;
use fixgate_core::md::frame::Transport;
use serde_json::Value;
use support::cme::{captures, payloads_of};
use support::replay_capture::{both_lines, line_a, scratch, write_capture, LINES_TOML};

fn replay(path: &Path) -> ReplaySummary {
    let config = ReplayConfig::parse(LINES_TOML).expect("config");
    replay_file(
        path,
        &ReplayOptions::new(config),
        &StrategyRegistry::with_builtins(),
    )
    .expect("replay")
}

fn counter(s: &ReplaySummary, key: &str) -> u64 {
    s.counters_json()[key]
        .as_u64()
        .unwrap_or_else(|| panic!("counter {key}"))
}

/// Replays `payloads` on line A and on both lines; checks and returns the
/// counters of both runs.
fn check_ab(name: &str, payloads: &[Vec<u8>]) -> (ReplaySummary, ReplaySummary) {
    let dir = scratch(&format!("replay-ab-{name}"));
    let (a_path, ab_path) = (dir.join("a.pcap"), dir.join("ab.pcap"));
    write_capture(&a_path, &line_a(payloads));
    write_capture(&ab_path, &both_lines(payloads));
    let single = replay(&a_path);
    let double = replay(&ab_path);
    let n = payloads.len() as u64;
    assert_eq!(counter(&single, "packets"), n, "{name}: every packet once");
    assert_eq!(counter(&single, "duplicates"), 0, "{name}");
    assert_eq!(counter(&double, "copies"), 2 * n, "{name}");
    assert_eq!(
        counter(&double, "packets"),
        n,
        "{name}: one copy of each packet kept"
    );
    assert_eq!(
        counter(&double, "duplicates"),
        counter(&double, "packets"),
        "{name}: the other copy of each dropped"
    );
    for key in ["messages", "events", "gaps", "refused", "rpt_seq_gaps"] {
        assert_eq!(
            counter(&double, key),
            counter(&single, key),
            "{name}: {key}"
        );
    }
    assert_eq!(counter(&double, "unmapped"), 0, "{name}");
    (single, double)
}

fn udp_payload(transport: Transport, bytes: &[u8]) -> Vec<u8> {
    match transport {
        Transport::Udp => bytes.to_vec(),
        // Conflated TCP: the packet after the 2-byte marker, sent as UDP here.
        Transport::Tcp => bytes[2..].to_vec(),
    }
}

#[test]
fn every_shared_capture_duplicated_on_a_and_b_keeps_one_copy() {
    let Some(caps) = captures() else { return };
    let mut cases = 0;
    for (rel, path) in &caps {
        let payloads: Vec<Vec<u8>> = payloads_of(rel, path)
            .iter()
            .map(|p| udp_payload(p.transport, &p.bytes))
            .collect();
        check_ab(&rel.replace(['/', '.'], "_"), &payloads);
        cases += 1;
    }
    println!("replayed {cases} captures on A and on A+B");
    assert_eq!(cases, caps.len());
}

#[test]
fn the_stream_of_every_capture_duplicated_on_a_and_b_keeps_one_copy() {
    let Some(mut stream) = support::cme_stream::build() else {
        return;
    };
    let mut payloads: Vec<Vec<u8>> = Vec::new();
    // Three passes: sequence numbers continue, so nothing is a gap.
    for _ in 0..3 {
        payloads.extend(stream.packets.iter().map(|(_, p)| p.clone()));
        stream.patch(stream.max_rpt_seq);
    }
    let (single, double) = check_ab("stream", &payloads);
    assert!(counter(&single, "events") > 0);
    assert_eq!(counter(&double, "gaps"), 0);
    println!(
        "stream: {} packets, {} events, duplicates {}",
        counter(&double, "packets"),
        counter(&double, "events"),
        counter(&double, "duplicates")
    );
}

#[test]
fn a_generated_feed_duplicated_on_a_and_b_keeps_one_copy() {
    let payloads = support::replay_stream::generate(16, 2_000, 7);
    let (single, double) = check_ab("generated", &payloads);
    assert_eq!(counter(&double, "gaps"), 0);
    assert_eq!(counter(&single, "refused"), 0, "every entry applies");
    assert!(counter(&single, "events") >= 2_000);
    println!(
        "generated: {} packets, {} events, duplicates {}",
        counter(&double, "packets"),
        counter(&double, "events"),
        counter(&double, "duplicates")
    );
}

#[test]
fn the_command_prints_the_counters_as_its_last_line() {
    let Some(stream) = support::cme_stream::build() else {
        return;
    };
    let payloads: Vec<Vec<u8>> = stream.packets.iter().map(|(_, p)| p.clone()).collect();
    let dir = scratch("replay-cli");
    let (capture, config) = (dir.join("ab.pcap"), dir.join("replay.toml"));
    write_capture(&capture, &both_lines(&payloads));
    std::fs::write(&config, LINES_TOML).unwrap();
    let latency = dir.join("latency");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_fixgate"))
        .arg("replay")
        .arg(&capture)
        .args(["--venue", "cme", "--speed", "max", "--config"])
        .arg(&config)
        .arg("--latency-out")
        .arg(&latency)
        .output()
        .expect("run fixgate replay");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let last = stdout.lines().last().expect("a line");
    let json: Value = serde_json::from_str(last).expect("one JSON object");
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys[..6],
        [
            "packets",
            "duplicates",
            "gaps",
            "recovered",
            "messages",
            "events"
        ]
    );
    let n = payloads.len() as u64;
    assert_eq!(json["packets"], n);
    assert_eq!(json["duplicates"], n);
    assert!(json["events"].as_u64().unwrap() > 0);
    for file in ["latency.txt", "latency.json", "latency.hlog"] {
        assert!(latency.join(file).is_file(), "{file} written");
    }
    let table = std::fs::read_to_string(latency.join("latency.txt")).unwrap();
    assert!(table.contains("receive → decoded"), "{table}");
    assert!(table.contains("decoded → published"), "{table}");
    // A paced replay of the same capture: 1,000x of the capture's span.
    let paced = std::process::Command::new(env!("CARGO_BIN_EXE_fixgate"))
        .arg("replay")
        .arg(&capture)
        .args(["--speed", "1000x", "--quiet", "--config"])
        .arg(&config)
        .output()
        .expect("run fixgate replay --speed 1000x");
    assert!(paced.status.success());
    let paced_json: Value = serde_json::from_str(
        String::from_utf8(paced.stdout)
            .unwrap()
            .lines()
            .last()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(paced_json["events"], json["events"]);
}
