//! Domain value types shared by every layer.

mod price;

pub use price::Price;
