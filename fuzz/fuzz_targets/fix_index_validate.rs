//! cargo-fuzz target `fix_index_validate`: the checks live in
//! `fuzz/checks/fix_index_validate.rs`, which `tests/fuzz_corpus.rs` also runs
//! over the committed corpus.
#![no_main]


use libfuzzer_sys::fuzz_target;

#[path = "../checks/fix_index_validate.rs"]
mod checks;
#[path = "../known_issues.rs"]
mod known_issues;

use known_issues::KnownIssue;

/// Reported bugs stepped over while their fix is pending (see known_issues.rs);
/// empty: every bug found so far is fixed and replayed by tests/fuzz_corpus.rs.
static KNOWN: [KnownIssue; 0] = [];

fuzz_target!(
    init: known_issues::install(&KNOWN),
    |data: &[u8]| known_issues::run(data, checks::check, &KNOWN)
);
