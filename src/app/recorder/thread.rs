//! The recorder's own thread: reads batches from an [`EventSource`] (the ring's
//! [`Lossy`] subscriber, so a slow disk never slows the producer), writes them
//! with a [`DbnWriter`], and counts what it missed when lapped.
//!
//! This is the recorder run on its own, without a strategy runner (a capture
//! tool, a replay); under the strategy runners the same writer runs as the
//! `recorder` built-in, [`RecorderStrategy`](super::RecorderStrategy).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use fixgate_core::event::{Event, EventHeader, GapBody};
use fixgate_core::time::Clock;
use fixgate_ring::{Closed, Lossy, LossyBatch};

use super::writer::{DbnWriter, WriterSummary};
use super::{RecorderConfig, RecorderError};

/// What one poll of an [`EventSource`] gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourcePoll {
    /// `missed` events were lost (the source lapped the reader) just before the
    /// `copied` events now at the front of the batch, oldest first; either may be
    /// zero, not both.
    Batch {
        /// Events lost before the copied ones.
        missed: u64,
        /// Events copied into the batch.
        copied: usize,
    },
    /// Nothing new yet.
    Idle,
    /// The producer has gone and every event has been read or counted missed.
    Closed,
}

/// Where the recorder reads events from: the broadcast ring's [`Lossy`]
/// subscriber on the live path (implemented below), or a test's script.
///
/// Deliberately not implemented for the ring's `Blocking` subscriber: a
/// recorder that falls behind (a slow disk) must lose events and say how many,
/// never stall the feed.
pub trait EventSource: Send {
    /// Copies the next events into `batch` (at most its length).
    fn poll(&mut self, batch: &mut [Event]) -> SourcePoll;
}

impl EventSource for Lossy<Event> {
    #[inline]
    fn poll(&mut self, batch: &mut [Event]) -> SourcePoll {
        match self.poll_batch(batch) {
            Ok(LossyBatch {
                missed: 0,
                copied: 0,
                ..
            }) => SourcePoll::Idle,
            Ok(b) => SourcePoll::Batch {
                missed: b.missed,
                copied: b.copied,
            },
            Err(Closed) => SourcePoll::Closed,
        }
    }
}

/// What a recording did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecorderSummary {
    /// The files and the encoder's counts.
    pub writer: WriterSummary,
    /// Events read from the source.
    pub events: u64,
    /// Events lost because the source lapped the recorder.
    pub missed: u64,
    /// How many times it was lapped.
    pub laps: u64,
}

/// The running recorder: [`RecorderHandle::stop`] ends it, [`RecorderHandle::join`]
/// waits for the source to close.
#[derive(Debug)]
pub struct RecorderHandle {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Result<RecorderSummary, RecorderError>>,
}

impl RecorderHandle {
    /// Asks the thread to drain what the source has now, finish the files and
    /// return.
    ///
    /// # Errors
    /// The first file error the thread met, or [`RecorderError::Panicked`].
    pub fn stop(self) -> Result<RecorderSummary, RecorderError> {
        self.stop.store(true, Ordering::Release);
        self.join()
    }

    /// Waits until the source closes (or [`RecorderHandle::stop`] is called from
    /// elsewhere) and the files are finished.
    ///
    /// # Errors
    /// The first file error the thread met, or [`RecorderError::Panicked`].
    pub fn join(self) -> Result<RecorderSummary, RecorderError> {
        self.thread.join().map_err(|_| RecorderError::Panicked)?
    }

    /// Whether the thread has ended.
    pub fn is_finished(&self) -> bool {
        self.thread.is_finished()
    }
}

/// Events read per poll.
const BATCH: usize = 256;
/// Polls made after a stop before the files are finished regardless.
const STOP_DRAIN_POLLS: u32 = 4096;

/// Creates the files of `config` (errors surface here, before any thread
/// starts), then records `source` on a thread named `fixgate-recorder` until the
/// source closes or the handle stops it. `clock` gives the start and end times of
/// the files' headers; `idle_sleep` is how long the thread sleeps when the source
/// has nothing (it flushes the files first): the recorder is not latency-critical
/// and must not take a core from the hot threads.
///
/// # Errors
/// [`RecorderError`] when the files cannot be created, or the thread cannot be
/// spawned (as [`RecorderError::Io`]).
pub fn spawn_recorder<S, C>(
    config: RecorderConfig,
    mut source: S,
    clock: C,
    idle_sleep: Duration,
) -> Result<RecorderHandle, RecorderError>
where
    S: EventSource + 'static,
    C: Clock + Send + 'static,
{
    let dir = config.dir.clone();
    let mut writer = DbnWriter::create(config, clock.utc())?;
    let stop = Arc::new(AtomicBool::new(false));
    let stop_flag = Arc::clone(&stop);
    let thread = std::thread::Builder::new()
        .name("fixgate-recorder".to_owned())
        .spawn(move || {
            let counts = run(&mut source, &mut writer, &stop_flag, idle_sleep);
            // Finish the files even after a write error, so that what was written
            // has a proper header; report the first error.
            let finished = writer.finish(clock.utc());
            let (events, missed, laps) = counts?;
            Ok(RecorderSummary {
                writer: finished?,
                events,
                missed,
                laps,
            })
        })
        .map_err(|source| RecorderError::Io {
            path: dir,
            op: "spawn the recorder thread for",
            source,
        })?;
    Ok(RecorderHandle { stop, thread })
}

/// The loop: returns (events, missed, laps).
fn run(
    source: &mut dyn EventSource,
    writer: &mut DbnWriter,
    stop: &AtomicBool,
    idle_sleep: Duration,
) -> Result<(u64, u64, u64), RecorderError> {
    let filler = Event::new(
        EventHeader::default(),
        GapBody {
            first_seq: 0,
            last_seq: 0,
            channel: 0,
            instruments_suspect: 0,
        },
    );
    let mut batch = vec![filler; BATCH];
    let (mut events, mut missed, mut laps) = (0u64, 0u64, 0u64);
    let mut dirty = false;
    // Once stopped, drain at most this many more polls, so that a producer that
    // never pauses cannot keep the recorder from finishing.
    let mut drain_polls = STOP_DRAIN_POLLS;
    loop {
        let stopping = stop.load(Ordering::Acquire);
        if stopping {
            if drain_polls == 0 {
                return Ok((events, missed, laps));
            }
            drain_polls -= 1;
        }
        match source.poll(&mut batch) {
            SourcePoll::Batch {
                missed: lost,
                copied,
            } => {
                if lost > 0 {
                    missed += lost;
                    laps += 1;
                }
                let copied = copied.min(BATCH);
                for event in &batch[..copied] {
                    writer.write(event)?;
                }
                events += copied as u64;
                dirty |= copied > 0;
            }
            SourcePoll::Idle if stopping => return Ok((events, missed, laps)),
            SourcePoll::Idle => {
                if dirty {
                    writer.flush()?;
                    dirty = false;
                }
                std::thread::sleep(idle_sleep);
            }
            SourcePoll::Closed => return Ok((events, missed, laps)),
        }
    }
}
