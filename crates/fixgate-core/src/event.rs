//! The normalized 64-byte market-data event (being written).
