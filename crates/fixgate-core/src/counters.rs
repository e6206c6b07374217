//! Per-thread counters (being written).
