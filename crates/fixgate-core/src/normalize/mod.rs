//! Normalization (work in progress).

pub mod batch;
pub mod book;
pub mod channel;
pub mod fixed_map;
pub mod registry;
pub mod stats;
pub mod status;
pub mod text;
pub mod trade;

pub use channel::{
    LevelUpdate, MessageStamp, NormalizeCounters, NormalizeError, Normalizer, NormalizerConfig,
};
