//! Replays the committed corpus of the `feed_arbiter` fuzz target on stable
//! Rust.
//!
//! The same check function the target runs (`fuzz/checks/feed_arbiter.rs`,
//! included by path) goes over every file of `fuzz/corpus/feed_arbiter/`
//! (which must not be empty) and of `fuzz/regressions/feed_arbiter/` (inputs
//! that once failed; may be absent). A failure names every input that
//! panicked. See `fuzz/README.md`.

#[path = "support/fuzz_replay.rs"]
mod fuzz_replay;

#[path = "../fuzz/checks/feed_arbiter.rs"]
mod feed_arbiter;

#[test]
fn feed_arbiter_corpus() {
    fuzz_replay::replay_corpus("feed_arbiter", feed_arbiter::check);
}

#[test]
fn feed_arbiter_regressions() {
    fuzz_replay::replay("regressions", "feed_arbiter", feed_arbiter::check);
}
