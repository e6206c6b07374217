//! The replay's latency collection: a merger thread that takes the hot
//! threads' interval sets (the replay thread's receive → decoded → published,
//! each strategy's published → callback), writes them to `latency.hlog`, and
//! at the end the report (`latency.txt`, `latency.json`, one SVG per stage)
//! through [`crate::report`].

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::time::Duration;

use fixgate_core::latency::MergedLatency;
use fixgate_core::time::{Clock, TscClock};

use super::ReplayError;
use crate::report::{
    Environment, HlogWriter, LatencyCollector, LatencyReport, LatencySource, ReportError,
};

fn report_io(what: impl Into<String>, source: io::Error) -> ReportError {
    ReportError::Io {
        what: what.into(),
        source,
    }
}

/// The wait strategy the report's header names.
const WAIT: &str = "spin-then-yield (replay, strategies in lockstep)";

/// The merger thread's result.
pub(super) type Collector =
    std::thread::JoinHandle<Result<(MergedLatency, Option<BufWriter<File>>), ReportError>>;

/// Starts the merger over `sources`, logging to `out/latency.hlog` when given.
pub(super) fn spawn_collector(
    sources: Vec<LatencySource>,
    out: Option<&Path>,
    tsc: &TscClock,
) -> Result<Collector, ReplayError> {
    let log = match out {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| report_io(dir.display().to_string(), e))?;
            let path = dir.join("latency.hlog");
            let file = File::create(&path).map_err(|e| report_io(path.display().to_string(), e))?;
            let env = Environment::probe().with_wait_strategy(WAIT);
            Some(HlogWriter::new(
                BufWriter::new(file),
                tsc.utc(),
                tsc.mono(),
                Some(&env),
            )?)
        }
        None => None,
    };
    let mut collector = LatencyCollector::new(log);
    for s in sources {
        collector.add_source(s);
    }
    std::thread::Builder::new()
        .name("replay-latency".into())
        .spawn(move || {
            collector.run_until_done(Duration::from_millis(5))?;
            collector.finish()
        })
        .map_err(|e| report_io("the latency collector thread", e).into())
}

/// Waits for the merger (every hot side must have finished or been dropped),
/// flushes the log and writes the report into `out` when given.
pub(super) fn join_collector(
    collector: Collector,
    out: Option<&Path>,
) -> Result<MergedLatency, ReplayError> {
    let (merged, log) = collector
        .join()
        .map_err(|_| report_io("the latency collector", io::Error::other("panicked")))??;
    if let Some(mut log) = log {
        log.flush().map_err(|e| report_io("latency.hlog", e))?;
    }
    if let Some(dir) = out {
        let report = LatencyReport {
            environment: Some(Environment::probe().with_wait_strategy(WAIT)),
            latency: merged.clone(),
        };
        report.write_to(dir)?;
    }
    Ok(merged)
}
