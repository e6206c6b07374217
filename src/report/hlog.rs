//! HdrHistogram interval logs: writing them during a run.
//!
//! The format is HdrHistogram's own (`HistogramLogWriter` in Java,
//! `hdrhistogram::serialization::interval_log` here), so `HistogramLogProcessor`,
//! HdrHistogram's plotters and `fixgate report` all read it:
//!
//! ```text
//! #fixgate latency interval log: values in nanoseconds, ...
//! #fixgate-env {"cores":2,"cpu_model":"AMD EPYC ...",...}
//! #[StartTime: 1773671400.000 (seconds since epoch)]
//! #[BaseTime: 1773671400.000 (seconds since epoch)]
//! Tag=CME.receive_decoded,0.000,1.000,45123.000,HISTFAAAA...
//! #fixgate-clamped CME.receive_decoded 2
//! ```
//!
//! One line per (stage, venue) per thread interval, tagged with the
//! [`StageKey`] (`CME.receive_decoded`); each histogram V2-serialized with
//! deflate and base64-encoded, as the Java tools write them. StartTime and
//! BaseTime are the run's start (UTC, read once); interval timestamps are
//! seconds since it, measured on the monotonic clock (never a difference of
//! UTC times). The Max column is in nanoseconds (divisor 1).
//!
//! Two kinds of fixgate comment, which other tools skip: the run's
//! [`Environment`] as one JSON line, and the number of clamped values of a
//! histogram after its line when there were any.

use std::io::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fixgate_core::latency::{Histogram, LatencySet, StageKey};
use fixgate_core::time::{MonoNanos, UtcNanos};
use hdrhistogram::serialization::interval_log::{IntervalLogWriterBuilder, Tag};
use hdrhistogram::serialization::V2DeflateSerializer;

use super::{Environment, ReportError};

/// The first comment line of a fixgate interval log.
pub const LOG_LEGEND: &str = "fixgate latency interval log: values in nanoseconds, one line per stage and venue per thread interval (Tag=VENUE.stage), Max column in ns";
/// Prefix of the comment holding the run's environment as JSON.
pub const ENV_COMMENT: &str = "fixgate-env ";
/// Prefix of the comment giving a histogram's clamped count.
pub const CLAMPED_COMMENT: &str = "fixgate-clamped ";

/// Writes an HdrHistogram interval log, one [`LatencySet`] at a time.
///
/// Runs on the merger thread (it allocates and writes); each call writes
/// through to `out`, so give it a `BufWriter` and flush at the end.
pub struct HlogWriter<W: Write> {
    out: W,
    serializer: V2DeflateSerializer,
    start_mono: MonoNanos,
}

impl<W: Write> HlogWriter<W> {
    /// Starts a log: the legend, the environment (if given), and StartTime and
    /// BaseTime at `start_utc`, the wall-clock reading taken together with
    /// `start_mono` at the start of the run.
    ///
    /// # Errors
    /// [`ReportError::Io`] when `out` fails.
    pub fn new(
        mut out: W,
        start_utc: UtcNanos,
        start_mono: MonoNanos,
        environment: Option<&Environment>,
    ) -> Result<Self, ReportError> {
        let start = system_time(start_utc);
        let mut serializer = V2DeflateSerializer::new();
        let mut builder = IntervalLogWriterBuilder::new();
        builder.add_comment(LOG_LEGEND);
        if let Some(env) = environment {
            // serde_json writes no newline in compact form, so it stays one line.
            let json = serde_json::to_string(env).map_err(|e| ReportError::Io {
                what: "environment as JSON".into(),
                source: e.into(),
            })?;
            builder.add_comment(&format!("{ENV_COMMENT}{json}"));
        }
        builder.with_start_time(start).with_base_time(start);
        builder
            .begin_log_with(&mut out, &mut serializer)
            .map_err(|e| ReportError::io("interval log header", e))?;
        Ok(HlogWriter {
            out,
            serializer,
            start_mono,
        })
    }

    /// Writes one line per non-empty histogram of `set` (a rotated-out
    /// interval, with its start and end); returns how many.
    ///
    /// # Errors
    /// [`ReportError::Io`] or [`ReportError::Serialize`].
    pub fn write_set(&mut self, set: &LatencySet) -> Result<usize, ReportError> {
        let mut lines = 0;
        for (key, histogram, clamped) in set.iter() {
            if histogram.is_empty() {
                continue;
            }
            self.write_histogram(key, histogram, set.start(), set.end(), clamped)?;
            lines += 1;
        }
        Ok(lines)
    }

    /// Writes one interval line for `key`: the histogram recorded from `start`
    /// to `end` (monotonic), `clamped` of its values clamped.
    ///
    /// # Errors
    /// [`ReportError::Io`] or [`ReportError::Serialize`].
    pub fn write_histogram(
        &mut self,
        key: StageKey,
        histogram: &Histogram<u64>,
        start: MonoNanos,
        end: MonoNanos,
        clamped: u64,
    ) -> Result<(), ReportError> {
        let tag_text = key.to_string();
        let offset = Duration::from_nanos(start.saturating_sub(self.start_mono));
        let length = Duration::from_nanos(end.saturating_sub(start));
        // No headers: this builder only lends a writer for one line (the
        // header was written once, in `new`).
        let mut writer = IntervalLogWriterBuilder::new()
            .begin_log_with(&mut self.out, &mut self.serializer)
            .map_err(|e| ReportError::io("interval log", e))?;
        writer
            .write_histogram(histogram, offset, length, Tag::new(&tag_text))
            .map_err(|e| ReportError::Serialize {
                key,
                detail: e.to_string(),
            })?;
        if clamped > 0 {
            writer
                .write_comment(&format!("{CLAMPED_COMMENT}{tag_text} {clamped}"))
                .map_err(|e| ReportError::io("interval log", e))?;
        }
        Ok(())
    }

    /// Flushes `out`.
    ///
    /// # Errors
    /// [`ReportError::Io`] when the flush fails.
    pub fn flush(&mut self) -> Result<(), ReportError> {
        self.out
            .flush()
            .map_err(|e| ReportError::io("interval log", e))
    }

    /// Flushes and returns `out`.
    ///
    /// # Errors
    /// [`ReportError::Io`] when the flush fails.
    pub fn into_inner(mut self) -> Result<W, ReportError> {
        self.flush()?;
        Ok(self.out)
    }
}

/// The `SystemTime` of a UTC reading (what the log writer takes).
fn system_time(utc: UtcNanos) -> SystemTime {
    UNIX_EPOCH + Duration::from_nanos(utc.as_nanos())
}
