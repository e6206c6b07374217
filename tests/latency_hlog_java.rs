//! The reference HdrHistogram tool reads fixgate's interval logs: Java
//! HdrHistogram's `HistogramLogProcessor` lists the log's tags and, per tag,
//! gets the same count and percentiles as fixgate's own merge.
//!
//! Needs `java` and HdrHistogram's jar (Debian's libhdrhistogram-java) with
//! `FIXGATE_HDRHISTOGRAM_JAR` pointing at it (`.ci/run` installs and sets
//! both); without that variable the test prints SKIPPED and passes.

mod latency_support;

use std::path::PathBuf;
use std::process::Command;

use fixgate_core::latency::Percentiles;

use latency_support::{sample_log, scratch_dir};

const PROCESSOR: &str = "org.HdrHistogram.HistogramLogProcessor";

fn jar() -> Option<PathBuf> {
    match std::env::var_os("FIXGATE_HDRHISTOGRAM_JAR") {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => {
            println!(
                "SKIPPED java_hdrhistogram_reads_fixgate_logs: FIXGATE_HDRHISTOGRAM_JAR is not set \
                 (apt-get install libhdrhistogram-java; /usr/share/java/hdrhistogram.jar)"
            );
            None
        }
    }
}

fn processor(jar: &PathBuf, args: &[&str]) -> String {
    let output = Command::new("java")
        .arg("-cp")
        .arg(jar)
        .arg(PROCESSOR)
        .args(args)
        .output()
        .expect("run java");
    assert!(
        output.status.success(),
        "{PROCESSOR} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

#[test]
fn java_hdrhistogram_reads_fixgate_logs() {
    let Some(jar) = jar() else {
        return;
    };
    let sample = sample_log();
    let dir = scratch_dir("java");
    let hlog = dir.join("sample.hlog");
    std::fs::write(&hlog, &sample.log).unwrap();
    let hlog = hlog.to_str().unwrap();

    let listed = processor(&jar, &["-i", hlog, "-listtags"]);
    let mut tags: Vec<&str> = listed.lines().skip(1).map(str::trim).collect();
    tags.sort_unstable();
    let mut want: Vec<String> = sample.merged.iter().map(|(k, _)| k.to_string()).collect();
    want.sort_unstable();
    assert_eq!(tags, want, "{listed}");

    for (key, entry) in sample.merged.iter() {
        let tag = key.to_string();
        let out = dir.join(&tag);
        let out = out.to_str().unwrap();
        processor(
            &jar,
            &[
                "-i",
                hlog,
                "-tag",
                &tag,
                "-o",
                out,
                "-csv",
                "-outputValueUnitRatio",
                "1",
            ],
        );
        // The interval CSV's last row holds the totals over the whole log.
        let csv = std::fs::read_to_string(out).unwrap();
        let header: Vec<&str> = csv
            .lines()
            .find(|l| l.starts_with('"'))
            .unwrap()
            .split(',')
            .collect();
        let last: Vec<&str> = csv.lines().last().unwrap().split(',').collect();
        let column = |name: &str| -> f64 {
            let i = header
                .iter()
                .position(|h| h.trim_matches('"') == name)
                .unwrap_or_else(|| panic!("no {name} column in {header:?}"));
            last[i].parse().unwrap()
        };
        let p = Percentiles::of(&entry.histogram);
        assert_eq!(column("Total_Count"), p.count as f64, "{tag}");
        for (name, value) in [
            ("Total_50%", p.p50_ns),
            ("Total_90%", p.p90_ns),
            ("Total_99%", p.p99_ns),
            ("Total_99.9%", p.p99_9_ns),
            ("Total_99.99%", p.p99_99_ns),
            ("Total_Max", p.max_ns),
        ] {
            assert_eq!(column(name), value as f64, "{tag} {name}");
        }
        println!(
            "{tag}: Java HdrHistogram count {} p99 {} ns, as fixgate",
            p.count, p.p99_ns
        );
    }
}
