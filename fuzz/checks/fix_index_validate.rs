//! Checks for the `fix_index_validate` fuzz target: [`check_frame`], the field
//! indexer, every typed accessor and the [`Validator`] on one message.
//!
//! The input is one message. When [`check_frame`] finds a complete frame at its
//! start, the frame is indexed with a `FieldIndex::<64>` (and spilled into a
//! larger slice when it has more fields), every field is read with every typed
//! accessor, and the message is validated against the built-in FIX 4.4
//! dictionary ([`fixgate44`]), and its repeating groups are read recursively
//! with the group API ([`FieldMap`]). The whole input is indexed and validated as well,
//! framed or not: the indexer and the validator must take arbitrary bytes.
//! Invariants:
//!
//! - nothing panics;
//! - a complete frame's layout points at its `35=` and `10=`, and every proper
//!   prefix of it is incomplete;
//! - every indexed field's value range lies within the message, is preceded by
//!   `=` and followed by SOH, and ranges increase without overlapping; a
//!   non-data value contains no SOH;
//! - a framed message indexes as 8, 9, 35 first;
//! - the inline index and the spilled one agree;
//! - the inline index gives exactly the fields, or the error, of a byte-at-a-time
//!   reference indexer ([`index_reference`]), with the standard data tags and
//!   with the dictionary's;
//! - group entries are non-empty, lie inside their parent and tile the group;
//! - typed accessors agree with the value parsers, and `uint`, `int` and `price`
//!   agree with each other.
//!
//! Shared by `fuzz/fuzz_targets/fix_index_validate.rs` and `tests/fuzz_corpus.rs`.

use std::sync::OnceLock;

use fixgate_core::fix::checksum::{checksum, parse_checksum_digits};
use fixgate_core::fix::dictionary::{fixgate44, Member};
use fixgate_core::fix::group::MAX_GROUP_DEPTH;
use fixgate_core::fix::value::{
    is_decimal, parse_bool, parse_char, parse_int, parse_price, parse_str, parse_uint,
    parse_utc_time_only, parse_utc_timestamp,
};
use fixgate_core::fix::{
    check_frame, DataTags, Dictionary, FieldError, FieldIndex, FieldMap, FieldRef, FrameStatus,
    IndexError, Message, MsgType, Tag, ValidationOptions, Validator, SOH,
};

/// The largest frame `check_frame` is asked to accept.
pub const MAX_MESSAGE_LEN: usize = 1 << 20;

/// Fields the inline index holds before spilling.
const INLINE_FIELDS: usize = 64;

/// Fields the spill slice holds: more than any fuzz input can have.
const SPILL_FIELDS: usize = 8192;

#[path = "index_reference.rs"]
mod index_reference;

/// The built-in FIX 4.4 dictionary, loaded once per process.
fn dictionary() -> &'static Dictionary {
    static DICT: OnceLock<Dictionary> = OnceLock::new();
    DICT.get_or_init(fixgate44)
}

/// Runs the `fix_index_validate` checks on one fuzz input.
///
/// # Panics
/// When an invariant of the module doc does not hold.
pub fn check(data: &[u8]) {
    let dict = dictionary();
    if let FrameStatus::Complete(layout) = check_frame(data, MAX_MESSAGE_LEN) {
        let msg = &data[..layout.len];
        assert_eq!(&msg[layout.body_start..layout.body_start + 3], b"35=");
        assert_eq!(&msg[layout.trailer_start..layout.trailer_start + 3], b"10=");
        assert_eq!(
            parse_checksum_digits(&msg[layout.trailer_start + 3..layout.len - 1]),
            Some(u16::from(checksum(&msg[..layout.trailer_start])))
        );
        for cut in [
            0,
            1,
            layout.body_start,
            layout.trailer_start,
            layout.len - 1,
        ] {
            assert!(
                matches!(
                    check_frame(&msg[..cut], MAX_MESSAGE_LEN),
                    FrameStatus::Incomplete { .. }
                ),
                "a {cut}-byte prefix of a complete frame is not incomplete"
            );
        }
        let fields = index_and_check(msg, &DataTags::standard(), dict);
        if let Some(fields) = fields {
            let tags: Vec<Tag> = fields.iter().take(3).map(|f| f.tag).collect();
            assert_eq!(
                tags,
                [Tag::BEGIN_STRING, Tag::BODY_LENGTH, Tag::MSG_TYPE],
                "a framed message does not index as 8, 9, 35"
            );
        }
        index_and_check(msg, dict.data_tags(), dict);
    }
    index_and_check(data, &DataTags::standard(), dict);
}

