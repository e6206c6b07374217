//! Property tests: every class of invalid message content makes the
//! `Validator` reject the message with its own session reject reason and tag.
//!
//! Each property takes a random valid message (generated against the built-in
//! `fixgate44()` dictionary or a small test dictionary with nested groups and
//! data fields), checks that it is accepted by `check_frame`, the field index
//! and the `Validator`, applies one mutation of one class, and asserts the
//! exact error:
//!
//! | mutation | layer | error |
//! |---|---|---|
//! | a body tag duplicated | validate | reject 13, that tag |
//! | a required field removed | validate | reject 1, that tag |
//! | a value emptied | validate | reject 4, that tag |
//! | tag 4999 / 9999 added | validate | reject 0, that tag |
//! | a known tag the message does not define added | validate | reject 2, that tag |
//! | a body field moved among the header fields | validate | reject 14, the next header tag |
//! | a NumInGroup count changed | validate | reject 16, the count tag |
//! | an enumerated value replaced | validate | reject 5, that tag |
//! | an int replaced by `x1` | validate | reject 6, that tag |
//! | MsgType replaced by an unknown one | validate | reject 11, no tag |
//! | BeginString changed | validate | `UnsupportedVersion` |
//!
//! The mutations recompute BodyLength and CheckSum so that only the
//! `Validator` objects. Framing errors are in `fix_malformed_frame_prop`, the
//! field index's in `fix_malformed_index_prop`.

mod support;

use std::collections::HashSet;

use fixgate_core::fix::dictionary::{FieldDef, FieldType};
use fixgate_core::fix::{MsgType, SessionRejectReason, Tag, ValidationError};
use proptest::prelude::*;

use support::choices::Choices;
use support::config;
use support::generate::{group_tags, is_header_or_trailer};
use support::mutation::{invalid_enum_value, positions, top_boundaries};
use support::pipeline::{reject, run, valid, Outcome};
use support::raw_message::{choices, serialize, value_for, Kind, F};

