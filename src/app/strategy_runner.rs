//! Strategy runners: each strategy on its own thread, optionally pinned to an
//! absolute CPU id, reading one or more event rings, its callbacks contained by
//! the core's [`StrategyHost`] (`catch_unwind`), its intents sent to the order
//! gateway through its own SPSC ring.
//!
//! ```text
//!  event ring(s) ─ Blocking / Lossy ─┐
//!  update ring (from the gateway) ───┼─► runner thread: StrategyHost ─► IntentSender ─► gateway
//!  clock (live) or event time ───────┘        │
//!                                             └─► counters + state (RunnerStatus), tracing on failure
//! ```
//!
//! One loop turn: order updates, then each subscription's batch (events, then
//! `on_batch_end`; a lossy lap first calls `on_lapped`), then due timers, then
//! the intents to the gateway. With nothing to do the thread waits with its
//! [`WaitStrategy`] (bounded: a park is at most `park_ns`), so a stop request is
//! seen within one wait.
//!
//! A strategy that panics is disabled (the host never calls it again), reported
//! once (`tracing::error!`, the `panics` counter, [`RunnerState::Disabled`] and
//! [`RunnerStatus::failure`]), and the host's cancels for its live orders go to
//! the gateway. The thread then drops its event subscriptions (a disabled
//! blocking subscriber must not stall the producer) and keeps relaying order
//! updates until stopped.
//!
//! Latency (optional, [`StrategyRunner::spawn_with_latency`]): the event rings'
//! producers stamp each batch with a reading of the same clock
//! (`Producer::set_publish_clock` with its `raw()` ticks); before each event
//! callback the runner reads the clock, records
//! [`Stage::PublishedToStrategy`](fixgate_core::latency::Stage) for the event's
//! venue into its own [`LatencySet`](fixgate_core::latency::LatencySet) and
//! hands the nanoseconds to the strategy ([`Context::published_to_callback_ns`](fixgate_core::strategy::Context::published_to_callback_ns)).
//! At each batch end it rotates that set, and the strategy's own recorder if it
//! keeps one ([`Strategy::latency_recorder`], the `latency_probe` does), through
//! the report handoffs ([`crate::report::HotLatency`],
//! [`crate::report::IntervalHandoff`]); the merger takes the intervals from
//! [`StrategyRunner::take_latency_sources`]. An unstamped event (a producer
//! without a publish clock) is delivered with `None` and counted
//! (`events_unstamped`). Recording and rotating allocate nothing.
//!
//! Not here: choosing strategies from configuration (`strategies.rs`), the
//! order gateway itself.

use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
use std::time::Duration;

use fixgate_core::board::Board;
use fixgate_core::counters::{CounterBlock, CounterWriter};
use fixgate_core::event::Event;
use fixgate_core::latency::{LatencyError, LatencyLayout, Stage};
use fixgate_core::strategy::{Failure, HostLimits, HostStats, Strategy, StrategyHost};
use fixgate_core::time::{Clock, UtcNanos};
use fixgate_core::types::VenueId;
use fixgate_ring::{Blocking, Lossy, WaitStrategy};

use super::order_rings::{intent_ring, update_ring, IntentReceiver, UpdateSender};
use super::pin::{check_cpu, pin_current_thread, PinError};
use super::runner_loop::{blank_event, Loop, LoopLatency};
use crate::report::{interval_handoff, latency_handoff, LatencySource};

/// One subscription of a strategy to an event ring.
pub enum Subscription {
    /// Sees every event; the producer waits for it.
    Blocking(Blocking<Event>),
    /// Never slows the producer; may be lapped (then `on_lapped`).
    Lossy(Lossy<Event>),
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Subscription::Blocking(_) => "Blocking",
            Subscription::Lossy(_) => "Lossy",
        })
    }
}

/// Where a runner's "now" comes from.
#[derive(Clone)]
pub enum TimeSource {
    /// A live clock, read at each event and once per loop turn.
    Clock(Arc<dyn Clock + Send + Sync>),
    /// Replay: the receive time of the latest event delivered (never going
    /// back), so timers fire at the same points of the stream on every run.
    EventTime,
}

impl std::fmt::Debug for TimeSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TimeSource::Clock(_) => "Clock",
            TimeSource::EventTime => "EventTime",
        })
    }
}

