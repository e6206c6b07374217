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

use fixgate_core::md::cme::Packet;
use fixgate_core::normalize::cme::Feed;
use support::cme_channel::md_cme_book;
use support::fuzz_replay;

const TARGET: &str = "md_cme_book";

#[test]
fn md_cme_book_corpus() {
    fuzz_replay::replay_corpus(TARGET, md_cme_book::check);
}

#[test]
fn md_cme_book_regressions() {
    fuzz_replay::replay("regressions", TARGET, md_cme_book::check);
}

#[test]
#[ignore = "writes the seed corpus: FIXGATE_WRITE_FUZZ_SEEDS=1 cargo test --test fuzz_corpus_md_book -- --ignored"]
fn write_seeds() {
    if std::env::var("FIXGATE_WRITE_FUZZ_SEEDS").as_deref() != Ok("1") {
        return;
    }
    let out = fuzz_replay::dir("corpus", TARGET);
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
