//! The FIX hot paths allocate nothing, on good input and on bad input.
//!
//! A thread-local counting global allocator (`fixgate_ring::alloc_count`)
//! watches each step after its dictionaries, buffers, indexes, framer and
//! header template have been built (those may allocate; they happen once):
//!
//! * framing: `check_frame` on a good message and on each `FrameError` and
//!   `Incomplete` input; the streaming `Framer` fed good and bad frames in
//!   chunks through `handle_input` and `read_buf`/`commit`, with resyncs and
//!   buffer compaction;
//! * indexing: `FieldIndex::index`, `index_or_spill`, `Message::from_parts`,
//!   and each `IndexError`;
//! * every typed accessor of `Message`, on values that parse and values that
//!   do not, and the `value` parsers they use;
//! * group iteration: `FieldMap` and `Group` through three levels of nested
//!   groups, and each `GroupError`;
//! * validation of valid messages and of each rejection class (0, 1, 2, 4, 5,
//!   6, 11, 13, 14, 16 and an unsupported BeginString);
//! * the `Encoder` for every field kind, and `HeaderTemplate::start` + `finish`,
//!   including the error paths (buffer too small, SOH in a value, null price,
//!   bad BeginString).
//!
//! Its own test binary because it installs the counting global allocator.

use std::hint::black_box;

use fixgate_core::fix::dictionary::{fixgate44, Dictionary};
use fixgate_core::fix::encode::{
    EncodeError, Encoder, HeaderTemplate, TimePrecision, TimestampCache,
};
use fixgate_core::fix::{
    check_frame, value, DataTags, FieldError, FieldIndex, FieldMap, FieldRef, FrameError,
    FrameItem, FrameStatus, Framer, GroupError, IndexError, Message, MsgType, SessionRejectReason,
    Tag, ValidationError, Validator, ValueError,
};
use fixgate_core::time::UtcNanos;
use fixgate_core::types::Price;
use fixgate_ring::alloc_count::{count_allocations, CountingAllocator};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

/// Runs `f` and asserts that it allocated nothing.
fn no_alloc<R>(step: &str, f: impl FnOnce() -> R) -> R {
    let (allocs, result) = count_allocations(f);
    assert_eq!(allocs, 0, "{step}: allocated {allocs} times");
    result
}

/// A message with `|` for SOH, BodyLength and CheckSum computed here.
fn frame(begin: &str, body: &str) -> Vec<u8> {
    let body = body.replace('|', "\x01");
    let mut m = format!("8={begin}\x019={}\x01{body}", body.len()).into_bytes();
    let sum = m.iter().fold(0u8, |a, &b| a.wrapping_add(b));
    m.extend_from_slice(format!("10={sum:03}\x01").as_bytes());
    m
}

const HEADER: &str = "34=7|43=N|49=VENUE|52=20260316-14:30:00.123|56=CLIENT|";

fn msg(msg_type: &str, body: &str) -> Vec<u8> {
    frame("FIX.4.4", &format!("35={msg_type}|{HEADER}{body}"))
}

/// An ExecutionReport with three levels of nested groups (NoLegs → NoNested-
/// PartyIDs → NoNestedPartySubIDs) and a data field holding SOH.
fn execution_report(legs: &str) -> Vec<u8> {
    msg(
        "8",
        &format!(
            "37=O1|17=E1|150=0|39=0|55=GPUH6|54=1|555={legs}|\
             600=L1|687=10|539=1|524=NP|525=D|538=1|804=2|545=S1|805=1|545=S2|805=2|654=R1|\
             600=L2|687=-20.5|\
             151=100|14=0|6=228.50|60=20260316-14:30:00.123456789|58=hi|354=5|355=a|b=c|"
        ),
    )
}

/// A NewOrderSingle with Parties and a nested PtysSubGrp.
fn new_order(parties: &str) -> Vec<u8> {
    msg(
        "D",
        &format!(
            "11=ID1|453={parties}|448=P1|447=D|452=1|802=1|523=S|803=1|448=P2|447=D|452=3|\
             55=INTC|54=1|60=20260316-14:30:00|38=100|40=2|44=12.5|"
        ),
    )
}

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

