//! The README's main job, end to end: `fixgate sample cme` writes a feed on
//! lines A and B with its replay configuration, and `fixgate replay` runs it
//! through arbitration, recovery, books, the ring and the configured
//! strategies, keeping one copy of each packet.

mod support;

use serde_json::Value;
use std::process::Command;
use support::replay_capture::scratch;

fn fixgate(args: &[&std::ffi::OsStr]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_fixgate"))
        .args(args)
        .output()
        .expect("run fixgate");
    assert!(
        out.status.success(),
        "fixgate {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn sample_cme_replays_with_one_copy_of_each_packet() {
    let dir = scratch("sample_cme");
    let capture = dir.join("sample-cme.pcap");
    let config = dir.join("sample-cme.toml");
    fixgate(&[
        "sample".as_ref(),
        "cme".as_ref(),
        capture.as_os_str(),
        "--instruments".as_ref(),
        "4".as_ref(),
        "--packets".as_ref(),
        "2000".as_ref(),
    ]);
    assert!(
        config.is_file(),
        "the replay configuration is written beside the capture"
    );
    let out = fixgate(&[
        "replay".as_ref(),
        capture.as_os_str(),
        "--venue".as_ref(),
        "cme".as_ref(),
        "--quiet".as_ref(),
        "--config".as_ref(),
        config.as_os_str(),
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let json: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    // 4 book-building packets, then 2,000: each on A and on B.
    assert_eq!(json["packets"], 2_004);
    assert_eq!(json["duplicates"], 2_004);
    assert_eq!(json["gaps"], 0);
    assert_eq!(json["refused_packets"], 0);
    // Every packet carries one venue event (one message, end of event).
    assert_eq!(json["messages"], 2_004);
    assert!(json["events"].as_u64().unwrap() > 2_004, "{stdout}");
    println!("sample cme replay: {}", stdout.lines().last().unwrap());
}
