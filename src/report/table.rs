//! The percentile table: one row per stage and venue, as text.

use std::fmt::Write as _;

use fixgate_core::latency::{MergedLatency, Percentiles};

use super::Environment;

/// Formats nanoseconds with three significant digits in the largest fitting
/// unit: `812ns`, `1.02µs`, `12.3µs`, `456µs`, `7.89ms`, `60.0s`.
pub fn format_ns(ns: u64) -> String {
    let (value, unit) = match ns {
        0..1_000 => return format!("{ns}ns"),
        1_000..1_000_000 => (ns as f64 / 1e3, "µs"),
        1_000_000..1_000_000_000 => (ns as f64 / 1e6, "ms"),
        _ => (ns as f64 / 1e9, "s"),
    };
    // Rounding may carry into the next digit (999.7 → "1000"): then one fewer
    // decimal is still three significant digits.
    if value < 9.995 {
        format!("{value:.2}{unit}")
    } else if value < 99.95 {
        format!("{value:.1}{unit}")
    } else {
        format!("{value:.0}{unit}")
    }
}

/// The report as text: a title, the environment header, then the table.
///
/// ```text
/// stage                    venue      count     p50     p90  ...     max  clamped
/// receive → decoded        CME      1000000   812ns  1.02µs  ...  45.1µs        0
/// ```
pub fn percentile_table(environment: Option<&Environment>, latency: &MergedLatency) -> String {
    let mut out = String::from("fixgate latency report (HdrHistogram, 3 significant digits)\n\n");
    match environment {
        Some(env) => out.push_str(&env.header()),
        None => out.push_str("environment:   not recorded\n"),
    }
    out.push('\n');
    let _ = write!(out, "{:<26} {:<10} {:>10}", "stage", "venue", "count");
    for (name, _) in Percentiles::COLUMNS {
        let _ = write!(out, " {name:>8}");
    }
    let _ = writeln!(out, " {:>8} {:>8}", "max", "clamped");
    if latency.iter().next().is_none() {
        out.push_str("(no latency recorded)\n");
    }
    for (key, entry) in latency.iter() {
        let p = Percentiles::of(&entry.histogram);
        let _ = write!(
            out,
            "{:<26} {:<10} {:>10}",
            key.stage.label(),
            key.venue.to_string(),
            p.count
        );
        for v in p.columns() {
            let _ = write!(out, " {:>8}", format_ns(v));
        }
        let _ = writeln!(out, " {:>8} {:>8}", format_ns(p.max_ns), entry.clamped);
    }
    if latency.unrouted() > 0 {
        let _ = writeln!(
            out,
            "\n{} values named a venue or stage their recorder had no histogram for",
            latency.unrouted()
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use fixgate_core::latency::{new_histogram, Stage, StageKey, HIGHEST_NS};
    use fixgate_core::types::VenueId;

    use super::*;

    #[test]
    fn formats_with_three_significant_digits() {
        for (ns, want) in [
            (0, "0ns"),
            (812, "812ns"),
            (999, "999ns"),
            (1_000, "1.00µs"),
            (1_024, "1.02µs"),
            (12_345, "12.3µs"),
            (456_000, "456µs"),
            (999_700, "1000µs"),
            (7_891_000, "7.89ms"),
            (HIGHEST_NS, "60.0s"),
            (u64::MAX, "18446744074s"),
        ] {
            assert_eq!(format_ns(ns), want, "{ns}");
        }
    }

    fn merged() -> MergedLatency {
        let mut merged = MergedLatency::new();
        let mut h = new_histogram();
        for v in 1..=1_000u64 {
            h.record(v * 100).unwrap();
        }
        let cme = StageKey::new(VenueId::CME, Stage::ReceiveToDecoded);
        merged.add_histogram(cme, &h, 3).unwrap();
        let mut h = new_histogram();
        h.record(250).unwrap();
        merged
            .add_histogram(
                StageKey::new(VenueId::ICE, Stage::PublishedToStrategy),
                &h,
                0,
            )
            .unwrap();
        merged
    }

    #[test]
    fn one_row_per_stage_and_venue_with_every_column() {
        let env = Environment::from_sources(2, None, Some("tsc"), None).with_wait_strategy("park");
        let text = percentile_table(Some(&env), &merged());
        let lines: Vec<&str> = text.lines().collect();
        let header = lines
            .iter()
            .position(|l| l.starts_with("stage "))
            .expect("column header");
        let columns: Vec<&str> = lines[header].split_whitespace().collect();
        assert_eq!(
            columns,
            ["stage", "venue", "count", "p50", "p90", "p99", "p99.9", "p99.99", "max", "clamped"]
        );
        let rows = &lines[header + 1..];
        assert_eq!(rows.len(), 2, "{text}");
        // Rows in pipeline order; values from the histogram (1..1000 × 100 ns).
        let cme: Vec<&str> = rows[0].split_whitespace().collect();
        assert_eq!(
            cme,
            [
                "receive", "→", "decoded", "CME", "1000", "50.0µs", "90.0µs", "99.0µs", "99.9µs",
                "100µs", "100µs", "3"
            ]
        );
        assert!(rows[1].starts_with("published → strategy"));
        assert!(rows[1].contains("ICE"));
        assert!(rows[1].contains("250ns"));
        assert!(text.contains("wait strategy: park"));
        assert!(text.contains("clocksource tsc"));
        // Every row lines up under the header.
        assert!(rows
            .iter()
            .all(|r| r.chars().count() == lines[header].chars().count()));
    }

    #[test]
    fn says_what_is_missing() {
        let mut empty = MergedLatency::new();
        let text = percentile_table(None, &empty);
        assert!(text.contains("environment:   not recorded"));
        assert!(text.contains("(no latency recorded)"));
        empty.add_unrouted(4);
        assert!(percentile_table(None, &empty).contains("4 values named a venue or stage"));
    }
}
