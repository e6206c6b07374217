//! The body of a strategy runner's thread: the loop that polls the rings,
//! drives the [`StrategyHost`], reports a failure once, and sends intents to
//! the gateway (see [`super::strategy_runner`] for the order of a turn).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use fixgate_core::board::Board;
use fixgate_core::counters::{CounterId, CounterWriter};
use fixgate_core::event::{ClearBody, Event, EventHeader};
use fixgate_core::latency::Stage;
use fixgate_core::strategy::{Intent, StrategyHost};
use fixgate_core::time::{Clock, Ticks, UtcNanos};
use fixgate_core::types::{Side, VenueId};
use fixgate_ring::WaitStrategy;

use super::order_rings::{IntentSender, UpdateReceiver};
use super::strategy_runner::{RunReport, RunnerState, RunnerStatus, Subscription, TimeSource};
use crate::report::{HotLatency, IntervalHandoff};

// Positions in `RUNNER_COUNTERS`.
const EVENTS: CounterId = CounterId::new(0);
const BATCHES: CounterId = CounterId::new(1);
const LAPS: CounterId = CounterId::new(2);
const MISSED: CounterId = CounterId::new(3);
const SENT: CounterId = CounterId::new(4);
const RING_FULL: CounterId = CounterId::new(5);
const DROPPED_AT_STOP: CounterId = CounterId::new(6);
const REFUSED: CounterId = CounterId::new(7);
const BUFFER_FULL: CounterId = CounterId::new(8);
const UPDATES: CounterId = CounterId::new(9);
const BAD_UPDATES: CounterId = CounterId::new(10);
const TIMERS: CounterId = CounterId::new(11);
const PANICS: CounterId = CounterId::new(12);
const UNSTAMPED: CounterId = CounterId::new(13);

/// The runner's latency recording (see the `strategy_runner` module docs).
pub(super) struct LoopLatency {
    clock: Arc<dyn Clock + Send + Sync>,
    /// Published → strategy per venue, the runner's own.
    hot: HotLatency,
    /// The strategy's own recorder's handoff, when it keeps one.
    strategy: Option<IntervalHandoff>,
    unstamped: u64,
}

impl LoopLatency {
    pub(super) fn new(
        clock: Arc<dyn Clock + Send + Sync>,
        hot: HotLatency,
        strategy: Option<IntervalHandoff>,
    ) -> Self {
        LoopLatency {
            clock,
            hot,
            strategy,
            unstamped: 0,
        }
    }

    /// Closes the published → strategy stage of an event stamped `published`
    /// (0: unstamped) of `venue`, just before its callback: reads the clock,
    /// records the stage, and returns the nanoseconds for the context.
    #[inline]
    fn stage(&mut self, published: u64, venue: VenueId) -> Option<u64> {
        if published == 0 {
            self.unstamped += 1;
            return None;
        }
        let end = self.clock.raw();
        let ns = self.clock.delta_nanos(Ticks::from_raw(published), end);
        self.hot
            .recorder()
            .record(venue, Stage::PublishedToStrategy, ns);
        Some(ns)
    }
}

/// The stage time of an event, when the runner records latency.
#[inline]
fn stage(latency: &mut Option<LoopLatency>, published: u64, venue: VenueId) -> Option<u64> {
    latency.as_mut().and_then(|l| l.stage(published, venue))
}

/// The runner's time at `event`: the clock, or the event's receive time (never
/// going back from `now`).
#[inline]
fn event_time(time: &TimeSource, now: UtcNanos, event: &Event) -> UtcNanos {
    match time {
        TimeSource::Clock(clock) => clock.utc(),
        TimeSource::EventTime => now.max(event.ts_recv_ns()),
    }
}

pub(super) fn blank_event() -> Event {
    Event::new(
        EventHeader::default(),
        ClearBody {
            channel: 0,
            rpt_seq: 0,
            side: Side::None,
        },
    )
}

