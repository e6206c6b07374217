//! Market-by-price books addressed by level index (CME `MDPriceLevel`, 1 = best).
//!
//! Supported actions ([`MbpAction`], FIX `MDUpdateAction` 279 values 0–5):
//!
//! | action | level `L` | effect | changes reported |
//! |---|---|---|---|
//! | New (0) | `1..=min(len+1, depth)` | insert at `L`, levels `L..` shift down one; a full side drops its last level | `Cancel` of the dropped level (at `depth`), then `Add` at `L` |
//! | Change (1) | `1..=len` | same price: replace qty and order count; another price: delete `L` then insert at `L` (CME's rule) | `Modify` at `L`; or `Cancel` then `Add` at `L` |
//! | Delete (2) | `1..=len` | remove `L`, levels below shift up one | `Cancel` at `L` |
//! | DeleteThru (3) | ignored | clear the whole side | one `Clear` |
//! | DeleteFrom (4) | `1..=depth` | remove levels `1..=L` (those present), the rest shift up | `Cancel` at level 1, once per level removed, best first |
//! | Overlay (5) | `1..=min(len+1, depth)` | replace `L` whatever its price (`L = len+1`: append) | as Change (`Add` when appending) |
//!
//! Every side stays strictly ordered (bids descending, asks ascending, no price
//! twice) and at most `depth` long. An update that would break that, names a
//! level outside the range above, carries a null price or quantity where one is
//! needed, or (Delete) a price other than the level's, is refused with an
//! [`MbpError`]: the book is left as it was and marked suspect
//! ([`MbpBook::is_suspect`]) until it is cleared or [`MbpBook::mark_good`].
//!
//! The reported [`LevelChange`]s are the resulting state of each level touched,
//! in an order that rebuilds the book two ways: a consumer keyed by price
//! (insert or replace on `Add`/`Modify`, remove on `Cancel`, empty the side on
//! `Clear`) and a consumer keyed by position (insert at `level` on `Add`, replace
//! on `Modify`, remove at `level` on `Cancel`) both end with this book.

use crate::event::Action;
use crate::types::{Price, Qty, Side};

/// One price level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Level {
    /// The price.
    pub price_e9: Price,
    /// Total quantity at the price.
    pub qty: Qty,
    /// Orders at the price (0 where the venue does not say, e.g. implied levels).
    pub order_count: u32,
}

/// What an update does to a book side (FIX `MDUpdateAction`, tag 279).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MbpAction {
    /// 0: insert a level.
    New,
    /// 1: change a level.
    Change,
    /// 2: delete a level.
    Delete,
    /// 3: delete every level of the side.
    DeleteThru,
    /// 4: delete levels 1 through the given one.
    DeleteFrom,
    /// 5: replace a level whatever its price.
    Overlay,
}

impl MbpAction {
    /// The action of a FIX `MDUpdateAction` (279) value, `None` for others.
    #[inline]
    pub const fn from_fix(value: u8) -> Option<Self> {
        Some(match value {
            0 => MbpAction::New,
            1 => MbpAction::Change,
            2 => MbpAction::Delete,
            3 => MbpAction::DeleteThru,
            4 => MbpAction::DeleteFrom,
            5 => MbpAction::Overlay,
            _ => return None,
        })
    }
}

/// One update to one side of a book.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MbpOp {
    /// The side.
    pub side: Side,
    /// What to do.
    pub action: MbpAction,
    /// The 1-based level (ignored by DeleteThru).
    pub level: u8,
    /// The price ([`Price::NULL`] allowed for Delete: no price check).
    pub price_e9: Price,
    /// The level's total quantity (New, Change, Overlay).
    pub qty: Qty,
    /// The level's order count (0 where unknown).
    pub order_count: u32,
}

/// A level's resulting state after an update (see the [module docs](self)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LevelChange {
    /// The side.
    pub side: Side,
    /// `Add` and `Modify`: the level's index now; `Cancel`: the index it had
    /// just before its removal; `Clear`: 0.
    pub level: u8,
    /// The level's price (`Cancel`: the removed price; `Clear`: null).
    pub price_e9: Price,
    /// Quantity now (0 for `Cancel` and `Clear`).
    pub qty: Qty,
    /// Order count now (0 for `Cancel` and `Clear`).
    pub order_count: u32,
    /// `Add`, `Modify`, `Cancel` or `Clear`.
    pub action: Action,
}

