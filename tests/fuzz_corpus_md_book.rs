//! Replays the committed corpus of the `md_cme_book` fuzz target on stable
//! Rust: the same check function the target runs
//! (`fuzz/checks/md_cme_book.rs`, included by path) over every file of
//! `fuzz/corpus/md_cme_book/` (which must not be empty) and of
//! `fuzz/regressions/md_cme_book/` (may be absent). See `fuzz/README.md`.
//!
//! The corpus holds no capture bytes (the captures' licence forbids
//! republishing their market data): its seeds are synthetic, and the rest was
//! grown from them by the fuzzer. `synthetic_seeds_cover_every_template`
//! builds the seeds on every run: the hand-made packets
//! (`support::cme_hand_made`) and the synthetic streams of
//! `support::cme_book_seeds` (every normalized template; the −7 ones from the
//! v9 schema when `../shared` is present), checks that the clean streams are
//! applied without a refusal, drop or gap, and runs the fuzz check over each.
//! With `FIXGATE_BOOK_SEED_DIR=<dir>` it also writes them there (`seed-*`),
//! for `cargo +nightly fuzz run md_cme_book -s none <scratch> <dir>` and a
//! `-merge=1` into `fuzz/corpus/md_cme_book`.

mod support;

use std::collections::BTreeSet;

use fixgate_core::md::cme::Packet;
use fixgate_core::normalize::cme::{Feed, UnknownInstrumentPolicy};
use support::cme_book_seeds::{streams, TEMPLATES};
use support::cme_channel::{md_cme_book, Channel};
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

/// The templates of a stream's packets.
fn templates(packets: &[(Feed, Vec<u8>)]) -> BTreeSet<u16> {
    packets
        .iter()
        .flat_map(|(_, p)| {
            let packet = Packet::new(p).expect("a synthetic packet frames");
            packet
                .messages()
                .map(|m| m.expect("a synthetic message frames").template_id().0)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn synthetic_seeds_cover_every_template() {
    let schema = support::cme::schema();
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
    let mut seen = templates(&hand);
    for s in streams(schema.as_ref()) {
        seen.extend(templates(&s.packets));
        let mut ch = Channel::with(UnknownInstrumentPolicy::Refuse, 8);
        for (feed, p) in &s.packets {
            ch.feed(*feed, p);
        }
        let c = ch.cme.counters();
        if !s.irregular {
            assert!(ch.refusals.is_empty(), "{}: {:?}", s.name, ch.refusals);
            assert_eq!(
                (c.malformed_packets, c.duplicate_packets, c.packet_gaps),
                (0, 0, 0),
                "{}",
                s.name
            );
            assert_eq!((c.stale_entries, c.rpt_seq_gaps), (0, 0), "{}", s.name);
        } else {
            assert!(c.duplicate_packets > 0 && c.rpt_seq_gaps > 0, "{}", s.name);
            assert!(!ch.refusals.is_empty(), "{}", s.name);
        }
        assert!(ch.events.len() > s.packets.len(), "{}", s.name);
        seeds.push((
            s.name.to_string(),
            md_cme_book::encode_input(true, &s.packets),
        ));
        seeds.push((
            format!("{}-define", s.name),
            md_cme_book::encode_input(false, &s.packets),
        ));
    }
    if schema.is_some() {
        let missing: Vec<u16> = TEMPLATES
            .iter()
            .filter(|t| !seen.contains(t))
            .copied()
            .collect();
        assert!(missing.is_empty(), "templates without a seed: {missing:?}");
    }
    for (_, bytes) in &seeds {
        md_cme_book::check(bytes);
    }
    println!(
        "{TARGET}: {} synthetic seeds, templates {seen:?}{}",
        seeds.len(),
        if schema.is_some() {
            ""
        } else {
            " (no schema: the −7 stream left out)"
        }
    );
    let Ok(dir) = std::env::var("FIXGATE_BOOK_SEED_DIR") else {
        return;
    };
    std::fs::create_dir_all(&dir).expect("create the seed directory");
    for (name, bytes) in &seeds {
        std::fs::write(format!("{dir}/{name}"), bytes).expect("write a seed");
    }
    println!("wrote {} seeds to {dir}", seeds.len());
}
