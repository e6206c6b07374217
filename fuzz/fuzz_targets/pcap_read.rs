//! cargo-fuzz target `pcap_read`: the root crate's capture reader
//! (pcap and pcapng). The checks live in
//! `fuzz/checks/pcap_read.rs`, which `tests/fuzz_corpus_parsers.rs` also runs
//! over the committed corpus.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/pcap_read.rs"]
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
