//! The FIX framing and indexing hot paths allocate nothing, on good input and
//! on bad input.
//!
//! A thread-local counting global allocator (`fixgate_ring::alloc_count`)
//! watches each step after its dictionaries, buffers, indexes and framer have
//! been built (those may allocate; they happen once):
//!
//! * framing: `check_frame` on a good message and on each `FrameError` and
//!   `Incomplete` input; the streaming `Framer` fed good and bad frames in
//!   chunks through `handle_input` and `read_buf`/`commit`, with resyncs and
//!   buffer compaction;
//! * indexing: `FieldIndex::index`, `index_or_spill`, `index_frame`,
//!   `index_frame_or_spill`, `Message::from_parts`,
//!   and each `IndexError`;
//! * every typed accessor of `Message`, on values that parse and values that
//!   do not, and the `value` parsers they use.
//!
//! Validation and groups are in `fix_no_alloc_validation`, encoding in
//! `fix_no_alloc_encoding`. Its own test binary because it installs the
//! counting global allocator.

mod no_alloc_support;

use std::hint::black_box;

use fixgate_core::fix::dictionary::fixgate44;
use fixgate_core::fix::{
    check_frame, value, DataTags, FieldError, FieldIndex, FieldRef, FrameError, FrameItem,
    FrameStatus, Framer, IndexError, Message, MsgType, Tag, ValueError,
};
use fixgate_core::time::UtcNanos;
use fixgate_core::types::Price;
use fixgate_ring::alloc_count::CountingAllocator;

use no_alloc_support::{execution_report, frame, msg, new_order, no_alloc};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

#[test]
fn framing_does_not_allocate() {
    let good = execution_report("2");
    let n = good.len();
    let sum = good[..n - 7].iter().fold(0u8, |a, &b| a.wrapping_add(b));
    let wrong = sum.wrapping_add(1);
    let mut bad_checksum = good.clone();
    bad_checksum[n - 4..n - 1].copy_from_slice(format!("{wrong:03}").as_bytes());
    let mut bad_checksum_field = good.clone();
    bad_checksum_field[n - 1] = b'x';
    let mut bad_body_length = good.clone();
    bad_body_length[12] = b'x';
    let mut bad_begin = good.clone();
    bad_begin[0] = b'x';
    let cases: Vec<(&str, Vec<u8>, usize, FrameStatus)> = vec![
        ("good", good.clone(), 4096, {
            let FrameStatus::Complete(l) = check_frame(&good, 4096) else {
                panic!("good message does not frame")
            };
            FrameStatus::Complete(l)
        }),
        (
            "prefix",
            good[..n / 2].to_vec(),
            4096,
            FrameStatus::Incomplete { need: Some(n) },
        ),
        (
            "empty",
            Vec::new(),
            4096,
            FrameStatus::Incomplete { need: None },
        ),
        (
            "BadChecksum",
            bad_checksum,
            4096,
            FrameStatus::Invalid(FrameError::BadChecksum {
                expected: sum,
                actual: u16::from(wrong),
            }),
        ),
        (
            "BadChecksumField",
            bad_checksum_field,
            4096,
            FrameStatus::Invalid(FrameError::BadChecksumField),
        ),
        (
            "BadBodyLength",
            bad_body_length,
            4096,
            FrameStatus::Invalid(FrameError::BadBodyLength),
        ),
        (
            "BadBeginString",
            bad_begin,
            4096,
            FrameStatus::Invalid(FrameError::BadBeginString),
        ),
        (
            "MissingBodyLength",
            b"8=FIX.4.4\x0135=0\x01".to_vec(),
            4096,
            FrameStatus::Invalid(FrameError::MissingBodyLength),
        ),
        (
            "MissingMsgType",
            frame("FIX.4.4", "34=1|35=0|49=A|56=B|"),
            4096,
            FrameStatus::Invalid(FrameError::MissingMsgType),
        ),
        (
            "BodyLengthMismatch",
            b"8=FIX.4.4\x019=9\x0135=0\x0134=2\x0110=000\x01".to_vec(),
            4096,
            FrameStatus::Invalid(FrameError::BodyLengthMismatch { declared: 9 }),
        ),
        (
            "TooLong",
            good.clone(),
            64,
            FrameStatus::Invalid(FrameError::TooLong {
                declared: n,
                max: 64,
            }),
        ),
    ];
    for (name, bytes, max, want) in &cases {
        let got = no_alloc(&format!("check_frame {name}"), || check_frame(bytes, *max));
        assert_eq!(got, *want, "{name}");
    }
}

