//! What a strategy callback sees: the time, the board, and where its intents
//! and timers go.

use super::{Intent, IntentBuffer, IntentError, IntentKind, LiveOrders, StrategyOrderId};
use super::{TimerError, Timers};
use crate::board::Board;
use crate::time::UtcNanos;

/// The runner's view lent to one strategy callback.
///
/// Everything in it belongs to the runner (the [`StrategyHost`](super::StrategyHost)):
/// the intent buffer is drained after the callback, the timer table is fired
/// from the runner's clock, the live-order table lets the runner cancel every
/// order if the strategy fails. Nothing here allocates, locks or reads a clock.
#[derive(Debug)]
pub struct Context<'a> {
    pub(super) now: UtcNanos,
    pub(super) published_to_callback_ns: Option<u64>,
    pub(super) board: &'a Board,
    pub(super) intents: &'a mut IntentBuffer,
    pub(super) live: &'a mut LiveOrders,
    pub(super) timers: &'a mut Timers,
    pub(super) refused: &'a mut u64,
}

impl Context<'_> {
    /// The runner's clock at this callback: the live clock, or in a replay the
    /// replayed time (so timers fire at the same point of the stream).
    #[inline]
    pub fn now(&self) -> UtcNanos {
        self.now
    }

    /// For an event callback, the nanoseconds from the producer's publish of the
    /// event into the ring to this callback (monotonic clock), when the runner
    /// knows it; `None` in other callbacks and in replays.
    #[inline]
    pub fn published_to_callback_ns(&self) -> Option<u64> {
        self.published_to_callback_ns
    }

    /// The board: per-instrument snapshots, consistent as of some event end at
    /// or after the current event (the normalizer writes the board before it
    /// publishes the event).
    #[inline]
    pub fn board(&self) -> &Board {
        self.board
    }

    /// Hands an intent to the runner.
    ///
    /// # Errors
    /// - [`IntentError::BufferFull`] (counted by the buffer) when this callback
    ///   has filled the intent buffer;
    /// - [`IntentError::Invalid`] for a side of [`Side::None`](crate::types::Side::None),
    ///   a zero or null quantity, or a null price on a `New` or `Replace`;
    /// - [`IntentError::DuplicateOrderId`], [`IntentError::TooManyLiveOrders`],
    ///   [`IntentError::UnknownOrder`] from the live-order table.
    ///
    /// Refused intents change nothing and are counted
    /// ([`HostStats::intents_refused`](super::HostStats::intents_refused)).
    #[inline]
    pub fn submit(&mut self, intent: Intent) -> Result<(), IntentError> {
        let result = self.check_and_track(&intent);
        if result.is_err() {
            *self.refused += 1;
        }
        result
    }

    #[inline]
    fn check_and_track(&mut self, intent: &Intent) -> Result<(), IntentError> {
        let order_id = intent.order_id;
        let invalid = |field| Err(IntentError::Invalid { order_id, field });
        if intent.side == crate::types::Side::None {
            return invalid("side");
        }
        if intent.kind != IntentKind::Cancel {
            if intent.qty.is_null() || intent.qty.lots() == 0 {
                return invalid("qty");
            }
            if intent.price_e9.is_null() {
                return invalid("price_e9");
            }
        }
        if self.intents.len() == self.intents.capacity() {
            // Counted by the buffer; the live table stays as it was.
            return self.intents.push(*intent);
        }
        self.live.on_intent(intent)?;
        self.intents.push(*intent)
    }

    /// The live order `id` as last requested (price and quantity of its latest
    /// `New` or `Replace`), if the runner has it live.
    #[inline]
    pub fn live_order(&self, id: StrategyOrderId) -> Option<&Intent> {
        self.live.get(id)
    }

    /// How many more intents this callback can submit before the buffer is full.
    #[inline]
    pub fn intent_room(&self) -> usize {
        self.intents.capacity() - self.intents.len()
    }

    /// Asks for [`Strategy::on_timer`](super::Strategy::on_timer) with `token`
    /// once the runner's clock reaches `at` (replacing an earlier timer with
    /// the same token).
    ///
    /// # Errors
    /// [`TimerError::Full`] when the timer table is full.
    #[inline]
    pub fn set_timer(&mut self, at: UtcNanos, token: u64) -> Result<(), TimerError> {
        self.timers.set(at, token)
    }

    /// Cancels the timer `token`; whether it was pending.
    #[inline]
    pub fn cancel_timer(&mut self, token: u64) -> bool {
        self.timers.cancel(token)
    }
}
