//! Strategy timers: a small fixed-capacity table of deadlines keyed by a token
//! the strategy chooses.
//!
//! Deadlines are [`UtcNanos`] of the runner's clock (the live clock, or the
//! replay clock that follows the recorded receive times), so a replay fires the
//! same timers at the same points of the stream as the live run did. Nothing
//! here reads a clock: the runner passes `now` in and asks
//! [`Timers::next_deadline`] how long it may wait.

use crate::time::UtcNanos;

/// Why a timer could not be set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TimerError {
    /// Every slot holds a pending timer with another token.
    #[error("timer table full ({capacity} timers); token {token} not set")]
    Full {
        /// The table's capacity.
        capacity: usize,
        /// The token that was not set.
        token: u64,
    },
}

/// Pending timers: at most one per token, a fixed number in all.
#[derive(Debug)]
pub struct Timers {
    slots: Box<[Option<(UtcNanos, u64)>]>,
}

impl Timers {
    /// A table for `capacity` timers (at least 1), allocated once.
    pub fn with_capacity(capacity: usize) -> Self {
        Timers {
            slots: vec![None; capacity.max(1)].into_boxed_slice(),
        }
    }

    /// How many timers it holds at most.
    pub fn capacity(&self) -> usize {
        self.slots.len()
    }

    /// How many timers are pending.
    pub fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.is_some()).count()
    }

    /// Whether no timer is pending.
    pub fn is_empty(&self) -> bool {
        self.slots.iter().all(Option::is_none)
    }

    /// Sets the timer `token` to fire at `at`, replacing its earlier deadline.
    ///
    /// # Errors
    /// [`TimerError::Full`] when `token` is not pending and no slot is free.
    pub fn set(&mut self, at: UtcNanos, token: u64) -> Result<(), TimerError> {
        let mut free = None;
        for (i, slot) in self.slots.iter_mut().enumerate() {
            match slot {
                Some((_, t)) if *t == token => {
                    *slot = Some((at, token));
                    return Ok(());
                }
                None if free.is_none() => free = Some(i),
                _ => {}
            }
        }
        match free {
            Some(i) => {
                self.slots[i] = Some((at, token));
                Ok(())
            }
            None => Err(TimerError::Full {
                capacity: self.slots.len(),
                token,
            }),
        }
    }

    /// Cancels the timer `token`; whether it was pending.
    pub fn cancel(&mut self, token: u64) -> bool {
        for slot in self.slots.iter_mut() {
            if matches!(slot, Some((_, t)) if *t == token) {
                *slot = None;
                return true;
            }
        }
        false
    }

    /// The earliest pending deadline.
    pub fn next_deadline(&self) -> Option<UtcNanos> {
        self.slots.iter().flatten().map(|&(at, _)| at).min()
    }

    /// Removes and returns the token of the earliest timer due at `now`
    /// (deadline ≤ `now`); ties go to the lower token.
    pub fn pop_due(&mut self, now: UtcNanos) -> Option<u64> {
        let (i, _) = self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.map(|(at, token)| (i, (at, token))))
            .filter(|&(_, (at, _))| at <= now)
            .min_by_key(|&(_, key)| key)?;
        self.slots[i].take().map(|(_, token)| token)
    }

    /// Cancels every timer.
    pub fn clear(&mut self) {
        self.slots.iter_mut().for_each(|s| *s = None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(ns: u64) -> UtcNanos {
        UtcNanos::from_nanos(ns)
    }

    #[test]
    fn fires_in_deadline_order_once() {
        let mut timers = Timers::with_capacity(4);
        timers.set(t(30), 3).unwrap();
        timers.set(t(10), 1).unwrap();
        timers.set(t(20), 2).unwrap();
        assert_eq!(timers.next_deadline(), Some(t(10)));
        assert_eq!(timers.pop_due(t(5)), None);
        assert_eq!(timers.pop_due(t(25)), Some(1));
        assert_eq!(timers.pop_due(t(25)), Some(2));
        assert_eq!(timers.pop_due(t(25)), None);
        assert_eq!(timers.len(), 1);
        assert_eq!(timers.pop_due(t(30)), Some(3));
        assert!(timers.is_empty());
        assert_eq!(timers.next_deadline(), None);
    }

    #[test]
    fn same_token_replaces_and_full_is_an_error() {
        let mut timers = Timers::with_capacity(2);
        timers.set(t(10), 7).unwrap();
        timers.set(t(50), 7).unwrap();
        assert_eq!(timers.len(), 1);
        assert_eq!(timers.pop_due(t(10)), None, "the old deadline was replaced");
        timers.set(t(60), 8).unwrap();
        assert_eq!(
            timers.set(t(70), 9),
            Err(TimerError::Full {
                capacity: 2,
                token: 9
            })
        );
        assert!(timers.cancel(7));
        assert!(!timers.cancel(7));
        timers.set(t(70), 9).unwrap();
        assert_eq!(timers.capacity(), 2);
        timers.clear();
        assert!(timers.is_empty());
    }
}
