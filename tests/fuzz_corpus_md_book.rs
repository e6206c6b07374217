//! Replays the committed corpus of the `md_cme_book` fuzz target on stable
//! Rust: the same check function the target runs
//! (`fuzz/checks/md_cme_book.rs`, included by path) over every file of
//! `fuzz/corpus/md_cme_book/` (which must not be empty) and of
//! `fuzz/regressions/md_cme_book/` (may be absent). See `fuzz/README.md`.
//!
//! `FIXGATE_WRITE_FUZZ_SEEDS=1 cargo test --test fuzz_corpus_md_book -- --ignored`
//! rewrites the `seed-*` files: the recorded stream and each capture (from
//! `../shared`) and hand-made packets of every template the adapter handles.

mod support;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use fixgate_core::md::cme::Packet;
use fixgate_core::normalize::cme::Feed;
use support::cme_channel::md_cme_book;

const TARGET: &str = "md_cme_book";

fn dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(TARGET)
}

fn inputs(kind: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir(kind)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("read a corpus entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn replay(kind: &str) -> usize {
    let files = inputs(kind);
    let mut failed = Vec::new();
    for path in &files {
        let data = std::fs::read(path).expect("read a corpus file");
        if catch_unwind(AssertUnwindSafe(|| md_cme_book::check(&data))).is_err() {
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
fn md_cme_book_corpus() {
    let n = replay("corpus");
    assert!(n > 0, "fuzz/corpus/{TARGET}/ is empty or missing");
}

#[test]
fn md_cme_book_regressions() {
    replay("regressions");
}

#[test]
#[ignore = "writes the seed corpus: FIXGATE_WRITE_FUZZ_SEEDS=1 cargo test --test fuzz_corpus_md_book -- --ignored"]
fn write_seeds() {
    if std::env::var("FIXGATE_WRITE_FUZZ_SEEDS").as_deref() != Ok("1") {
        return;
    }
    let out = dir("corpus");
    std::fs::create_dir_all(&out).unwrap();
    let mut seeds: Vec<(String, Vec<u8>)> = Vec::new();
    let hand = support::cme_hand_made::hand_made();
    seeds.push((
        "seed-hand-made".into(),
        md_cme_book::encode_input(true, &hand),
    ));
    seeds.push((
        "seed-hand-made-define".into(),
        md_cme_book::encode_input(false, &hand[1..]),
    ));
    if let Some(stream) = support::cme_stream::build() {
        seeds.push((
            "seed-recorded-stream".into(),
            md_cme_book::encode_input(true, &stream.packets),
        ));
    }
    if let Some(caps) = support::cme::captures() {
        for (rel, path) in caps.iter().filter(|(r, _)| !r.starts_with("v12")) {
            let packets: Vec<(Feed, Vec<u8>)> = support::cme::payloads_of(rel, path)
                .into_iter()
                .map(|p| (Feed::of_packet(&Packet::new(&p.bytes).unwrap()), p.bytes))
                .collect();
            let name = rel.trim_end_matches(".pcap").replace('/', "-");
            seeds.push((
                format!("seed-capture-{name}"),
                md_cme_book::encode_input(false, &packets),
            ));
        }
    }
    for (name, bytes) in &seeds {
        md_cme_book::check(bytes);
        std::fs::write(out.join(name), bytes).unwrap();
    }
    println!("{TARGET}: wrote {} seeds", seeds.len());
}
