//! Moving latency sets between a hot thread and the merger: two bounded SPSC
//! handoffs, full sets one way and reset ones back.
//!
//! ```text
//!  HotLatency (hot thread)                         LatencySource (merger thread)
//!   recorder ── end_batch(now): due? ──► full  ──► try_take() ─► log, merge
//!      ▲                                                            │
//!      └──────────── empty ◄───────────────────── give_back(set): reset, send
//! ```
//!
//! Both hops are `std::sync::mpsc::sync_channel`s sized for every set the pair
//! owns, so a send never finds the channel full; and both sides only ever call
//! `try_send`/`try_recv`, never a blocking call. With no thread blocked on
//! either end, std's bounded channel is a lock-free array queue: a send or a
//! receive is a few atomic operations on the sender's and receiver's indices,
//! no lock, no allocation (the counting-allocator test in
//! `tests/latency_handoff_no_alloc.rs` checks the latter), no syscall. The hot
//! thread touches the channels only at a batch end when its interval is due,
//! never per record.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TryRecvError, TrySendError};
use std::sync::Arc;
use std::time::Duration;

use fixgate_core::latency::{LatencyLayout, LatencyRecorder, LatencySet};
use fixgate_core::time::MonoNanos;

/// What [`HotLatency::end_batch`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rotation {
    /// The interval is not over.
    NotDue,
    /// The full set went to the merger; recording goes on into an empty one.
    Rotated,
    /// The interval is over but the merger has handed back no empty set yet:
    /// recording goes on into the same set (the interval runs longer).
    Deferred,
    /// The merger is gone: the full set was dropped and counted
    /// ([`HotLatency::lost`]); recording goes on into an empty set.
    Lost,
}

/// The hot thread's side: its [`LatencyRecorder`] and the two channel ends.
#[derive(Debug)]
pub struct HotLatency {
    recorder: LatencyRecorder,
    handoff: IntervalHandoff,
}

/// The hot thread's two channel ends without a recorder: for a recorder that
/// lives elsewhere, such as inside a strategy (`Strategy::latency_recorder`,
/// rotated by its runner at batch ends). [`HotLatency`] is one of these plus
/// its own recorder.
#[derive(Debug)]
pub struct IntervalHandoff {
    full_tx: SyncSender<LatencySet>,
    empty_rx: Receiver<LatencySet>,
    deferred: u64,
    lost: u64,
}

/// The merger's side of one hot thread.
#[derive(Debug)]
pub struct LatencySource {
    name: String,
    full_rx: Receiver<LatencySet>,
    empty_tx: SyncSender<LatencySet>,
}

/// Builds a hot thread's recorder and its merger-side source: `1 + spares`
/// sets of `layout` (allocated here, at start-up), the first recording from
/// `now`, a rotation asked for every `interval`.
///
/// Two spares are enough when the merger keeps up; more let the hot thread
/// rotate on time through a slow merger.
pub fn latency_handoff(
    name: &str,
    layout: Arc<LatencyLayout>,
    spares: usize,
    now: MonoNanos,
    interval: Duration,
) -> (HotLatency, LatencySource) {
    let (handoff, source) = interval_handoff(name, &layout, spares);
    let interval_ns = u64::try_from(interval.as_nanos()).unwrap_or(u64::MAX);
    let hot = HotLatency {
        recorder: LatencyRecorder::new(LatencySet::new(layout), now, interval_ns),
        handoff,
    };
    (hot, source)
}

/// The channel ends for a recorder made elsewhere (of `layout`): `spares`
/// empty sets allocated here, room for one more (the recorder's own).
pub fn interval_handoff(
    name: &str,
    layout: &Arc<LatencyLayout>,
    spares: usize,
) -> (IntervalHandoff, LatencySource) {
    let sets = spares + 1;
    let (full_tx, full_rx) = sync_channel(sets);
    let (empty_tx, empty_rx) = sync_channel(sets);
    for _ in 0..spares {
        // Capacity is `sets`, so these fit.
        let _ = empty_tx.try_send(LatencySet::new(layout.clone()));
    }
    let handoff = IntervalHandoff {
        full_tx,
        empty_rx,
        deferred: 0,
        lost: 0,
    };
    let source = LatencySource {
        name: name.to_owned(),
        full_rx,
        empty_tx,
    };
    (handoff, source)
}

