//! Seqlock cells: one writer, any number of readers, readers retry until they
//! copy a consistent value; the writer never waits.
//!
//! For the **board**: one cell per instrument holding its current snapshot (top
//! levels, last trade, status), written by the normalizer at the end of each
//! event and read by any thread (a lapped lossy subscriber resyncing, a late
//! joiner, a display).
//!
//! Supported: `T:` [`RingPayload`] (no padding, no
//! pointers: as for the ring; see [`crate::element`]); a fixed array of cells built once ([`cells`]); exactly one
//! [`CellWriter`] (not `Clone`, writes take `&mut self`) and any number of
//! [`CellReader`]s (cheap `Clone`); a version per cell (how many writes it has
//! seen). Not supported: several writers; waiting for a change (poll the
//! version).
//!
//! # Memory ordering
//!
//! A cell's stamp is even when stable (`2 × writes`) and odd during a write. The
//! writer: `stamp.store(odd, Relaxed)`, `fence(Release)`, the value's words
//! (`Relaxed`), `stamp.store(even, Release)`. A reader: `s1 = stamp.load(Acquire)`
//! (retry if odd), copy the words (`Relaxed`), `fence(Acquire)`, `s2 =
//! stamp.load(Relaxed)`, and keep the copy iff `s2 == s1`. The argument is the
//! ring's "Lossy read" (see [`crate::broadcast`]): if any word came from a write
//! that started after `s1`, that write's odd stamp happens-before `s2`. Every
//! access is atomic, so a copy overlapping a write is not a data race.
//!
//! A reader can starve if the writer rewrites the same cell faster than one
//! copy takes (64 bytes: nanoseconds), which per-event board updates never do;
//! [`CellReader::try_read`] makes one attempt for callers that must not loop.

use std::fmt;

use crate::element::RingPayload;
use crate::payload::Payload;
use crate::sync::{fence, spin_hint, Arc, AtomicU64, Ordering};

/// One seqlocked value on its own cache line(s), so that writing one
/// instrument's cell never invalidates a reader's copy of another's.
#[repr(C, align(64))]
pub struct SeqlockCell<T> {
    stamp: AtomicU64,
    value: Payload<T>,
}

impl<T: RingPayload> SeqlockCell<T> {
    fn new(init: T) -> SeqlockCell<T> {
        SeqlockCell {
            stamp: AtomicU64::new(0),
            value: Payload::new(init),
        }
    }

    /// One attempt at a consistent copy: `None` if a write was in progress or
    /// happened during the copy.
    #[inline]
    pub fn try_read(&self) -> Option<(T, u64)> {
        let before = self.stamp.load(Ordering::Acquire);
        if !before.is_multiple_of(2) {
            return None;
        }
        let copy = self.value.load();
        fence(Ordering::Acquire);
        let after = self.stamp.load(Ordering::Relaxed);
        if after != before {
            return None;
        }
        // SAFETY: the stamp was the same even value before and after the copy,
        // so no write overlapped it (module docs) and the words are those of
        // the one `T` written (or the initial value).
        Some((unsafe { copy.assume_init() }, before / 2))
    }

    /// A consistent copy and its version (writes so far), retrying while a
    /// write overlaps.
    #[inline]
    pub fn read(&self) -> (T, u64) {
        loop {
            if let Some(read) = self.try_read() {
                return read;
            }
            spin_hint();
        }
    }

    /// Writes so far (a reader can poll it to see whether anything changed).
    #[inline]
    pub fn version(&self) -> u64 {
        self.stamp.load(Ordering::Acquire) / 2
    }

    /// Writes `value`. Only [`CellWriter`] calls this, which makes the writer
    /// unique.
    #[inline]
    fn write(&self, value: &T) {
        let stamp = self.stamp.load(Ordering::Relaxed);
        self.stamp.store(stamp + 1, Ordering::Relaxed);
        fence(Ordering::Release);
        self.value.store(value);
        self.stamp.store(stamp + 2, Ordering::Release);
    }

    /// The value, read by the only writer (no other write can overlap it).
    #[inline]
    fn read_own(&self) -> T {
        // SAFETY: only the unique `CellWriter` writes, and it is the caller, so
        // no store overlaps this copy; the cell always holds a whole `T`.
        unsafe { self.value.load().assume_init() }
    }
}

