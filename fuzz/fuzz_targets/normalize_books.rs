//! cargo-fuzz target `normalize_books`: the venue-neutral normalizer (registry,
//! MBP and MBO books, statistics, statuses, resets, event assembly) driven by
//! structured update sequences. The checks live in
//! `fuzz/checks/normalize_books.rs`, which `tests/fuzz_corpus_normalize.rs`
//! also runs over the committed corpus.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/normalize_books.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::check(data));
