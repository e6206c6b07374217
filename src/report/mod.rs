//! Latency reports: collecting the hot threads' histograms during a run and
//! turning them into files people and tools read.
//!
//! ```text
//!  hot threads: HotLatency ──SPSC──► LatencyCollector ──► latency.hlog (HdrHistogram interval log)
//!  (fixgate-core::latency)            (merger thread)  └─► MergedLatency ──► LatencyReport::write_to(dir)
//!                                                                               ├─ latency.txt   percentile table
//!  fixgate report --hlog FILE ─► read_hlog ─► MergedLatency ─────────────────►  ├─ latency.json  summary
//!                                                                               └─ latency-<stage>.svg
//! ```
//!
//! Supported: the table (p50, p90, p99, p99.9, p99.99, max, count and clamped
//! count per stage and venue), HdrHistogram interval logs (V2 deflate, with
//! StartTime/BaseTime, readable by HdrHistogram's Java and Rust tools), SVG
//! percentile plots per stage, a JSON summary, and the environment header
//! (cores, CPU, kernel clock source, invariant TSC, wait strategy, pinning).
//! Not here: a live metrics endpoint, and coordinated-omission correction
//! (fixgate records each message's actual stage times; benchmarks that pace a
//! sender stamp the scheduled time themselves).

mod collect;
mod env;
mod handoff;
mod hlog;
mod hlog_read;
mod json;
mod plot;
mod table;

use std::io;
use std::path::{Path, PathBuf};

use fixgate_core::latency::{LatencyError, MergedLatency, Stage, StageKey};

pub use collect::LatencyCollector;
pub use env::{Environment, Pinning, CLOCKSOURCE_PATH, CPUINFO_PATH, OSRELEASE_PATH};
pub use handoff::{
    interval_handoff, latency_handoff, HotLatency, IntervalHandoff, LatencySource, Rotation, Taken,
};
pub use hlog::{HlogWriter, CLAMPED_COMMENT, ENV_COMMENT, LOG_LEGEND};
pub use hlog_read::{read_hlog, HlogContents, HlogInterval};
pub use json::{summary_json, SUMMARY_FORMAT};
pub use plot::{percentile_svg, PLOT_SIZE};
pub use table::{format_ns, percentile_table};

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Reading or writing failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being read or written (a path, "interval log").
        what: String,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// A histogram could not be serialized into the interval log.
    #[error("histogram {key} does not serialize: {detail}")]
    Serialize {
        /// Its key.
        key: StageKey,
        /// The serializer's message.
        detail: String,
    },
    /// An interval log line is neither a comment nor an interval.
    #[error("interval log line {line} does not parse")]
    LogParse {
        /// The line number (1-based).
        line: usize,
    },
    /// An interval log line parses but its content does not read (a histogram
    /// that does not decode, a bad fixgate comment).
    #[error("interval log line {line}: {detail}")]
    LogHistogram {
        /// The line number (1-based).
        line: usize,
        /// What is wrong.
        detail: String,
    },
    /// plotters failed to draw.
    #[error("plot of {stage}: {detail}")]
    Plot {
        /// The stage being plotted.
        stage: Stage,
        /// plotters' message.
        detail: String,
    },
    /// Histograms could not be merged.
    #[error(transparent)]
    Merge(#[from] LatencyError),
}

impl ReportError {
    fn io(what: impl Into<String>, source: io::Error) -> Self {
        ReportError::Io {
            what: what.into(),
            source,
        }
    }
}

/// A run's latency and environment, ready to be written out.
#[derive(Clone, Debug, Default)]
pub struct LatencyReport {
    /// The environment of the run, if known.
    pub environment: Option<Environment>,
    /// The merged histograms.
    pub latency: MergedLatency,
}

impl LatencyReport {
    /// The report of an interval log's text (every interval merged per stage
    /// and venue, clamp counts and the environment from fixgate's comments),
    /// with what was read.
    ///
    /// # Errors
    /// As [`read_hlog`], and [`ReportError::Merge`].
    pub fn from_hlog(text: &[u8]) -> Result<(Self, HlogContents), ReportError> {
        let contents = read_hlog(text)?;
        let report = LatencyReport {
            environment: contents.environment.clone(),
            latency: contents.merged()?,
        };
        Ok((report, contents))
    }

    /// The percentile table as text (with the environment header).
    pub fn table(&self) -> String {
        percentile_table(self.environment.as_ref(), &self.latency)
    }

    /// The JSON summary.
    pub fn json(&self) -> serde_json::Value {
        summary_json(self.environment.as_ref(), &self.latency)
    }

    /// One SVG per stage that has data, in pipeline order.
    ///
    /// # Errors
    /// [`ReportError::Plot`].
    pub fn plots(&self) -> Result<Vec<(Stage, String)>, ReportError> {
        let mut plots = Vec::new();
        for stage in self.latency.stages() {
            let series: Vec<_> = self
                .latency
                .iter()
                .filter(|(key, entry)| key.stage == stage && !entry.histogram.is_empty())
                .map(|(key, entry)| (key.venue, entry))
                .collect();
            // A stage known only from clamp counts has nothing to draw.
            if !series.is_empty() {
                plots.push((stage, percentile_svg(stage, &series)?));
            }
        }
        Ok(plots)
    }

    /// Writes `latency.txt`, `latency.json` and `latency-<stage>.svg` into
    /// `dir` (created if missing); returns the paths written.
    ///
    /// # Errors
    /// [`ReportError::Io`] naming the path, or [`ReportError::Plot`].
    pub fn write_to(&self, dir: &Path) -> Result<Vec<PathBuf>, ReportError> {
        std::fs::create_dir_all(dir).map_err(|e| ReportError::io(dir.display().to_string(), e))?;
        let mut files: Vec<(PathBuf, String)> = vec![
            (dir.join("latency.txt"), self.table()),
            (
                dir.join("latency.json"),
                // Serializing a Value to a String cannot fail.
                serde_json::to_string_pretty(&self.json()).unwrap_or_default() + "\n",
            ),
        ];
        for (stage, svg) in self.plots()? {
            files.push((dir.join(format!("latency-{}.svg", stage.name())), svg));
        }
        let mut written = Vec::with_capacity(files.len());
        for (path, text) in files {
            std::fs::write(&path, text)
                .map_err(|e| ReportError::io(path.display().to_string(), e))?;
            written.push(path);
        }
        Ok(written)
    }
}
