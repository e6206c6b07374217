//! The `recorder` built-in strategy: the [`DbnWriter`] driven by a strategy
//! runner, on the runner's thread for it.
//!
//! The runner must subscribe it to the rings as a **Lossy** subscriber (never
//! Blocking: a slow disk must cost the recording events, counted in
//! [`RecorderStrategy::missed`], never the feed its latency). It sends no intents
//! and reads no board. It flushes its files on a timer of the runner's clock and
//! finishes them in [`Strategy::on_stop`], with the runner's time as the end.

use std::time::Duration;

use fixgate_core::event::Event;
use fixgate_core::strategy::{Context, Strategy};
use fixgate_core::time::UtcNanos;

use super::writer::{DbnWriter, WriterSummary};
use super::{RecorderConfig, RecorderError};

/// The timer token of the periodic flush.
const FLUSH_TIMER: u64 = 1;

/// The recorder as a [`Strategy`]; build it with [`RecorderStrategy::create`],
/// hand it to a runner, and after the run read [`RecorderStrategy::summary`] and
/// [`RecorderStrategy::error`] from the strategy the runner gives back.
#[derive(Debug)]
pub struct RecorderStrategy {
    writer: Option<DbnWriter>,
    flush_every: Duration,
    events: u64,
    dropped: u64,
    missed: u64,
    laps: u64,
    summary: Option<WriterSummary>,
    error: Option<RecorderError>,
}

impl RecorderStrategy {
    /// The flush period when none is given.
    pub const DEFAULT_FLUSH_EVERY: Duration = Duration::from_millis(100);

    /// Creates the files now (so a bad directory or symbol fails at start-up,
    /// not in a callback), with `start` as the recording's start time.
    ///
    /// # Errors
    /// As [`DbnWriter::create`].
    pub fn create(
        config: RecorderConfig,
        start: UtcNanos,
        flush_every: Duration,
    ) -> Result<RecorderStrategy, RecorderError> {
        Ok(RecorderStrategy {
            writer: Some(DbnWriter::create(config, start)?),
            flush_every,
            events: 0,
            dropped: 0,
            missed: 0,
            laps: 0,
            summary: None,
            error: None,
        })
    }

    /// The finished files, once [`Strategy::on_stop`] ran (or a write error
    /// ended the recording early).
    pub fn summary(&self) -> Option<&WriterSummary> {
        self.summary.as_ref()
    }

    /// The error that ended the recording early, if one did.
    pub fn error(&self) -> Option<&RecorderError> {
        self.error.as_ref()
    }

    /// Events received (written, or counted as skipped by the encoder).
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Events received after an error ended the recording, not written.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Events lost because the ring lapped the recorder.
    pub fn missed(&self) -> u64 {
        self.missed
    }

    /// How many times the ring lapped the recorder.
    pub fn laps(&self) -> u64 {
        self.laps
    }

    /// Finishes the files with `end`, keeping the first error.
    fn finish(&mut self, end: UtcNanos) {
        if let Some(writer) = self.writer.take() {
            match writer.finish(end) {
                Ok(summary) => self.summary = Some(summary),
                Err(e) => {
                    self.error.get_or_insert(e);
                }
            }
        }
    }

    fn flush_deadline(&self, now: UtcNanos) -> UtcNanos {
        let ns = u64::try_from(self.flush_every.as_nanos()).unwrap_or(u64::MAX);
        now.saturating_add_nanos(ns.max(1))
    }
}

impl Strategy for RecorderStrategy {
    fn on_start(&mut self, ctx: &mut Context<'_>) {
        // A full timer table only means no periodic flush: buffers still reach
        // the files when full and at the finish.
        let _ = ctx.set_timer(self.flush_deadline(ctx.now()), FLUSH_TIMER);
    }

    #[inline]
    fn on_event(&mut self, ctx: &mut Context<'_>, event: &Event) {
        let Some(writer) = &mut self.writer else {
            self.dropped += 1;
            return;
        };
        self.events += 1;
        if let Err(e) = writer.write(event) {
            self.error = Some(e);
            self.finish(ctx.now());
        }
    }

    fn on_timer(&mut self, ctx: &mut Context<'_>, token: u64) {
        if token != FLUSH_TIMER {
            return;
        }
        if let Some(writer) = &mut self.writer {
            if let Err(e) = writer.flush() {
                self.error = Some(e);
                self.finish(ctx.now());
                return;
            }
            let _ = ctx.set_timer(self.flush_deadline(ctx.now()), FLUSH_TIMER);
        }
    }

    fn on_lapped(&mut self, _ctx: &mut Context<'_>, missed: u64) {
        self.missed += missed;
        self.laps += 1;
    }

    fn on_stop(&mut self, ctx: &mut Context<'_>) {
        self.finish(ctx.now());
    }
}
