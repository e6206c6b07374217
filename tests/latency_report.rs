//! Latency reports end to end: interval logs written and read back (by
//! fixgate and by hdrhistogram's own parser), a threaded run through the SPSC
//! handoff and collector, every output file checked for structure, the
//! `fixgate report` command, and bad logs.

mod latency_support;

use std::io::Cursor;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use fixgate::report::{
    latency_handoff, read_hlog, Environment, HlogWriter, LatencyCollector, LatencyReport,
    ReportError, Rotation, SUMMARY_FORMAT,
};
use fixgate_core::latency::{LatencyLayout, MergedLatency, Percentiles, Stage, StageKey};
use fixgate_core::time::{Clock, TscClock};
use fixgate_core::types::VenueId;
use hdrhistogram::serialization::interval_log::{IntervalLogIterator, LogEntry};
use hdrhistogram::serialization::Deserializer;
use hdrhistogram::Histogram;

use latency_support::{check_svg, sample_log, scratch_dir, START_UTC};

#[test]
fn interval_log_round_trips() {
    let sample = sample_log();
    let text = std::str::from_utf8(&sample.log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("#fixgate latency interval log: values in nanoseconds"));
    assert!(
        lines[1].starts_with("#fixgate-env {\"cores\":2,"),
        "{}",
        lines[1]
    );
    assert_eq!(
        lines[2],
        "#[StartTime: 1773671400.000 (seconds since epoch)]"
    );
    assert_eq!(
        lines[3],
        "#[BaseTime: 1773671400.000 (seconds since epoch)]"
    );
    assert!(
        lines[4].starts_with("Tag=CME.receive_decoded,0.000,1.000,"),
        "{}",
        lines[4]
    );
    assert!(text.contains("\n#fixgate-clamped CME.receive_decoded 2\n"));
    let interval_lines = lines.iter().filter(|l| l.starts_with("Tag=")).count();
    assert_eq!(interval_lines, sample.intervals.len());

    // hdrhistogram's own parser and deserializer, independently of fixgate's
    // reader: same tags, times and histograms, in order.
    let mut deserializer = Deserializer::new();
    let mut seen = Vec::new();
    let (mut start_time, mut base_time) = (None, None);
    for entry in IntervalLogIterator::new(&sample.log) {
        match entry.unwrap() {
            LogEntry::StartTime(t) => start_time = Some(t),
            LogEntry::BaseTime(t) => base_time = Some(t),
            LogEntry::Interval(i) => {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(i.encoded_histogram())
                    .unwrap();
                let h: Histogram<u64> = deserializer.deserialize(&mut Cursor::new(bytes)).unwrap();
                assert_eq!(i.max(), h.max() as f64);
                seen.push((
                    i.tag().unwrap().as_str().to_owned(),
                    i.start_timestamp(),
                    i.duration(),
                    h,
                ));
            }
        }
    }
    let start = Duration::from_nanos(START_UTC.as_nanos());
    assert_eq!((start_time, base_time), (Some(start), Some(start)));
    assert_eq!(seen.len(), sample.intervals.len());
    for ((tag, at, length, h), want) in seen.iter().zip(&sample.intervals) {
        assert_eq!(tag, &want.key.to_string());
        assert_eq!((*at, *length), (want.start, want.length));
        assert_eq!(h, &want.histogram, "{tag} at {at:?}");
    }

    // fixgate's reader: the same, plus the environment and clamp counts.
    let contents = read_hlog(&sample.log).unwrap();
    assert_eq!(contents.environment.as_ref(), Some(&sample.environment));
    assert_eq!(contents.start_time, Some(start));
    assert!(contents.skipped.is_empty());
    assert_eq!(contents.intervals.len(), sample.intervals.len());
    for (got, want) in contents.intervals.iter().zip(&sample.intervals) {
        assert_eq!(got.key, want.key);
        assert_eq!((got.start, got.length), (want.start, want.length));
        assert_eq!(got.histogram, want.histogram);
    }
    let merged = contents.merged().unwrap();
    assert_same_totals(&merged, &sample.merged);
    let cme = StageKey::new(VenueId::CME, Stage::ReceiveToDecoded);
    assert_eq!(merged.get(cme).unwrap().clamped, 2);
    println!("{} intervals round-tripped", contents.intervals.len());
}

fn assert_same_totals(got: &MergedLatency, want: &MergedLatency) {
    let keys = |m: &MergedLatency| m.iter().map(|(k, e)| (k, e.clamped)).collect::<Vec<_>>();
    assert_eq!(keys(got), keys(want));
    for (key, entry) in want.iter() {
        assert_eq!(
            Percentiles::of(&got.get(key).unwrap().histogram),
            Percentiles::of(&entry.histogram),
            "{key}"
        );
    }
}