/// An index past the end of the cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutOfRange {
    /// The index asked for.
    pub index: usize,
    /// The number of cells.
    pub len: usize,
}

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cell {} out of range (there are {})",
            self.index, self.len
        )
    }
}

impl std::error::Error for OutOfRange {}

/// Builds `len` cells holding `init`: the unique writer and a reader to clone.
/// The only allocation; reads and writes never allocate.
pub fn cells<T: RingPayload>(len: usize, init: T) -> (CellWriter<T>, CellReader<T>) {
    let cells: Arc<Box<[SeqlockCell<T>]>> =
        Arc::new((0..len).map(|_| SeqlockCell::new(init)).collect());
    (
        CellWriter {
            cells: Arc::clone(&cells),
        },
        CellReader { cells },
    )
}

/// The one writer of a set of cells.
pub struct CellWriter<T> {
    cells: Arc<Box<[SeqlockCell<T>]>>,
}

impl<T: RingPayload> CellWriter<T> {
    /// Writes `value` into cell `index`; readers see the old value or the new
    /// one, never a mix. Never waits.
    ///
    /// # Errors
    /// [`OutOfRange`] if `index >= len`.
    #[inline]
    pub fn write(&mut self, index: usize, value: T) -> Result<(), OutOfRange> {
        self.cell(index)?.write(&value);
        Ok(())
    }

    /// Reads cell `index`, lets `change` modify the copy, and writes it back.
    ///
    /// # Errors
    /// [`OutOfRange`] if `index >= len`.
    #[inline]
    pub fn update(&mut self, index: usize, change: impl FnOnce(&mut T)) -> Result<(), OutOfRange> {
        let cell = self.cell(index)?;
        let mut value = cell.read_own();
        change(&mut value);
        cell.write(&value);
        Ok(())
    }

    /// The current value of cell `index` (the writer's own view: no retry).
    ///
    /// # Errors
    /// [`OutOfRange`] if `index >= len`.
    pub fn get(&self, index: usize) -> Result<T, OutOfRange> {
        Ok(self.cell(index)?.read_own())
    }

    /// The number of cells.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// True when there are no cells.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    fn cell(&self, index: usize) -> Result<&SeqlockCell<T>, OutOfRange> {
        self.cells.get(index).ok_or(OutOfRange {
            index,
            len: self.cells.len(),
        })
    }
}

/// A reader of a set of cells; clone it for each reading thread.
pub struct CellReader<T> {
    cells: Arc<Box<[SeqlockCell<T>]>>,
}

impl<T> Clone for CellReader<T> {
    fn clone(&self) -> CellReader<T> {
        CellReader {
            cells: Arc::clone(&self.cells),
        }
    }
}

impl<T: RingPayload> CellReader<T> {
    /// A consistent copy of cell `index` (retrying while a write overlaps).
    ///
    /// # Errors
    /// [`OutOfRange`] if `index >= len`.
    #[inline]
    pub fn read(&self, index: usize) -> Result<T, OutOfRange> {
        Ok(self.cell(index)?.read().0)
    }

    /// One attempt at a consistent copy of cell `index` with its version;
    /// `Ok(None)` if a write overlapped.
    ///
    /// # Errors
    /// [`OutOfRange`] if `index >= len`.
    #[inline]
    pub fn try_read(&self, index: usize) -> Result<Option<(T, u64)>, OutOfRange> {
        Ok(self.cell(index)?.try_read())
    }

    /// Cell `index` itself (for `read`, `try_read` and `version` without the
    /// bounds check each time).
    ///
    /// # Errors
    /// [`OutOfRange`] if `index >= len`.
    pub fn cell(&self, index: usize) -> Result<&SeqlockCell<T>, OutOfRange> {
        self.cells.get(index).ok_or(OutOfRange {
            index,
            len: self.cells.len(),
        })
    }

    /// The number of cells.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// True when there are no cells.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
}

impl<T> fmt::Debug for CellWriter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CellWriter")
            .field("len", &self.cells.len())
            .finish()
    }
}

impl<T> fmt::Debug for CellReader<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CellReader")
            .field("len", &self.cells.len())
            .finish()
    }
}