/// How to run one strategy.
#[derive(Clone, Debug)]
pub struct RunnerConfig {
    /// The thread's name and the label in logs and counters.
    pub label: String,
    /// Pin the thread to this absolute CPU id (checked: it must exist and be
    /// in the process's affinity mask).
    pub cpu: Option<usize>,
    /// How the thread waits when there is nothing to do.
    pub wait: WaitStrategy,
    /// The host's table sizes.
    pub limits: HostLimits,
    /// Most events taken from one ring per loop turn (one batch).
    pub batch_max: usize,
    /// Slots of the intent ring to the gateway (a power of two).
    pub intent_ring_capacity: usize,
    /// Slots of the update ring from the gateway (a power of two).
    pub update_ring_capacity: usize,
    /// The runner's clock.
    pub time: TimeSource,
}

impl RunnerConfig {
    /// Defaults for `label`: unpinned, backoff waits, batches of 64, rings of
    /// 1024, event time.
    pub fn new(label: &str) -> Self {
        RunnerConfig {
            label: label.to_owned(),
            cpu: None,
            wait: WaitStrategy::default(),
            limits: HostLimits::default(),
            batch_max: 64,
            intent_ring_capacity: 1024,
            update_ring_capacity: 1024,
            time: TimeSource::EventTime,
        }
    }
}

/// How a runner records latency ([`StrategyRunner::spawn_with_latency`]).
#[derive(Clone)]
pub struct RunnerLatency {
    /// The clock whose [`Clock::raw`] ticks the event rings' producers stamp
    /// with (the same calibrated clock, e.g. a clone of one `TscClock`).
    pub clock: Arc<dyn Clock + Send + Sync>,
    /// The venues to keep histograms for (events of others are counted as
    /// unrouted by the set).
    pub venues: Vec<VenueId>,
    /// Length of one interval.
    pub interval: Duration,
    /// Empty sets allocated per handoff beside the recording one (2 is enough
    /// when the merger keeps up).
    pub spares: usize,
}

impl std::fmt::Debug for RunnerLatency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunnerLatency")
            .field("venues", &self.venues)
            .field("interval", &self.interval)
            .field("spares", &self.spares)
            .finish_non_exhaustive()
    }
}

/// Why a runner could not start or stop.
#[derive(Debug, thiserror::Error)]
pub enum RunnerError {
    /// The CPU asked for cannot be used.
    #[error("strategy {label}: {source}")]
    Pin {
        /// The runner.
        label: String,
        /// Why.
        source: PinError,
    },
    /// A ring capacity is not a power of two ≥ 2.
    #[error("strategy {label}: {source}")]
    Ring {
        /// The runner.
        label: String,
        /// Why.
        source: fixgate_ring::ConfigError,
    },
    /// The latency layout is not valid (no venue, too many, one twice).
    #[error("strategy {label}: latency: {source}")]
    Latency {
        /// The runner.
        label: String,
        /// Why.
        source: LatencyError,
    },
    /// The thread could not be created.
    #[error("strategy {label}: cannot spawn its thread: {source}")]
    Spawn {
        /// The runner.
        label: String,
        /// Why.
        source: std::io::Error,
    },
    /// The thread did not finish within the time given.
    #[error("strategy {label}: thread still running after {waited_ms} ms; detached")]
    JoinTimeout {
        /// The runner.
        label: String,
        /// How long it was given.
        waited_ms: u64,
    },
    /// The runner thread itself (not the strategy, which is contained) panicked.
    #[error("strategy {label}: runner thread panicked")]
    ThreadPanicked {
        /// The runner.
        label: String,
    },
}

/// A runner's state, readable from any thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum RunnerState {
    /// Spawned, not yet through `on_start`.
    Starting = 0,
    /// Calling the strategy.
    Running = 1,
    /// The strategy panicked; the thread relays order updates until stopped.
    Disabled = 2,
    /// The thread has finished.
    Stopped = 3,
}

/// The counter names of a runner's block, in order.
pub const RUNNER_COUNTERS: &[&str] = &[
    "events",
    "batches",
    "laps",
    "events_missed",
    "intents_sent",
    "intent_ring_full",
    "intents_dropped_at_stop",
    "intents_refused",
    "intents_buffer_full",
    "order_updates",
    "bad_order_updates",
    "timers",
    "panics",
    "events_unstamped",
];

/// What the application reads about a running strategy: state, failure,
/// counters (names in [`RUNNER_COUNTERS`]).
#[derive(Debug)]
pub struct RunnerStatus {
    state: AtomicU8,
    pub(super) failure: OnceLock<Failure>,
    counters: Arc<CounterBlock>,
}

impl RunnerStatus {
    /// The current state.
    pub fn state(&self) -> RunnerState {
        match self.state.load(Ordering::Acquire) {
            0 => RunnerState::Starting,
            1 => RunnerState::Running,
            2 => RunnerState::Disabled,
            _ => RunnerState::Stopped,
        }
    }