#[test]
fn a_threaded_run_reports_every_output() {
    let clock = TscClock::new();
    let start_utc = clock.utc();
    let start_mono = clock.mono();
    let environment = Environment::probe()
        .with_wait_strategy("spin-then-yield")
        .with_pinning("feed-cme", None)
        .with_pinning("strategy", None);
    let dir = scratch_dir("threaded_run");
    let hlog_path = dir.join("latency.hlog");
    let file = std::io::BufWriter::new(std::fs::File::create(&hlog_path).unwrap());
    let log = HlogWriter::new(file, start_utc, start_mono, Some(&environment)).unwrap();
    let mut collector = LatencyCollector::new(Some(log));

    let feed_layout = Arc::new(
        LatencyLayout::new(
            &[VenueId::CME, VenueId::ICE],
            &[Stage::ReceiveToDecoded, Stage::DecodedToPublished],
        )
        .unwrap(),
    );
    let strategy_layout = Arc::new(
        LatencyLayout::new(&[VenueId::CME, VenueId::ICE], &[Stage::PublishedToStrategy]).unwrap(),
    );
    let interval = Duration::from_millis(2);
    let (feed, feed_source) = latency_handoff("feed", feed_layout.clone(), 2, start_mono, interval);
    let (strategy, strategy_source) =
        latency_handoff("strategy", strategy_layout.clone(), 2, start_mono, interval);
    collector.add_source(feed_source);
    collector.add_source(strategy_source);

    const MESSAGES: u64 = 20_000;
    let run =
        |mut hot: fixgate::report::HotLatency, layout: Arc<LatencyLayout>, stages: Vec<Stage>| {
            let clock = clock.clone();
            std::thread::spawn(move || {
                let slots = [VenueId::CME, VenueId::ICE].map(|v| layout.venue_slot(v).unwrap());
                let mut rotations = 0;
                for i in 0..MESSAGES {
                    let slot = slots[(i % 2) as usize];
                    for stage in &stages {
                        let start = clock.raw();
                        std::hint::black_box((0..(i % 64)).sum::<u64>());
                        hot.recorder()
                            .record_ticks(&clock, slot, *stage, start, clock.raw());
                    }
                    if i % 32 == 31 && hot.end_batch(clock.mono()) == Rotation::Rotated {
                        rotations += 1;
                    }
                }
                let deferred = hot.deferred();
                assert!(hot.finish(clock.mono()));
                (rotations, deferred)
            })
        };
    let feed = run(
        feed,
        feed_layout,
        vec![Stage::ReceiveToDecoded, Stage::DecodedToPublished],
    );
    let strategy = run(strategy, strategy_layout, vec![Stage::PublishedToStrategy]);
    collector
        .run_until_done(Duration::from_micros(200))
        .unwrap();
    let (feed_rotations, feed_deferred) = feed.join().unwrap();
    let (strategy_rotations, _) = strategy.join().unwrap();
    assert_eq!(
        collector.intervals(),
        feed_rotations + strategy_rotations + 2,
        "every rotated set and both final ones reached the collector"
    );
    let (total, out) = collector.finish().unwrap();
    drop(out);

    // Nothing lost: every record is in the totals.
    for stage in Stage::ALL.into_iter().take(3) {
        for venue in [VenueId::CME, VenueId::ICE] {
            let entry = total.get(StageKey::new(venue, stage)).unwrap();
            assert_eq!(entry.histogram.len(), MESSAGES / 2, "{venue} {stage}");
            assert_eq!(entry.clamped, 0);
        }
    }
    println!(
        "feed: {feed_rotations} rotations, {feed_deferred} deferred; strategy: {strategy_rotations} rotations"
    );

    // The log holds the same totals.
    let (report, contents) = LatencyReport::from_hlog(&std::fs::read(&hlog_path).unwrap()).unwrap();
    assert_same_totals(&report.latency, &total);
    assert_eq!(report.environment.as_ref(), Some(&environment));
    // Each key's intervals follow one another in the log.
    for (key, _) in report.latency.iter() {
        let starts: Vec<Duration> = contents
            .intervals
            .iter()
            .filter(|i| i.key == key)
            .map(|i| i.start)
            .collect();
        assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{key}: {starts:?}");
    }

    let files = report.write_to(&dir).unwrap();
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "latency.txt",
            "latency.json",
            "latency-receive_decoded.svg",
            "latency-decoded_published.svg",
            "latency-published_strategy.svg"
        ]
    );
    check_outputs(&dir, &report, &["CME", "ICE"]);
}

