//! Replays the committed corpus of the `normalize_books` fuzz target on stable
//! Rust.
//!
//! The same check function the target runs (`fuzz/checks/normalize_books.rs`,
//! included by path) goes over every file of `fuzz/corpus/normalize_books/`
//! (which must not be empty) and of `fuzz/regressions/normalize_books/` (inputs
//! that once failed; may be absent). A failure names every input that panicked.
//! See `fuzz/README.md`.

#[path = "support/fuzz_replay.rs"]
mod fuzz_replay;

#[path = "../fuzz/checks/normalize_books.rs"]
mod normalize_books;

#[test]
fn normalize_books_corpus() {
    fuzz_replay::replay_corpus("normalize_books", normalize_books::check);
}

#[test]
fn normalize_books_regressions() {
    fuzz_replay::replay("regressions", "normalize_books", normalize_books::check);
}
