//! An entry's instrument: its `SecurityID` resolved to the registry slot
//! that holds its books, through a table of recently resolved ones for the
//! incremental entries, with the [`UnknownInstrumentPolicy`] for instruments
//! without a definition.

use super::{convert, CmeNormalizer, RefusalReason, UnknownInstrumentPolicy};
use crate::normalize::batch::EventSink;
use crate::normalize::registry::{
    DefinitionAction, DefinitionOutcome, InstrumentDef, Slot, Symbol,
};
use crate::types::InstrumentId;

impl<S: EventSink> CmeNormalizer<S> {
    /// The instrument and registry slot of a `SecurityID`, defining a
    /// placeholder under [`UnknownInstrumentPolicy::Define`].
    #[inline]
    pub(super) fn resolve(
        &mut self,
        security_id: Option<i32>,
    ) -> Result<(InstrumentId, Slot), RefusalReason> {
        let id = convert::instrument(security_id)?;
        if let Some(slot) = self.norm.registry().slot(id) {
            return Ok((id, slot));
        }
        self.resolve_unknown(id)
    }

    /// [`CmeNormalizer::resolve`] through [`RecentInstruments`], for the
    /// entries of incremental messages (32 / 46 / 47 books, 42 / 48 trades,
    /// 35 / 37 / 49 / 50 / 51 statistics): an instrument seen recently costs
    /// one table probe instead of a hash lookup in the registry.
    #[inline(always)]
    pub(super) fn resolve_in_book(
        &mut self,
        security_id: Option<i32>,
    ) -> Result<(InstrumentId, Slot), RefusalReason> {
        if let Some(raw) = security_id {
            if let Some(slot) = self.recent.get(raw, self.norm.registry().removals()) {
                return Ok((InstrumentId(raw as u32), slot));
            }
        }
        self.resolve_and_remember(security_id)
    }

    /// The table's miss: resolves and remembers.
    #[inline]
    fn resolve_and_remember(
        &mut self,
        security_id: Option<i32>,
    ) -> Result<(InstrumentId, Slot), RefusalReason> {
        let (id, slot) = self.resolve(security_id)?;
        if let Some(raw) = security_id {
            self.recent
                .insert(raw, slot, self.norm.registry().removals());
        }
        Ok((id, slot))
    }

    #[inline(never)]
    fn resolve_unknown(&mut self, id: InstrumentId) -> Result<(InstrumentId, Slot), RefusalReason> {
        let depth = match self.policy {
            UnknownInstrumentPolicy::Refuse => {
                self.counters.unknown_instrument += 1;
                return Err(RefusalReason::UnknownInstrument {
                    security_id: id.get() as i32,
                });
            }
            UnknownInstrumentPolicy::Define(depth) => depth,
        };
        let mut def = InstrumentDef::new(id, Symbol::EMPTY);
        def.depth = depth;
        match self.norm.handle_definition(DefinitionAction::Add, &def)? {
            DefinitionOutcome::Added(slot) | DefinitionOutcome::Modified { slot, .. } => {
                self.counters.auto_defined += 1;
                self.rpt.set(slot, 0);
                Ok((id, slot))
            }
            DefinitionOutcome::Deleted(_) => Err(RefusalReason::UnknownInstrument {
                security_id: id.get() as i32,
            }),
        }
    }
}

/// Entries of [`RecentInstruments`]: a power of two, indexed by the
/// `SecurityID`'s low bits.
const RECENT: usize = 256;

/// The registry slots of recently resolved `SecurityID`s, one per bucket of
/// their low 8 bits (a later one replaces an earlier one of the same bucket).
/// An answer stays right while the registry has removed nothing since it was
/// remembered (adds never move an instrument: see
/// [`InstrumentRegistry::removals`](crate::normalize::registry::InstrumentRegistry::removals));
/// after a removal the table starts empty again. Only valid ids (above 0) are
/// remembered and answered.
#[derive(Clone, Debug)]
pub(super) struct RecentInstruments {
    entries: [(i32, Slot); RECENT],
    /// The registry's removal count the entries were resolved under.
    removals: u64,
}

impl RecentInstruments {
    pub(super) fn new() -> Self {
        RecentInstruments {
            entries: [(0, Slot::from_index(0)); RECENT],
            removals: 0,
        }
    }

    /// The slot remembered for `raw`, if the registry removed nothing since.
    #[inline(always)]
    fn get(&self, raw: i32, removals: u64) -> Option<Slot> {
        let (id, slot) = self.entries[raw as usize % RECENT];
        (id == raw && raw > 0 && removals == self.removals).then_some(slot)
    }

    /// Forgets every answer (the registry may have changed in ways its
    /// removal count does not show: a whole new normalizer).
    #[inline]
    pub(super) fn forget(&mut self) {
        // No registry reaches this many removals: the next `get` misses and
        // the next `insert` empties the table.
        self.removals = u64::MAX;
    }

    /// Remembers `raw`'s slot, resolved under `removals`.
    #[inline]
    fn insert(&mut self, raw: i32, slot: Slot, removals: u64) {
        if removals != self.removals {
            self.entries = [(0, Slot::from_index(0)); RECENT];
            self.removals = removals;
        }
        if raw > 0 {
            self.entries[raw as usize % RECENT] = (raw, slot);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_instruments_answer_until_a_removal() {
        let mut t = RecentInstruments::new();
        assert_eq!(t.get(0, 0), None, "an empty bucket answers no id");
        assert_eq!(t.get(157_660, 0), None);
        t.insert(157_660, Slot::from_index(3), 0);
        assert_eq!(t.get(157_660, 0), Some(Slot::from_index(3)));
        // Same low 8 bits: replaces it.
        t.insert(157_660 + 256, Slot::from_index(4), 0);
        assert_eq!(t.get(157_660, 0), None);
        assert_eq!(t.get(157_660 + 256, 0), Some(Slot::from_index(4)));
        // Invalid ids are neither remembered nor answered.
        t.insert(-256, Slot::from_index(5), 0);
        assert_eq!(t.get(-256, 0), None);
        t.insert(0, Slot::from_index(5), 0);
        assert_eq!(t.get(0, 0), None);
        // A removal in the registry: nothing remembered before holds.
        assert_eq!(t.get(157_660 + 256, 1), None);
        t.insert(7, Slot::from_index(1), 1);
        assert_eq!(t.get(7, 1), Some(Slot::from_index(1)));
        assert_eq!(
            t.get(157_660 + 256, 1),
            None,
            "emptied at the first insert after it"
        );
        t.forget();
        assert_eq!(t.get(7, 1), None);
    }
}
