//! Replays the committed corpus of the `feed_arbiter` fuzz target on stable
//! Rust.
//!
//! The same check function the target runs (`fuzz/checks/feed_arbiter.rs`,
//! included by path) goes over every file of `fuzz/corpus/feed_arbiter/`
//! (which must not be empty) and of `fuzz/regressions/feed_arbiter/` (inputs
//! that once failed; may be absent). A failure names every input that
//! panicked. See `fuzz/README.md`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

#[path = "../fuzz/checks/feed_arbiter.rs"]
mod feed_arbiter;

/// `fuzz/<kind>/feed_arbiter` under the root package.
fn dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join("feed_arbiter")
}

/// Runs the checks over every file of `fuzz/<kind>/feed_arbiter`; returns how
/// many.
///
/// # Panics
/// Naming every input whose check panicked.
fn replay(kind: &str) -> usize {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir(kind)) {
        Ok(entries) => entries
            .map(|e| e.expect("read a corpus entry").path())
            .filter(|p| p.is_file())
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    let mut failed = Vec::new();
    for path in &files {
        let data = std::fs::read(path).expect("read a corpus file");
        if catch_unwind(AssertUnwindSafe(|| feed_arbiter::check(&data))).is_err() {
            failed.push(path.display().to_string());
        }
    }
    println!("feed_arbiter: ran {} {kind} inputs", files.len());
    assert!(
        failed.is_empty(),
        "feed_arbiter: {} of {} {kind} inputs fail:\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
    files.len()
}

#[test]
fn feed_arbiter_corpus() {
    let n = replay("corpus");
    assert!(
        n > 0,
        "feed_arbiter: fuzz/corpus/feed_arbiter/ is empty or missing"
    );
}

#[test]
fn feed_arbiter_regressions() {
    replay("regressions");
}
