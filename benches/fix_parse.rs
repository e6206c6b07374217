//! FIX parse benchmark: fixgate against fefix 0.7, same group, same input.
//!
//! Both parsers do the same work per message: frame it (BodyLength and CheckSum
//! verified), split every field into tag and value, and visit every field. The
//! visit adds each tag number and value length into a sum that is passed to
//! `black_box`, so no parse can be optimized away.
//!
//! - fixgate: [`check_frame`] → [`FieldIndex::index`] (one index of 256 entries
//!   reused across messages) → walk [`Message::field_refs`].
//! - fefix: one `fefix::tagvalue::Decoder<Config>` built from
//!   `Dictionary::fix44()` and reused, with CheckSum verification on (its
//!   default, set explicitly and asserted below) → walk `Message::fields()`.
//!   fefix needs that dictionary to decode repeating groups and data fields; its
//!   `fields()` iterator reads the associative map, so associative decoding
//!   (fefix's default) stays on.
//!
//! fefix's `Decoder` takes exactly one message per call, so the corpus is split
//! into message slices once, before timing, by a splitter that belongs to
//! neither parser (`support::split_messages`); each parser gets the same slices
//! in the same order. fefix's field walk yields 8, 35 … but not 9 and 10; fixgate's
//! yields all fields (two more per message), so fixgate does slightly more work.
//! Before timing, both parsers run over the whole input once and must agree on
//! the fields they return (tags and value lengths, 9 and 10 aside).
//!
//! Groups:
//! - `fix_parse/corpus_md_heavy`: one iteration parses all 200,000 messages of
//!   `fixcorpus.py --count 200000 --seed 7 --mix md-heavy` (about 57 MB; 62%
//!   MarketDataIncrementalRefresh, 15% 20-level snapshots) in stream order;
//!   throughput is reported in messages (elements) per second, so
//!   ns/message = 1e9 / throughput. The corpus is generated into
//!   `target/bench-data/` on first run; without `../shared/tools/fixcorpus.py`
//!   this group prints SKIPPED and does not run.
//! - `fix_parse/new_order_single`: one iteration parses one 151-byte FIX.4.4
//!   NewOrderSingle that is hot in cache (one element = one message).

mod support;

use std::hint::black_box;
use std::ops::Range;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use fefix::tagvalue::{Config, Configure, Decoder};
use fefix::{Dictionary, GetConfig};
use fixgate_core::fix::{check_frame, FieldIndex, FrameStatus, Tag};

/// Largest message either parser is asked to accept.
const MAX_MESSAGE_LEN: usize = 64 * 1024;
/// Fields the fixgate index holds (a 20-level snapshot has 91).
const INDEX_CAPACITY: usize = 256;

/// What a parser returned for a set of messages, for the agreement check.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Visit {
    /// Messages accepted.
    messages: u64,
    /// Fields returned, BodyLength (9) and CheckSum (10) excluded.
    fields: u64,
    /// Sum of their tag numbers.
    tag_sum: u64,
    /// Sum of their value lengths.
    value_bytes: u64,
}

/// fixgate: frame, verify, index and visit one message. Returns the sum of
/// tags and value lengths, or `None` if the message is rejected.
#[inline]
fn fixgate_parse(msg: &[u8], index: &mut FieldIndex<INDEX_CAPACITY>) -> Option<u64> {
    let FrameStatus::Complete(layout) = check_frame(msg, MAX_MESSAGE_LEN) else {
        return None;
    };
    let message = index.index_frame(&msg[..layout.len], &layout).ok()?;
    Some(
        message
            .field_refs()
            .iter()
            .map(|f| u64::from(f.tag.0) + f.len() as u64)
            .sum(),
    )
}

/// fefix: decode (BodyLength and CheckSum verified) and visit one message.
#[inline]
fn fefix_parse(msg: &[u8], decoder: &mut Decoder<Config>) -> Option<u64> {
    let message = decoder.decode(msg).ok()?;
    Some(
        message
            .fields()
            .map(|(tag, value)| u64::from(tag.get()) + value.len() as u64)
            .sum(),
    )
}

fn fixgate_visit(msgs: &[&[u8]], index: &mut FieldIndex<INDEX_CAPACITY>) -> Visit {
    let mut v = Visit::default();
    for msg in msgs {
        let FrameStatus::Complete(layout) = check_frame(msg, MAX_MESSAGE_LEN) else {
            continue;
        };
        let Ok(message) = index.index_frame(&msg[..layout.len], &layout) else {
            continue;
        };
        v.messages += 1;
        for f in message.field_refs() {
            if f.tag != Tag::BODY_LENGTH && f.tag != Tag::CHECK_SUM {
                v.fields += 1;
                v.tag_sum += u64::from(f.tag.0);
                v.value_bytes += f.len() as u64;
            }
        }
    }
    v
}

fn fefix_visit(msgs: &[&[u8]], decoder: &mut Decoder<Config>) -> Visit {
    let mut v = Visit::default();
    for msg in msgs {
        let Ok(message) = decoder.decode(*msg) else {
            continue;
        };
        v.messages += 1;
        for (tag, value) in message.fields() {
            v.fields += 1;
            v.tag_sum += u64::from(tag.get());
            v.value_bytes += value.len() as u64;
        }
    }
    v
}

