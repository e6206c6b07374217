//! The normalizer's errors and counters.

use crate::normalize::book::{BookKind, MboError, MbpError};
use crate::normalize::registry::RegistryError;
use crate::normalize::stats::MissingStatValue;
use crate::normalize::trade::TradeError;
use crate::types::InstrumentId;

/// Why an update was refused. Each is also counted in [`NormalizeCounters`];
/// the caller may log it and carry on (the state is unchanged, and a refused
/// book update marks that book suspect).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NormalizeError {
    /// The instrument is not in the registry (no definition seen yet).
    #[error("instrument {id} is not defined")]
    UnknownInstrument {
        /// The instrument.
        id: InstrumentId,
    },
    /// A market-by-price update did not fit the book.
    #[error("{book:?} book of {instrument}: {error}")]
    Book {
        /// The instrument.
        instrument: InstrumentId,
        /// Which book.
        book: BookKind,
        /// Why.
        error: MbpError,
    },
    /// An order update did not fit the order book.
    #[error(transparent)]
    Order(#[from] MboError),
    /// A trade could not be published.
    #[error(transparent)]
    Trade(#[from] TradeError),
    /// A statistic lacked its value.
    #[error(transparent)]
    Stat(#[from] MissingStatValue),
    /// A definition was refused.
    #[error(transparent)]
    Registry(#[from] RegistryError),
}

/// What the normalizer refused and did, since construction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NormalizeCounters {
    /// Venue events ended ([`Normalizer::end_message`](super::Normalizer::end_message) with `true`).
    pub venue_events: u64,
    /// Events handed to the batch.
    pub events: u64,
    /// Times a full batch was published before its venue event ended.
    pub batch_spills: u64,
    /// Updates for instruments not in the registry.
    pub unknown_instrument: u64,
    /// Market-by-price updates refused ([`NormalizeError::Book`]).
    pub book_refused: u64,
    /// Orders refused because the order book was full.
    pub orders_full: u64,
    /// New orders whose id was already in the book.
    pub orders_duplicate: u64,
    /// Updates or deletes of orders not in the book.
    pub orders_unknown: u64,
    /// Order updates without side, price or quantity.
    pub orders_incomplete: u64,
    /// Trades refused ([`NormalizeError::Trade`]).
    pub trades_refused: u64,
    /// Busts published.
    pub busts: u64,
    /// Statistics refused ([`NormalizeError::Stat`]).
    pub stats_refused: u64,
    /// Definitions refused ([`NormalizeError::Registry`]).
    pub definitions_refused: u64,
    /// Channel resets handled.
    pub channel_resets: u64,
}

impl NormalizeCounters {
    /// Counts a refused order by its cause.
    pub(super) fn order_refused(&mut self, e: &MboError) {
        match e {
            MboError::Full { .. } => self.orders_full += 1,
            MboError::Duplicate { .. } => self.orders_duplicate += 1,
            MboError::Unknown { .. } => self.orders_unknown += 1,
            MboError::Incomplete { .. } => self.orders_incomplete += 1,
        }
    }
}
