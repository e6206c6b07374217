//! The instrument registry: definitions by [`InstrumentId`], with a capacity
//! fixed at construction.
//!
//! Supported: add, modify and delete as CME's `SecurityUpdateAction` `A`/`M`/`D`
//! does (add and modify both upsert, because the definition feed loops);
//! lookups by id and by dense [`Slot`]; trading state updates from status
//! messages. Not here: definition decoding (the venue adapters) and products
//! configuration (`specs/products.toml`, to come).
//!
//! Each instrument gets a [`Slot`], a dense index below the capacity, stable
//! while the instrument lives; owners of per-instrument state (the books of
//! [`crate::normalize::Normalizer`]) keep arrays indexed by it. A slot freed by a
//! delete is reused by a later add. After construction nothing here allocates: a
//! full registry is [`RegistryError::Full`].

mod definition;

pub use definition::{
    BookDepth, Currency, DefinitionAction, GroupCode, InstrumentDef, Symbol, UnitOfMeasure,
};

use crate::event::TradingState;
use crate::normalize::fixed_map::{FixedKey, FixedMap};
use crate::types::InstrumentId;

impl FixedKey for InstrumentId {
    #[inline]
    fn hash64(self) -> u64 {
        u64::from(self.get())
    }
}

/// A dense index of a registered instrument, `0..capacity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slot(u32);

impl Slot {
    /// The slot of a dense index (for owners walking every slot).
    #[inline]
    pub(crate) const fn from_index(index: usize) -> Self {
        Slot(index as u32)
    }

    /// The index.
    #[inline]
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// Why a definition was refused. The registry is unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    /// Every slot is taken.
    #[error("instrument registry full ({capacity} instruments); {id} not added")]
    Full {
        /// The capacity.
        capacity: usize,
        /// The instrument refused.
        id: InstrumentId,
    },
    /// A delete (or lookup) of an instrument that is not registered.
    #[error("instrument {id} is not registered")]
    Unknown {
        /// The instrument.
        id: InstrumentId,
    },
    /// [`InstrumentId::NONE`] cannot be registered.
    #[error("instrument id 0 is reserved for channel-wide events")]
    NoneId,
    /// The definition asks for deeper books than the registry was built for.
    #[error("instrument {id} wants {outright}/{implied} levels, the limit is {max_outright}/{max_implied}")]
    TooDeep {
        /// The instrument.
        id: InstrumentId,
        /// Outright levels asked for.
        outright: u8,
        /// Implied levels asked for.
        implied: u8,
        /// The outright limit.
        max_outright: u8,
        /// The implied limit.
        max_implied: u8,
    },
}

/// What a definition did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefinitionOutcome {
    /// A new instrument in this slot.
    Added(Slot),
    /// An existing instrument's definition was replaced; `depth_changed` when its
    /// book depth differs from before.
    Modified {
        /// Its slot.
        slot: Slot,
        /// Whether [`InstrumentDef::depth`] changed.
        depth_changed: bool,
    },
    /// The instrument was removed from this slot.
    Deleted(Slot),
}

/// Definitions by id, fixed capacity (see the [module docs](self)).
#[derive(Clone, Debug)]
pub struct InstrumentRegistry {
    index: FixedMap<InstrumentId, Slot>,
    defs: Box<[Option<InstrumentDef>]>,
    /// Free slots, popped from the end (lowest index last pushed first).
    free: Vec<Slot>,
    max_depth: BookDepth,
    /// Instruments removed so far: an id-to-slot answer remembered outside
    /// (the CME adapter's recent-instrument table) is still right while this
    /// has not changed (adds never move an instrument, only a removal frees
    /// its slot for another).
    removals: u64,
}

impl InstrumentRegistry {
    /// A registry for `capacity` instruments (at least one) whose books are at
    /// most `max_depth` deep. Allocates everything it will ever use.
    pub fn new(capacity: usize, max_depth: BookDepth) -> Self {
        let capacity = capacity.clamp(1, u32::MAX as usize);
        InstrumentRegistry {
            index: FixedMap::with_capacity(capacity),
            defs: vec![None; capacity].into_boxed_slice(),
            free: (0..capacity as u32).rev().map(Slot).collect(),
            max_depth,
            removals: 0,
        }
    }

    /// The most instruments it holds.
    #[inline]
    pub fn capacity(&self) -> usize {
        self.defs.len()
    }