/// Where [`MbpBook::apply_to`] reports the levels an update changes: any
/// `FnMut(LevelChange)`, or a type of the caller's whose
/// [`LevelSink::level_changed`] is `#[inline(always)]`, so that it is inlined
/// at each of the book's report sites (a closure is called there instead,
/// and the normalizer's event assembly costs a call per level).
pub trait LevelSink {
    /// One level's resulting state (see the [module docs](self)).
    fn level_changed(&mut self, change: LevelChange);
}

impl<F: FnMut(LevelChange)> LevelSink for F {
    #[inline]
    fn level_changed(&mut self, change: LevelChange) {
        self(change)
    }
}

/// Why an update was refused. The book is unchanged and marked suspect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MbpError {
    /// The update has no side.
    #[error("book update without a side")]
    NoSide,
    /// The level is outside what the action allows (see the module table).
    #[error("{action:?} at level {level} of the {side:?} side ({len} levels, depth {depth})")]
    LevelOutOfRange {
        /// The side.
        side: Side,
        /// The action.
        action: MbpAction,
        /// The level asked for.
        level: u8,
        /// Levels on the side.
        len: u8,
        /// The book's depth.
        depth: u8,
    },
    /// The price would not sit strictly between its neighbours.
    #[error("price {price_e9} out of order at level {level} of the {side:?} side")]
    OutOfOrder {
        /// The side.
        side: Side,
        /// The level.
        level: u8,
        /// The price.
        price_e9: Price,
    },
    /// A Delete's price differs from the level's.
    #[error("delete at level {level} of the {side:?} side says {got_e9}, the book has {book_e9}")]
    PriceMismatch {
        /// The side.
        side: Side,
        /// The level.
        level: u8,
        /// The book's price there.
        book_e9: Price,
        /// The update's price.
        got_e9: Price,
    },
    /// New, Change or Overlay without a price or quantity.
    #[error("{action:?} at level {level} of the {side:?} side without a price or quantity")]
    NullValue {
        /// The side.
        side: Side,
        /// The action.
        action: MbpAction,
        /// The level.
        level: u8,
    },
}

/// One side of a book: levels best first, at most the book's depth.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MbpSide {
    side: Side,
    /// Allocated with the book's maximum depth; never grows past it.
    levels: Vec<Level>,
}

impl MbpSide {
    fn with_capacity(side: Side, capacity: u8) -> Self {
        MbpSide {
            side,
            levels: Vec::with_capacity(usize::from(capacity)),
        }
    }

    /// Which side.
    #[inline]
    pub fn side(&self) -> Side {
        self.side
    }

    /// The levels, best first.
    #[inline]
    pub fn levels(&self) -> &[Level] {
        &self.levels
    }

    /// The best level.
    #[inline]
    pub fn best(&self) -> Option<&Level> {
        self.levels.first()
    }

    /// Levels on the side.
    #[inline]
    pub fn len(&self) -> usize {
        self.levels.len()
    }

    /// Whether the side is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.levels.is_empty()
    }

    /// Whether `a` is strictly better than `b` on this side.
    #[inline]
    fn better(&self, a: Price, b: Price) -> bool {
        match self.side {
            Side::Bid => a > b,
            _ => a < b,
        }
    }

    /// Whether `price` fits at index `at` between `levels[at - 1]` (if any) and
    /// `levels[next]` (if any).
    #[inline]
    fn fits(&self, price: Price, at: usize, next: usize) -> bool {
        (at == 0 || self.better(self.levels[at - 1].price_e9, price))
            && self
                .levels
                .get(next)
                .is_none_or(|n| self.better(price, n.price_e9))
    }

    /// Inserts `level` at index `at` (at most the length), the levels from
    /// `at` on moving down one. An inline loop that carries each level to the
    /// next slot (one load and one store per level moved) instead of
    /// `Vec::insert`'s out-of-line call and its `memmove`: the sides are a few
    /// 16-byte levels deep, and this is the hot path of every New.
    #[inline(always)]
    fn insert_at(&mut self, at: usize, level: Level) {
        // Within the capacity allocated at construction: never grows.
        self.levels.push(level);
        let mut carry = level;
        for slot in self.levels.iter_mut().skip(at) {
            carry = std::mem::replace(slot, carry);
        }
    }

    /// Removes and returns the level at index `at` (below the length), the
    /// levels after it moving up one: [`MbpSide::insert_at`]'s loop run
    /// backwards (every Delete).
    #[inline(always)]
    fn remove_at(&mut self, at: usize) -> Option<Level> {
        if at >= self.levels.len() {
            return None;
        }
        let mut carry = self.levels.pop()?;
        for slot in self.levels.iter_mut().skip(at).rev() {
            carry = std::mem::replace(slot, carry);
        }
        Some(carry)
    }

    fn change(&self, level: usize, lvl: &Level, action: Action) -> LevelChange {
        LevelChange {
            side: self.side,
            level: level as u8,
            price_e9: lvl.price_e9,
            qty: if action == Action::Cancel {
                Qty::ZERO
            } else {
                lvl.qty
            },
            order_count: if action == Action::Cancel {
                0
            } else {
                lvl.order_count
            },
            action,
        }
    }
}