#[test]
fn group_iteration_does_not_allocate() {
    let dict = fixgate44();
    let good = execution_report("2");
    let wrong_count = execution_report("3");
    let bad_count = execution_report("x");
    let mut index = FieldIndex::<128>::with_data_tags(dict.data_tags().clone());

    let msg = index.index(&good).unwrap();
    let got = no_alloc("FieldMap and Group, three levels deep", || {
        let body = FieldMap::body(msg, &dict)?;
        let direct = body.fields().count();
        let symbol = body.find(Tag(55)).map(|f| f.value);
        let legs = body.group(Tag(555)).ok()?;
        legs.check_count().ok()?;
        let mut leaf_fields = 0;
        let mut leg_refs = 0;
        for leg in legs.entries() {
            leg_refs += usize::from(leg.find(Tag(654)).is_some());
            let Ok(parties) = leg.group(Tag(539)) else {
                continue;
            };
            for party in parties.entries() {
                let subs = party.group(Tag(804)).ok()?;
                subs.check_count().ok()?;
                for sub in subs.entries() {
                    leaf_fields += sub.fields().count();
                }
            }
        }
        Some((
            direct,
            symbol,
            legs.len(),
            legs.declared(),
            leg_refs,
            leaf_fields,
        ))
    });
    assert_eq!(got, Some((23, Some(&b"GPUH6"[..]), 2, 2, 1, 4)));

    let got = no_alloc("FieldMap/Group errors", || {
        let body = FieldMap::body(msg, &dict)?;
        Some((
            body.group(Tag(55)).err(),
            body.group(Tag(453)).err(),
            body.group(Tag(555))
                .ok()?
                .entries()
                .nth(1)?
                .group(Tag(539))
                .err(),
        ))
    });
    assert_eq!(
        got,
        Some((
            Some(GroupError::NotAGroup { tag: Tag(55) }),
            Some(GroupError::Missing { tag: Tag(453) }),
            Some(GroupError::Missing { tag: Tag(539) }),
        ))
    );

    let msg = index.index(&wrong_count).unwrap();
    let got = no_alloc("Group::check_count mismatch", || {
        FieldMap::body(msg, &dict).map(|b| b.group(Tag(555)).map(|g| g.check_count()))
    });
    assert_eq!(
        got,
        Some(Ok(Err(GroupError::CountMismatch {
            tag: Tag(555),
            declared: 3,
            found: 2
        })))
    );
    let msg = index.index(&bad_count).unwrap();
    let got = no_alloc("FieldMap::group bad count", || {
        FieldMap::body(msg, &dict).map(|b| b.group(Tag(555)).err())
    });
    assert_eq!(got, Some(Some(GroupError::BadCount { tag: Tag(555) })));
}

