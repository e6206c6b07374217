//! Strategies: the [`Strategy`] trait, its [`Context`], the sans-IO
//! [`StrategyHost`] that runs one, and the built-ins.
//!
//! ```text
//!  ring(s) ─► runner thread (root crate, src/app) ─────────────────────────────┐
//!             StrategyHost ── catch_unwind ─► Strategy::on_* (ctx: now, board, │
//!               │                               submit(intent), set_timer)    │
//!               └─ poll_intent() ─► per-strategy SPSC ring ─► order gateway ──┘
//!                                  ◄─ OrderUpdate (acked, fills, cancels) ────
//! ```
//!
//! Supported: events (with the batch they came in), timers on the runner's
//! clock, order updates, lapping on lossy subscriptions (resync from the
//! [`board`](crate::board)), intents `New` / `Replace` / `Cancel` of limit orders
//! identified by a [`StrategyOrderId`] the strategy assigns. Not here: threads,
//! rings, pinning and configuration (the root crate's `app` module), risk checks
//! and venue order state (the order gateway), and the `recorder` built-in.
//!
//! Built-ins: [`latency_probe`] (records receive → callback latency, sends
//! nothing), [`market_maker`] (two-sided quotes around the mid with inventory
//! skew).
//!
//! Nothing here allocates after construction, locks, or reads a clock: the
//! runner passes the time in ([`Context::now`]), so a replay drives a strategy
//! exactly as the live run did.

mod context;
mod host;
mod intent;
pub mod latency_probe;
mod live_orders;
pub mod market_maker;
mod order_update;
mod timer;

use std::any::Any;

/// A strategy parameter with a value the strategy cannot use (parameters that
/// do not parse are reported by the configuration reader, with their name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("parameter {param}: {problem}")]
pub struct ParamError {
    /// The parameter's name, as in the configuration.
    pub param: &'static str,
    /// What is wrong with it.
    pub problem: &'static str,
}

pub use context::Context;
pub use host::{Callback, Failure, HostLimits, HostStats, Outcome, StrategyHost};
pub use intent::{Intent, IntentBuffer, IntentError, IntentKind, StrategyOrderId};
pub use live_orders::LiveOrders;
pub use order_update::{OrderUpdate, OrderUpdateKind};
pub use timer::{TimerError, Timers};

use crate::event::Event;
use crate::latency::LatencyRecorder;

/// A trading strategy, driven by one runner thread.
///
/// # Call order
/// 1. [`on_start`](Strategy::on_start), once, before anything else.
/// 2. Then, in any interleaving the runner's loop produces, on one thread:
///    - [`on_event`](Strategy::on_event) for each event read from the rings,
///      in ring order per ring, followed after each read batch by one
///      [`on_batch_end`](Strategy::on_batch_end). Act on events that carry
///      [`EventFlags::LAST`](crate::event::EventFlags::LAST) (the venue message
///      is complete), or at batch end;
///    - [`on_lapped`](Strategy::on_lapped) when a lossy subscription fell a
///      whole ring behind: `missed` events are gone, and the next `on_event` is
///      the newest one. Resync from [`Context::board`];
///    - [`on_order_update`](Strategy::on_order_update) when the order gateway
///      reports on one of the strategy's orders (between batches);
///    - [`on_timer`](Strategy::on_timer) once the runner's clock reaches a
///      deadline set with [`Context::set_timer`].
/// 3. [`on_stop`](Strategy::on_stop), once, at shutdown (intents it submits,
///    such as cancels, are still sent).
///
/// Callbacks run under `catch_unwind`: a panic disables the strategy for good,
/// and the runner cancels its live orders. They must not block, allocate on the
/// hot path, or read clocks ([`Context::now`] is the time).
///
/// `Any` lets the runner's owner get a concrete strategy back after a run
/// (`Box<dyn Strategy>` upcasts to `Box<dyn Any>`).
pub trait Strategy: Any + Send {
    /// Called once before any other callback (arm timers here).
    fn on_start(&mut self, ctx: &mut Context<'_>) {
        let _ = ctx;
    }

    /// Called with each event, in ring order.
    fn on_event(&mut self, ctx: &mut Context<'_>, event: &Event);

    /// Called after the last event of each batch read from a ring.
    fn on_batch_end(&mut self, ctx: &mut Context<'_>) {
        let _ = ctx;
    }

    /// Called when the timer `token` is due.
    fn on_timer(&mut self, ctx: &mut Context<'_>, token: u64) {
        let _ = (ctx, token);
    }

    /// Called with each update about one of this strategy's orders.
    fn on_order_update(&mut self, ctx: &mut Context<'_>, update: &OrderUpdate) {
        let _ = (ctx, update);
    }

    /// Called when a lossy subscription was lapped and `missed` events were
    /// lost; the default does nothing (strategies that keep state from events
    /// should rebuild it from [`Context::board`]).
    fn on_lapped(&mut self, ctx: &mut Context<'_>, missed: u64) {
        let _ = (ctx, missed);
    }

    /// Called once at shutdown.
    fn on_stop(&mut self, ctx: &mut Context<'_>) {
        let _ = ctx;
    }

    /// The strategy's own [`LatencyRecorder`], if it keeps per-stage
    /// histograms (the default: none). The runner then starts its interval
    /// when the strategy starts, rotates it at batch ends on the runner's
    /// monotonic clock (a swap with an empty set, no allocation) and hands
    /// each finished interval to the report merger, so the strategy's
    /// histograms show up in the interval logs. Keep it a plain accessor: it
    /// is called between batches (under `catch_unwind` like the callbacks).
    fn latency_recorder(&mut self) -> Option<&mut LatencyRecorder> {
        None
    }
}
