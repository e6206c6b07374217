//! Replays the committed corpus of the `normalize_books` fuzz target on stable
//! Rust.
//!
//! The same check function the target runs (`fuzz/checks/normalize_books.rs`,
//! included by path) goes over every file of `fuzz/corpus/normalize_books/`
//! (which must not be empty) and of `fuzz/regressions/normalize_books/` (inputs
//! that once failed; may be absent). A failure names every input that panicked.
//! See `fuzz/README.md`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

#[path = "../fuzz/checks/normalize_books.rs"]
mod normalize_books;

/// `fuzz/<kind>/normalize_books` under the root package.
fn dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join("normalize_books")
}

/// The files of `dir`, sorted by name; none when it does not exist.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("read a corpus entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs the check over every file of `fuzz/<kind>/normalize_books`; returns
/// how many.
///
/// # Panics
/// Naming every input whose check panicked.
fn replay(kind: &str) -> usize {
    let files = inputs(&dir(kind));
    let mut failed = Vec::new();
    for path in &files {
        let data = std::fs::read(path).expect("read a corpus file");
        if catch_unwind(AssertUnwindSafe(|| normalize_books::check(&data))).is_err() {
            failed.push(path.display().to_string());
        }
    }
    println!("normalize_books: ran {} {kind} inputs", files.len());
    assert!(
        failed.is_empty(),
        "normalize_books: {} of {} {kind} inputs fail:\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
    files.len()
}

#[test]
fn normalize_books_corpus() {
    let n = replay("corpus");
    assert!(n > 0, "fuzz/corpus/normalize_books/ is empty or missing");
}

#[test]
fn normalize_books_regressions() {
    replay("regressions");
}