    /// Why the strategy was disabled, once it was.
    pub fn failure(&self) -> Option<&Failure> {
        self.failure.get()
    }

    /// The runner's counters (add them to a `CounterRegistry`'s report, or
    /// read them by name).
    pub fn counters(&self) -> &Arc<CounterBlock> {
        &self.counters
    }

    /// One counter by name (see [`RUNNER_COUNTERS`]).
    pub fn counter(&self, name: &str) -> Option<u64> {
        self.counters.id(name).map(|id| self.counters.load(id))
    }

    pub(super) fn set_state(&self, state: RunnerState) {
        self.state.store(state as u8, Ordering::Release);
    }
}

/// What a finished runner hands back.
pub struct RunReport {
    /// The runner's label.
    pub label: String,
    /// The host's counters at the end.
    pub stats: HostStats,
    /// Why the strategy was disabled, if it was.
    pub failure: Option<Failure>,
    /// Intents that could not be sent at stop (the gateway stopped reading).
    pub intents_dropped_at_stop: u64,
    /// The strategy (upcast to `Box<dyn Any>` to get a concrete one back).
    pub strategy: Box<dyn Strategy>,
}

impl std::fmt::Debug for RunReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunReport")
            .field("label", &self.label)
            .field("stats", &self.stats)
            .field("failure", &self.failure)
            .field("intents_dropped_at_stop", &self.intents_dropped_at_stop)
            .finish_non_exhaustive()
    }
}

/// A running strategy thread.
#[derive(Debug)]
pub struct StrategyRunner {
    label: String,
    thread: Option<JoinHandle<RunReport>>,
    stop: Arc<AtomicBool>,
    status: Arc<RunnerStatus>,
    intents: Option<IntentReceiver>,
    updates: Option<UpdateSender>,
    latency_sources: Vec<LatencySource>,
}

impl StrategyRunner {
    /// Starts `strategy` on its own thread, reading `subscriptions`, reading
    /// `board` in its callbacks. Returns once the thread is pinned (if asked)
    /// and running.
    ///
    /// # Errors
    /// [`RunnerError::Pin`] (checked before the thread starts, and again by
    /// the thread itself), [`RunnerError::Ring`], [`RunnerError::Spawn`].
    pub fn spawn(
        strategy: Box<dyn Strategy>,
        config: RunnerConfig,
        board: Arc<Board>,
        subscriptions: Vec<Subscription>,
    ) -> Result<Self, RunnerError> {
        StrategyRunner::spawn_with_latency(strategy, config, board, subscriptions, None)
    }

