//! Property tests: a random FIX message built from a dictionary survives
//! encode → frame → index → typed read → group walk → validate unchanged.
//!
//! Messages are generated against the built-in `fixgate44()` dictionary and
//! against `NESTED_XML` (in `support::test_dictionary`), a small dictionary
//! with three levels of nested repeating groups, typed fields of every kind,
//! and data fields (one of them in the user-defined tag range) whose values
//! contain SOH. A message has a random MsgType of the dictionary, a random
//! header (34/49/52/56 and sometimes 43/97/122), every required field, and
//! random optional fields and groups of 0..=3 entries whose entries carry
//! nested groups.
//!
//! Each case proves that:
//! * the `Encoder` (with or without a `HeaderTemplate`) writes exactly the
//!   bytes the independent serializer in `support` writes;
//! * `check_frame` says `Complete` with the full length and the right layout,
//!   `TooLong` one byte under it, and `Incomplete` for a random prefix;
//! * the field index gives back every tag and value in order (inline index and
//!   spill index);
//! * the typed accessors give back the original values: integers, exact
//!   `Price`s, `UtcNanos` exact at the encoded precision, chars, booleans,
//!   text, dates, times of day and data with SOH;
//! * `FieldMap::body(..).group(tag)` gives back every group's entries with
//!   their direct fields, nested groups included, with matching counts;
//! * `Validator::new(&dict).validate(&msg)` is `Ok`.
//!
//! A second property feeds streams of such messages through the streaming
//! `Framer` in random chunks (through `handle_input` and through
//! `read_buf`/`commit`) and gets back the same messages at the same offsets.
//!
//! Inputs are a stream of `u32` choices (0 is always the simplest choice), so
//! proptest's shrinking of the vector shrinks the message.
//!
//! The generator is in `support::typed_message`, on the layout walk it shares
//! with the malformed-input properties (`support::generate`).

mod support;

use std::collections::HashSet;

use fixgate_core::fix::dictionary::{Dictionary, FieldType, Member};
use fixgate_core::fix::encode::{Encoder, HeaderTemplate, TimestampCache};
use fixgate_core::fix::{
    check_frame, value, FieldIndex, FieldMap, FieldRef, FrameError, FrameItem, FrameStatus, Framer,
    GroupError, Message, Tag, Validator,
};
use proptest::prelude::*;

use support::choices::Choices;
use support::config;
use support::generate::Node;
use support::test_dictionary::{FIXGATE44, NESTED};
use support::typed_message::{generate, generate_of, serialize, Generated};
use support::typed_value::{Val, Wire};

/// Size of the spill index for large messages.
const SPILL: usize = 8192;

// ---------------------------------------------------------------------------
// Encoding with the library
// ---------------------------------------------------------------------------

/// Encodes `g` with the library's encoder into `buf`; returns the message.
fn encode<'b>(g: &Generated, buf: &'b mut [u8]) -> &'b [u8] {
    let h = &g.header;
    let mut cache = TimestampCache::default();
    // With a template, it writes the header; without, every field after 35 is
    // written one by one.
    let (mut e, first) = if h.via_template {
        let mut t = HeaderTemplate::new(&g.begin, &h.sender, &h.target).with_precision(h.precision);
        let extra: Vec<(Tag, &[u8])> = h.extra.iter().map(|(t, v)| (*t, &v[..])).collect();
        let e = t.start(buf, g.msg_type, h.seq, h.sending_time, &extra);
        (e, g.header_len)
    } else {
        (Encoder::new(buf, g.begin.as_bytes(), g.msg_type), 1)
    };
    let body = &g.fields[first..];
    for (i, w) in body.iter().enumerate() {
        match &w.val {
            Val::Int(v) => e.int(w.tag, *v),
            Val::Uint(v) => e.uint(w.tag, *v),
            Val::Price(p) => e.price(w.tag, *p),
            Val::Timestamp {
                sent, precision, ..
            } => e.timestamp(w.tag, *sent, *precision, &mut cache),
            Val::TimeOnly(s, _) | Val::Date(s, _) => e.field(w.tag, s.as_bytes()),
            Val::Str(s) => e.str(w.tag, s.as_bytes()),
            Val::Char(v) => e.char(w.tag, *v),
            Val::Bool(v) => e.bool(w.tag, *v),
            Val::Enum(v, _) => e.field(w.tag, v),
            Val::DataLen(_) => {}
            Val::Data(v) => e.data(body[i - 1].tag, w.tag, v),
        }
    }
    e.finish().expect("a generated message encodes")
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

