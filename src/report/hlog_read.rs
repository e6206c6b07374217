//! HdrHistogram interval logs: reading them back (`fixgate report --hlog`).
//!
//! Reads any interval log that HdrHistogram's parser reads. Lines tagged with a
//! fixgate [`StageKey`] become intervals; lines without such a tag (another
//! tool's log, or a tag fixgate does not know) are listed in
//! [`HlogContents::skipped`] rather than guessed at. fixgate's own comments
//! (environment, clamp counts) are read when present.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::time::Duration;

use base64::Engine as _;
use fixgate_core::latency::{Histogram, MergedLatency, StageKey};
use hdrhistogram::serialization::interval_log::{IntervalLogIterator, LogEntry, LogIteratorError};
use hdrhistogram::serialization::Deserializer;

use super::hlog::{CLAMPED_COMMENT, ENV_COMMENT};
use super::{Environment, ReportError};

/// One interval line of a log.
#[derive(Clone, Debug)]
pub struct HlogInterval {
    /// Its stage and venue (from the tag).
    pub key: StageKey,
    /// The interval's start: seconds after BaseTime when the log has one,
    /// otherwise as written (seconds since the epoch, by the format's rule).
    pub start: Duration,
    /// The interval's length.
    pub length: Duration,
    /// The values, in nanoseconds.
    pub histogram: Histogram<u64>,
}

/// Everything read from an interval log.
#[derive(Clone, Debug, Default)]
pub struct HlogContents {
    /// The log's StartTime (since the epoch), if it has one.
    pub start_time: Option<Duration>,
    /// The log's BaseTime (since the epoch), if it has one.
    pub base_time: Option<Duration>,
    /// The run's environment, from fixgate's comment.
    pub environment: Option<Environment>,
    /// The intervals with a fixgate tag, in log order.
    pub intervals: Vec<HlogInterval>,
    /// Clamped values per key, from fixgate's comments.
    pub clamped: BTreeMap<StageKey, u64>,
    /// The tags of interval lines skipped (empty string: no tag), with the line
    /// number.
    pub skipped: Vec<(usize, String)>,
}

impl HlogContents {
    /// Every interval merged per key, with the clamp counts.
    ///
    /// # Errors
    /// [`ReportError::Merge`] if a histogram cannot be added.
    pub fn merged(&self) -> Result<MergedLatency, ReportError> {
        let mut merged = MergedLatency::new();
        for interval in &self.intervals {
            merged.add_histogram(interval.key, &interval.histogram, 0)?;
        }
        for (key, clamped) in &self.clamped {
            merged.add_clamped(*key, *clamped);
        }
        Ok(merged)
    }
}

/// Reads an interval log.
///
/// # Errors
/// [`ReportError::LogParse`] where a line is neither a comment nor an
/// interval; [`ReportError::LogHistogram`] where a histogram does not decode
/// or a fixgate comment does not read (with its line number).
pub fn read_hlog(text: &[u8]) -> Result<HlogContents, ReportError> {
    let mut contents = HlogContents::default();
    let line_of = |offset: usize| {
        1 + text[..offset.min(text.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    };
    let mut deserializer = Deserializer::new();
    let mut decoded = Vec::new();
    for entry in IntervalLogIterator::new(text) {
        let interval = match entry {
            Ok(LogEntry::StartTime(t)) => {
                contents.start_time = Some(t);
                continue;
            }
            Ok(LogEntry::BaseTime(t)) => {
                contents.base_time = Some(t);
                continue;
            }
            Ok(LogEntry::Interval(interval)) => interval,
            Err(LogIteratorError::ParseError { offset }) => {
                return Err(ReportError::LogParse {
                    line: line_of(offset),
                })
            }
        };
        // The encoded histogram borrows the input: its address gives its line.
        let encoded = interval.encoded_histogram();
        let line = line_of((encoded.as_ptr() as usize).saturating_sub(text.as_ptr() as usize));
        let tag = interval.tag().map_or("", |t| t.as_str());
        let Ok(key) = StageKey::parse(tag) else {
            contents.skipped.push((line, tag.to_owned()));
            continue;
        };
        decoded.clear();
        base64::engine::general_purpose::STANDARD
            .decode_vec(encoded, &mut decoded)
            .map_err(|e| ReportError::LogHistogram {
                line,
                detail: format!("not base64: {e}"),
            })?;
        let histogram: Histogram<u64> = deserializer
            .deserialize(&mut Cursor::new(&decoded))
            .map_err(|e| ReportError::LogHistogram {
                line,
                detail: e.to_string(),
            })?;
        contents.intervals.push(HlogInterval {
            key,
            start: interval.start_timestamp(),
            length: interval.duration(),
            histogram,
        });
    }
    read_comments(text, &mut contents)?;
    Ok(contents)
}

/// fixgate's own comment lines (the parser skips comments).
fn read_comments(text: &[u8], contents: &mut HlogContents) -> Result<(), ReportError> {
    for (i, raw) in text.split(|&b| b == b'\n').enumerate() {
        let line = i + 1;
        let Some(comment) = raw.strip_prefix(b"#") else {
            continue;
        };
        let bad = |detail: String| ReportError::LogHistogram { line, detail };
        let Ok(comment) = std::str::from_utf8(comment) else {
            continue;
        };
        let comment = comment.trim_end_matches('\r');
        if let Some(json) = comment.strip_prefix(ENV_COMMENT) {
            let env = serde_json::from_str(json).map_err(|e| bad(format!("environment: {e}")))?;
            contents.environment = Some(env);
        } else if let Some(rest) = comment.strip_prefix(CLAMPED_COMMENT) {
            let (tag, count) = rest
                .split_once(' ')
                .ok_or_else(|| bad("clamped count without a tag".into()))?;
            let key =
                StageKey::parse(tag).map_err(|e| bad(format!("clamped count of {tag:?}: {e}")))?;
            let count: u64 = count
                .parse()
                .map_err(|_| bad(format!("clamped count {count:?} is not a number")))?;
            *contents.clamped.entry(key).or_default() += count;
        }
    }
    Ok(())
}
