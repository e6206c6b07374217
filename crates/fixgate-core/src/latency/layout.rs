//! Which venues and stages one thread records: the shape of its histogram sets.

use super::{LatencyError, Stage, StageKey};
use crate::types::VenueId;

/// The venues and stages one hot thread records, fixed at start-up.
///
/// A feed thread records `ReceiveToDecoded` and `DecodedToPublished` for its
/// venue; a strategy thread `PublishedToStrategy` for each venue it subscribes
/// to. The layout decides how many histograms a [`super::LatencySet`]
/// preallocates (venues × stages) and maps a (venue, stage) to one of them
/// without hashing: stages through a table, venues by a scan of a short list
/// (or once, ahead of the hot loop, into a [`VenueSlot`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LatencyLayout {
    venues: Box<[VenueId]>,
    /// For each stage (by [`Stage::index`]), its position among this layout's
    /// stages, if it has the stage.
    stage_slots: [Option<u8>; Stage::COUNT],
    stages: Box<[Stage]>,
}

/// A venue's position in a [`LatencyLayout`], looked up once before the hot
/// loop so that recording does not scan the venue list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VenueSlot(u8);

impl VenueSlot {
    /// The position in [`LatencyLayout::venues`].
    #[inline]
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

impl LatencyLayout {
    /// The most venues one layout holds (each histogram is 216 KiB, so a
    /// thread recording more is better split).
    pub const MAX_VENUES: usize = 32;

    /// A layout of `venues` × `stages`, in the order given.
    ///
    /// # Errors
    /// [`LatencyError::Empty`] without a venue or a stage,
    /// [`LatencyError::TooManyVenues`] past [`LatencyLayout::MAX_VENUES`],
    /// [`LatencyError::DuplicateVenue`] / [`LatencyError::DuplicateStage`] when
    /// one is listed twice.
    pub fn new(venues: &[VenueId], stages: &[Stage]) -> Result<Self, LatencyError> {
        if venues.is_empty() || stages.is_empty() {
            return Err(LatencyError::Empty);
        }
        if venues.len() > Self::MAX_VENUES {
            return Err(LatencyError::TooManyVenues {
                max: Self::MAX_VENUES,
                have: venues.len(),
            });
        }
        for (i, venue) in venues.iter().enumerate() {
            if venues[..i].contains(venue) {
                return Err(LatencyError::DuplicateVenue { venue: *venue });
            }
        }
        let mut stage_slots = [None; Stage::COUNT];
        for (i, stage) in stages.iter().enumerate() {
            let slot = &mut stage_slots[stage.index()];
            if slot.is_some() {
                return Err(LatencyError::DuplicateStage { stage: *stage });
            }
            // At most Stage::COUNT distinct stages, so `i` fits.
            *slot = Some(i as u8);
        }
        Ok(LatencyLayout {
            venues: venues.into(),
            stage_slots,
            stages: stages.into(),
        })
    }

    /// The venues, in slot order.
    pub fn venues(&self) -> &[VenueId] {
        &self.venues
    }

    /// The stages, in slot order.
    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }

    /// How many histograms a set of this layout holds.
    pub fn histograms(&self) -> usize {
        self.venues.len() * self.stages.len()
    }

    /// The slot of `venue`, if the layout has it.
    #[inline]
    pub fn venue_slot(&self, venue: VenueId) -> Option<VenueSlot> {
        // MAX_VENUES fits in u8.
        self.venues
            .iter()
            .position(|v| *v == venue)
            .map(|i| VenueSlot(i as u8))
    }

    /// The histogram index of (`slot`, `stage`), if the layout has both.
    #[inline]
    pub(super) fn index(&self, slot: VenueSlot, stage: Stage) -> Option<usize> {
        let stage_slot = self.stage_slots[stage.index()]?;
        if slot.index() >= self.venues.len() {
            return None;
        }
        Some(slot.index() * self.stages.len() + usize::from(stage_slot))
    }

    /// The key of histogram `index` (`index < self.histograms()`).
    pub(super) fn key(&self, index: usize) -> StageKey {
        let stages = self.stages.len();
        StageKey::new(self.venues[index / stages], self.stages[index % stages])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_each_pair_to_its_own_histogram() {
        let venues = [VenueId::CME, VenueId::ICE, VenueId(99)];
        let stages = [Stage::PublishedToStrategy, Stage::ReceiveToDecoded];
        let layout = LatencyLayout::new(&venues, &stages).unwrap();
        assert_eq!(layout.histograms(), 6);
        let mut seen = Vec::new();
        for venue in venues {
            let slot = layout.venue_slot(venue).unwrap();
            for stage in stages {
                let i = layout.index(slot, stage).unwrap();
                assert_eq!(layout.key(i), StageKey::new(venue, stage));
                seen.push(i);
            }
            assert_eq!(layout.index(slot, Stage::DecodedToPublished), None);
        }
        seen.sort_unstable();
        assert_eq!(seen, [0, 1, 2, 3, 4, 5]);
        assert_eq!(layout.venue_slot(VenueId::SHFE), None);
        // A slot from a wider layout does not index past this one.
        let wide = LatencyLayout::new(&[1, 2, 3, 4].map(VenueId), &stages).unwrap();
        let far = wide.venue_slot(VenueId(4)).unwrap();
        assert_eq!(layout.index(far, Stage::ReceiveToDecoded), None);
    }

    #[test]
    fn rejects_bad_layouts() {
        let s = [Stage::ReceiveToDecoded];
        assert_eq!(LatencyLayout::new(&[], &s), Err(LatencyError::Empty));
        assert_eq!(
            LatencyLayout::new(&[VenueId::CME], &[]),
            Err(LatencyError::Empty)
        );
        assert_eq!(
            LatencyLayout::new(&[VenueId::CME, VenueId::CME], &s),
            Err(LatencyError::DuplicateVenue {
                venue: VenueId::CME
            })
        );
        assert_eq!(
            LatencyLayout::new(&[VenueId::CME], &[s[0], s[0]]),
            Err(LatencyError::DuplicateStage { stage: s[0] })
        );
        let many: Vec<VenueId> = (0..33).map(VenueId).collect();
        assert_eq!(
            LatencyLayout::new(&many, &s),
            Err(LatencyError::TooManyVenues { max: 32, have: 33 })
        );
        assert!(LatencyLayout::new(&many[..32], &s).is_ok());
    }
}
