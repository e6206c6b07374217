//! The arbiter: A/B arbitration and sequencing of one channel.

use std::collections::VecDeque;

use thiserror::Error;

use crate::time::MonoNanos;

use super::action::Queued;
use super::config::{ArbiterConfig, ConfigError, LatePolicy};
use super::counters::{ArbiterCounters, ChannelCounters, LineState};
use super::history::SeqBitmap;
use super::window::Window;
use super::{Actions, Arrival, Line};

/// A packet the arbiter refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum ArbiterError {
    /// The payload is longer than `max_packet_len` (counted as `too_long`).
    #[error("line {line}: packet {seq} is {len} bytes, more than the {max} allowed")]
    TooLong {
        /// The line it came on.
        line: Line,
        /// Its sequence number.
        seq: u32,
        /// Its length.
        len: usize,
        /// `max_packet_len`.
        max: u16,
    },
}

/// A/B arbitration and sequencing of one channel's packets (sans-IO).
///
/// Call order: for each received copy, [`Arbiter::handle_packet`] and drain
/// the returned [`Actions`]; whenever [`Arbiter::poll_timeout`] says a
/// deadline has come, [`Arbiter::handle_timeout`] and drain it; pass kernel
/// drop counts to [`Arbiter::handle_kernel_drops`] as the socket reports them.
/// `now` is the shell's monotonic clock; `handle_packet` also applies every
/// deadline up to `now` before it looks at the packet, so the output depends
/// only on the inputs, not on how punctually `handle_timeout` was called.
///
/// See the [module documentation](super) for the rules.
pub struct Arbiter {
    cfg: ArbiterConfig,
    /// The next sequence number to deliver; meaningless before the first packet.
    next: u64,
    started: bool,
    /// The highest sequence number accepted in this epoch.
    max_arrived: u64,
    /// The earliest arrival among buffered packets: the head hole is overdue
    /// from then on.
    head_since: Option<MonoNanos>,
    pub(super) window: Window,
    /// Bit set: delivered (or surfaced late) in this epoch; clear: declared
    /// lost or never seen. Valid for `next - dup_horizon .. next`.
    delivered: SeqBitmap,
    lines: [LineState; 2],
    /// The old epoch's next sequence number after a reset, while stragglers
    /// from it can still be told apart from the new epoch.
    prev_epoch_next: Option<u64>,
    pub(super) queue: VecDeque<Queued>,
    lost: u64,
    gaps: u64,
    resets: u64,
}

impl Arbiter {
    /// An arbiter with every buffer allocated: the reorder pool
    /// (`(reorder_window + 1) × max_packet_len` bytes), three bitmaps of
    /// `dup_horizon` bits and the action queue. Nothing allocates after this.
    ///
    /// # Errors
    /// [`ConfigError`] for a setting out of range.
    pub fn new(cfg: ArbiterConfig) -> Result<Self, ConfigError> {
        cfg.validate()?;
        let window = usize::from(cfg.reorder_window);
        Ok(Arbiter {
            cfg,
            next: 0,
            started: false,
            max_arrived: 0,
            head_since: None,
            window: Window::new(cfg.reorder_window, cfg.max_packet_len),
            delivered: SeqBitmap::new(cfg.dup_horizon),
            lines: [
                LineState::new(cfg.dup_horizon),
                LineState::new(cfg.dup_horizon),
            ],
            prev_epoch_next: None,
            // At most: every buffered packet, a gap before each, one more gap,
            // a reset and the current packet (see `handle_packet`).
            queue: VecDeque::with_capacity(2 * window + 8),
            lost: 0,
            gaps: 0,
            resets: 0,
        })
    }

    /// The settings.
    pub fn config(&self) -> &ArbiterConfig {
        &self.cfg
    }

    /// The next sequence number it will deliver (`None` before the first
    /// packet; `2^32` after `u32::MAX` was delivered).
    pub fn next_seq(&self) -> Option<u64> {
        self.started.then_some(self.next)
    }

    /// Packets waiting in the reorder buffer.
    pub fn buffered(&self) -> usize {
        self.window.len()
    }