#[test]
fn validation_does_not_allocate_on_valid_or_rejected_messages() {
    let dict = fixgate44();
    let reject = |reason, tag: Option<u32>| {
        Err(ValidationError::Reject {
            reason,
            ref_tag: tag.map(Tag),
        })
    };
    let nos_body = "11=ID1|453=2|448=P1|447=D|452=1|802=1|523=S|803=1|448=P2|447=D|452=3|\
                    55=INTC|54=1|60=20260316-14:30:00|38=100|40=2|44=12.5|";
    let nos = |body: &str| msg("D", body);
    let cases: Vec<(&str, Vec<u8>, Result<(), ValidationError>)> = vec![
        ("valid ExecutionReport", execution_report("2"), Ok(())),
        ("valid NewOrderSingle", new_order("2"), Ok(())),
        (
            "valid Logon with data and a group",
            msg(
                "A",
                "98=0|108=30|95=5|96=a|b=c|384=2|372=D|385=R|372=8|385=S|",
            ),
            Ok(()),
        ),
        (
            "valid MarketDataSnapshot",
            msg(
                "W",
                "55=GPU|268=2|269=0|270=2.10|271=5|269=1|270=2.15|271=7|",
            ),
            Ok(()),
        ),
        ("valid Heartbeat", msg("0", ""), Ok(())),
        (
            "13 tag appears more than once",
            nos(&nos_body.replace("11=ID1|", "11=ID1|11=ID1|")),
            reject(SessionRejectReason::TAG_APPEARS_MORE_THAN_ONCE, Some(11)),
        ),
        (
            "1 required tag missing",
            nos(&nos_body.replace("11=ID1|", "")),
            reject(SessionRejectReason::REQUIRED_TAG_MISSING, Some(11)),
        ),
        (
            "4 tag without value",
            nos(&nos_body.replace("11=ID1|", "11=|")),
            reject(SessionRejectReason::TAG_WITHOUT_VALUE, Some(11)),
        ),
        (
            "0 invalid tag number",
            nos(&format!("{nos_body}4999=x|")),
            reject(SessionRejectReason::INVALID_TAG_NUMBER, Some(4999)),
        ),
        (
            "2 tag not defined for this message",
            nos(&format!("{nos_body}112=T|")),
            reject(SessionRejectReason::TAG_NOT_DEFINED_FOR_MESSAGE, Some(112)),
        ),
        (
            "14 tag out of order",
            frame(
                "FIX.4.4",
                &format!("35=D|11=ID1|{HEADER}{}", &nos_body[7..]),
            ),
            reject(SessionRejectReason::TAG_OUT_OF_ORDER, Some(34)),
        ),
        (
            "16 incorrect NumInGroup",
            new_order("3"),
            reject(SessionRejectReason::INCORRECT_NUM_IN_GROUP, Some(453)),
        ),
        (
            "5 value out of range",
            nos(&nos_body.replace("54=1|", "54=Z|")),
            reject(SessionRejectReason::VALUE_OUT_OF_RANGE, Some(54)),
        ),
        (
            "6 incorrect data format",
            nos(&nos_body.replace("452=3|", "452=x1|")),
            reject(SessionRejectReason::INCORRECT_DATA_FORMAT, Some(452)),
        ),
        (
            "11 invalid MsgType",
            msg("ZZ", nos_body),
            reject(SessionRejectReason::INVALID_MSG_TYPE, None),
        ),
        (
            "unsupported BeginString",
            frame("FIX.4.2", &format!("35=D|{HEADER}{nos_body}")),
            Err(ValidationError::UnsupportedVersion),
        ),
    ];
    let mut index = FieldIndex::<128>::with_data_tags(dict.data_tags().clone());
    let validator = Validator::new(&dict);
    for (name, bytes, want) in &cases {
        let got = no_alloc(&format!("index + validate: {name}"), || {
            let msg = index.index(bytes).expect("indexes");
            validator.validate(&msg)
        });
        assert_eq!(got, *want, "{name}");
    }
}

#[test]
fn encoding_does_not_allocate() {
    let mut buf = vec![0u8; 4096];
    let mut small = [0u8; 48];
    let mut tiny = [0u8; 4];
    let mut cache = TimestampCache::default();
    let t = UtcNanos::from_nanos(1_773_671_400_123_456_789);

    let got = no_alloc("Encoder: every field kind, then finish", || {
        let mut e = Encoder::new(&mut buf, b"FIX.4.4", MsgType::EXECUTION_REPORT);
        e.uint(Tag(34), 7);
        e.str(Tag(49), b"VENUE");
        e.timestamp(Tag(52), t, TimePrecision::Micros, &mut cache);
        e.field(Tag(56), b"CLIENT");
        e.int(Tag(1), -42);
        e.price(Tag(6), Price::from_e9(-12_345_000_000));
        e.char(Tag(54), b'1');
        e.bool(Tag(141), true);
        e.timestamp(Tag(60), t, TimePrecision::Nanos, &mut cache);
        e.raw(b"58=raw\x01");
        e.data(Tag(354), Tag(355), b"a\x01b=c");
        let body_len = e.body_len();
        let msg = e.finish()?;
        Ok::<_, EncodeError>((body_len, check_frame(msg, 4096), msg.len()))
    });
    let (body_len, status, len) = got.expect("encodes");
    assert!(body_len > 0);
    assert!(matches!(status, FrameStatus::Complete(l) if l.len == len));

    let got = no_alloc("Encoder errors", || {
        let mut e = Encoder::new(&mut small, b"FIX.4.4", MsgType::HEARTBEAT);
        e.field(Tag(58), &[b'x'; 64]);
        let too_small = e.finish().err();
        let header_does_not_fit = Encoder::new(&mut tiny, b"FIX.4.4", MsgType::HEARTBEAT)
            .finish()
            .err();
        let mut e = Encoder::new(&mut buf, b"FIX.4.4", MsgType::HEARTBEAT);
        e.field(Tag(58), b"a\x01b");
        let soh = e.finish().err();
        let mut e = Encoder::new(&mut buf, b"FIX.4.4", MsgType::HEARTBEAT);
        e.price(Tag(44), Price::NULL);
        let null = e.finish().err();
        let empty_begin = Encoder::new(&mut buf, b"", MsgType::HEARTBEAT)
            .finish()
            .err();
        let long_begin = Encoder::new(&mut buf, b"FIX.4.4.0123456789", MsgType::HEARTBEAT)
            .finish()
            .err();
        (
            too_small,
            header_does_not_fit,
            soh,
            null,
            empty_begin,
            long_begin,
        )
    });
    assert_eq!(got.0, Some(EncodeError::BufferTooSmall { have: 48 }));
    assert_eq!(got.1, Some(EncodeError::BufferTooSmall { have: 4 }));
    assert_eq!(got.2, Some(EncodeError::SohInValue { tag: Tag(58) }));
    assert_eq!(got.3, Some(EncodeError::NullPrice { tag: Tag(44) }));
    assert_eq!(got.4, Some(EncodeError::BadBeginString));
    assert_eq!(got.5, Some(EncodeError::BadBeginString));
}