proptest! {
    #![proptest_config(config())]

    #[test]
    fn duplicated_body_tag_is_rejected_13(
        nested: bool, c in choices(), which: prop::sample::Index,
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        let plain = positions(&m, |f| f.depth == 0 && f.kind == Kind::Plain);
        prop_assume!(!plain.is_empty());
        let i = *which.get(&plain);
        let copy = m.fields[i].clone();
        m.fields.insert(i + 1, copy);
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            reject(SessionRejectReason::TAG_APPEARS_MORE_THAN_ONCE, Some(m.fields[i].tag))
        );
    }

    #[test]
    fn removed_required_field_is_rejected_1(
        nested: bool, c in choices(), which: prop::sample::Index,
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        // A required header field (not 35, which framing needs), body field, or
        // group entry field (not the delimiter, which starts the entry).
        let required = positions(&m, |f| {
            f.required && !f.delimiter && f.tag != 35 && matches!(f.kind, Kind::Header | Kind::Plain)
        });
        let i = *which.get(&required);
        let f = m.fields.remove(i);
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            reject(SessionRejectReason::REQUIRED_TAG_MISSING, Some(f.tag))
        );
    }

    #[test]
    fn empty_value_is_rejected_4(
        nested: bool, c in choices(), which: prop::sample::Index,
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        // Any header or plain field, in groups too.
        let plain = positions(&m, |f| f.tag != 35 && matches!(f.kind, Kind::Header | Kind::Plain));
        let i = *which.get(&plain);
        m.fields[i].value.clear();
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            reject(SessionRejectReason::TAG_WITHOUT_VALUE, Some(m.fields[i].tag))
        );
    }

    #[test]
    fn unknown_tag_is_rejected_0(
        nested: bool, c in choices(), at: prop::sample::Index, user: bool,
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        // 4999 is below the user-defined range, 9999 in it (checked by default).
        let tag = if user { 9999 } else { 4999 };
        prop_assert!(dict.field(Tag(tag)).is_none());
        let p = *at.get(&top_boundaries(&m));
        m.fields.insert(p, F { tag, value: b"v".to_vec(), kind: Kind::Plain, depth: 0, required: false, delimiter: false });
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            reject(SessionRejectReason::INVALID_TAG_NUMBER, Some(tag))
        );
    }

    #[test]
    fn tag_not_in_message_is_rejected_2(
        nested: bool, c in choices(), at: prop::sample::Index, pick: prop::sample::Index,
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        let def = dict.message(MsgType::from_bytes(&m.fields[0].value).unwrap()).unwrap();
        let mut inside = HashSet::new();
        group_tags(dict, &def.layout, &mut inside);
        let foreign: Vec<&FieldDef> = dict
            .fields()
            .iter()
            .filter(|f| {
                !def.layout.contains(f.tag)
                    && !inside.contains(&f.tag.0)
                    && !is_header_or_trailer(dict, f.tag)
                    && !dict.data_tags().contains(f.tag)
            })
            .collect();
        let f = *pick.get(&foreign);
        let mut cc = Choices::new(&c);
        let value = value_for(&mut cc, f);
        let p = *at.get(&top_boundaries(&m));
        m.fields.insert(p, F { tag: f.tag.0, value, kind: Kind::Plain, depth: 0, required: false, delimiter: false });
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            reject(SessionRejectReason::TAG_NOT_DEFINED_FOR_MESSAGE, Some(f.tag.0))
        );
    }

    /// QuickFIX names the first header field found after a body field.
    #[test]
    fn body_field_before_header_fields_is_rejected_14(
        nested: bool, c in choices(), which: prop::sample::Index, to: prop::sample::Index,
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        let plain = positions(&m, |f| f.depth == 0 && f.kind == Kind::Plain);
        prop_assume!(!plain.is_empty());
        let f = m.fields.remove(*which.get(&plain));
        let header_end = m.fields.iter().take_while(|f| f.kind == Kind::Header).count();
        // After 35, before one of the other header fields.
        let at = 1 + to.index(header_end - 1);
        let next_header = m.fields[at].tag;
        m.fields.insert(at, f);
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            reject(SessionRejectReason::TAG_OUT_OF_ORDER, Some(next_header))
        );
    }

    #[test]
    fn wrong_group_count_is_rejected_16(
        nested: bool, c in choices(), which: prop::sample::Index, delta in 1u32..5, down: bool,
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        let counts = positions(&m, |f| f.kind == Kind::Count);
        prop_assume!(!counts.is_empty());
        let i = *which.get(&counts);
        let n: u32 = std::str::from_utf8(&m.fields[i].value).unwrap().parse().unwrap();
        let wrong = if down && n >= delta { n - delta } else { n + delta };
        m.fields[i].value = wrong.to_string().into_bytes();
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            reject(SessionRejectReason::INCORRECT_NUM_IN_GROUP, Some(m.fields[i].tag))
        );
    }

    #[test]
    fn value_outside_the_enum_is_rejected_5(
        nested: bool, c in choices(), which: prop::sample::Index,
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        let candidates: Vec<(usize, Vec<u8>)> = m
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.kind == Kind::Plain)
            .filter_map(|(i, f)| invalid_enum_value(dict.field(Tag(f.tag))?).map(|v| (i, v)))
            .collect();
        prop_assume!(!candidates.is_empty());
        let (i, v) = which.get(&candidates).clone();
        m.fields[i].value = v;
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            reject(SessionRejectReason::VALUE_OUT_OF_RANGE, Some(m.fields[i].tag))
        );
    }

    #[test]
    fn non_numeric_int_is_rejected_6(
        nested: bool, c in choices(), which: prop::sample::Index,
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        // Int and SeqNum fields: the header's MsgSeqNum (34) always qualifies.
        let ints = positions(&m, |f| {
            matches!(f.kind, Kind::Header | Kind::Plain)
                && matches!(
                    dict.field(Tag(f.tag)).map(|d| d.ty),
                    Some(FieldType::Int | FieldType::SeqNum)
                )
        });
        let i = *which.get(&ints);
        m.fields[i].value = b"x1".to_vec();
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            reject(SessionRejectReason::INCORRECT_DATA_FORMAT, Some(m.fields[i].tag))
        );
    }

    #[test]
    fn unknown_msg_type_is_rejected_11(
        nested: bool, c in choices(),
        t in prop::sample::select(vec!["ZZ", "U9", "z", "AAAA", "7"]),
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        prop_assert!(dict.message(MsgType::from_bytes(t.as_bytes()).unwrap()).is_none());
        m.fields[0].value = t.as_bytes().to_vec();
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            reject(SessionRejectReason::INVALID_MSG_TYPE, None)
        );
    }

    #[test]
    fn other_begin_string_is_unsupported_version(
        nested: bool, c in choices(),
        begin in prop::sample::select(vec!["FIX.4.2", "FIXT.1.1", "FIX.4.4 ", "fix.4.4"]),
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        m.begin = begin.to_string();
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            Outcome::Validation(ValidationError::UnsupportedVersion)
        );
    }
}
