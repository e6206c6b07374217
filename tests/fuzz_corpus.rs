//! Replays the committed fuzz corpus on stable Rust, so that CI keeps it green
//! without nightly or libFuzzer.
//!
//! For each cargo-fuzz target, the same check function the target runs
//! (`fuzz/checks/<target>.rs`, included here by path) goes over every file of
//! `fuzz/corpus/<target>/` (which must not be empty) and, in a second test, of
//! `fuzz/regressions/<target>/` (inputs that once crashed, each bug now fixed;
//! may be absent), through `tests/support/fuzz_replay.rs`. A failure names
//! every input that panicked. See `fuzz/README.md`.

#[path = "support/fuzz_replay.rs"]
mod fuzz_replay;

use fuzz_replay::{replay, replay_corpus};

#[path = "../fuzz/checks/fix_encode_parse.rs"]
mod fix_encode_parse;
#[path = "../fuzz/checks/fix_framer.rs"]
mod fix_framer;
#[path = "../fuzz/checks/fix_index_validate.rs"]
mod fix_index_validate;

#[test]
fn fix_framer_corpus() {
    replay_corpus("fix_framer", fix_framer::check);
}

#[test]
fn fix_framer_regressions() {
    replay("regressions", "fix_framer", fix_framer::check);
}

#[test]
fn fix_index_validate_corpus() {
    replay_corpus("fix_index_validate", fix_index_validate::check);
}

#[test]
fn fix_index_validate_regressions() {
    replay(
        "regressions",
        "fix_index_validate",
        fix_index_validate::check,
    );
}

#[test]
fn fix_encode_parse_corpus() {
    replay_corpus("fix_encode_parse", fix_encode_parse::check);
}

#[test]
fn fix_encode_parse_regressions() {
    replay("regressions", "fix_encode_parse", fix_encode_parse::check);
}