/// The full expected field list, 8 and 9 first and 10 last.
fn expected_fields(g: &Generated, bytes: &[u8]) -> Vec<Wire> {
    let body_len: usize = g
        .fields
        .iter()
        .map(|w| w.tag.0.to_string().len() + 2 + w.bytes.len())
        .sum();
    let sum = bytes[..bytes.len() - 7]
        .iter()
        .fold(0u8, |a, &b| a.wrapping_add(b));
    let mut all = vec![
        Wire::new(8, Val::Str(g.begin.clone())),
        Wire::new(9, Val::Uint(body_len as u64)),
    ];
    all.extend(g.fields.iter().cloned());
    all.push(Wire {
        tag: Tag(10),
        bytes: format!("{sum:03}").into_bytes(),
        val: Val::Str(format!("{sum:03}")),
    });
    all
}

/// Checks one field's value through the value parsers and, for the first
/// field with its tag, through the message's typed accessors.
fn check_typed(msg: &Message<'_>, i: usize, w: &Wire) {
    let raw = &w.bytes[..];
    let first = msg.position(w.tag) == Some(i);
    let tag = w.tag;
    let ctx = format!("field #{i} tag {tag} {:?}", String::from_utf8_lossy(raw));
    match &w.val {
        Val::Int(v) => {
            assert_eq!(value::parse_int(raw), Ok(*v), "{ctx}");
            if first {
                assert_eq!(msg.int(tag), Ok(*v), "{ctx}");
            }
        }
        Val::Uint(v) | Val::DataLen(v) => {
            assert_eq!(value::parse_uint(raw), Ok(*v), "{ctx}");
            if first {
                assert_eq!(msg.uint(tag), Ok(*v), "{ctx}");
                assert_eq!(msg.int(tag), Ok(*v as i64), "{ctx}");
            }
        }
        Val::Price(p) => {
            assert_eq!(value::parse_price(raw), Ok(*p), "{ctx}: price not exact");
            if first {
                assert_eq!(msg.price(tag), Ok(*p), "{ctx}");
            }
        }
        Val::Timestamp { read, .. } => {
            assert_eq!(value::parse_utc_timestamp(raw), Ok(*read), "{ctx}");
            if first {
                assert_eq!(msg.timestamp(tag), Ok(*read), "{ctx}");
            }
        }
        Val::TimeOnly(_, nanos) => {
            assert_eq!(value::parse_utc_time_only(raw), Ok(*nanos), "{ctx}");
        }
        Val::Date(_, ymd) => {
            assert_eq!(value::parse_date(raw), Ok(*ymd), "{ctx}");
        }
        Val::Char(v) => {
            if first {
                assert_eq!(msg.char(tag), Ok(*v), "{ctx}");
            }
        }
        Val::Bool(v) => {
            assert_eq!(value::parse_bool(raw), Ok(*v), "{ctx}");
            if first {
                assert_eq!(msg.bool(tag), Ok(*v), "{ctx}");
            }
        }
        Val::Str(s) => {
            if first {
                assert_eq!(msg.str(tag), Ok(s.as_str()), "{ctx}");
            }
        }
        Val::Enum(v, ty) => {
            let text = std::str::from_utf8(v).expect("enum values are text");
            if first {
                match ty {
                    FieldType::Int => assert_eq!(msg.int(tag), Ok(text.parse().unwrap()), "{ctx}"),
                    FieldType::Char => assert_eq!(msg.char(tag), Ok(v[0]), "{ctx}"),
                    _ => assert_eq!(msg.str(tag), Ok(text), "{ctx}"),
                }
            }
        }
        Val::Data(v) => {
            if first {
                assert_eq!(msg.data(tag), Ok(&v[..]), "{ctx}");
            }
        }
    }
    if first {
        assert_eq!(msg.raw(tag), Ok(raw), "{ctx}");
        assert_eq!(msg.find(tag).map(|f| f.value), Some(raw), "{ctx}");
    }
}

