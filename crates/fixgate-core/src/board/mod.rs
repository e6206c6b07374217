//! The board: one [`InstrumentState`] per instrument (top levels, last trade,
//! trading state, `MAYBE_BAD_BOOK`), written by the normalizer at each event end
//! and readable from any thread.
//!
//! ```text
//!  normalizer thread                           any thread
//!  BoardWriter ── apply(&Event) / publish ──► Board: [SeqlockCell<InstrumentState>]
//!   (working copies, dirty list)                 └─ snapshot(InstrumentId) -> Option<InstrumentState>
//! ```
//!
//! Who reads it: lossy subscribers that were lapped (they resync from here
//! instead of the events they missed), late joiners, strategies that want the
//! book rather than the event stream, and displays.
//!
//! Supported: a fixed set of instruments given at construction (id → slot
//! lookup by binary search, no allocation afterwards), one writer
//! ([`BoardWriter`], not `Clone`), any number of readers. Each cell is a
//! seqlock from `fixgate-ring`: a reader copies the whole state out and retries
//! if the writer was in the middle of it, so a snapshot is always one the writer
//! published, never a mix of two. The writer never waits for readers.
//!
//! Two ways to write: [`BoardWriter::apply`] folds events into private working
//! copies and publishes every instrument touched since the last publish when an
//! event carries [`EventFlags::LAST`] (so readers never see half a venue
//! message); [`BoardWriter::publish`] writes a whole state that the caller built
//! (a normalizer with full books). [`InstrumentState::fold`] says what each
//! event does.
//!
//! Implied (synthetic) levels, flagged [`EventFlags::IMPLIED`], are kept apart
//! from the outright ones, two deep.
//!
//! Not supported: instruments added after construction (build a new board),
//! statistics (settlement, open interest: the normalizer's statistics events),
//! market-by-order aggregation (the normalizer's books do that).

mod fold;
mod state;

use std::sync::Arc;

use fixgate_ring::{CellReader, CellWriter};

pub use fold::Fold;
pub use state::{BookLevel, InstrumentState, LastTrade, StateFlags, BOOK_DEPTH, IMPLIED_DEPTH};

use crate::event::{Event, EventFlags};
use crate::types::{InstrumentId, VenueId};

/// Why a board could not be built or written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BoardError {
    /// An instrument was listed twice.
    #[error("instrument {instrument} listed twice on the board")]
    DuplicateInstrument {
        /// The instrument.
        instrument: InstrumentId,
    },
    /// [`InstrumentId::NONE`] cannot have a slot.
    #[error("instrument id 0 (none) cannot be on the board")]
    NoneInstrument,
    /// The instrument has no slot on this board.
    #[error("instrument {instrument} is not on the board")]
    UnknownInstrument {
        /// The instrument.
        instrument: InstrumentId,
    },
}

/// A slot on the board, found once with [`Board::slot`] and then used without a
/// lookup.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BoardSlot(u32);

impl BoardSlot {
    /// The slot's index.
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// The per-instrument cells, shared by one [`BoardWriter`] and any readers.
///
/// Build it with [`Board::new`], which returns the board (in an [`Arc`] for
/// readers) and its only writer.
pub struct Board {
    /// Instrument ids in ascending order; `slots[i]` is the slot of `ids[i]`.
    ids: Box<[InstrumentId]>,
    slots: Box<[u32]>,
    /// Instrument ids in slot order.
    by_slot: Box<[InstrumentId]>,
    /// One cell per instrument, in the order given at construction.
    cells: CellReader<InstrumentState>,
}

impl std::fmt::Debug for Board {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Board")
            .field("instruments", &self.cells.len())
            .finish_non_exhaustive()
    }
}

impl Board {
    /// A board for `instruments` (each with its venue), all unknown yet
    /// ([`InstrumentState::new`]), and its only writer. Slots follow the order
    /// given.
    ///
    /// # Errors
    /// [`BoardError::DuplicateInstrument`], [`BoardError::NoneInstrument`].
    pub fn new(
        instruments: &[(InstrumentId, VenueId)],
    ) -> Result<(Arc<Board>, BoardWriter), BoardError> {
        let mut order: Vec<(InstrumentId, u32)> = Vec::with_capacity(instruments.len());
        for (slot, &(id, _)) in instruments.iter().enumerate() {
            if id.is_none() {
                return Err(BoardError::NoneInstrument);
            }
            // Slots are u32; a board of 2^32 instruments would not fit in memory.
            order.push((id, slot as u32));
        }
        order.sort_unstable();
        if let Some(w) = order.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(BoardError::DuplicateInstrument { instrument: w[0].0 });
        }
        let initial: Vec<InstrumentState> = instruments
            .iter()
            .map(|&(id, venue)| InstrumentState::new(id, venue))
            .collect();
        let blank = InstrumentState::new(InstrumentId::NONE, VenueId::NONE);
        let (mut cells, reader) = fixgate_ring::cells(instruments.len(), blank);
        for (i, state) in initial.iter().enumerate() {
            // In range: there is one cell per instrument.
            let _ = cells.write(i, *state);
        }
        let board = Arc::new(Board {
            ids: order.iter().map(|&(id, _)| id).collect(),
            slots: order.iter().map(|&(_, slot)| slot).collect(),
            by_slot: instruments.iter().map(|&(id, _)| id).collect(),
            cells: reader,
        });
        let writer = BoardWriter {
            board: Arc::clone(&board),
            cells,
            work: initial.into_boxed_slice(),
            dirty: vec![false; instruments.len()].into_boxed_slice(),
            dirty_list: vec![0; instruments.len()].into_boxed_slice(),
            dirty_len: 0,
            stats: BoardStats::default(),
        };
        Ok((board, writer))
    }

    /// How many instruments the board holds.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Whether the board holds no instrument.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The slot of `instrument`, if it is on the board (a binary search).
    #[inline]
    pub fn slot(&self, instrument: InstrumentId) -> Option<BoardSlot> {
        let at = self.ids.binary_search(&instrument).ok()?;
        Some(BoardSlot(self.slots[at]))
    }

    /// The latest published state of `instrument`; `None` if it is not on the
    /// board. Never torn; retries while the writer is mid-write.
    #[inline]
    pub fn snapshot(&self, instrument: InstrumentId) -> Option<InstrumentState> {
        self.snapshot_at(self.slot(instrument)?)
    }

    /// The latest published state in `slot`; `None` for a slot of another,
    /// larger board.
    #[inline]
    pub fn snapshot_at(&self, slot: BoardSlot) -> Option<InstrumentState> {
        self.cells.read(slot.index()).ok()
    }

    /// How many times `slot`'s cell was written (poll it to see whether a state
    /// changed without copying it).
    #[inline]
    pub fn version(&self, slot: BoardSlot) -> Option<u64> {
        self.cells.cell(slot.index()).ok().map(|c| c.version())
    }

    /// The instruments on the board, in slot order.
    pub fn instruments(&self) -> impl Iterator<Item = InstrumentId> + '_ {
        self.by_slot.iter().copied()
    }
}