#[test]
fn the_streaming_framer_does_not_allocate_after_construction() {
    let good = [execution_report("2"), new_order("2"), msg("0", "")];
    let mut bad = new_order("2");
    let n = bad.len();
    bad[n - 3] = if bad[n - 3] == b'0' { b'1' } else { b'0' };
    let mut round = Vec::new();
    for m in &good {
        round.extend_from_slice(m);
    }
    round.extend_from_slice(b"garbage\x0158=FIX not a start\x01");
    round.extend_from_slice(&bad);
    round.extend_from_slice(&good[0]);
    let mut framer = Framer::new(1024);
    let rounds = 2_000;
    let (messages, invalid) = no_alloc("Framer handle_input/read_buf/commit/poll_frame", || {
        let mut messages = 0u64;
        let mut invalid = 0u64;
        for r in 0..rounds {
            let chunk = 1 + r % 97;
            for (k, piece) in round.chunks(chunk).enumerate() {
                let mut rest = piece;
                while !rest.is_empty() {
                    let taken = if k % 2 == 0 {
                        framer.handle_input(rest)
                    } else {
                        let space = framer.read_buf();
                        let taken = space.len().min(rest.len());
                        space[..taken].copy_from_slice(&rest[..taken]);
                        framer.commit(taken);
                        taken
                    };
                    rest = &rest[taken..];
                    while let Some(item) = framer.poll_frame() {
                        match item {
                            FrameItem::Message { bytes, .. } => {
                                black_box(bytes);
                                messages += 1;
                            }
                            FrameItem::Invalid { error, .. } => {
                                black_box(error);
                                invalid += 1;
                            }
                        }
                    }
                }
            }
        }
        (messages, invalid)
    });
    assert_eq!(messages, 4 * rounds as u64);
    // Per round: the garbage (its "58=FIX" is skipped), and the message with the
    // bad checksum.
    assert_eq!(invalid, 2 * rounds as u64);
    assert_eq!(framer.stats().messages, messages);
}

