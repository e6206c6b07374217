//! The board: per-instrument state (top levels, last trade, trading state)
//! written at each event end and readable from any thread.
mod fold;
mod state;

pub use fold::Fold;
pub use state::{BookLevel, InstrumentState, LastTrade, StateFlags, BOOK_DEPTH};