/// Indexes `msg` inline and spilled, checks the index, reads every field and
/// validates the message; returns the fields when indexing succeeded.
fn index_and_check(msg: &[u8], data_tags: &DataTags, dict: &Dictionary) -> Option<Vec<FieldRef>> {
    let mut inline = FieldIndex::<INLINE_FIELDS>::with_data_tags(data_tags.clone());
    let inline_result = inline.index(msg).map(|m| m.field_refs().to_vec());
    assert_eq!(
        inline_result,
        index_reference::reference_index(msg, data_tags, INLINE_FIELDS),
        "the indexer and the reference indexer disagree"
    );
    let mut small = FieldIndex::<8>::with_data_tags(data_tags.clone());
    let mut large = vec![FieldRef::default(); SPILL_FIELDS];
    let spilled = small.index_or_spill(msg, &mut large);
    match (&inline_result, &spilled) {
        (Ok(a), Ok(b)) => assert_eq!(a.as_slice(), b.field_refs(), "spilled index differs"),
        (Err(IndexError::TooManyFields { .. }), _) => {}
        (Err(a), Err(b)) => assert_eq!(a, b, "spilled index fails differently"),
        (Ok(_), Err(e)) => panic!("inline index succeeds, spilled fails with {e:?}"),
        (Err(e), Ok(_)) => panic!("inline index fails with {e:?}, spilled succeeds"),
    }
    let message = spilled.ok()?;
    check_ranges(msg, data_tags, message.field_refs());
    read_every_field(&message);
    validate(dict, &message);
    if let Some(body) = FieldMap::body(message, dict) {
        walk_groups(body, 0);
    }
    Some(message.field_refs().to_vec())
}

/// The index invariants: ranges within the message, after `=`, before SOH,
/// increasing and non-overlapping, no SOH inside a non-data value.
fn check_ranges(msg: &[u8], data_tags: &DataTags, fields: &[FieldRef]) {
    let mut prev_end: Option<usize> = None;
    for f in fields {
        let (start, end) = (f.start as usize, f.end as usize);
        assert!(
            start <= end,
            "field {} range {start}..{end} is reversed",
            f.tag
        );
        assert!(
            end < msg.len(),
            "field {} range {start}..{end} runs past the message",
            f.tag
        );
        assert_eq!(
            msg[end], SOH,
            "field {} value is not followed by SOH",
            f.tag
        );
        assert!(
            start > 0 && msg[start - 1] == b'=',
            "field {} value does not follow '='",
            f.tag
        );
        if let Some(p) = prev_end {
            assert!(
                start > p + 1,
                "field {} overlaps the field before it",
                f.tag
            );
        }
        if !data_tags.contains(f.tag) {
            assert!(
                !msg[start..end].contains(&SOH),
                "non-data field {} holds SOH",
                f.tag
            );
        }
        assert_eq!(f.len(), end - start);
        prev_end = Some(end);
    }
    if let (Some(first), Some(p)) = (fields.first(), prev_end) {
        assert!(first.start > 0);
        assert_eq!(p + 1, msg.len(), "the index does not cover the message");
    }
}