/// A two-sided market-by-price book with a fixed depth (see the [module docs](self)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MbpBook {
    bids: MbpSide,
    asks: MbpSide,
    depth: u8,
    capacity: u8,
    suspect: bool,
}

impl MbpBook {
    /// An empty book whose depth can be set up to `capacity` levels per side; its
    /// depth starts at `capacity`. Allocates both sides here, never again.
    pub fn with_capacity(capacity: u8) -> Self {
        MbpBook {
            bids: MbpSide::with_capacity(Side::Bid, capacity),
            asks: MbpSide::with_capacity(Side::Ask, capacity),
            depth: capacity,
            capacity,
            suspect: false,
        }
    }

    /// Levels per side the book keeps.
    #[inline]
    pub fn depth(&self) -> u8 {
        self.depth
    }

    /// The bids, best (highest) first.
    #[inline]
    pub fn bids(&self) -> &MbpSide {
        &self.bids
    }

    /// The asks, best (lowest) first.
    #[inline]
    pub fn asks(&self) -> &MbpSide {
        &self.asks
    }

    /// The side `side` (`None` for [`Side::None`]).
    #[inline]
    pub fn side(&self, side: Side) -> Option<&MbpSide> {
        match side {
            Side::Bid => Some(&self.bids),
            Side::Ask => Some(&self.asks),
            Side::None => None,
        }
    }

    /// Whether an update was refused since the book was last cleared or marked
    /// good: its levels may differ from the venue's.
    #[inline]
    pub fn is_suspect(&self) -> bool {
        self.suspect
    }

    /// Marks the book suspect (a gap upstream).
    #[inline]
    pub fn mark_suspect(&mut self) {
        self.suspect = true;
    }

    /// Marks the book good again (recovered upstream).
    #[inline]
    pub fn mark_good(&mut self) {
        self.suspect = false;
    }