impl HotLatency {
    /// The recorder, for `record_ticks` / `record` on every message.
    #[inline]
    pub fn recorder(&mut self) -> &mut LatencyRecorder {
        &mut self.recorder
    }

    /// Call at each batch end: when the interval is due, swaps the full set for
    /// an empty one from the merger and sends the full one over. Lock-free and
    /// allocation-free (see the module doc).
    pub fn end_batch(&mut self, now: MonoNanos) -> Rotation {
        self.handoff.end_batch(&mut self.recorder, now)
    }

    /// Ends recording at `now` and sends the last (partial) interval over; for
    /// shutdown. Returns `false` when the merger is gone (the set is dropped).
    pub fn finish(self, now: MonoNanos) -> bool {
        let last = self.recorder.finish(now);
        self.handoff.full_tx.try_send(last).is_ok()
    }

    /// Rotations that were due but waited for an empty set.
    pub fn deferred(&self) -> u64 {
        self.handoff.deferred
    }

    /// Full sets dropped because the merger was gone.
    pub fn lost(&self) -> u64 {
        self.handoff.lost
    }
}

impl IntervalHandoff {
    /// [`HotLatency::end_batch`] for `recorder`: when its interval is due at
    /// `now`, swaps its full set for an empty one from the merger and sends
    /// the full one over. Lock-free and allocation-free.
    pub fn end_batch(&mut self, recorder: &mut LatencyRecorder, now: MonoNanos) -> Rotation {
        if !recorder.is_due(now) {
            return Rotation::NotDue;
        }
        self.rotate(recorder, now)
    }

    /// Ends `recorder`'s current interval at `now` and sends it over, whether
    /// due or not (for shutdown, when the recorder itself stays with its
    /// owner): [`Rotation::Deferred`] when no empty set is back yet (the
    /// interval then stays in the recorder).
    pub fn rotate(&mut self, recorder: &mut LatencyRecorder, now: MonoNanos) -> Rotation {
        let Ok(empty) = self.empty_rx.try_recv() else {
            // Empty (merger behind) or disconnected (merger gone, and no
            // spare left): either way keep recording into the current set.
            self.deferred += 1;
            return Rotation::Deferred;
        };
        let full = match recorder.rotate(now, empty) {
            Ok(full) => full,
            Err(rejected) => {
                // The merger handed back a set it should not have: drop it
                // (off the hot path's normal course) and keep recording.
                drop(rejected);
                self.deferred += 1;
                return Rotation::Deferred;
            }
        };
        match self.full_tx.try_send(full) {
            Ok(()) => Rotation::Rotated,
            // Full cannot happen (capacity covers every set); disconnected
            // means no merger: count the interval as lost.
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                self.lost += 1;
                Rotation::Lost
            }
        }
    }

    /// Rotations that were due but waited for an empty set.
    pub fn deferred(&self) -> u64 {
        self.deferred
    }

    /// Full sets dropped because the merger was gone.
    pub fn lost(&self) -> u64 {
        self.lost
    }
}

/// What [`LatencySource::try_take`] found.
#[derive(Debug)]
pub enum Taken {
    /// A full set.
    Set(LatencySet),
    /// Nothing yet.
    Empty,
    /// The hot thread finished (or dropped its side) and every set has been
    /// taken.
    Finished,
}

impl LatencySource {
    /// The hot thread's name, given at construction.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Takes the next full set, if one is waiting.
    pub fn try_take(&self) -> Taken {
        match self.full_rx.try_recv() {
            Ok(set) => Taken::Set(set),
            Err(TryRecvError::Empty) => Taken::Empty,
            Err(TryRecvError::Disconnected) => Taken::Finished,
        }
    }

    /// Resets `set` (the costly part, done here) and hands it back to the hot
    /// thread as its next empty set; dropped if the hot thread is gone.
    pub fn give_back(&self, mut set: LatencySet) {
        set.reset();
        let _ = self.empty_tx.try_send(set);
    }
}
