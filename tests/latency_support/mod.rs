//! Support for the latency report tests: a deterministic sample run written
//! as an interval log, scratch directories, and an SVG structure check.

#![allow(
    dead_code,
    reason = "each latency test binary uses part of the support code"
)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use fixgate::report::{Environment, HlogWriter};
use fixgate_core::latency::{
    Histogram, LatencyLayout, LatencyRecorder, LatencySet, MergedLatency, Stage, StageKey,
    HIGHEST_NS,
};
use fixgate_core::time::{Clock, ManualClock, MonoNanos, UtcNanos};
use fixgate_core::types::VenueId;
use quick_xml::events::Event;
use quick_xml::Reader;

/// The sample run's start: 2026-03-16T14:30:00Z.
pub const START_UTC: UtcNanos = UtcNanos::from_nanos(1_773_671_400_000_000_000);

/// One interval line the sample wrote.
pub struct SampleInterval {
    pub key: StageKey,
    pub start: Duration,
    pub length: Duration,
    pub histogram: Histogram<u64>,
}

/// A sample run: its log, what each line holds, and the totals.
pub struct Sample {
    pub log: Vec<u8>,
    pub intervals: Vec<SampleInterval>,
    pub merged: MergedLatency,
    pub environment: Environment,
}

/// Three intervals (1 s, 1 s, 0.5 s) of a recorder for CME and ICE, receive →
/// decoded and decoded → published, on a manual clock; two clamped values
/// in CME receive → decoded; ICE decoded → published left empty.
pub fn sample_log() -> Sample {
    let clock = ManualClock::new(START_UTC);
    let layout = Arc::new(
        LatencyLayout::new(
            &[VenueId::CME, VenueId::ICE],
            &[Stage::ReceiveToDecoded, Stage::DecodedToPublished],
        )
        .unwrap(),
    );
    let environment = Environment::from_sources(
        2,
        Some("processor\t: 0\nmodel name\t: Test CPU\nflags\t: constant_tsc nonstop_tsc\n"),
        Some("tsc\n"),
        Some("6.1.0\n"),
    )
    .with_wait_strategy("spin")
    .with_pinning("feed-cme", Some(1));
    let mut log = Vec::new();
    let mut writer =
        HlogWriter::new(&mut log, START_UTC, clock.mono(), Some(&environment)).unwrap();
    let mut recorder =
        LatencyRecorder::new(LatencySet::new(layout.clone()), clock.mono(), 1_000_000_000);

    let mut x = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut sets = Vec::new();
    for (interval, length_ms) in [1_000u64, 1_000, 500].into_iter().enumerate() {
        for i in 0..2_000u64 {
            let base = 200 + next() % 2_000;
            recorder.record(VenueId::CME, Stage::ReceiveToDecoded, base);
            recorder.record(
                VenueId::CME,
                Stage::DecodedToPublished,
                base / 2 + (interval as u64) * 100,
            );
            if i % 2 == 0 {
                // A heavier tail on ICE.
                recorder.record(VenueId::ICE, Stage::ReceiveToDecoded, base << (next() % 8));
            }
        }
        if interval == 0 {
            recorder.record(VenueId::CME, Stage::ReceiveToDecoded, HIGHEST_NS + 1);
            recorder.record(VenueId::CME, Stage::ReceiveToDecoded, u64::MAX);
        }
        clock.advance_nanos(length_ms * 1_000_000);
        let set = if interval < 2 {
            recorder
                .rotate(clock.mono(), LatencySet::new(layout.clone()))
                .unwrap()
        } else {
            std::mem::replace(
                &mut recorder,
                LatencyRecorder::new(LatencySet::new(layout.clone()), MonoNanos::ZERO, 1),
            )
            .finish(clock.mono())
        };
        writer.write_set(&set).unwrap();
        sets.push(set);
    }
    writer.flush().unwrap();
    drop(writer);

    let mut intervals = Vec::new();
    let mut merged = MergedLatency::new();
    for set in &sets {
        merged.add_set(set).unwrap();
        for (key, histogram, _) in set.iter() {
            if histogram.is_empty() {
                continue;
            }
            intervals.push(SampleInterval {
                key,
                start: Duration::from_nanos(set.start().as_nanos()),
                length: Duration::from_nanos(set.end().saturating_sub(set.start())),
                histogram: histogram.clone(),
            });
        }
    }
    Sample {
        log,
        intervals,
        merged,
        environment,
    }
}

/// An empty directory for one test's files, under cargo's per-target scratch
/// directory.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("latency")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What an SVG holds, once checked to be well-formed.
#[derive(Debug, Default)]
pub struct SvgSummary {
    /// `<polyline>` elements whose stroke is not black or gray (the data
    /// series and their legend marks).
    pub polylines: usize,
    /// The text of every `<text>` element.
    pub texts: Vec<String>,
}

/// Parses `svg` as XML (every tag closed, one `<svg>` root) and summarizes it;
/// panics on malformed XML.
pub fn check_svg(svg: &str) -> SvgSummary {
    let mut reader = Reader::from_str(svg);
    let mut summary = SvgSummary::default();
    let mut depth = 0usize;
    let mut roots = 0;
    let mut in_text = false;
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("SVG not well-formed at {}: {e}", reader.buffer_position()));
        match event {
            Event::Start(e) | Event::Empty(e) if depth == 0 && e.name().as_ref() != b"svg" => {
                panic!("root element is not <svg>")
            }
            Event::Start(e) => {
                if depth == 0 {
                    roots += 1;
                }
                depth += 1;
                in_text = e.name().as_ref() == b"text";
                count_polyline(&e, &mut summary);
            }
            Event::Empty(e) => {
                if depth == 0 {
                    roots += 1;
                }
                count_polyline(&e, &mut summary);
            }
            Event::End(_) => {
                depth = depth.checked_sub(1).expect("unbalanced end tag");
                in_text = false;
            }
            Event::Text(t) if in_text => summary.texts.push(t.decode().unwrap().trim().to_owned()),
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "unclosed elements");
    assert_eq!(roots, 1, "one <svg> root");
    summary
}

fn count_polyline(e: &quick_xml::events::BytesStart<'_>, summary: &mut SvgSummary) {
    if e.name().as_ref() != b"polyline" {
        return;
    }
    let stroke = e
        .try_get_attribute("stroke")
        .ok()
        .flatten()
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
        .unwrap_or_default();
    if !matches!(stroke.as_str(), "#000000" | "#000" | "black") && !is_gray(&stroke) {
        summary.polylines += 1;
    }
}

/// `#RRGGBB` with R = G = B (mesh and axis lines).
fn is_gray(color: &str) -> bool {
    let hex = color.trim_start_matches('#');
    hex.len() == 6 && hex[0..2] == hex[2..4] && hex[2..4] == hex[4..6]
}
