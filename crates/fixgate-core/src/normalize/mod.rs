//! Normalization (work in progress).

pub mod book;
pub mod fixed_map;
pub mod registry;
pub mod text;
