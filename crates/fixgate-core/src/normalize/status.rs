//! Security status: trading state changes for one instrument or a whole product
//! group (CME `SecurityStatus30`: a null `SecurityID` addresses every
//! instrument of `SecurityGroup`, narrowed by `Asset` when given).
//!
//! The venue adapter maps its status codes onto [`TradingState`]; the raw codes
//! travel beside it in the [`StatusBody`](crate::event::StatusBody), because they
//! do not map one-to-one.

use crate::event::TradingState;
use crate::normalize::registry::{GroupCode, InstrumentDef};
use crate::types::InstrumentId;

/// Which instruments a status concerns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatusScope {
    /// One instrument.
    Instrument(InstrumentId),
    /// Every instrument of a product group, and of `asset` within it unless
    /// `asset` is empty.
    Group {
        /// The product group (CME `SecurityGroup`).
        security_group: GroupCode,
        /// The product code (CME `Asset`), empty for any.
        asset: GroupCode,
    },
}

impl StatusScope {
    /// Whether `def` is in scope.
    #[inline]
    pub fn covers(&self, def: &InstrumentDef) -> bool {
        match self {
            StatusScope::Instrument(id) => def.id == *id,
            StatusScope::Group {
                security_group,
                asset,
            } => def.security_group == *security_group && (asset.is_empty() || def.asset == *asset),
        }
    }
}

/// One status update.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StatusUpdate {
    /// The instruments concerned.
    pub scope: StatusScope,
    /// The new state; `None` keeps the current one (CME status 103, "no
    /// change", with a trading event).
    pub state: Option<TradingState>,
    /// The venue's status code (CME `SecurityTradingStatus`).
    pub venue_status: u16,
    /// The venue's halt reason (CME `HaltReason`), 0 where none.
    pub halt_reason: u16,
    /// The venue's trading event (CME `SecurityTradingEvent`), 0 where none.
    pub trading_event: u16,
    /// Withdraw the instruments' statistics (CME `SecurityTradingEvent` 4,
    /// "reset statistics").
    pub reset_statistics: bool,
}
