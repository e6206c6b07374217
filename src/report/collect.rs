//! The merger: takes full sets from every hot thread, writes each to the
//! interval log, adds it to the run's totals and hands it back reset.

use std::io::Write;
use std::time::Duration;

use fixgate_core::latency::MergedLatency;

use super::handoff::{LatencySource, Taken};
use super::{HlogWriter, ReportError};

/// Collects the latency of a run from its hot threads' [`LatencySource`]s.
///
/// Runs on a thread of its own (or any non-critical thread), polling: it never
/// blocks on a channel, so the hot threads' sends stay lock-free (see
/// [`super::handoff`]).
pub struct LatencyCollector<W: Write> {
    sources: Vec<(LatencySource, bool)>,
    total: MergedLatency,
    log: Option<HlogWriter<W>>,
    intervals: u64,
}

impl<W: Write> LatencyCollector<W> {
    /// A collector writing each interval to `log`, if given.
    pub fn new(log: Option<HlogWriter<W>>) -> Self {
        LatencyCollector {
            sources: Vec::new(),
            total: MergedLatency::new(),
            log,
            intervals: 0,
        }
    }

    /// Adds a hot thread's source.
    pub fn add_source(&mut self, source: LatencySource) {
        self.sources.push((source, false));
    }

    /// Takes every full set waiting: logs it, merges it, gives it back reset.
    /// Returns how many sets it took.
    ///
    /// # Errors
    /// [`ReportError`] from the log writer or a merge; the set is still given
    /// back, and the sets not yet taken wait for the next poll.
    pub fn poll(&mut self) -> Result<usize, ReportError> {
        let mut taken = 0;
        for (source, finished) in &mut self.sources {
            while !*finished {
                let set = match source.try_take() {
                    Taken::Set(set) => set,
                    Taken::Empty => break,
                    Taken::Finished => {
                        *finished = true;
                        break;
                    }
                };
                taken += 1;
                self.intervals += 1;
                let logged = match &mut self.log {
                    Some(log) => log.write_set(&set).map(|_| ()),
                    None => Ok(()),
                };
                let merged = self.total.add_set(&set).map_err(ReportError::from);
                source.give_back(set);
                logged.and(merged)?;
            }
        }
        Ok(taken)
    }

    /// Whether every source has finished and been drained.
    pub fn is_done(&self) -> bool {
        self.sources.iter().all(|(_, finished)| *finished)
    }

    /// Polls every `pause` until every source has finished.
    ///
    /// # Errors
    /// The first [`ReportError`] of [`LatencyCollector::poll`].
    pub fn run_until_done(&mut self, pause: Duration) -> Result<(), ReportError> {
        loop {
            self.poll()?;
            if self.is_done() {
                return Ok(());
            }
            std::thread::sleep(pause);
        }
    }

    /// Sets taken so far.
    pub fn intervals(&self) -> u64 {
        self.intervals
    }

    /// The run's totals so far.
    pub fn total(&self) -> &MergedLatency {
        &self.total
    }

    /// The totals and the log's writer, flushed.
    ///
    /// # Errors
    /// [`ReportError::Io`] when the final flush fails.
    pub fn finish(self) -> Result<(MergedLatency, Option<W>), ReportError> {
        let out = self.log.map(HlogWriter::into_inner).transpose()?;
        Ok((self.total, out))
    }
}