/// Runs both parsers once over `msgs` and prints whether they agree; a parser
/// that rejects messages or returns other fields makes the timing meaningless.
fn check_agreement(
    label: &str,
    msgs: &[&[u8]],
    index: &mut FieldIndex<INDEX_CAPACITY>,
    decoder: &mut Decoder<Config>,
) {
    let a = fixgate_visit(msgs, index);
    let b = fefix_visit(msgs, decoder);
    let n = msgs.len() as u64;
    if a == b && a.messages == n {
        println!(
            "fix_parse/{label}: both parsers accept all {n} messages and return the same {} fields",
            a.fields
        );
    } else {
        println!("fix_parse/{label}: WARNING parsers disagree (of {n} messages): fixgate {a:?}, fefix {b:?}");
    }
}

/// A fefix decoder with the FIX 4.4 dictionary and CheckSum verification on.
fn fefix_decoder() -> Decoder<Config> {
    let mut decoder = Decoder::<Config>::new(Dictionary::fix44());
    decoder.config_mut().set_verify_checksum(true);
    assert!(decoder.config().verify_checksum());
    decoder
}

/// Both parsers must reject a message whose CheckSum does not match, or the
/// comparison would not be measuring the same checks.
fn check_both_verify_checksum(
    good: &[u8],
    index: &mut FieldIndex<INDEX_CAPACITY>,
    decoder: &mut Decoder<Config>,
) {
    assert!(
        fixgate_parse(good, index).is_some(),
        "fixgate rejects the sample"
    );
    assert!(
        fefix_parse(good, decoder).is_some(),
        "fefix rejects the sample"
    );
    let mut bad = good.to_vec();
    // Change one byte of the body (ClOrdID) without changing its length.
    let at = bad
        .windows(4)
        .position(|w| w == b"\x0111=")
        .expect("sample has ClOrdID")
        + 4;
    bad[at] ^= 0x02;
    assert!(
        fixgate_parse(&bad, index).is_none(),
        "fixgate accepts a bad CheckSum"
    );
    assert!(
        fefix_parse(&bad, decoder).is_none(),
        "fefix accepts a bad CheckSum"
    );
}

fn bench_corpus(c: &mut Criterion) {
    let Some(stream) = support::load_corpus(200_000, 7, "md-heavy") else {
        return;
    };
    let ranges: Vec<Range<usize>> = support::split_messages(&stream);
    let msgs: Vec<&[u8]> = ranges.iter().map(|r| &stream[r.clone()]).collect();
    println!(
        "fix_parse/corpus_md_heavy: {} messages, {} bytes, {:.1} bytes/message",
        msgs.len(),
        stream.len(),
        stream.len() as f64 / msgs.len() as f64
    );

    let mut index = FieldIndex::<INDEX_CAPACITY>::new();
    let mut decoder = fefix_decoder();
    check_agreement("corpus_md_heavy", &msgs, &mut index, &mut decoder);

    let mut group = c.benchmark_group("fix_parse/corpus_md_heavy");
    group
        .throughput(Throughput::Elements(msgs.len() as u64))
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(6));
    group.bench_function(BenchmarkId::new("fixgate", "whole_corpus"), |b| {
        b.iter(|| {
            let msgs = black_box(&msgs[..]);
            let mut acc = 0u64;
            for msg in msgs {
                acc = acc.wrapping_add(fixgate_parse(msg, &mut index).unwrap_or(u64::MAX));
            }
            black_box(acc)
        })
    });
    group.bench_function(BenchmarkId::new("fefix", "whole_corpus"), |b| {
        b.iter(|| {
            let msgs = black_box(&msgs[..]);
            let mut acc = 0u64;
            for msg in msgs {
                acc = acc.wrapping_add(fefix_parse(msg, &mut decoder).unwrap_or(u64::MAX));
            }
            black_box(acc)
        })
    });
    group.finish();
}

fn bench_new_order_single(c: &mut Criterion) {
    let nos = support::new_order_single(&support::NOS_SAMPLE);
    println!("fix_parse/new_order_single: {} bytes", nos.len());
    let mut index = FieldIndex::<INDEX_CAPACITY>::new();
    let mut decoder = fefix_decoder();
    check_both_verify_checksum(&nos, &mut index, &mut decoder);
    check_agreement("new_order_single", &[&nos], &mut index, &mut decoder);

    let mut group = c.benchmark_group("fix_parse/new_order_single");
    group
        .throughput(Throughput::Elements(1))
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.bench_function(BenchmarkId::new("fixgate", nos.len()), |b| {
        b.iter(|| fixgate_parse(black_box(&nos), &mut index))
    });
    group.bench_function(BenchmarkId::new("fefix", nos.len()), |b| {
        b.iter(|| fefix_parse(black_box(&nos), &mut decoder))
    });
    group.finish();
}

fn main() {
    support::print_environment("fix_parse");
    let mut c = Criterion::default().configure_from_args();
    bench_corpus(&mut c);
    bench_new_order_single(&mut c);
    c.final_summary();
}
