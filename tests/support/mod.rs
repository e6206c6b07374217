//! Test support shared by the integration tests (each test binary includes it
//! with `mod support;`).

pub mod acceptance_compare;
pub mod acceptance_def;
pub mod acceptance_runner;
pub mod cme;
pub mod cme_book_seeds;
pub mod cme_channel;
pub mod cme_encode;
pub mod cme_encode_recovery;
pub mod cme_hand_made;
pub mod cme_scenario;
pub mod cme_stream;
pub mod cme_synth;
pub mod fuzz_replay;
pub mod golden_digest;
pub mod mangling_proxy;
pub mod replay_capture;
pub mod replay_stream;
pub mod shared;
