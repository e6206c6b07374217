//! cargo-fuzz target `fix_dictionary_xml`: the QuickFIX-format XML
//! dictionary loader. The checks live in
//! `fuzz/checks/fix_dictionary_xml.rs`, which `tests/fuzz_corpus_parsers.rs` also runs
//! over the committed corpus.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/choices.rs"]
mod choices;
#[path = "../checks/fix_dictionary_xml.rs"]
mod checks;
#[path = "../known_issues.rs"]
mod known_issues;

use known_issues::KnownIssue;

/// Reported bugs stepped over while their fix is pending (see known_issues.rs):
/// none for this target.
static KNOWN: [KnownIssue; 0] = [];

fuzz_target!(
    init: known_issues::install(&KNOWN),
    |data: &[u8]| known_issues::run(data, checks::check, &KNOWN)
);
