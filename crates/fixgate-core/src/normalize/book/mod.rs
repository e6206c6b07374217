//! Books: market-by-price ([`mbp`]) with levels addressed by index, and
//! market-by-order ([`mbo`]) keyed by order id.
//!
//! Both are venue-neutral: a venue adapter turns its entries into [`MbpOp`]s and
//! [`OrderOp`]s. Both preallocate at construction and never allocate while
//! applying updates; both refuse updates that do not fit (a typed error), leave
//! the book unchanged then, and report every change they make as the resulting
//! state of a level or order.

pub mod mbo;
pub mod mbp;

pub use mbo::{LevelAgg, MboBook, MboError, OrderAction, OrderChange, OrderOp, OrderState};
pub use mbp::{Level, LevelChange, LevelSink, MbpAction, MbpBook, MbpError, MbpOp, MbpSide};

/// Which of an instrument's market-by-price books an update is for.
///
/// CME keeps the implied book (entries `E`/`F`, usually 2 levels deep) apart from
/// the outright one (`0`/`1`, usually 10 deep): the same price may appear in both,
/// and their level indexes are separate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BookKind {
    /// Real (outright) orders.
    Outright,
    /// Implied prices from spreads and legs.
    Implied,
}