    /// [`StrategyRunner::spawn`], recording latency as `latency` says (see the
    /// module docs): the runner's published → strategy histograms and the
    /// strategy's own, each through a handoff whose merger side
    /// [`StrategyRunner::take_latency_sources`] returns. All sets are
    /// allocated here.
    ///
    /// # Errors
    /// As for [`StrategyRunner::spawn`], and [`RunnerError::Latency`].
    pub fn spawn_with_latency(
        strategy: Box<dyn Strategy>,
        config: RunnerConfig,
        board: Arc<Board>,
        subscriptions: Vec<Subscription>,
        latency: Option<RunnerLatency>,
    ) -> Result<Self, RunnerError> {
        let label = config.label.clone();
        let mut host = StrategyHost::new(strategy, config.limits);
        let mut latency_sources = Vec::new();
        let loop_latency = match latency {
            None => None,
            Some(l) => {
                let layout = LatencyLayout::new(&l.venues, &[Stage::PublishedToStrategy]).map_err(
                    |source| RunnerError::Latency {
                        label: label.clone(),
                        source,
                    },
                )?;
                let (hot, source) = latency_handoff(
                    &label,
                    Arc::new(layout),
                    l.spares,
                    l.clock.mono(),
                    l.interval,
                );
                latency_sources.push(source);
                let strategy_handoff = host.latency_recorder().map(|rec| {
                    let layout = Arc::clone(rec.current().layout());
                    let (handoff, source) =
                        interval_handoff(&format!("{label}/strategy"), &layout, l.spares);
                    latency_sources.push(source);
                    handoff
                });
                Some(LoopLatency::new(l.clock, hot, strategy_handoff))
            }
        };
        if let Some(cpu) = config.cpu {
            check_cpu(cpu).map_err(|source| RunnerError::Pin {
                label: label.clone(),
                source,
            })?;
        }
        let ring_err = |source| RunnerError::Ring {
            label: label.clone(),
            source,
        };
        let (intent_tx, intent_rx) = intent_ring(config.intent_ring_capacity).map_err(ring_err)?;
        let (update_tx, update_rx) = update_ring(config.update_ring_capacity).map_err(ring_err)?;
        // The runner's counter names are fixed and distinct: this cannot fail.
        let counters =
            CounterWriter::new(&label, RUNNER_COUNTERS).map_err(|_| RunnerError::Spawn {
                label: label.clone(),
                source: std::io::Error::other("runner counter names"),
            })?;
        let status = Arc::new(RunnerStatus {
            state: AtomicU8::new(RunnerState::Starting as u8),
            failure: OnceLock::new(),
            counters: counters.block(),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let (ready_tx, ready_rx) = std::sync::mpsc::sync_channel(1);
        let runner = Loop {
            host,
            board,
            subs: subscriptions,
            buffer: vec![blank_event(); config.batch_max.max(1)],
            stamps: vec![0; config.batch_max.max(1)],
            latency: loop_latency,
            intents: intent_tx,
            updates: update_rx,
            pending: None,
            counters,
            status: Arc::clone(&status),
            stop: Arc::clone(&stop),
            time: config.time,
            now: UtcNanos::from_nanos(0),
            reported: false,
            dropped_at_stop: 0,
            bad_updates: 0,
            label: label.clone(),
            batch_max: config.batch_max.max(1),
            wait: config.wait,
        };
        let cpu = config.cpu;
        let thread = std::thread::Builder::new()
            .name(label.clone())
            .spawn(move || {
                let pinned = cpu.map_or(Ok(()), pin_current_thread);
                let ok = pinned.is_ok();
                // The spawner waits for this; if it is gone, so is the runner.
                let _ = ready_tx.send(pinned);
                if ok {
                    runner.run()
                } else {
                    // Never started: the strategy is not called at all.
                    runner.report()
                }
            })
            .map_err(|source| RunnerError::Spawn {
                label: label.clone(),
                source,
            })?;
        match ready_rx.recv() {
            Ok(Ok(())) => {}
            Ok(Err(source)) => {
                let _ = thread.join();
                return Err(RunnerError::Pin { label, source });
            }
            Err(_) => return Err(RunnerError::ThreadPanicked { label }),
        }
        Ok(StrategyRunner {
            label,
            thread: Some(thread),
            stop,
            status,
            intents: Some(intent_rx),
            updates: Some(update_tx),
            latency_sources,
        })
    }

    /// The merger's ends of this runner's latency handoffs (taken once; empty
    /// without latency): the runner's published → strategy sets (named after
    /// the label), then the strategy's own (`label/strategy`) if it keeps a
    /// recorder. Each reports `Finished` once the runner has stopped and sent
    /// its last interval.
    pub fn take_latency_sources(&mut self) -> Vec<LatencySource> {
        std::mem::take(&mut self.latency_sources)
    }

    /// The runner's label.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// State, failure and counters, shared with the thread.
    pub fn status(&self) -> &Arc<RunnerStatus> {
        &self.status
    }

    /// The gateway's end of this strategy's intent ring (taken once).
    pub fn take_intents(&mut self) -> Option<IntentReceiver> {
        self.intents.take()
    }

    /// The gateway's end of this strategy's order-update ring (taken once).
    pub fn take_update_sender(&mut self) -> Option<UpdateSender> {
        self.updates.take()
    }

    /// Asks the thread to stop: it reads what is available now once more,
    /// calls `on_stop`, sends the last intents and finishes.
    pub fn request_stop(&self) {
        self.stop.store(true, Ordering::Release);
    }

    /// Stops the thread and waits at most `timeout` for it.
    ///
    /// # Errors
    /// [`RunnerError::JoinTimeout`] (the thread is left to finish on its own),
    /// [`RunnerError::ThreadPanicked`].
    pub fn join(mut self, timeout: Duration) -> Result<RunReport, RunnerError> {
        self.request_stop();
        let label = self.label.clone();
        let Some(thread) = self.thread.take() else {
            return Err(RunnerError::ThreadPanicked { label });
        };
        let step = Duration::from_millis(1);
        let mut waited = Duration::ZERO;
        while !thread.is_finished() {
            if waited >= timeout {
                return Err(RunnerError::JoinTimeout {
                    label,
                    waited_ms: u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
                });
            }
            std::thread::sleep(step);
            waited += step;
        }
        thread
            .join()
            .map_err(|_| RunnerError::ThreadPanicked { label })
    }
}

impl Drop for StrategyRunner {
    fn drop(&mut self) {
        // A runner dropped without `join` must not keep spinning.
        self.request_stop();
    }
}
