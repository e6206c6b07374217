//! Replay speed: as fast as possible, or paced so that capture time passes
//! `N` times as fast as the machine's time (`1x`: as captured).
//!
//! The pacer maps each packet's capture time onto the machine's monotonic
//! clock from the first packet on, and waits for that moment: sleeping while
//! more than 200 µs remain, then yielding. A replay that falls behind (a slow
//! machine, a burst) does not wait at all until it has caught up, so the
//! stream is never stretched beyond the capture's own gaps.

use std::str::FromStr;
use std::time::Duration;

use fixgate_core::time::{Clock, MonoNanos, TscClock, UtcNanos};
use thiserror::Error;

/// How fast to replay.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    /// No pacing.
    Max,
    /// Capture time runs this many times as fast as real time (> 0).
    Times(f64),
}

/// A `--speed` that does not parse.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("speed {given:?}: expected max, 1x or a factor such as 10x or 0.5x (> 0)")]
pub struct SpeedError {
    /// What was given.
    pub given: String,
}

impl FromStr for Speed {
    type Err = SpeedError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || SpeedError {
            given: s.to_owned(),
        };
        if s.eq_ignore_ascii_case("max") {
            return Ok(Speed::Max);
        }
        let factor: f64 = s
            .strip_suffix(['x', 'X'])
            .unwrap_or(s)
            .parse()
            .map_err(|_| err())?;
        if factor.is_finite() && factor > 0.0 {
            Ok(Speed::Times(factor))
        } else {
            Err(err())
        }
    }
}

impl std::fmt::Display for Speed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Speed::Max => f.write_str("max"),
            Speed::Times(x) => write!(f, "{x}x"),
        }
    }
}

/// Waits for each packet's moment (see the [module docs](self)).
#[derive(Debug)]
pub struct Pacer {
    speed: Speed,
    clock: TscClock,
    /// The first packet's capture time and the machine's time then.
    origin: Option<(UtcNanos, MonoNanos)>,
}

/// Sleep while more than this remains; yield below it.
const SLEEP_ABOVE_NS: u64 = 200_000;

impl Pacer {
    /// A pacer for `speed`.
    pub fn new(speed: Speed, clock: TscClock) -> Self {
        Pacer {
            speed,
            clock,
            origin: None,
        }
    }

    /// Returns when the packet captured at `ts` is due.
    pub fn wait_for(&mut self, ts: UtcNanos) {
        let Speed::Times(factor) = self.speed else {
            return;
        };
        let (ts0, mono0) = *self.origin.get_or_insert((ts, self.clock.mono()));
        let offset_ns = (ts.saturating_sub(ts0) as f64 / factor) as u64;
        let due = mono0.saturating_add_nanos(offset_ns);
        loop {
            let left = due.saturating_sub(self.clock.mono());
            if left == 0 {
                return;
            }
            if left > SLEEP_ABOVE_NS {
                std::thread::sleep(Duration::from_nanos(left - SLEEP_ABOVE_NS / 2));
            } else {
                std::thread::yield_now();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_parse() {
        assert_eq!("max".parse::<Speed>().unwrap(), Speed::Max);
        assert_eq!("1x".parse::<Speed>().unwrap(), Speed::Times(1.0));
        assert_eq!("0.5x".parse::<Speed>().unwrap(), Speed::Times(0.5));
        assert_eq!("20".parse::<Speed>().unwrap(), Speed::Times(20.0));
        for bad in ["0x", "-1x", "fast", "NaNx", "infx"] {
            assert!(bad.parse::<Speed>().is_err(), "{bad}");
        }
    }

    #[test]
    fn paced_replay_takes_the_capture_time_over_the_factor() {
        let clock = TscClock::new();
        let mut p = Pacer::new(Speed::Times(10.0), clock.clone());
        let start = clock.mono();
        let t0 = UtcNanos::from_nanos(1_000_000_000);
        p.wait_for(t0);
        // 100 ms of capture at 10x: 10 ms.
        p.wait_for(t0.saturating_add_nanos(100_000_000));
        let took = clock.mono().saturating_sub(start);
        assert!(took >= 10_000_000, "{took} ns");
        assert!(took < 2_000_000_000, "{took} ns");
        let mut max = Pacer::new(Speed::Max, clock.clone());
        let start = clock.mono();
        max.wait_for(t0);
        max.wait_for(t0.saturating_add_nanos(10_000_000_000));
        assert!(clock.mono().saturating_sub(start) < 1_000_000_000);
    }
}
