//! The sans-IO host of one strategy: calls it under `catch_unwind`, owns its
//! intent buffer, timers and live-order table, and cancels its orders if it
//! fails.

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::{Context, Intent, IntentBuffer, LiveOrders, OrderUpdate, Strategy, Timers};
use crate::board::Board;
use crate::event::Event;
use crate::latency::LatencyRecorder;
use crate::time::UtcNanos;

/// Sizes of a host's tables, all allocated when the host is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostLimits {
    /// Intents one callback may submit before [`IntentError::BufferFull`](super::IntentError::BufferFull).
    pub intents_per_callback: usize,
    /// Orders live at once.
    pub live_orders: usize,
    /// Timers pending at once.
    pub timers: usize,
}

impl Default for HostLimits {
    fn default() -> Self {
        HostLimits {
            intents_per_callback: 64,
            live_orders: 256,
            timers: 16,
        }
    }
}

/// Which callback was running.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Callback {
    /// [`Strategy::on_start`].
    Start,
    /// [`Strategy::on_event`].
    Event,
    /// [`Strategy::on_batch_end`].
    BatchEnd,
    /// [`Strategy::on_timer`].
    Timer,
    /// [`Strategy::on_order_update`].
    OrderUpdate,
    /// [`Strategy::on_lapped`].
    Lapped,
    /// [`Strategy::on_stop`].
    Stop,
    /// [`Strategy::latency_recorder`].
    LatencyRecorder,
}

/// Why a strategy was disabled: the callback that panicked and the panic
/// message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The callback that panicked.
    pub callback: Callback,
    /// The panic message (`"<non-string panic payload>"` when it was not text).
    pub message: String,
}

/// What a `handle_*` call did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The strategy ran.
    Ran,
    /// The strategy is disabled; it was not called.
    Disabled,
    /// The strategy panicked in this call and is now disabled; cancels for its
    /// live orders follow its intents in [`StrategyHost::poll_intent`].
    Panicked,
}

/// Counters of a host.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HostStats {
    /// Events delivered to the strategy.
    pub events: u64,
    /// Events lost to lapping (sum of the `missed` counts).
    pub events_missed: u64,
    /// Intents taken by [`StrategyHost::poll_intent`] (cancels after a
    /// failure included).
    pub intents: u64,
    /// Intents refused by [`Context::submit`] (buffer full included).
    pub intents_refused: u64,
    /// Intents refused because the buffer was full.
    pub intents_buffer_full: u64,
    /// Timers fired.
    pub timers_fired: u64,
    /// Order updates delivered.
    pub order_updates: u64,
}

/// Runs one [`Strategy`]: the runner thread's sans-IO core.
///
/// Call order (one thread):
/// 1. [`handle_start`](Self::handle_start) once;
/// 2. for each batch read from the rings, [`handle_event`](Self::handle_event)
///    per event then [`handle_batch_end`](Self::handle_batch_end); when a lossy
///    subscription was lapped, [`handle_lapped`](Self::handle_lapped) before the
///    next event; [`handle_order_update`](Self::handle_order_update) when the
///    gateway reports; [`handle_timeout`](Self::handle_timeout) when the clock
///    passes [`poll_timeout`](Self::poll_timeout);
/// 3. after each call, [`poll_intent`](Self::poll_intent) until `None`, into
///    the strategy's SPSC ring to the gateway;
/// 4. [`handle_stop`](Self::handle_stop) once at shutdown, then drain again.
///
/// Each callback runs under [`catch_unwind`]. A panic disables the strategy for
/// good (it is never called again: its state may be broken), is reported as
/// [`Outcome::Panicked`] and kept in [`failure`](Self::failure), and
/// `poll_intent` then yields a cancel for every order still live. Order updates
/// keep the live-order table current after that, without calling the strategy.
pub struct StrategyHost {
    strategy: Box<dyn Strategy>,
    intents: IntentBuffer,
    live: LiveOrders,
    timers: Timers,
    failure: Option<Failure>,
    /// After a failure: the live-order slot to look at for the next cancel.
    cancel_from: Option<usize>,
    refused: u64,
    stats: HostStats,
}

