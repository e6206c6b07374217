//! A/B arbitration and packet sequencing for one channel (sans-IO).
//!
//! Venues publish each channel twice, on lines A and B, with identical packets
//! numbered by a per-channel packet sequence number (CME MDP3: the `MsgSeqNum`
//! of the binary packet header). The [`Arbiter`] merges the two copies into
//! one stream in sequence order, the first copy of each packet winning, and
//! says exactly which sequence numbers were missing on both lines.
//!
//! Supported: two lines, `u32` sequence numbers, out-of-order arrival within a
//! bounded window and a bounded wait, late packets, duplicates on either line,
//! sequence resets (CME's weekly reset), per-line and per-channel counters.
//! Not here: decoding the packets (the caller reads the sequence number), what
//! a gap means for books (suspect instruments, RptSeq checks, snapshot
//! recovery: the recovery layer above), and receiving (`net::feed` in the
//! root crate).
//!
//! ```text
//!  line A copies ─┐                     ┌─► Deliver(seq n), Deliver(n+1), ...
//!                 ├─► Arbiter ──────────┼─► Gap { first, last }
//!  line B copies ─┘   next, reorder     ├─► Late(packet)    (LatePolicy::Surface)
//!                     window, history   └─► Reset { last, first }
//! ```
//!
//! # Rules
//!
//! With `next` the next sequence number to deliver, a copy with sequence
//! number `s` is:
//!
//! | case | what happens | counted (on its line) |
//! |---|---|---|
//! | the first packet ever | `next = s`; delivered | `accepted` |
//! | `s == next` | delivered at once (zero-copy), then whatever waited behind it | `accepted` (+ `recovered` if a higher one came first) |
//! | `next < s ≤ next + reorder_window`, first copy | copied into the reorder buffer | `accepted` (+ `recovered`) |
//! | `s > next + reorder_window` | the holes below `s − reorder_window` are declared at once, then as above | as above |
//! | already buffered or delivered | dropped | `duplicate` |
//! | `s < next`, declared lost (or below the first packet) | dropped, or handed out as `Late` by policy | `late` |
//! | `s < next − dup_horizon` | a sequence reset: see below | as `s == next` |
//!
//! **Bounded wait.** A hole is declared a gap (`Gap { first, last }`, counted
//! in the channel's `lost`) when `max_wait_ns` have passed since the earliest
//! arrival among the packets waiting behind it, or when a packet arrives more
//! than `reorder_window` ahead. So at most `reorder_window` packets wait, and
//! none for longer than `max_wait_ns` past its arrival. Time is the caller's
//! [`MonoNanos`](crate::time::MonoNanos), passed to every `handle_*` call.
//!
//! **Sequence reset.** A copy more than `dup_horizon` (default 65,536)
//! sequence numbers *behind* `next` starts a new epoch: what was buffered is
//! delivered (holes between buffered packets declared), `Reset { last, first }`
//! is emitted, and `s` is delivered as the first packet of the epoch. So
//! CME's weekly reset to 1 is a reset, not a four-billion-packet gap (nor,
//! with wrapping arithmetic, a jump ahead). Within `dup_horizon` a copy behind
//! `next` is classified exactly (duplicate or late) from a bitmap, so a line
//! lagging the other by up to `dup_horizon` packets is still deduplicated.
//! The cost of the rule: a session that restarts before it has sent
//! `dup_horizon` packets is not recognised (its packets count as duplicates or
//! late until its sequence passes the old one); set `dup_horizon` below the
//! shortest session for such feeds (simulators, test venues). After a reset,
//! stragglers of the old epoch from a lagging line (sequence numbers near the
//! old `next`, far ahead of the new epoch) are dropped as duplicates (below the
//! old `next`) or late (from it on) instead of opening a gap to them.
//!
//! **Packet storage.** The caller owns its receive buffers: a packet delivered
//! on arrival (the common case) is handed back as the caller's own slice, no
//! copy. A packet that must wait is copied into the arbiter's pool of
//! `reorder_window + 1` slots of `max_packet_len` bytes, allocated once in
//! [`Arbiter::new`]; it is handed out from there. Nothing allocates per packet
//! (tested with a counting allocator).
//!
//! **Counters** ([`ArbiterCounters`]): per line `accepted`, `duplicate`,
//! `late`, `lost` (holes in that line's own sequence, whether or not the other
//! line covered them), `recovered`, `kernel_drops` (SO_RXQ_OVFL, fed by the
//! receive shell through [`Arbiter::handle_kernel_drops`]), `too_long`; per
//! channel the sums, plus `lost` (declared missing on both lines), `gaps` and
//! `resets`. Kernel drops are local overflow; `lost` is upstream loss.
//!
//! # Use
//!
//! ```
//! use fixgate_core::normalize::arbiter::{Action, Arbiter, ArbiterConfig, Arrival, Line};
//! use fixgate_core::time::{MonoNanos, UtcNanos};
//!
//! let mut arb = Arbiter::new(ArbiterConfig::cme()).unwrap();
//! let mut seen = Vec::new();
//! for (t, line, seq) in [(0, Line::A, 7), (1, Line::B, 7), (2, Line::B, 9), (3, Line::A, 8)] {
//!     let arrival = Arrival { line, seq, ts_recv: UtcNanos::EPOCH, payload: b"..." };
//!     let mut actions = arb.handle_packet(MonoNanos::from_nanos(t), arrival).unwrap();
//!     while let Some(action) = actions.next_action() {
//!         if let Action::Deliver(p) = action {
//!             seen.push((p.seq, p.line));
//!         }
//!     }
//! }
//! assert_eq!(seen, [(7, Line::A), (8, Line::A), (9, Line::B)]);
//! assert_eq!(arb.counters().channel.duplicate, 1);
//! ```

mod action;
mod config;
mod counters;
mod engine;
mod history;
mod line;
mod window;

pub use action::{Action, Actions, Arrival, Delivered};
pub use config::{ArbiterConfig, ConfigError, LatePolicy};
pub use counters::{ArbiterCounters, ChannelCounters, LineCounters};
pub use engine::{Arbiter, ArbiterError};
pub use line::Line;

#[cfg(test)]
mod tests;
