//! Domain value types shared by every layer.
//!
//! All are small `Copy` newtypes or closed enums with the unit or meaning in the
//! type: [`Price`] (i64 nanounits), [`Qty`] (u32 lots), [`Side`], and the ids.
//! Wire formats map onto them at the decoder; nothing past a decoder sees a venue's
//! own encoding.

mod ids;
mod price;
mod qty;
mod side;

pub use ids::{ClOrdId, IdError, InstrumentId, OrderId, TradeId, VenueId};
pub use price::Price;
pub use qty::Qty;
pub use side::Side;
