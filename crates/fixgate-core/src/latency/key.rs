//! The (stage, venue) pair that names one histogram, and its text form.

use std::fmt;

use super::Stage;
use crate::types::VenueId;

/// Which histogram a latency belongs to: one per stage and venue.
///
/// Its text form, `CME.receive_decoded` (venue, a dot, the stage's name), is the
/// tag of the histogram's lines in an HdrHistogram interval log, so it holds no
/// space or comma. Ordered by stage first (pipeline order), then venue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StageKey {
    /// The stage.
    pub stage: Stage,
    /// The venue the message came from or goes to.
    pub venue: VenueId,
}

/// Why a text is not a [`StageKey`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyParseError {
    /// No `.` between the venue and the stage.
    #[error("no '.' between venue and stage")]
    NoDot,
    /// The venue part is neither a built-in venue's name nor `venue#N`.
    #[error("unknown venue")]
    UnknownVenue,
    /// The stage part is not a stage's name.
    #[error("unknown stage")]
    UnknownStage,
}

impl StageKey {
    /// The key of `stage` at `venue`.
    pub const fn new(venue: VenueId, stage: Stage) -> Self {
        StageKey { stage, venue }
    }

    /// Reads the text form (`CME.receive_decoded`, `venue#77.decoded_published`).
    ///
    /// # Errors
    /// [`KeyParseError`] naming the part that does not read.
    pub fn parse(text: &str) -> Result<StageKey, KeyParseError> {
        let (venue, stage) = text.rsplit_once('.').ok_or(KeyParseError::NoDot)?;
        let stage = Stage::from_name(stage).ok_or(KeyParseError::UnknownStage)?;
        let venue = parse_venue(venue).ok_or(KeyParseError::UnknownVenue)?;
        Ok(StageKey { stage, venue })
    }
}

impl fmt::Display for StageKey {
    /// `CME.receive_decoded`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.venue, self.stage.name())
    }
}

/// The venue of a [`VenueId`]'s display form: a built-in name or `venue#N`.
fn parse_venue(text: &str) -> Option<VenueId> {
    if let Some(number) = text.strip_prefix("venue#") {
        // Only the canonical digits, so that every text has one key.
        if number.starts_with('+') || (number.len() > 1 && number.starts_with('0')) {
            return None;
        }
        let id = VenueId(number.parse().ok()?);
        // A built-in venue displays by name; `venue#1` is not its text form.
        return id.name().is_none().then_some(id);
    }
    // Built-in venues have small ids; their names are the only other form.
    (0..=u8::MAX)
        .map(|n| VenueId(u16::from(n)))
        .find(|v| v.name() == Some(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_round_trips() {
        for stage in Stage::ALL {
            for venue in [VenueId::CME, VenueId::SHFE, VenueId(77), VenueId::NONE] {
                let key = StageKey::new(venue, stage);
                let text = key.to_string();
                assert!(!text.contains([' ', ',']), "{text}");
                assert_eq!(StageKey::parse(&text), Ok(key), "{text}");
            }
        }
        assert_eq!(
            StageKey::new(VenueId::ICE, Stage::DecodedToPublished).to_string(),
            "ICE.decoded_published"
        );
    }

    #[test]
    fn bad_text_is_a_typed_error() {
        assert_eq!(StageKey::parse("CME"), Err(KeyParseError::NoDot));
        assert_eq!(
            StageKey::parse("CME.decode"),
            Err(KeyParseError::UnknownStage)
        );
        assert_eq!(
            StageKey::parse("NYSE.receive_decoded"),
            Err(KeyParseError::UnknownVenue)
        );
        for bad in ["venue#1", "venue#+7", "venue#07", "venue#", "venue#70000"] {
            assert_eq!(
                StageKey::parse(&format!("{bad}.receive_decoded")),
                Err(KeyParseError::UnknownVenue),
                "{bad}"
            );
        }
        // Ordering is by stage first.
        let a = StageKey::new(VenueId::SHFE, Stage::ReceiveToDecoded);
        let b = StageKey::new(VenueId::CME, Stage::DecodedToPublished);
        assert!(a < b);
    }
}