/// The table, JSON and plots in `dir` agree with `report`.
fn check_outputs(dir: &Path, report: &LatencyReport, venues: &[&str]) {
    let table = std::fs::read_to_string(dir.join("latency.txt")).unwrap();
    assert!(table.contains("invariant TSC:"));
    assert!(table.contains("wait strategy: spin-then-yield"));
    let rows = table
        .lines()
        .skip_while(|l| !l.starts_with("stage "))
        .skip(1)
        .count();
    assert_eq!(rows, report.latency.iter().count());

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("latency.json")).unwrap()).unwrap();
    assert_eq!(json["format"], SUMMARY_FORMAT);
    let stages = json["stages"].as_array().unwrap();
    assert_eq!(stages.len(), report.latency.iter().count());
    for (row, (key, entry)) in stages.iter().zip(report.latency.iter()) {
        assert_eq!(row["stage"], key.stage.name());
        assert_eq!(row["venue"], key.venue.to_string());
        assert_eq!(row["count"], entry.histogram.len());
        assert_eq!(row["p99_ns"], entry.histogram.value_at_quantile(0.99));
    }

    for stage in report.latency.stages() {
        let svg =
            std::fs::read_to_string(dir.join(format!("latency-{}.svg", stage.name()))).unwrap();
        let summary = check_svg(&svg);
        assert_eq!(
            summary.polylines,
            venues.len() + venues.len(),
            "a line and a legend mark per venue"
        );
        for venue in venues {
            assert!(
                summary
                    .texts
                    .iter()
                    .any(|t| t.starts_with(&format!("{venue} (n="))),
                "{venue} legend missing in {stage}: {:?}",
                summary.texts
            );
        }
        assert!(summary.texts.iter().any(|t| t.contains(stage.label())));
        for label in ["0%", "90%", "99%"] {
            assert!(
                summary.texts.iter().any(|t| t == label),
                "{label} axis label"
            );
        }
    }
}

#[test]
fn report_command_regenerates_from_a_log() {
    let sample = sample_log();
    let dir = scratch_dir("report_command");
    let hlog = dir.join("run.hlog");
    std::fs::write(&hlog, &sample.log).unwrap();
    let out_dir = dir.join("out");
    let output = Command::new(env!("CARGO_BIN_EXE_fixgate"))
        .args(["report", "--hlog"])
        .arg(&hlog)
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("receive → decoded"), "{stdout}");
    assert!(
        stderr.contains(&format!("{} intervals read", sample.intervals.len())),
        "{stderr}"
    );
    let table = std::fs::read_to_string(out_dir.join("latency.txt")).unwrap();
    assert_eq!(stdout, table);
    let report = LatencyReport {
        environment: Some(sample.environment.clone()),
        latency: sample.merged.clone(),
    };
    assert_eq!(table, report.table());
    for stage in report.latency.stages() {
        let svg =
            std::fs::read_to_string(out_dir.join(format!("latency-{}.svg", stage.name()))).unwrap();
        check_svg(&svg);
    }

    // A missing file is an error that names it, not a panic.
    let output = Command::new(env!("CARGO_BIN_EXE_fixgate"))
        .args(["report", "--hlog", "/nonexistent/run.hlog", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/run.hlog"));
}

#[test]
fn bad_logs_are_typed_errors_or_skipped_lines() {
    let sample = sample_log();
    let text = String::from_utf8(sample.log.clone()).unwrap();

    let garbage = format!("{text}this is not an interval\n");
    let lines = garbage.lines().count();
    match read_hlog(garbage.as_bytes()) {
        Err(ReportError::LogParse { line }) => assert_eq!(line, lines),
        other => panic!("{other:?}"),
    }

    let bad_base64 = text.replacen("HISTF", "HI!TF", 1);
    match read_hlog(bad_base64.as_bytes()) {
        Err(ReportError::LogHistogram { line: 5, detail }) => assert!(detail.contains("base64")),
        other => panic!("{other:?}"),
    }

    // Valid base64 of a truncated histogram.
    let first = text.lines().nth(4).unwrap();
    let (head, encoded) = first.rsplit_once(',').unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    let cut = base64::engine::general_purpose::STANDARD.encode(&bytes[..bytes.len() / 2]);
    let truncated = text.replacen(first, &format!("{head},{cut}"), 1);
    assert!(matches!(
        read_hlog(truncated.as_bytes()),
        Err(ReportError::LogHistogram { line: 5, .. })
    ));

    let bad_env = text.replacen("#fixgate-env {", "#fixgate-env {{", 1);
    assert!(matches!(
        read_hlog(bad_env.as_bytes()),
        Err(ReportError::LogHistogram { line: 2, .. })
    ));
    let bad_clamp = text.replacen("CME.receive_decoded 2", "CME.receive_decoded two", 1);
    assert!(matches!(
        read_hlog(bad_clamp.as_bytes()),
        Err(ReportError::LogHistogram { .. })
    ));

    // Lines of other tags, or none, are skipped and listed.
    let foreign = text
        .replacen("Tag=ICE.receive_decoded,", "Tag=ICE.parse,", 1)
        .replacen("Tag=CME.decoded_published,", "", 1);
    let contents = read_hlog(foreign.as_bytes()).unwrap();
    let skipped: Vec<&str> = contents.skipped.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped.contains(&"ICE.parse") && skipped.contains(&""));
    assert_eq!(contents.intervals.len(), sample.intervals.len() - 2);

    // An empty log is an empty report.
    let (report, _) = LatencyReport::from_hlog(b"").unwrap();
    assert!(report.latency.is_empty());
    assert!(report.table().contains("(no latency recorded)"));
    let dir = scratch_dir("empty_report");
    let files = report.write_to(&dir).unwrap();
    assert_eq!(files.len(), 2, "no plots without data: {files:?}");
}
