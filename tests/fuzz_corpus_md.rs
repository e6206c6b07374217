//! Replays the committed corpus of the `md_cme_decode` fuzz target on stable
//! Rust: the same check function the target runs (`fuzz/checks/md_cme_decode.rs`,
//! included by path) over every file of `fuzz/corpus/md_cme_decode/` (which
//! must not be empty) and of `fuzz/regressions/md_cme_decode/` (may be absent).
//! The checks compare the views with the SBE interpreter, which loads the v9
//! schema from `../shared` (skipped with a message when it is missing, a failure
//! under `FIXGATE_REQUIRE_SHARED=1`). See `fuzz/README.md`.

mod support;

use support::fuzz_replay;

#[path = "../fuzz/checks/md_cme_decode.rs"]
mod md_cme_decode;

const TARGET: &str = "md_cme_decode";

#[test]
fn md_cme_decode_corpus() {
    let Some(schema) = support::cme::schema() else {
        return;
    };
    fuzz_replay::replay_corpus(TARGET, |d| md_cme_decode::check(&schema, d));
}

#[test]
fn md_cme_decode_regressions() {
    let Some(schema) = support::cme::schema() else {
        return;
    };
    fuzz_replay::replay("regressions", TARGET, |d| md_cme_decode::check(&schema, d));
}