    /// Whether both sides are empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.bids.is_empty() && self.asks.is_empty()
    }

    /// Empties both sides and clears the suspect mark (the venue said the book
    /// is empty, or a snapshot is about to fill it).
    pub fn clear(&mut self) {
        self.bids.levels.clear();
        self.asks.levels.clear();
        self.suspect = false;
    }

    /// Sets the depth (at most the capacity; more is clamped). Levels past a
    /// smaller depth are dropped, reported as `Cancel`s from the bottom up.
    pub fn set_depth(&mut self, depth: u8, mut emit: impl FnMut(LevelChange)) {
        self.depth = depth.min(self.capacity);
        for side in [&mut self.bids, &mut self.asks] {
            while side.levels.len() > usize::from(self.depth) {
                let at = side.levels.len();
                if let Some(gone) = side.levels.pop() {
                    emit(side.change(at, &gone, Action::Cancel));
                }
            }
        }
    }

    /// Applies one update, reporting each level it changes to `emit` (see the
    /// [module docs](self) for the order).
    ///
    /// # Errors
    /// [`MbpError`] when the update does not fit the book; nothing was emitted,
    /// the book is unchanged and now suspect.
    #[inline]
    pub fn apply(&mut self, op: &MbpOp, emit: impl FnMut(LevelChange)) -> Result<(), MbpError> {
        self.apply_to(op, emit)
    }

    /// [`MbpBook::apply`] reporting to any [`LevelSink`] (the normalizer's
    /// inlined event assembly).
    ///
    /// # Errors
    /// As [`MbpBook::apply`].
    #[inline]
    pub fn apply_to(&mut self, op: &MbpOp, emit: impl LevelSink) -> Result<(), MbpError> {
        let result = self.try_apply(op, emit);
        if result.is_err() {
            self.suspect = true;
        }
        result
    }

    #[inline(always)]
    fn try_apply(&mut self, op: &MbpOp, mut emit: impl LevelSink) -> Result<(), MbpError> {
        let depth = usize::from(self.depth);
        let side = match op.side {
            Side::Bid => &mut self.bids,
            Side::Ask => &mut self.asks,
            Side::None => return Err(MbpError::NoSide),
        };
        let len = side.levels.len();
        let l = usize::from(op.level);
        let out_of_range = || MbpError::LevelOutOfRange {
            side: op.side,
            action: op.action,
            level: op.level,
            len: len as u8,
            depth: depth as u8,
        };
        let new = Level {
            price_e9: op.price_e9,
            qty: op.qty,
            order_count: op.order_count,
        };
        let needs_values = || {
            if op.price_e9.is_null() || op.qty.is_null() {
                Err(MbpError::NullValue {
                    side: op.side,
                    action: op.action,
                    level: op.level,
                })
            } else {
                Ok(())
            }
        };
        let out_of_order = MbpError::OutOfOrder {
            side: op.side,
            level: op.level,
            price_e9: op.price_e9,
        };
        match op.action {
            MbpAction::New => {
                if l == 0 || l > depth || l > len + 1 {
                    return Err(out_of_range());
                }
                needs_values()?;
                if !side.fits(new.price_e9, l - 1, l - 1) {
                    return Err(out_of_order);
                }
                if len == depth {
                    if let Some(gone) = side.levels.pop() {
                        emit.level_changed(side.change(depth, &gone, Action::Cancel));
                    }
                }
                side.insert_at(l - 1, new);
                emit.level_changed(side.change(l, &new, Action::Add));
            }
            MbpAction::Change | MbpAction::Overlay => {
                let limit = if op.action == MbpAction::Overlay {
                    (len + 1).min(depth)
                } else {
                    len
                };
                if l == 0 || l > limit {
                    return Err(out_of_range());
                }
                needs_values()?;
                if l == len + 1 {
                    // Overlay of the level just past the last: an append.
                    if !side.fits(new.price_e9, l - 1, l - 1) {
                        return Err(out_of_order);
                    }
                    side.levels.push(new);
                    emit.level_changed(side.change(l, &new, Action::Add));
                } else if side.levels[l - 1].price_e9 == new.price_e9 {
                    side.levels[l - 1] = new;
                    emit.level_changed(side.change(l, &new, Action::Modify));
                } else {
                    if !side.fits(new.price_e9, l - 1, l) {
                        return Err(out_of_order);
                    }
                    let old = std::mem::replace(&mut side.levels[l - 1], new);
                    emit.level_changed(side.change(l, &old, Action::Cancel));
                    emit.level_changed(side.change(l, &new, Action::Add));
                }
            }
            MbpAction::Delete => {
                if l == 0 || l > len {
                    return Err(out_of_range());
                }
                let book_e9 = side.levels[l - 1].price_e9;
                if !op.price_e9.is_null() && op.price_e9 != book_e9 {
                    return Err(MbpError::PriceMismatch {
                        side: op.side,
                        level: op.level,
                        book_e9,
                        got_e9: op.price_e9,
                    });
                }
                if let Some(old) = side.remove_at(l - 1) {
                    emit.level_changed(side.change(l, &old, Action::Cancel));
                }
            }
            MbpAction::DeleteThru => {
                side.levels.clear();
                emit.level_changed(LevelChange {
                    side: op.side,
                    level: 0,
                    price_e9: Price::NULL,
                    qty: Qty::ZERO,
                    order_count: 0,
                    action: Action::Clear,
                });
            }
            MbpAction::DeleteFrom => {
                if l == 0 || l > depth {
                    return Err(out_of_range());
                }
                let n = l.min(len);
                for old in &side.levels[..n] {
                    emit.level_changed(side.change(1, old, Action::Cancel));
                }
                side.levels.drain(..n);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "mbp_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "mbp_model_prop.rs"]
mod model_prop;