    /// When the oldest hole is due to be declared a gap (`None` when nothing
    /// waits).
    pub fn poll_timeout(&self) -> Option<MonoNanos> {
        self.head_since
            .map(|t| t.saturating_add_nanos(self.cfg.max_wait_ns))
    }

    /// The counts so far.
    pub fn counters(&self) -> ArbiterCounters {
        let lines = [self.line_counters(Line::A), self.line_counters(Line::B)];
        let sum = |f: fn(&super::LineCounters) -> u64| f(&lines[0]) + f(&lines[1]);
        ArbiterCounters {
            lines,
            channel: ChannelCounters {
                accepted: sum(|l| l.accepted),
                duplicate: sum(|l| l.duplicate),
                late: sum(|l| l.late),
                lost: self.lost,
                recovered: sum(|l| l.recovered),
                kernel_drops: sum(|l| l.kernel_drops),
                too_long: sum(|l| l.too_long),
                gaps: self.gaps,
                resets: self.resets,
            },
        }
    }

    fn line_counters(&self, line: Line) -> super::LineCounters {
        let state = &self.lines[line.index()];
        let mut c = state.counts;
        c.lost = state.lost();
        c
    }

    /// Adds `count` datagrams the kernel dropped on `line`'s socket
    /// (SO_RXQ_OVFL): counted apart from upstream loss, nothing else changes.
    pub fn handle_kernel_drops(&mut self, line: Line, count: u64) {
        let c = &mut self.lines[line.index()].counts.kernel_drops;
        *c = c.wrapping_add(count);
    }

    /// Applies every deadline up to `now`: overdue holes become gaps and what
    /// waited behind them is delivered.
    pub fn handle_timeout(&mut self, now: MonoNanos) -> Actions<'_, 'static> {
        self.queue.clear();
        self.expire(now);
        Actions {
            arbiter: self,
            current: None,
        }
    }

