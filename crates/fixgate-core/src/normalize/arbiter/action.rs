//! What goes into the arbiter and what comes out.

use crate::time::UtcNanos;

use super::window::Held;
use super::{Arbiter, Line};

/// One received copy of a packet, as the receive shell hands it over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arrival<'p> {
    /// The line it came on.
    pub line: Line,
    /// Its packet sequence number (CME: the `MsgSeqNum` of the binary packet
    /// header, the first 4 bytes, little-endian).
    pub seq: u32,
    /// When the receive shell stamped it (kernel, hardware or user space).
    pub ts_recv: UtcNanos,
    /// The whole UDP payload; borrowed for the call, copied only if buffered.
    pub payload: &'p [u8],
}

/// A packet handed out by the arbiter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Delivered<'a> {
    /// Its sequence number.
    pub seq: u32,
    /// The line whose copy this is (the first to arrive).
    pub line: Line,
    /// That copy's receive time.
    pub ts_recv: UtcNanos,
    /// The payload: the caller's own buffer when delivered on arrival, the
    /// arbiter's copy when it waited in the reorder buffer.
    pub payload: &'a [u8],
    /// Whether it waited in the reorder buffer (it arrived ahead of a hole).
    pub waited: bool,
}

/// One step of the arbiter's output, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action<'a> {
    /// The next packet in sequence: process it.
    Deliver(Delivered<'a>),
    /// Sequence numbers `first..=last` are missing on both lines and the wait
    /// for them is over: every instrument of the channel is now suspect until
    /// recovery. The next `Deliver` (if any) is `last + 1`.
    Gap {
        /// The first missing sequence number.
        first: u32,
        /// The last missing sequence number (inclusive).
        last: u32,
    },
    /// A packet whose gap was already declared ([`LatePolicy::Surface`](super::LatePolicy::Surface)
    /// only): not in sequence any more, offered to recovery.
    Late(Delivered<'a>),
    /// The sequence started over (CME's weekly reset): what was buffered from
    /// the old epoch has been delivered (holes between declared as gaps) and
    /// the next `Deliver` is `first`.
    Reset {
        /// The last sequence number delivered or declared in the old epoch.
        last: u32,
        /// The first sequence number of the new epoch.
        first: u32,
    },
}

/// An action waiting in the arbiter's queue (fixed capacity, no payload).
#[derive(Clone, Copy, Debug)]
pub(super) enum Queued {
    Gap {
        first: u32,
        last: u32,
    },
    Reset {
        last: u32,
        first: u32,
    },
    /// A packet from the reorder buffer; its slot is released when handed out.
    Buffered(Held),
    /// The packet of the current `handle_packet` call, delivered in sequence.
    CurrentDeliver,
    /// The packet of the current call, surfaced late.
    CurrentLate,
}

/// The actions of one `handle_*` call, handed out in order by
/// [`Actions::next_action`].
///
/// Drain it: dropping it discards what is left (buffered packets included),
/// and the next `handle_*` call cannot start before it is gone. Allocates
/// nothing.
#[must_use = "the actions carry the delivered packets and gaps; drain them with next_action"]
pub struct Actions<'a, 'p> {
    pub(super) arbiter: &'a mut Arbiter,
    pub(super) current: Option<Arrival<'p>>,
}

impl Actions<'_, '_> {
    /// The next action, or `None` when this call's output is exhausted.
    pub fn next_action(&mut self) -> Option<Action<'_>> {
        loop {
            let queued = self.arbiter.queue.pop_front()?;
            return Some(match queued {
                Queued::Gap { first, last } => Action::Gap { first, last },
                Queued::Reset { last, first } => Action::Reset { last, first },
                Queued::Buffered(held) => {
                    // The slot's bytes stay untouched until the next insert,
                    // which needs `&mut Arbiter` again, after this borrow ends.
                    self.arbiter.window.release(held.slot);
                    Action::Deliver(Delivered {
                        seq: u32::try_from(held.seq).unwrap_or(u32::MAX),
                        line: held.line,
                        ts_recv: held.ts_recv,
                        payload: self.arbiter.window.payload(&held),
                        waited: true,
                    })
                }
                Queued::CurrentDeliver | Queued::CurrentLate => {
                    let Some(cur) = self.current else { continue };
                    let d = Delivered {
                        seq: cur.seq,
                        line: cur.line,
                        ts_recv: cur.ts_recv,
                        payload: cur.payload,
                        waited: false,
                    };
                    if matches!(queued, Queued::CurrentDeliver) {
                        Action::Deliver(d)
                    } else {
                        Action::Late(d)
                    }
                }
            });
        }
    }
}

impl Drop for Actions<'_, '_> {
    fn drop(&mut self) {
        while let Some(q) = self.arbiter.queue.pop_front() {
            if let Queued::Buffered(held) = q {
                self.arbiter.window.release(held.slot);
            }
        }
    }
}