/// Counters of a [`BoardWriter`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BoardStats {
    /// Events folded into a working copy.
    pub events_folded: u64,
    /// Events that change no board state (order events, sideless levels).
    pub events_ignored: u64,
    /// Events for instruments not on the board (channel-wide ones included).
    pub events_unknown: u64,
    /// States written to cells.
    pub publishes: u64,
}

/// The board's only writer (the normalizer thread's handle).
///
/// Keeps a private working copy of every state, so folding an event costs no
/// seqlock write; a cell is written once per venue message that touched it.
pub struct BoardWriter {
    board: Arc<Board>,
    cells: CellWriter<InstrumentState>,
    work: Box<[InstrumentState]>,
    dirty: Box<[bool]>,
    dirty_list: Box<[u32]>,
    dirty_len: usize,
    stats: BoardStats,
}

impl std::fmt::Debug for BoardWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BoardWriter")
            .field("board", &self.board)
            .field("dirty", &self.dirty_len)
            .field("stats", &self.stats)
            .finish()
    }
}

impl BoardWriter {
    /// The board this writer writes.
    pub fn board(&self) -> &Arc<Board> {
        &self.board
    }

    /// The writer's counters.
    pub fn stats(&self) -> BoardStats {
        self.stats
    }

    /// Folds `event` into its instrument's working copy; when the event carries
    /// [`EventFlags::LAST`], publishes every instrument touched since the last
    /// publish (the venue message is complete). Allocation-free.
    ///
    /// Events of instruments not on the board are counted and skipped (a LAST
    /// among them still publishes the others).
    pub fn apply(&mut self, event: &Event) -> Fold {
        let fold = match self.board.slot(event.instrument()) {
            Some(slot) => {
                let i = slot.index();
                let fold = self.work[i].fold(event);
                if fold == Fold::Folded {
                    self.stats.events_folded += 1;
                    if !self.dirty[i] {
                        self.dirty[i] = true;
                        self.dirty_list[self.dirty_len] = slot.0;
                        self.dirty_len += 1;
                    }
                } else {
                    self.stats.events_ignored += 1;
                }
                fold
            }
            None => {
                self.stats.events_unknown += 1;
                Fold::Ignored
            }
        };
        if event.flags().contains(EventFlags::LAST) {
            self.flush();
        }
        fold
    }

    /// Publishes every instrument touched by [`apply`](Self::apply) since the
    /// last publish (for streams without `LAST` flags, call it at each message
    /// end).
    pub fn flush(&mut self) {
        for k in 0..self.dirty_len {
            let i = self.dirty_list[k] as usize;
            self.dirty[i] = false;
            self.work[i].updates += 1;
            // In range: slots index the cells.
            let _ = self.cells.write(i, self.work[i]);
            self.stats.publishes += 1;
        }
        self.dirty_len = 0;
    }

    /// Writes `state` whole as its instrument's state (the caller keeps the full
    /// book and built it), and makes it the working copy that later
    /// [`apply`](Self::apply) calls fold into. `updates` is set by the board.
    ///
    /// # Errors
    /// [`BoardError::UnknownInstrument`] when the instrument has no slot.
    pub fn publish(&mut self, state: &InstrumentState) -> Result<(), BoardError> {
        let Some(slot) = self.board.slot(state.instrument) else {
            return Err(BoardError::UnknownInstrument {
                instrument: state.instrument,
            });
        };
        let i = slot.index();
        let updates = self.work[i].updates + 1;
        self.work[i] = *state;
        self.work[i].updates = updates;
        // In range: slots index the cells.
        let _ = self.cells.write(i, self.work[i]);
        self.stats.publishes += 1;
        Ok(())
    }

    /// The working copy of `instrument`: the published state plus events folded
    /// since (not yet visible to readers).
    pub fn working(&self, instrument: InstrumentId) -> Option<&InstrumentState> {
        self.board
            .slot(instrument)
            .map(|slot| &self.work[slot.index()])
    }
}

#[cfg(test)]
mod tests;