/// `map` must hold exactly `node`'s direct fields and groups, recursively.
fn check_map(map: &FieldMap<'_, '_>, node: &Node, all: &[Wire], path: &str) {
    let got: Vec<(Tag, &[u8])> = map.fields().map(|f| (f.tag, f.value)).collect();
    let want: Vec<(Tag, &[u8])> = node
        .direct
        .iter()
        .map(|&i| (all[i].tag, &all[i].bytes[..]))
        .collect();
    assert_eq!(got, want, "{path}: direct fields");
    for (k, &(tag, value)) in want.iter().enumerate() {
        if want[..k].iter().all(|(t, _)| *t != tag) {
            assert_eq!(
                map.find(tag).map(|f| f.value),
                Some(value),
                "{path}: find {tag}"
            );
        }
    }
    let group_tags: HashSet<Tag> = node.groups.iter().map(|(t, _)| *t).collect();
    for &(tag, _) in &want {
        if !group_tags.contains(&tag)
            && map
                .layout()
                .member(tag)
                .is_none_or(|m| matches!(m, Member::Field { .. }))
        {
            assert_eq!(
                map.group(tag).err(),
                Some(GroupError::NotAGroup { tag }),
                "{path}: {tag} is a plain field"
            );
        }
    }
    for &tag in &node.absent_groups {
        assert_eq!(
            map.group(tag).err(),
            Some(GroupError::Missing { tag }),
            "{path}: group {tag} absent"
        );
    }
    for (tag, entries) in &node.groups {
        let g = map
            .group(*tag)
            .unwrap_or_else(|e| panic!("{path}: group {tag}: {e:?}"));
        let n = entries.len();
        assert_eq!(g.declared(), n as u64, "{path}: group {tag} declared");
        assert_eq!(g.len(), n, "{path}: group {tag} entries found");
        assert_eq!(g.is_empty(), n == 0, "{path}: group {tag} is_empty");
        assert_eq!(g.check_count(), Ok(()), "{path}: group {tag} count");
        let got: Vec<FieldMap<'_, '_>> = g.entries().collect();
        assert_eq!(got.len(), n, "{path}: group {tag} entries iterated");
        for (k, (entry, want)) in got.iter().zip(entries).enumerate() {
            check_map(entry, want, all, &format!("{path}/{tag}[{k}]"));
        }
    }
}

