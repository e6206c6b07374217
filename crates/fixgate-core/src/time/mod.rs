//! Time: the only module of fixgate-core that may read a clock.
//!
//! fixgate keeps two time domains apart, each with its own type:
//!
//! | type | clock | used for |
//! |---|---|---|
//! | [`UtcNanos`] | wall clock, UTC, ns since the epoch | venue event times, receive times, FIX `UTCTimestamp`s, everything that leaves the process |
//! | [`MonoNanos`] / [`Ticks`] | monotonic clock (the TSC through `quanta`) | stage latencies inside the process |
//!
//! A difference is only ever taken within one domain: `ts_recv - ts_event` is a
//! UTC difference (two wall clocks, possibly on two hosts), and "decode took 80 ns"
//! is a monotonic difference. A wall clock can be stepped or slewed by NTP/PTP at
//! any time, so it must not time a stage; a monotonic clock has an arbitrary origin,
//! so it must not be compared with a venue time. The types make the mix a compile
//! error: there is no arithmetic between `UtcNanos` and `MonoNanos`.
//!
//! Protocol cores never read a clock: the I/O shells read one [`Clock`] and pass the
//! time in (`handle_input(now, bytes)`). Tests use [`ManualClock`]; production uses
//! [`TscClock`] (or [`SystemClock`] where a TSC is not trusted); capture replays use
//! [`ReplayClock`], moved by the capture's timestamps.

mod clock;
mod mono;
mod replay;
mod utc;

pub use clock::{Clock, ManualClock, SystemClock, TscClock};
pub use mono::{MonoNanos, Ticks};
pub use replay::ReplayClock;
pub use utc::{days_in_month, is_leap_year, Civil, UtcNanos};