/// The thread's state.
pub(super) struct Loop {
    pub(super) host: StrategyHost,
    pub(super) board: Arc<Board>,
    pub(super) subs: Vec<Subscription>,
    pub(super) buffer: Vec<Event>,
    /// Publish stamps of `buffer`'s events (lossy reads).
    pub(super) stamps: Vec<u64>,
    pub(super) latency: Option<LoopLatency>,
    pub(super) intents: IntentSender,
    pub(super) updates: UpdateReceiver,
    /// An intent the gateway had no room for, sent before any other.
    pub(super) pending: Option<Intent>,
    pub(super) counters: CounterWriter,
    pub(super) status: Arc<RunnerStatus>,
    pub(super) stop: Arc<AtomicBool>,
    pub(super) time: TimeSource,
    pub(super) now: UtcNanos,
    pub(super) reported: bool,
    pub(super) dropped_at_stop: u64,
    pub(super) bad_updates: u64,
    pub(super) label: String,
    pub(super) batch_max: usize,
    pub(super) wait: WaitStrategy,
}

impl Loop {
    pub(super) fn run(mut self) -> RunReport {
        if let Some(latency) = &self.latency {
            // The strategy's interval starts now, not at its construction.
            let mono = latency.clock.mono();
            if let Some(recorder) = self.host.latency_recorder() {
                recorder.start_at(mono);
            }
        }
        let now = self.idle_now();
        self.host.handle_start(&self.board, now);
        self.status.set_state(RunnerState::Running);
        // A panic in on_start is reported (state Disabled) like any other.
        self.after_callbacks();
        let mut waiter = self.wait.waiter();
        while !self.stop.load(Ordering::Acquire) {
            if self.turn() {
                waiter = self.wait.waiter();
            } else {
                waiter.wait();
            }
        }
        // One last read of what is available, bounded by one batch per ring.
        self.turn();
        self.finish()
    }

    /// Stops the strategy, sends what it leaves, and reports.
    fn finish(mut self) -> RunReport {
        let now = self.idle_now();
        self.host.handle_stop(&self.board, now);
        self.after_callbacks();
        if let Some(latency) = self.latency.take() {
            // The last, partial intervals go to the merger too.
            let mono = latency.clock.mono();
            if let (Some(mut handoff), Some(recorder)) =
                (latency.strategy, self.host.latency_recorder())
            {
                handoff.rotate(recorder, mono);
            }
            latency.hot.finish(mono);
        }
        // The gateway gets a bounded chance to take the last intents.
        let mut waiter = WaitStrategy::default().waiter();
        for _ in 0..1_000 {
            if self.flush_intents() {
                break;
            }
            waiter.wait();
        }
        while let Some(intent) = self.pending.take().or_else(|| self.host.poll_intent()) {
            let _ = intent;
            self.dropped_at_stop += 1;
        }
        self.report()
    }

    /// The final counters, state and report.
    pub(super) fn report(self) -> RunReport {
        self.counters.set(DROPPED_AT_STOP, self.dropped_at_stop);
        self.publish_counters();
        self.status.set_state(RunnerState::Stopped);
        RunReport {
            label: self.label,
            stats: self.host.stats(),
            failure: self.host.failure().cloned(),
            intents_dropped_at_stop: self.dropped_at_stop,
            strategy: self.host.into_strategy(),
        }
    }

    fn idle_now(&mut self) -> UtcNanos {
        if let TimeSource::Clock(clock) = &self.time {
            self.now = clock.utc();
        }
        self.now
    }

    /// One loop turn; whether anything happened.
    fn turn(&mut self) -> bool {
        let mut work = false;
        let (host, board) = (&mut self.host, &self.board);
        let now = self.now;
        let bad = &mut self.bad_updates;
        work |= self.updates.poll(self.batch_max, bad, |update| {
            host.handle_order_update(board, now, &update);
        }) > 0;
        for i in 0..self.subs.len() {
            work |= self.poll_subscription(i);
        }
        let now = self.idle_now();
        if self.host.poll_timeout().is_some_and(|at| at <= now) {
            self.host.handle_timeout(&self.board, now);
            work = true;
        }
        if work {
            self.after_callbacks();
        }
        // A full intent ring is not work: the thread backs off until the
        // gateway catches up.
        self.flush_intents();
        work
    }

