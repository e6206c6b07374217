//! Access to the read-only reference data in `../shared`.
//!
//! Tests that read it skip (and say so) when it is missing, unless
//! `FIXGATE_REQUIRE_SHARED=1` (set by `.ci/run`), which turns a missing file into
//! a failure.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use std::path::PathBuf;

/// The path of `rel` under `../shared`, or `None` (after printing why) when it
/// is missing and not required.
///
/// # Panics
/// When the path is missing and `FIXGATE_REQUIRE_SHARED=1`.
pub fn shared_path(rel: &str) -> Option<PathBuf> {
    let root = std::env::var_os("FIXGATE_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let path = root.join(rel);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("FIXGATE_REQUIRE_SHARED").as_deref() == Ok("1") {
        panic!("FIXGATE_REQUIRE_SHARED=1 but {} is missing", path.display());
    }
    eprintln!(
        "SKIPPED: {} is missing (set FIXGATE_REQUIRE_SHARED=1 to make this a failure)",
        path.display()
    );
    None
}

/// The QuickFIX FIX 4.4 server acceptance definitions, sorted by file name.
pub fn fix44_definitions() -> Option<Vec<(String, Vec<u8>)>> {
    let dir = shared_path("conformance/quickfix/test/definitions/server/fix44")?;
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("read definitions dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "def"))
        .collect();
    files.sort();
    Some(
        files
            .into_iter()
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&p).expect("read definition"))
            })
            .collect(),
    )
}

/// A QuickFIX spec dictionary's text (`FIX44.xml`, ...).
pub fn quickfix_spec(name: &str) -> Option<String> {
    let p = shared_path(&format!("conformance/quickfix/spec/{name}"))?;
    Some(std::fs::read_to_string(p).expect("read spec"))
}
