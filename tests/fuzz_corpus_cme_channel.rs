//! Replays the committed corpus of the `cme_channel` fuzz target on stable
//! Rust.
//!
//! The same check function the target runs (`fuzz/checks/cme_channel.rs`,
//! included by path) goes over every file of `fuzz/corpus/cme_channel/`
//! (which must not be empty) and of `fuzz/regressions/cme_channel/` (inputs
//! that once failed). A failure names every input that panicked. See
//! `fuzz/README.md`.

#[path = "support/fuzz_replay.rs"]
mod fuzz_replay;

#[path = "../fuzz/checks/cme_channel.rs"]
mod cme_channel;

#[test]
fn cme_channel_corpus() {
    fuzz_replay::replay_corpus("cme_channel", cme_channel::check);
}

#[test]
fn cme_channel_regressions() {
    fuzz_replay::replay("regressions", "cme_channel", cme_channel::check);
}
