//! cargo-fuzz target `md_cme_book`: decode + normalize of arbitrary CME MDP 3.0
//! payload sequences through the CME adapter and the normalizer, with a
//! consumer rebuilding the books from the events. The checks live in
//! `fuzz/checks/md_cme_book.rs`, which `tests/fuzz_corpus_md_book.rs` also runs
//! over the committed corpus.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/md_cme_book.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::check(data));