    /// Takes one received copy.
    ///
    /// # Errors
    /// [`ArbiterError::TooLong`] (and nothing else happens, not even the
    /// deadlines up to `now`) when the payload exceeds `max_packet_len`.
    pub fn handle_packet<'p>(
        &mut self,
        now: MonoNanos,
        arrival: Arrival<'p>,
    ) -> Result<Actions<'_, 'p>, ArbiterError> {
        let line = arrival.line;
        if arrival.payload.len() > usize::from(self.cfg.max_packet_len) {
            self.lines[line.index()].counts.too_long += 1;
            return Err(ArbiterError::TooLong {
                line,
                seq: arrival.seq,
                len: arrival.payload.len(),
                max: self.cfg.max_packet_len,
            });
        }
        self.queue.clear();
        self.expire(now);
        self.arrive(now, arrival);
        Ok(Actions {
            arbiter: self,
            current: Some(arrival),
        })
    }

    fn arrive(&mut self, now: MonoNanos, a: Arrival<'_>) {
        let seq = u64::from(a.seq);
        let li = a.line.index();
        if !self.started {
            self.start_epoch(seq);
        } else if seq < self.next {
            if self.next - seq > u64::from(self.cfg.dup_horizon) {
                self.reset(seq);
            } else {
                self.lines[li].observe(seq);
                if self.delivered.get(seq) {
                    self.lines[li].counts.duplicate += 1;
                } else {
                    self.lines[li].counts.late += 1;
                    self.delivered.put(seq, true);
                    if self.cfg.late == LatePolicy::Surface {
                        self.queue.push_back(Queued::CurrentLate);
                    }
                }
                return;
            }
        } else if let Some(old_next) = self.straggler(seq) {
            let counts = &mut self.lines[li].counts;
            if seq < old_next {
                counts.duplicate += 1;
            } else {
                counts.late += 1;
            }
            return;
        }
        self.lines[li].observe(seq);
        if self.window.contains(seq) {
            self.lines[li].counts.duplicate += 1;
            return;
        }
        let window = u64::from(self.cfg.reorder_window);
        if seq - self.next > window {
            // Too far ahead to wait for everything before it: the holes more
            // than a window behind it are declared now.
            self.advance_to(seq - window);
        }
        let counts = &mut self.lines[li].counts;
        counts.accepted += 1;
        if seq < self.max_arrived {
            counts.recovered += 1;
        }
        self.max_arrived = self.max_arrived.max(seq);
        if seq == self.next {
            self.delivered.put(seq, true);
            self.next += 1;
            self.queue.push_back(Queued::CurrentDeliver);
            if self.window.len() > 0 {
                self.drain_in_order();
                self.head_since = self.window.earliest_arrival();
            }
        } else {
            let stored = self.window.insert(seq, now, a.ts_recv, a.line, a.payload);
            debug_assert!(stored, "the window bounds leave room for {seq}");
            self.head_since = Some(self.head_since.map_or(now, |t| t.min(now)));
        }
    }

    /// `Some(old next)` when `seq` (at or after `next`) is a straggler from the
    /// epoch before the last reset: far ahead of the new epoch and near where
    /// the old one ended.
    fn straggler(&mut self, seq: u64) -> Option<u64> {
        let old = self.prev_epoch_next?;
        let window = u64::from(self.cfg.reorder_window);
        let horizon = u64::from(self.cfg.dup_horizon);
        if self.next + window >= old.saturating_sub(horizon) {
            // The new epoch has caught up with the old one's range: the two
            // can no longer be told apart, and no straggler is that late.
            self.prev_epoch_next = None;
            return None;
        }
        (seq > self.next + window && seq + horizon >= old && seq <= old + window).then_some(old)
    }

    /// Declares every hole whose wait is over (`now - head_since >= max_wait`).
    fn expire(&mut self, now: MonoNanos) {
        while let Some(since) = self.head_since {
            if now.saturating_sub(since) < self.cfg.max_wait_ns {
                return;
            }
            match self.window.seq_range() {
                Some((lowest, _)) => {
                    self.declare_gap(lowest - 1);
                    self.drain_in_order();
                    self.head_since = self.window.earliest_arrival();
                }
                None => self.head_since = None,
            }
        }
    }

    /// Delivers or declares everything below `target`.
    fn advance_to(&mut self, target: u64) {
        while self.next < target {
            if self.window.contains(self.next) {
                self.drain_in_order();
                continue;
            }
            let end = match self.window.seq_range() {
                Some((lowest, _)) if lowest < target => lowest,
                _ => target,
            };
            self.declare_gap(end - 1);
        }
        self.drain_in_order();
        self.head_since = self.window.earliest_arrival();
    }

    /// `next..=last` are lost.
    fn declare_gap(&mut self, last: u64) {
        let first = self.next;
        self.lost += last + 1 - first;
        self.gaps += 1;
        self.delivered.fill(first, last + 1, false);
        self.queue.push_back(Queued::Gap {
            first: seq32(first),
            last: seq32(last),
        });
        self.next = last + 1;
    }

    /// Hands out buffered packets while the next one is buffered.
    fn drain_in_order(&mut self) {
        while let Some(held) = self.window.take(self.next) {
            self.delivered.put(self.next, true);
            self.queue.push_back(Queued::Buffered(held));
            self.next += 1;
        }
    }

    /// A new epoch starting at `seq` (see the module docs for the rule).
    fn reset(&mut self, seq: u64) {
        if let Some((_, highest)) = self.window.seq_range() {
            self.advance_to(highest + 1);
        }
        self.queue.push_back(Queued::Reset {
            last: seq32(self.next - 1),
            first: seq32(seq),
        });
        self.prev_epoch_next = Some(self.next);
        self.resets += 1;
        self.start_epoch(seq);
    }

    fn start_epoch(&mut self, seq: u64) {
        self.started = true;
        self.next = seq;
        self.max_arrived = seq;
        self.head_since = None;
        // Empty here: a reset delivers everything buffered before it starts
        // the new epoch (and buffered packets may still be queued for the
        // caller, holding their slots).
        debug_assert_eq!(self.window.len(), 0);
        self.delivered.clear();
        for line in &mut self.lines {
            line.new_epoch();
        }
    }
}

/// A sequence number the arbiter holds as `u64` back on the wire's `u32`
/// (every one it emits came from a `u32`).
#[inline]
fn seq32(seq: u64) -> u32 {
    u32::try_from(seq).unwrap_or(u32::MAX)
}