    /// The instruments it holds.
    #[inline]
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether it holds none.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The deepest books a definition may ask for.
    #[inline]
    pub fn max_depth(&self) -> BookDepth {
        self.max_depth
    }

    /// Applies a definition message.
    ///
    /// # Errors
    /// [`RegistryError`]: id 0, books deeper than the limit, a full registry, or
    /// a delete of an unknown instrument. The registry is unchanged then.
    pub fn apply(
        &mut self,
        action: DefinitionAction,
        def: &InstrumentDef,
    ) -> Result<DefinitionOutcome, RegistryError> {
        match action {
            DefinitionAction::Add | DefinitionAction::Modify => self.upsert(def),
            DefinitionAction::Delete => self.remove(def.id).map(DefinitionOutcome::Deleted),
        }
    }

    fn upsert(&mut self, def: &InstrumentDef) -> Result<DefinitionOutcome, RegistryError> {
        if def.id.is_none() {
            return Err(RegistryError::NoneId);
        }
        let max = self.max_depth;
        if def.depth.outright > max.outright || def.depth.implied > max.implied {
            return Err(RegistryError::TooDeep {
                id: def.id,
                outright: def.depth.outright,
                implied: def.depth.implied,
                max_outright: max.outright,
                max_implied: max.implied,
            });
        }
        if let Some(&slot) = self.index.get(def.id) {
            let entry = &mut self.defs[slot.index()];
            let depth_changed = entry.is_none_or(|old| old.depth != def.depth);
            *entry = Some(*def);
            return Ok(DefinitionOutcome::Modified {
                slot,
                depth_changed,
            });
        }
        let Some(slot) = self.free.pop() else {
            return Err(RegistryError::Full {
                capacity: self.capacity(),
                id: def.id,
            });
        };
        if self.index.insert(def.id, slot).is_err() {
            // Unreachable: the index holds exactly the used slots, fewer than
            // its capacity while a slot is free. Put the slot back regardless.
            self.free.push(slot);
            return Err(RegistryError::Full {
                capacity: self.capacity(),
                id: def.id,
            });
        }
        self.defs[slot.index()] = Some(*def);
        Ok(DefinitionOutcome::Added(slot))
    }

    /// Removes an instrument; returns the slot it had.
    ///
    /// # Errors
    /// [`RegistryError::Unknown`] when it is not registered.
    pub fn remove(&mut self, id: InstrumentId) -> Result<Slot, RegistryError> {
        let slot = self.index.remove(id).ok_or(RegistryError::Unknown { id })?;
        self.defs[slot.index()] = None;
        // `free` was allocated with room for every slot: this never reallocates.
        self.free.push(slot);
        self.removals += 1;
        Ok(slot)
    }

    /// How many instruments were removed since construction: while it is
    /// unchanged, every [`InstrumentRegistry::slot`] answer given so far still
    /// holds.
    #[inline]
    pub fn removals(&self) -> u64 {
        self.removals
    }

    /// The slot of `id`.
    #[inline]
    pub fn slot(&self, id: InstrumentId) -> Option<Slot> {
        self.index.get(id).copied()
    }

    /// The definition of `id`.
    #[inline]
    pub fn get(&self, id: InstrumentId) -> Option<&InstrumentDef> {
        self.slot(id).and_then(|s| self.at(s))
    }

    /// The definition in `slot`, if one lives there.
    #[inline]
    pub fn at(&self, slot: Slot) -> Option<&InstrumentDef> {
        self.defs.get(slot.index()).and_then(Option::as_ref)
    }

    /// Sets the trading state of `id` (from a status message).
    ///
    /// # Errors
    /// [`RegistryError::Unknown`] when it is not registered.
    pub fn set_trading_state(
        &mut self,
        id: InstrumentId,
        state: TradingState,
    ) -> Result<(), RegistryError> {
        let slot = self.slot(id).ok_or(RegistryError::Unknown { id })?;
        match &mut self.defs[slot.index()] {
            Some(def) => {
                def.trading_state = state;
                Ok(())
            }
            None => Err(RegistryError::Unknown { id }),
        }
    }

    /// Every registered instrument with its slot, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (Slot, &InstrumentDef)> + '_ {
        self.defs
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.as_ref().map(|d| (Slot(i as u32), d)))
    }
}

#[cfg(test)]
mod tests;