#[test]
fn header_template_start_and_finish_do_not_allocate() {
    let mut template = HeaderTemplate::new("FIX.4.4", "ISLD", "TW44")
        .with_field(Tag(128), "JCD")
        .with_precision(TimePrecision::Millis);
    let mut buf = vec![0u8; 4096];
    let mut small = [0u8; 64];
    let start = 1_773_671_400_000_000_000u64;
    let extra: [(Tag, &[u8]); 2] = [(Tag(43), b"Y"), (Tag(122), b"20260316-14:29:00.000")];

    let got = no_alloc(
        "HeaderTemplate::start + body + finish, 1000 messages",
        || {
            let mut total = 0usize;
            let mut complete = 0usize;
            for seq in 1..=1000u64 {
                // Every message a new millisecond, every third a new second.
                let now = UtcNanos::from_nanos(start + seq * 333_000_000);
                let resend: &[(Tag, &[u8])] = if seq % 2 == 0 { &extra } else { &[] };
                let mut e = template.start(&mut buf, MsgType::NEW_ORDER_SINGLE, seq, now, resend);
                e.str(Tag(11), b"ID1");
                e.char(Tag(54), b'1');
                e.price(Tag(44), Price::from_e9(228_500_000_000));
                let Ok(msg) = e.finish() else {
                    return (total, complete);
                };
                total += msg.len();
                complete += usize::from(matches!(check_frame(msg, 4096), FrameStatus::Complete(_)));
            }
            (total, complete)
        },
    );
    assert_eq!(got.1, 1000);

    let got = no_alloc("HeaderTemplate error paths", || {
        let now = UtcNanos::from_nanos(start);
        let too_small = template
            .start(&mut small, MsgType::NEW_ORDER_SINGLE, 1, now, &extra)
            .finish()
            .err();
        let mut e = template.start(&mut buf, MsgType::NEW_ORDER_SINGLE, 1, now, &[]);
        e.field(Tag(58), b"a\x01b");
        let soh = e.finish().err();
        let soh_in_extra = template
            .start(
                &mut buf,
                MsgType::NEW_ORDER_SINGLE,
                1,
                now,
                &[(Tag(43), b"\x01")],
            )
            .finish()
            .err();
        (too_small, soh, soh_in_extra)
    });
    assert_eq!(got.0, Some(EncodeError::BufferTooSmall { have: 64 }));
    assert_eq!(got.1, Some(EncodeError::SohInValue { tag: Tag(58) }));
    assert_eq!(got.2, Some(EncodeError::SohInValue { tag: Tag(43) }));
}

/// The counting allocator does see allocations (so the zeros above mean
/// something).
#[test]
fn the_counter_counts() {
    let (allocs, v) = count_allocations(|| black_box(vec![1u8; 64]));
    assert!(allocs >= 1);
    assert_eq!(v.len(), 64);
    let (allocs, _) = count_allocations(|| Dictionary::from_xml("<fix></fix>"));
    assert!(allocs >= 1);
}