#[test]
fn indexing_and_typed_accessors_do_not_allocate() {
    let dict = fixgate44();
    let good = execution_report("2");
    let mut index = FieldIndex::<128>::with_data_tags(dict.data_tags().clone());
    let mut small = FieldIndex::<8>::new();
    let mut spill = vec![FieldRef::default(); 256];
    let mut caller_index = vec![FieldRef::default(); 256];
    let data_tags = DataTags::standard();

    let n = no_alloc("FieldIndex::index", || index.index(&good).map(|m| m.len()));
    assert_eq!(n, Ok(37));
    let n = no_alloc("FieldIndex::index_or_spill", || {
        small.index_or_spill(&good, &mut spill).map(|m| m.len())
    });
    assert_eq!(n, Ok(37));
    let FrameStatus::Complete(layout) = check_frame(&good, 1 << 16) else {
        panic!("the execution report frames");
    };
    let n = no_alloc("FieldIndex::index_frame", || {
        index.index_frame(&good, &layout).map(|m| m.len())
    });
    assert_eq!(n, Ok(37));
    let n = no_alloc("FieldIndex::index_frame_or_spill", || {
        small
            .index_frame_or_spill(&good, &layout, &mut spill)
            .map(|m| m.len())
    });
    assert_eq!(n, Ok(37));
    let n = no_alloc("Message::from_parts", || {
        Message::from_parts(&good, &data_tags, &mut caller_index).map(|m| m.len())
    });
    assert_eq!(n, Ok(37));

    let index_errors: [(&str, &[u8], IndexError); 4] = [
        (
            "BadTag",
            b"35=0\x014x9=TW\x01",
            IndexError::BadTag { offset: 5 },
        ),
        (
            "MissingEquals",
            b"35=0\x0158\x01",
            IndexError::MissingEquals { offset: 5 },
        ),
        (
            "Unterminated",
            b"35=0\x0158=x",
            IndexError::Unterminated { offset: 5 },
        ),
        (
            "DataLength",
            b"35=0\x0195=9\x0196=a\x01b\x01",
            IndexError::DataLength {
                tag: Tag(96),
                offset: 10,
            },
        ),
    ];
    for (name, bytes, want) in index_errors {
        let got = no_alloc(&format!("index error {name}"), || {
            index.index(bytes).map(|m| m.len())
        });
        assert_eq!(got, Err(want), "{name}");
    }
    let got = no_alloc("index error TooManyFields", || {
        small.index(&good).map(|m| m.len())
    });
    assert_eq!(got, Err(IndexError::TooManyFields { max: 8 }));

    let msg = index.index(&good).unwrap();
    let t = UtcNanos::from_nanos(1_773_671_400_123_000_000);
    let got = no_alloc("typed accessors, values that parse", || {
        (
            msg.begin_string(),
            msg.msg_type(),
            msg.seq_num(),
            msg.uint(Tag(34)),
            msg.int(Tag(34)),
            msg.price(Tag(6)),
            msg.price(Tag(687)),
            msg.timestamp(Tag(52)),
            msg.timestamp(Tag(60)),
            (
                msg.char(Tag(54)),
                msg.bool(Tag(43)),
                msg.str(Tag(55)),
                msg.data(Tag(355)),
                msg.raw(Tag(17)),
            ),
        )
    });
    assert_eq!(
        got,
        (
            Some(&b"FIX.4.4"[..]),
            Some(MsgType::EXECUTION_REPORT),
            Ok(7),
            Ok(7),
            Ok(7),
            Ok(Price::from_e9(228_500_000_000)),
            Ok(Price::from_e9(10_000_000_000)),
            Ok(t),
            Ok(UtcNanos::from_nanos(1_773_671_400_123_456_789)),
            (
                Ok(b'1'),
                Ok(false),
                Ok("GPUH6"),
                Ok(&b"a\x01b=c"[..]),
                Ok(&b"E1"[..]),
            ),
        )
    );
    let got = no_alloc("field walk: field, iter, find, position, value_of", || {
        let mut sum = 0usize;
        for f in msg.iter() {
            sum += f.value.len();
        }
        for r in msg.field_refs() {
            sum += msg.value_of(r).len();
        }
        (
            sum,
            msg.field(3).map(|f| f.tag),
            msg.find(Tag(654)).map(|f| f.value),
            msg.position(Tag(10)),
            msg.is_empty(),
            msg.bytes().len(),
        )
    });
    assert_eq!(got.1, Some(Tag(34)));
    assert_eq!(got.2, Some(&b"R1"[..]));
    assert_eq!(got.3, Some(36));
    assert!(!got.4);

    let missing = Tag(9999);
    let got = no_alloc("typed accessors, errors", || {
        (
            msg.uint(missing),
            msg.uint(Tag(55)),
            msg.int(Tag(55)),
            msg.price(Tag(55)),
            msg.timestamp(Tag(55)),
            msg.char(Tag(55)),
            msg.bool(Tag(55)),
            msg.raw(missing),
            msg.data(missing),
            msg.str(missing),
        )
    });
    let value_err = |error| FieldError::Value {
        tag: Tag(55),
        error,
    };
    assert_eq!(got.0, Err(FieldError::Missing { tag: missing }));
    assert_eq!(got.1, Err(value_err(ValueError::NotANumber)));
    assert_eq!(got.2, Err(value_err(ValueError::NotANumber)));
    assert_eq!(got.3, Err(value_err(ValueError::NotANumber)));
    assert_eq!(got.4, Err(value_err(ValueError::BadTime)));
    assert_eq!(got.5, Err(value_err(ValueError::NotAChar)));
    assert_eq!(got.6, Err(value_err(ValueError::NotABool)));
    assert_eq!(got.7, Err(FieldError::Missing { tag: missing }));
    assert_eq!(got.8, Err(FieldError::Missing { tag: missing }));
    assert_eq!(got.9, Err(FieldError::Missing { tag: missing }));

    let got = no_alloc("value parsers, good and bad", || {
        (
            value::parse_uint(b"18446744073709551616"),
            value::parse_int(b"-"),
            value::parse_price(b"1.0000000001"),
            value::parse_price(b"99999999999999999999"),
            value::parse_price(b"-0.000000001"),
            value::parse_utc_timestamp(b"20260230-14:30:00"),
            value::parse_utc_time_only(b"23:59:60.999999999"),
            value::parse_date(b"20240229"),
            value::parse_str(&[0xff]),
            value::parse_char(b""),
            value::is_decimal(b"+1"),
        )
    });
    assert_eq!(got.0, Err(ValueError::Overflow));
    assert_eq!(got.1, Err(ValueError::NotANumber));
    assert_eq!(got.2, Err(ValueError::TooPrecise));
    assert_eq!(got.3, Err(ValueError::Overflow));
    assert_eq!(got.4, Ok(Price::from_e9(-1)));
    assert_eq!(got.5, Err(ValueError::BadTime));
    assert_eq!(got.6, Ok(86_400_999_999_999));
    assert_eq!(got.7, Ok((2024, 2, 29)));
    assert_eq!(got.8, Err(ValueError::NotUtf8));
    assert_eq!(got.9, Err(ValueError::Empty));
    assert!(!got.10);
}
