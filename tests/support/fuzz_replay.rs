//! Replaying a committed fuzz corpus on stable Rust: the one helper behind
//! every `tests/fuzz_corpus*.rs`.
//!
//! Each test binary includes a target's check function (`fuzz/checks/<target>.rs`)
//! by path and hands it to [`replay`] for `fuzz/corpus/<target>/` (which must not
//! be empty: [`replay_corpus`]) and `fuzz/regressions/<target>/` (inputs that
//! once failed; may be absent). A failure names every input that panicked. See
//! `fuzz/README.md`.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// `fuzz/<kind>/<target>` under the root package.
pub fn dir(kind: &str, target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target)
}

/// The files of `dir`, sorted by name; none when it does not exist.
pub fn inputs(dir: &Path) -> Vec<PathBuf> {
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

/// Runs `check` over every file of `fuzz/<kind>/<target>`; prints and returns
/// how many.
///
/// # Panics
/// Naming every input whose check panicked.
pub fn replay(kind: &str, target: &str, check: impl Fn(&[u8])) -> usize {
    let files = inputs(&dir(kind, target));
    let mut failed = Vec::new();
    for path in &files {
        let data = std::fs::read(path).expect("read a corpus file");
        if catch_unwind(AssertUnwindSafe(|| check(&data))).is_err() {
            failed.push(path.display().to_string());
        }
    }
    println!("{target}: ran {} {kind} inputs", files.len());
    assert!(
        failed.is_empty(),
        "{target}: {} of {} {kind} inputs fail:\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
    files.len()
}

/// Replays a target's corpus, which must not be empty.
///
/// # Panics
/// As [`replay`], or when the corpus is empty or missing.
pub fn replay_corpus(target: &str, check: impl Fn(&[u8])) {
    let n = replay("corpus", target, check);
    assert!(n > 0, "{target}: fuzz/corpus/{target}/ is empty or missing");
}
