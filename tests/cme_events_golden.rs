//! Golden digests of `fixgate decode FILE.pcap --events` for every capture in
//! `../shared/conformance/mdp3/pcap` (`tests/golden/cme-events/`: per line its
//! seq, kind, length and a hash, never the market data itself, which the
//! captures' licence keeps out of the repository), and what the normalized
//! events of the real captures must say.
//!
//! Regenerate the golden files with `FIXGATE_BLESS=1 cargo test --test
//! cme_events_golden`; otherwise they are compared.

mod support;

use fixgate::tools::decode_cme_events::{decode_capture_events, CmeEventsSummary};
use serde_json::Value;
use support::cme::captures;

fn events_of(path: &std::path::Path) -> (Vec<Value>, CmeEventsSummary) {
    let file = std::fs::read(path).expect("read capture");
    let mut out = Vec::new();
    let summary = decode_capture_events(&file[..], &mut out).expect("capture decodes");
    let lines = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    (lines, summary)
}

#[test]
fn golden_json_of_decode_events_per_capture() {
    let Some(caps) = captures() else {
        return;
    };
    let bless = std::env::var("FIXGATE_BLESS").as_deref() == Ok("1");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/cme-events");
    let mut failures = Vec::new();
    let mut events = 0;
    for (rel, path) in &caps {
        let file = std::fs::read(path).expect("read capture");
        let mut out = Vec::new();
        let summary = decode_capture_events(&file[..], &mut out).expect("capture decodes");
        assert_eq!(summary.errors, 0, "{rel}: {summary}");
        events += summary.events;
        let golden = dir.join(format!("{}.digest", rel.trim_end_matches(".pcap")));
        if let Err(e) = support::golden_digest::check(&golden, &out) {
            failures.push(format!("{rel}: {e}"));
        }
    }
    println!(
        "cme events golden: {} captures, {events} events, {}",
        caps.len(),
        if bless { "blessed" } else { "compared" }
    );
    assert!(
        failures.is_empty(),
        "{} golden mismatches (FIXGATE_BLESS=1 regenerates):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn real_captures_normalize_to_the_expected_events() {
    let Some(caps) = captures() else {
        return;
    };
    let path = |rel: &str| caps.iter().find(|(r, _)| r == rel).unwrap().1.clone();

    // v9 trade summary: the trade as README says, one LAST at the end of the event.
    let (lines, s) = events_of(&path("v9/MdIncrementalRefreshTradeSummary.pcap"));
    let trade = lines.iter().find(|l| l["kind"] == "trade").unwrap();
    assert_eq!(
        (
            &trade["price"],
            &trade["qty"],
            &trade["aggressor"],
            &trade["trade_id"]
        ),
        (
            &Value::from("12952"),
            &Value::from(2),
            &Value::from("ask"),
            &Value::from(341_412)
        )
    );
    assert_eq!(trade["instrument"], 170_506);
    assert_eq!(trade["seq"], 884_140);
    // The capture starts mid-session: the level change and the implied change
    // find empty books and are refused, each on a line of its own.
    let refused: Vec<&str> = lines.iter().filter_map(|l| l["detail"].as_str()).collect();
    assert!(
        refused
            .iter()
            .any(|d| d.starts_with("Implied book of 5893: Change at level 1")),
        "{refused:?}"
    );
    assert_eq!(s.cme.refused, 4);
    let lasts = lines
        .iter()
        .filter(|l| {
            l["flags"]
                .as_array()
                .is_some_and(|f| f.contains(&"LAST".into()))
        })
        .count();
    assert_eq!(lasts, 1);
    assert_eq!(s.normalizer.venue_events, 1);
    // The two orders 47 changes were never seen (the capture starts mid-session).
    assert_eq!(s.normalizer.orders_unknown, 2);

    // v5 session statistics: four events end in the packet; the statistics.
    let (lines, s) = events_of(&path("v5/MdIncrementalRefreshSessionStatistics.pcap"));
    assert_eq!(s.normalizer.venue_events, 4);
    let stats: Vec<&str> = lines
        .iter()
        .filter(|l| l["kind"] == "stat")
        .map(|l| l["stat"].as_str().unwrap())
        .collect();
    assert!(
        stats.contains(&"SessionHighPrice")
            && stats.contains(&"OpeningPrice")
            && stats.contains(&"ElectronicVolume")
    );
    assert!(
        lines.iter().all(|l| l["kind"].is_null()
            || l["flags"]
                .as_array()
                .unwrap()
                .contains(&"BAD_TS_RECV".into())),
        "v5 capture times are 1970"
    );

    // v5 definitions: five instruments defined, no events, nothing refused.
    let (_, s) = events_of(&path("v5/MdInstrumentDefinitionSpread.pcap"));
    assert_eq!((s.cme.definitions, s.cme.refused, s.events), (5, 0, 0));

    // v5 trade summary: the capture ends inside the event; its trade still comes out.
    let (lines, _) = events_of(&path("v5/MdIncrementalRefreshTradeSummary.pcap"));
    assert_eq!(lines[0]["note"], "EndOfEventMissing");
    assert_eq!(lines[1]["kind"], "trade");

    // v12 TCP: headers decode, templates skipped, no events.
    for (rel, p) in caps.iter().filter(|(r, _)| r.starts_with("v12")) {
        let (_, s) = events_of(p);
        assert_eq!((s.events, s.errors), (0, 0), "{rel}");
    }
}