/// Every round-trip property for one generated message.
fn check_roundtrip(dict: &Dictionary, g: &Generated, cut: usize) -> Result<(), TestCaseError> {
    prop_assert!(
        g.skipped_required.is_empty(),
        "generator could not build required {:?}",
        g.skipped_required
    );
    let mut buf = vec![0u8; 1 << 20];
    let bytes = encode(g, &mut buf).to_vec();
    let want = serialize(&g.begin, &g.fields);
    prop_assert_eq!(
        String::from_utf8_lossy(&bytes).replace('\x01', "|"),
        String::from_utf8_lossy(&want).replace('\x01', "|"),
        "encoder output differs from the reference serialization"
    );
    let all = expected_fields(g, &bytes);

    // Framing.
    let body_start = 2 + g.begin.len() + 1 + 2 + all[1].bytes.len() + 1;
    let trailer_start = bytes.len() - 7;
    let FrameStatus::Complete(layout) = check_frame(&bytes, bytes.len()) else {
        return Err(TestCaseError::fail(format!(
            "check_frame: {:?}",
            check_frame(&bytes, bytes.len())
        )));
    };
    prop_assert_eq!(layout.len, bytes.len());
    prop_assert_eq!(layout.body_start, body_start);
    prop_assert_eq!(layout.trailer_start, trailer_start);
    prop_assert_eq!(
        check_frame(&bytes, bytes.len() - 1),
        FrameStatus::Invalid(FrameError::TooLong {
            declared: bytes.len(),
            max: bytes.len() - 1
        })
    );
    let cut = cut % bytes.len();
    prop_assert!(
        matches!(
            check_frame(&bytes[..cut], 1 << 20),
            FrameStatus::Incomplete { .. }
        ),
        "prefix of {} bytes: {:?}",
        cut,
        check_frame(&bytes[..cut], 1 << 20)
    );
    let mut two = bytes.clone();
    two.extend_from_slice(&bytes);
    prop_assert_eq!(check_frame(&two, 1 << 20), FrameStatus::Complete(layout));

    // Indexing, into the inline index and (for large messages) the spill index.
    let mut index = FieldIndex::<256>::with_data_tags(dict.data_tags().clone());
    let mut spill = vec![FieldRef::default(); SPILL];
    let msg = index
        .index_or_spill(&bytes, &mut spill)
        .map_err(|e| TestCaseError::fail(format!("index: {e:?}")))?;
    let got: Vec<(Tag, &[u8])> = msg.iter().map(|f| (f.tag, f.value)).collect();
    let want_fields: Vec<(Tag, &[u8])> = all.iter().map(|w| (w.tag, &w.bytes[..])).collect();
    prop_assert_eq!(got, want_fields, "indexed fields");
    prop_assert_eq!(msg.len(), all.len());
    prop_assert_eq!(msg.begin_string(), Some(g.begin.as_bytes()));
    prop_assert_eq!(msg.msg_type(), Some(g.msg_type));
    prop_assert_eq!(msg.seq_num(), Ok(g.header.seq));
    // The framed indexer (8, 9 and 10 from the layout) gives the same fields.
    let mut framed = FieldIndex::<256>::with_data_tags(dict.data_tags().clone());
    let mut framed_spill = vec![FieldRef::default(); SPILL];
    let again = framed
        .index_frame_or_spill(&bytes, &layout, &mut framed_spill)
        .map_err(|e| TestCaseError::fail(format!("index_frame: {e:?}")))?;
    prop_assert_eq!(again.field_refs(), msg.field_refs(), "framed index");

    // Typed values.
    for (i, w) in all.iter().enumerate().skip(2).take(g.fields.len()) {
        check_typed(&msg, i, w);
    }

    // Groups.
    let body = FieldMap::body(msg, dict).expect("MsgType is in the dictionary");
    prop_assert_eq!(body.range(), 0..all.len());
    check_map(&body, &g.body, &all, g.msg_type.to_string().as_str());

    // Validation.
    prop_assert_eq!(Validator::new(dict).validate(&msg), Ok(()));
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fixgate44_messages_round_trip(
        choices in prop::collection::vec(any::<u32>(), 0..2048),
        cut in any::<usize>(),
    ) {
        let dict = &*FIXGATE44;
        let g = generate(dict, &choices);
        check_roundtrip(dict, &g, cut)?;
    }

    #[test]
    fn nested_group_messages_round_trip(
        choices in prop::collection::vec(any::<u32>(), 0..2048),
        cut in any::<usize>(),
    ) {
        let dict = &*NESTED;
        let g = generate(dict, &choices);
        check_roundtrip(dict, &g, cut)?;
    }

    #[test]
    fn framer_gives_back_every_message_under_any_chunking(
        messages in prop::collection::vec(
            (any::<bool>(), prop::collection::vec(any::<u32>(), 0..512)),
            1..6,
        ),
        chunks in prop::collection::vec((1usize..400, any::<bool>()), 1..40),
        slack in 0usize..3,
    ) {
        let mut buf = vec![0u8; 1 << 20];
        let encoded: Vec<Vec<u8>> = messages
            .iter()
            .map(|(nested, choices)| {
                let dict = if *nested { &*NESTED } else { &*FIXGATE44 };
                encode(&generate(dict, choices), &mut buf).to_vec()
            })
            .collect();
        let stream = encoded.concat();
        let longest = encoded.iter().map(Vec::len).max().unwrap_or(0);
        let mut framer = Framer::new(longest + slack);
        let mut got: Vec<(u64, Vec<u8>)> = Vec::new();
        let drain = |f: &mut Framer, got: &mut Vec<(u64, Vec<u8>)>| {
            while let Some(item) = f.poll_frame() {
                match item {
                    FrameItem::Message { offset, bytes, .. } => got.push((offset, bytes.to_vec())),
                    FrameItem::Invalid { offset, error, .. } => {
                        panic!("valid stream reported invalid at {offset}: {error:?}")
                    }
                }
            }
        };
        let mut rest = &stream[..];
        let mut k = 0;
        while !rest.is_empty() {
            let (size, via_read_buf) = chunks[k % chunks.len()];
            k += 1;
            let mut chunk = &rest[..size.min(rest.len())];
            rest = &rest[chunk.len()..];
            while !chunk.is_empty() {
                let n = if via_read_buf {
                    let space = framer.read_buf();
                    let n = space.len().min(chunk.len());
                    space[..n].copy_from_slice(&chunk[..n]);
                    framer.commit(n);
                    n
                } else {
                    framer.handle_input(chunk)
                };
                chunk = &chunk[n..];
                drain(&mut framer, &mut got);
            }
        }
        let mut offset = 0u64;
        let want: Vec<(u64, Vec<u8>)> = encoded
            .iter()
            .map(|m| {
                let at = offset;
                offset += m.len() as u64;
                (at, m.clone())
            })
            .collect();
        prop_assert_eq!(got, want);
        prop_assert_eq!(framer.buffered(), 0);
        let stats = framer.stats();
        prop_assert_eq!(stats.messages, encoded.len() as u64);
        prop_assert_eq!(stats.invalid, 0);
        prop_assert_eq!(stats.skipped_bytes, 0);
    }
}

/// Every message of both dictionaries can be generated with all its required
/// fields, at the sparsest and the densest settings, and round-trips.
#[test]
fn every_message_type_is_generated_and_round_trips() {
    for dict in [&*FIXGATE44, &*NESTED] {
        for def in dict.messages() {
            for fill in [0u32, 1, 3, 7, u32::MAX] {
                let choices = vec![fill; 4096];
                let g = generate_of(dict, def.msg_type, Choices::new(&choices));
                check_roundtrip(dict, &g, fill as usize)
                    .unwrap_or_else(|e| panic!("{} fill {fill}: {e}", def.name));
            }
        }
    }
}
