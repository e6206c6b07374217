//! Known, reported bugs that a fuzz target steps over so that fuzzing can go on
//! while the fix is pending (libFuzzer stops at the first crash).
//!
//! A panic is stepped over only when its text (location and message) contains
//! every string of a [`KnownIssue`] and the input matches the issue's predicate;
//! any other panic aborts as usual, and libFuzzer records the input. Each issue
//! is announced once per process on stderr. The reproducers live in
//! `fuzz/regressions/<target>/`; remove an entry here once its fix lands.
//!
//! Only the fuzz targets use this; `tests/fuzz_corpus.rs` runs the checks as they
//! are.

#![allow(dead_code, reason = "each fuzz target uses part of this module")]

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};

/// A reported bug and how to recognize its panic.
pub struct KnownIssue {
    /// What it is and where it was reported.
    pub name: &'static str,
    /// Strings the panic text (`file:line:col` and message) must all contain.
    pub panic_contains: &'static [&'static str],
    /// Whether the input is of the kind that triggers the bug.
    pub input_matches: fn(&[u8]) -> bool,
    /// Set once the issue has been announced.
    pub announced: AtomicBool,
}

thread_local! {
    /// The known issue whose panic signature the last panic had.
    static MATCHED: Cell<Option<usize>> = const { Cell::new(None) };
    /// The text of the last panic, for reporting a false match.
    static LAST_PANIC: Cell<Option<String>> = const { Cell::new(None) };
}

/// Wraps the current panic hook (libFuzzer's, which aborts) so that panics with
/// a known signature unwind instead; call once from the target's `init`.
pub fn install(known: &'static [KnownIssue]) {
    let abort_hook = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        let text = info.to_string();
        let hit = known
            .iter()
            .position(|k| k.panic_contains.iter().all(|s| text.contains(s)));
        match hit {
            Some(i) => {
                MATCHED.set(Some(i));
                LAST_PANIC.set(Some(text));
            }
            None => abort_hook(info),
        }
    }));
}

/// Runs `check(data)`; a panic that is not a known issue aborts the process.
pub fn run(data: &[u8], check: fn(&[u8]), known: &'static [KnownIssue]) {
    MATCHED.set(None);
    if panic::catch_unwind(AssertUnwindSafe(|| check(data))).is_ok() {
        return;
    }
    let text = LAST_PANIC.take().unwrap_or_default();
    match MATCHED.take().map(|i| &known[i]) {
        Some(issue) if (issue.input_matches)(data) => {
            if !issue.announced.swap(true, Ordering::Relaxed) {
                eprintln!("known issue stepped over: {}\n{text}", issue.name);
            }
        }
        _ => {
            eprintln!("panic with a known signature on an unexpected input:\n{text}");
            std::process::abort();
        }
    }
}

/// Whether `data` has an ASCII digit right before `8=FIX`.
pub fn has_digit_before_8_fix(data: &[u8]) -> bool {
    data.windows(6)
        .any(|w| w[0].is_ascii_digit() && &w[1..] == b"8=FIX")
}

/// Whether `data` has a run of ten or more ASCII digits.
pub fn has_long_digit_run(data: &[u8]) -> bool {
    data.split(|b| !b.is_ascii_digit())
        .any(|run| run.len() >= 10)
}

/// Whether `data` holds a NUL byte.
pub fn has_nul(data: &[u8]) -> bool {
    data.contains(&0)
}

/// Whether `data` could reach a value parser at all (anything does).
pub fn any_input(_: &[u8]) -> bool {
    true
}