/// The failure record of a panic in `callback` with `payload`.
fn failure_of(callback: Callback, payload: &(dyn std::any::Any + Send)) -> Failure {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "<non-string panic payload>".to_owned());
    Failure { callback, message }
}

impl std::fmt::Debug for StrategyHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StrategyHost")
            .field("live_orders", &self.live.len())
            .field("pending_intents", &self.intents.len())
            .field("failure", &self.failure)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl StrategyHost {
    /// A host for `strategy` with tables of `limits`' sizes.
    pub fn new(strategy: Box<dyn Strategy>, limits: HostLimits) -> Self {
        StrategyHost {
            strategy,
            intents: IntentBuffer::with_capacity(limits.intents_per_callback),
            live: LiveOrders::with_capacity(limits.live_orders),
            timers: Timers::with_capacity(limits.timers),
            failure: None,
            cancel_from: None,
            refused: 0,
            stats: HostStats::default(),
        }
    }

    /// Runs `f` on the strategy with a context, under `catch_unwind`.
    fn call(
        &mut self,
        callback: Callback,
        board: &Board,
        now: UtcNanos,
        published_to_callback_ns: Option<u64>,
        f: impl FnOnce(&mut dyn Strategy, &mut Context<'_>),
    ) -> Outcome {
        if self.failure.is_some() {
            return Outcome::Disabled;
        }
        let mut ctx = Context {
            now,
            published_to_callback_ns,
            board,
            intents: &mut self.intents,
            live: &mut self.live,
            timers: &mut self.timers,
            refused: &mut self.refused,
        };
        let strategy = &mut *self.strategy;
        // The strategy is never called again after a panic, so state it left
        // half-updated is never observed: asserting unwind safety is sound.
        match catch_unwind(AssertUnwindSafe(|| f(strategy, &mut ctx))) {
            Ok(()) => Outcome::Ran,
            Err(payload) => {
                self.fail(callback, &*payload);
                Outcome::Panicked
            }
        }
    }

    /// Disables the strategy after a panic in `callback`.
    fn fail(&mut self, callback: Callback, payload: &(dyn std::any::Any + Send)) {
        self.failure = Some(failure_of(callback, payload));
        self.cancel_from = Some(0);
        self.timers.clear();
    }

    /// The strategy's own latency recorder ([`Strategy::latency_recorder`]),
    /// for the runner to rotate; `None` when it keeps none or is disabled. A
    /// panic in the accessor disables the strategy like a callback's.
    pub fn latency_recorder(&mut self) -> Option<&mut LatencyRecorder> {
        if self.failure.is_some() {
            return None;
        }
        let strategy = &mut *self.strategy;
        let accessor = move || {
            let strategy = strategy;
            strategy.latency_recorder()
        };
        match catch_unwind(AssertUnwindSafe(accessor)) {
            Ok(recorder) => recorder,
            Err(payload) => {
                // The fields `fail` sets, not `self` (the strategy is borrowed).
                self.failure = Some(failure_of(Callback::LatencyRecorder, &*payload));
                self.cancel_from = Some(0);
                self.timers.clear();
                None
            }
        }
    }

    /// Calls [`Strategy::on_start`].
    pub fn handle_start(&mut self, board: &Board, now: UtcNanos) -> Outcome {
        self.call(Callback::Start, board, now, None, |s, ctx| s.on_start(ctx))
    }

    /// Calls [`Strategy::on_event`]; `published_to_callback_ns` is the ring's
    /// publish-to-callback time where the runner measured it.
    pub fn handle_event(
        &mut self,
        board: &Board,
        now: UtcNanos,
        published_to_callback_ns: Option<u64>,
        event: &Event,
    ) -> Outcome {
        let outcome = self.call(
            Callback::Event,
            board,
            now,
            published_to_callback_ns,
            |s, ctx| s.on_event(ctx, event),
        );
        if outcome != Outcome::Disabled {
            self.stats.events += 1;
        }
        outcome
    }

    /// Calls [`Strategy::on_batch_end`].
    pub fn handle_batch_end(&mut self, board: &Board, now: UtcNanos) -> Outcome {
        self.call(Callback::BatchEnd, board, now, None, |s, ctx| {
            s.on_batch_end(ctx)
        })
    }

    /// Calls [`Strategy::on_lapped`]: `missed` events were lost on a lossy
    /// subscription; the strategy resyncs from the board.
    pub fn handle_lapped(&mut self, board: &Board, now: UtcNanos, missed: u64) -> Outcome {
        self.stats.events_missed = self.stats.events_missed.saturating_add(missed);
        self.call(Callback::Lapped, board, now, None, |s, ctx| {
            s.on_lapped(ctx, missed)
        })
    }

    /// Records `update` in the live-order table, then calls
    /// [`Strategy::on_order_update`] (unless disabled).
    pub fn handle_order_update(
        &mut self,
        board: &Board,
        now: UtcNanos,
        update: &OrderUpdate,
    ) -> Outcome {
        if update.kind.is_terminal() {
            self.live.remove(update.order_id);
        }
        self.stats.order_updates += 1;
        self.call(Callback::OrderUpdate, board, now, None, |s, ctx| {
            s.on_order_update(ctx, update)
        })
    }

    /// Fires the timers due at `now`, earliest first: at most the timer table's
    /// capacity per call, so a strategy that re-arms a timer at `now` from
    /// [`Strategy::on_timer`] cannot spin the runner.
    pub fn handle_timeout(&mut self, board: &Board, now: UtcNanos) -> Outcome {
        let mut outcome = if self.failure.is_some() {
            Outcome::Disabled
        } else {
            Outcome::Ran
        };
        for _ in 0..self.timers.capacity() {
            let Some(token) = self.timers.pop_due(now) else {
                break;
            };
            self.stats.timers_fired += 1;
            outcome = self.call(Callback::Timer, board, now, None, |s, ctx| {
                s.on_timer(ctx, token)
            });
            if outcome != Outcome::Ran {
                break;
            }
        }
        outcome
    }

    /// Calls [`Strategy::on_stop`] (shutdown).
    pub fn handle_stop(&mut self, board: &Board, now: UtcNanos) -> Outcome {
        self.call(Callback::Stop, board, now, None, |s, ctx| s.on_stop(ctx))
    }

    /// The earliest timer deadline, for the runner's wait.
    pub fn poll_timeout(&self) -> Option<UtcNanos> {
        self.timers.next_deadline()
    }

    /// The next intent for the gateway: the strategy's, oldest first; after a
    /// failure, then a cancel for each order still live.
    pub fn poll_intent(&mut self) -> Option<Intent> {
        let intent = self.intents.pop().or_else(|| {
            let from = self.cancel_from?;
            match self.live.next_from(from) {
                Some((slot, cancel)) => {
                    self.cancel_from = Some(slot + 1);
                    Some(cancel)
                }
                None => {
                    self.cancel_from = None;
                    None
                }
            }
        });
        if intent.is_some() {
            self.stats.intents += 1;
        }
        intent
    }

    /// Why the strategy was disabled, if it was.
    pub fn failure(&self) -> Option<&Failure> {
        self.failure.as_ref()
    }

    /// Whether the strategy was disabled by a panic.
    pub fn is_disabled(&self) -> bool {
        self.failure.is_some()
    }

    /// How many orders are live.
    pub fn live_orders(&self) -> usize {
        self.live.len()
    }

    /// The host's counters.
    pub fn stats(&self) -> HostStats {
        HostStats {
            intents_refused: self.refused,
            intents_buffer_full: self.intents.dropped_full(),
            ..self.stats
        }
    }

    /// The strategy, e.g. to read what a recording strategy collected.
    pub fn strategy(&self) -> &dyn Strategy {
        &*self.strategy
    }

    /// Gives the strategy back (downcast it with `Box<dyn Any>`).
    pub fn into_strategy(self) -> Box<dyn Strategy> {
        self.strategy
    }
}

#[cfg(test)]
#[path = "host_tests.rs"]
mod tests;
