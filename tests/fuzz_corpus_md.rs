//! Replays the committed corpus of the `md_cme_decode` fuzz target on stable
//! Rust: the same check function the target runs (`fuzz/checks/md_cme_decode.rs`,
//! included by path) over every file of `fuzz/corpus/md_cme_decode/` (which
//! must not be empty) and of `fuzz/regressions/md_cme_decode/` (may be absent).
//! The checks compare the views with the SBE interpreter, which loads the v9
//! schema from `../shared` (skipped with a message when it is missing, a failure
//! under `FIXGATE_REQUIRE_SHARED=1`). See `fuzz/README.md`.

mod support;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use fixgate_core::md::sbe::Schema;

#[path = "../fuzz/checks/md_cme_decode.rs"]
mod md_cme_decode;

const TARGET: &str = "md_cme_decode";

fn inputs(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(TARGET);
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

fn replay(schema: &Schema, kind: &str) -> usize {
    let files = inputs(kind);
    let mut failed = Vec::new();
    for path in &files {
        let data = std::fs::read(path).expect("read a corpus file");
        if catch_unwind(AssertUnwindSafe(|| md_cme_decode::check(schema, &data))).is_err() {
            failed.push(path.display().to_string());
        }
    }
    println!("{TARGET}: ran {} {kind} inputs", files.len());
    assert!(
        failed.is_empty(),
        "{TARGET}: {} of {} {kind} inputs fail:\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
    files.len()
}

#[test]
fn md_cme_decode_corpus() {
    let Some(schema) = support::cme::schema() else {
        return;
    };
    let n = replay(&schema, "corpus");
    assert!(n > 0, "{TARGET}: fuzz/corpus/{TARGET}/ is empty or missing");
}

#[test]
fn md_cme_decode_regressions() {
    let Some(schema) = support::cme::schema() else {
        return;
    };
    replay(&schema, "regressions");
}
