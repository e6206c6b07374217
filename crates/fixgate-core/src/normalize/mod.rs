//! Normalization: what turns decoded venue packets into the normalized event
//! stream (sequencing and A/B arbitration so far).

pub mod arbiter;
