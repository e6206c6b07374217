//! What the feed thread does when a receive call finds nothing.

use std::time::Duration;

use super::rx::{Rx, RxError};

/// How the feed thread waits for packets.
///
/// | strategy | latency | CPU |
/// |---|---|---|
/// | `Spin` | lowest: the next packet is seen within one receive call | one core at 100 %, always |
/// | `SpinThenYield` | as `Spin` while traffic flows; a scheduler round trip after a lull | 100 % while spinning, then yields the core to other runnable threads |
/// | `Block` | a wake-up (several µs) per lull | none while idle |
///
/// Spin only on a core of its own (isolated, pinned): a spinning thread that
/// shares a core delays whatever else runs there, and is delayed by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitStrategy {
    /// Call the receive function again at once (with a spin-loop hint).
    Spin,
    /// Spin for `spins` empty receive calls, then yield the core after each
    /// further empty one.
    SpinThenYield {
        /// Empty calls to spin through before yielding.
        spins: u32,
    },
    /// Block in `poll(2)` until a socket is readable, at most `timeout` at a
    /// time (so that a stop request is seen; `poll` counts milliseconds, so
    /// anything under 1 ms waits 1 ms).
    Block {
        /// The longest single wait.
        timeout: Duration,
    },
}

/// A strategy's state across empty receive calls.
#[derive(Debug)]
pub(super) struct Idler {
    strategy: WaitStrategy,
    empty: u32,
}

impl Idler {
    pub(super) fn new(strategy: WaitStrategy) -> Self {
        Idler { strategy, empty: 0 }
    }

    /// A receive call found packets.
    #[inline]
    pub(super) fn busy(&mut self) {
        self.empty = 0;
    }

    /// A receive call found nothing: wait as the strategy says.
    pub(super) fn idle<R: Rx>(&mut self, rx: &mut R) -> Result<(), RxError> {
        self.empty = self.empty.saturating_add(1);
        match self.strategy {
            WaitStrategy::Spin => std::hint::spin_loop(),
            WaitStrategy::SpinThenYield { spins } => {
                if self.empty <= spins {
                    std::hint::spin_loop();
                } else {
                    std::thread::yield_now();
                }
            }
            WaitStrategy::Block { timeout } => rx.wait_readable(timeout)?,
        }
        Ok(())
    }
}
