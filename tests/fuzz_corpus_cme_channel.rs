//! Replays the committed corpus of the `cme_channel` fuzz target on stable
//! Rust.
//!
//! The same check function the target runs (`fuzz/checks/cme_channel.rs`,
//! included by path) goes over every file of `fuzz/corpus/cme_channel/`
//! (which must not be empty) and of `fuzz/regressions/cme_channel/` (inputs
//! that once failed; may be absent). A failure names every input that
//! panicked. See `fuzz/README.md`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

#[path = "../fuzz/checks/cme_channel.rs"]
mod cme_channel;

/// `fuzz/<kind>/cme_channel` under the root package.
fn dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join("cme_channel")
}

/// Runs the checks over every file of `fuzz/<kind>/cme_channel`; returns how
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
        if catch_unwind(AssertUnwindSafe(|| cme_channel::check(&data))).is_err() {
            failed.push(path.display().to_string());
        }
    }
    println!("cme_channel: ran {} {kind} inputs", files.len());
    assert!(
        failed.is_empty(),
        "cme_channel: {} of {} {kind} inputs fail:\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
    files.len()
}

#[test]
fn cme_channel_corpus() {
    let n = replay("corpus");
    assert!(
        n > 0,
        "cme_channel: fuzz/corpus/cme_channel/ is empty or missing"
    );
}

#[test]
fn cme_channel_regressions() {
    replay("regressions");
}
