//! Replays the committed corpora of the run-time input parsers' fuzz targets on
//! stable Rust: the FIX dictionary loader (`fix_dictionary_xml`), the SBE schema
//! loader and interpreter (`sbe_schema_xml`) and the capture reader
//! (`pcap_read`). Each runs the check function its target runs
//! (`fuzz/checks/<target>.rs`, included by path) over every file of
//! `fuzz/corpus/<target>/` (which must not be empty) and of
//! `fuzz/regressions/<target>/` (may be absent). None reads `../shared`. See
//! `fuzz/README.md`.

#[path = "support/fuzz_replay.rs"]
mod fuzz_replay;

use fuzz_replay::{replay, replay_corpus};

#[path = "../fuzz/checks/choices.rs"]
mod choices;
#[path = "../fuzz/checks/fix_dictionary_xml.rs"]
mod fix_dictionary_xml;
#[path = "../fuzz/checks/pcap_read.rs"]
mod pcap_read;
#[path = "../fuzz/checks/sbe_schema_xml.rs"]
mod sbe_schema_xml;

#[test]
fn fix_dictionary_xml_corpus() {
    replay_corpus("fix_dictionary_xml", fix_dictionary_xml::check);
}

#[test]
fn fix_dictionary_xml_regressions() {
    replay(
        "regressions",
        "fix_dictionary_xml",
        fix_dictionary_xml::check,
    );
}

#[test]
fn sbe_schema_xml_corpus() {
    replay_corpus("sbe_schema_xml", sbe_schema_xml::check);
}

#[test]
fn sbe_schema_xml_regressions() {
    replay("regressions", "sbe_schema_xml", sbe_schema_xml::check);
}

#[test]
fn pcap_read_corpus() {
    replay_corpus("pcap_read", pcap_read::check);
}

#[test]
fn pcap_read_regressions() {
    replay("regressions", "pcap_read", pcap_read::check);
}