    fn poll_subscription(&mut self, i: usize) -> bool {
        let (host, board, time) = (&mut self.host, &self.board, &self.time);
        let latency = &mut self.latency;
        let mut now = self.now;
        let delivered = match &mut self.subs[i] {
            Subscription::Blocking(sub) => {
                sub.poll_batch_stamped(self.batch_max, |_, published, event| {
                    now = event_time(time, now, event);
                    let waited = stage(latency, published, event.venue());
                    host.handle_event(board, now, waited, event);
                })
            }
            Subscription::Lossy(sub) => {
                match sub.poll_batch_stamped(&mut self.buffer, &mut self.stamps) {
                    Ok(batch) => {
                        if batch.missed > 0 {
                            self.counters.bump(LAPS);
                            self.counters.add(MISSED, batch.missed);
                            host.handle_lapped(board, now, batch.missed);
                        }
                        let stamped = self.buffer.iter().zip(&self.stamps);
                        for (event, &published) in stamped.take(batch.copied) {
                            now = event_time(time, now, event);
                            let waited = stage(latency, published, event.venue());
                            host.handle_event(board, now, waited, event);
                        }
                        if batch.copied == 0 && batch.missed > 0 {
                            return true;
                        }
                        batch.copied
                    }
                    Err(fixgate_ring::Closed) => 0,
                }
            }
        };
        self.now = now;
        if delivered > 0 {
            self.counters.bump(BATCHES);
            self.host.handle_batch_end(&self.board, now);
            self.rotate_latency();
        }
        delivered > 0
    }

    /// At a batch end: rotates the runner's and the strategy's latency sets
    /// when their interval is due (a swap and a channel hop, no allocation).
    fn rotate_latency(&mut self) {
        let Some(latency) = &mut self.latency else {
            return;
        };
        let mono = latency.clock.mono();
        latency.hot.end_batch(mono);
        if let (Some(handoff), Some(recorder)) =
            (&mut latency.strategy, self.host.latency_recorder())
        {
            handoff.end_batch(recorder, mono);
        }
    }

    /// Reports a new failure once, and keeps the counters current.
    fn after_callbacks(&mut self) {
        if !self.reported {
            if let Some(failure) = self.host.failure() {
                self.reported = true;
                let live = self.host.live_orders();
                tracing::error!(
                    strategy = %self.label,
                    callback = ?failure.callback,
                    message = %failure.message,
                    live_orders = live,
                    "strategy panicked: disabled, cancelling its live orders"
                );
                let _ = self.status.failure.set(failure.clone());
                self.status.set_state(RunnerState::Disabled);
                self.counters.bump(PANICS);
                // A disabled subscriber must not hold a blocking ring back.
                self.subs.clear();
            }
        }
        self.publish_counters();
    }

    fn publish_counters(&self) {
        let s = self.host.stats();
        let c = &self.counters;
        c.set(EVENTS, s.events);
        // Taken from the host but still waiting for ring room: not sent yet.
        c.set(SENT, s.intents - u64::from(self.pending.is_some()));
        c.set(REFUSED, s.intents_refused);
        c.set(BUFFER_FULL, s.intents_buffer_full);
        c.set(UPDATES, s.order_updates);
        c.set(BAD_UPDATES, self.bad_updates);
        c.set(TIMERS, s.timers_fired);
        if let Some(latency) = &self.latency {
            c.set(UNSTAMPED, latency.unstamped);
        }
    }

    /// Sends intents until the host has none or the ring is full; whether
    /// everything went.
    fn flush_intents(&mut self) -> bool {
        loop {
            let Some(intent) = self.pending.take().or_else(|| self.host.poll_intent()) else {
                return true;
            };
            if self.intents.try_send(&intent).is_err() {
                self.counters.bump(RING_FULL);
                self.pending = Some(intent);
                return false;
            }
        }
    }
}
