//! Support of the `CmeChannel` tests: the root crate's test encoder of
//! synthetic MDP 3.0 messages (shared, not copied), and a scripted venue.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

#[path = "../../../../src/sim/cme_encode.rs"]
pub mod cme_encode;
#[path = "../../../../src/sim/cme_encode_recovery.rs"]
pub mod cme_encode_recovery;
pub mod harness;
pub mod venue;
