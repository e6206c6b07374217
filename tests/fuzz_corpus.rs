//! Replays the committed fuzz corpus on stable Rust, so that CI keeps it green
//! without nightly or libFuzzer.
//!
//! For each cargo-fuzz target, the same check function the target runs
//! (`fuzz/checks/<target>.rs`, included here by path) goes over every file of
//! `fuzz/corpus/<target>/` (which must not be empty) and, in a second test, of
//! `fuzz/regressions/<target>/` (inputs that once crashed, each bug now fixed;
//! may be absent). A failure names every input that panicked. See
//! `fuzz/README.md`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

#[path = "../fuzz/checks/fix_encode_parse.rs"]
mod fix_encode_parse;
#[path = "../fuzz/checks/fix_framer.rs"]
mod fix_framer;
#[path = "../fuzz/checks/fix_index_validate.rs"]
mod fix_index_validate;

/// `fuzz/<kind>/<target>` under the root package.
fn dir(kind: &str, target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target)
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

/// Runs `check` over every file of `fuzz/<kind>/<target>`; returns how many.
///
/// # Panics
/// Naming every input whose check panicked.
fn replay(kind: &str, target: &str, check: fn(&[u8])) -> usize {
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
fn replay_corpus(target: &str, check: fn(&[u8])) {
    let n = replay("corpus", target, check);
    assert!(n > 0, "{target}: fuzz/corpus/{target}/ is empty or missing");
}

#[test]
fn fix_framer_corpus() {
    replay_corpus("fix_framer", fix_framer::check);
}

#[test]
fn fix_framer_regressions() {
    replay("regressions", "fix_framer", fix_framer::check);
}

#[test]
fn fix_index_validate_corpus() {
    replay_corpus("fix_index_validate", fix_index_validate::check);
}

#[test]
fn fix_index_validate_regressions() {
    replay(
        "regressions",
        "fix_index_validate",
        fix_index_validate::check,
    );
}

#[test]
fn fix_encode_parse_corpus() {
    replay_corpus("fix_encode_parse", fix_encode_parse::check);
}

#[test]
fn fix_encode_parse_regressions() {
    replay("regressions", "fix_encode_parse", fix_encode_parse::check);
}