/// Reads every field with every typed accessor and every value parser, and
/// checks that they agree.
fn read_every_field(msg: &Message<'_>) {
    let _ = msg.begin_string();
    if let Some(t) = msg.msg_type() {
        let raw = msg.field(2).map(|f| f.value).unwrap_or_default();
        assert_eq!(t.as_bytes(), raw, "MsgType does not round-trip");
        assert_eq!(MsgType::from_bytes(raw), Some(t));
    }
    let _ = msg.seq_num();
    assert_eq!(msg.iter().len(), msg.len());
    assert_eq!(msg.is_empty(), msg.iter().next().is_none());
    for (i, field) in msg.iter().enumerate() {
        let tag = field.tag;
        let v = field.value;
        assert_eq!(msg.field(i), Some(field));
        assert_eq!(msg.value_of(&msg.field_refs()[i]), v);
        let first = msg.position(tag).expect("a present tag has a position");
        assert!(first <= i);
        let first_value = msg.field(first).expect("position is in range").value;
        assert_eq!(msg.find(tag).map(|f| f.value), Some(first_value));
        assert_eq!(msg.raw(tag), Ok(first_value));
        assert_eq!(msg.data(tag), Ok(first_value));
        let wrap = |e| FieldError::Value { tag, error: e };
        assert_eq!(msg.uint(tag), parse_uint(first_value).map_err(wrap));
        assert_eq!(msg.int(tag), parse_int(first_value).map_err(wrap));
        assert_eq!(msg.price(tag), parse_price(first_value).map_err(wrap));
        assert_eq!(
            msg.timestamp(tag),
            parse_utc_timestamp(first_value).map_err(wrap)
        );
        assert_eq!(msg.char(tag), parse_char(first_value).map_err(wrap));
        assert_eq!(msg.bool(tag), parse_bool(first_value).map_err(wrap));
        assert_eq!(msg.str(tag), parse_str(first_value).map_err(wrap));
        check_value(v);
    }
    let absent = Tag(999_999_999);
    if msg.position(absent).is_none() {
        assert_eq!(msg.uint(absent), Err(FieldError::Missing { tag: absent }));
    }
}

/// Runs the value parsers on `v` and checks that they agree. (`parse_date` is
/// reached through `parse_utc_timestamp` and the validator's UTCDateOnly and
/// LocalMktDate fields.)
fn check_value(v: &[u8]) {
    let uint = parse_uint(v);
    let int = parse_int(v);
    let price = parse_price(v);
    if let Ok(u) = uint {
        if let Ok(signed) = i64::try_from(u) {
            assert_eq!(int, Ok(signed), "uint and int disagree on {v:?}");
        }
    }
    if let Ok(i) = int {
        if let Some(e9) = i.checked_mul(1_000_000_000).filter(|&e9| e9 != i64::MAX) {
            assert_eq!(
                price.map(|p| p.e9()),
                Ok(e9),
                "int and price disagree on {v:?}"
            );
        }
    }
    if price.is_ok() {
        assert!(is_decimal(v), "price accepts a non-decimal {v:?}");
    }
    assert_eq!(parse_char(v).is_ok(), v.len() == 1);
    assert_eq!(parse_str(v).is_ok(), std::str::from_utf8(v).is_ok());
    let _ = parse_utc_time_only(v);
    let _ = parse_utc_timestamp(v);
    let _ = parse_bool(v);
}

/// Reads every repeating group of `map` and its entries, recursively, with the
/// group API; checks that entries tile the group without gaps.
fn walk_groups(map: FieldMap<'_, '_>, depth: u8) {
    let range = map.range();
    for field in map.fields() {
        let Some(Member::Group { .. }) = map.layout().member(field.tag) else {
            continue;
        };
        let Ok(group) = map.group(field.tag) else {
            continue;
        };
        let _ = group.check_count();
        assert_eq!(group.is_empty(), group.entries().next().is_none());
        let mut entries = 0;
        let mut prev_end: Option<usize> = None;
        for entry in group.entries() {
            let r = entry.range();
            assert!(r.start < r.end, "empty group entry {r:?}");
            assert!(
                range.start < r.start && r.end <= range.end,
                "entry {r:?} outside {range:?}"
            );
            if let Some(p) = prev_end {
                assert_eq!(p, r.start, "entries of group {} leave a gap", field.tag);
            }
            prev_end = Some(r.end);
            entries += 1;
            assert!(
                depth < MAX_GROUP_DEPTH,
                "groups nest deeper than {MAX_GROUP_DEPTH}"
            );
            walk_groups(entry, depth + 1);
        }
        assert_eq!(entries, group.len(), "group {} entry count", field.tag);
    }
}

/// Validates `msg` with the default options and with every switch flipped.
fn validate(dict: &Dictionary, msg: &Message<'_>) {
    let validator = Validator::new(dict);
    let _ = validator.validate(msg);
    let flipped = ValidationOptions {
        check_fields_out_of_order: false,
        check_fields_have_values: false,
        check_user_defined_fields: false,
        allow_unknown_message_fields: true,
    };
    let _ = validator.with_options(flipped).validate(msg);
    let _ = Validator::fixt(dict, dict).validate(msg);
}
