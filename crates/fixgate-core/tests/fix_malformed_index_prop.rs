//! Property tests: every class of malformed field syntax (a tag that is not a
//! number, a missing `=`, a wrong data length) makes the field index name its
//! own error, at the field's offset.
//!
//! Each property takes a random valid message (generated against the built-in
//! `fixgate44()` dictionary or a small test dictionary with nested groups and
//! data fields), checks that it is accepted by `check_frame`, the field index
//! and the `Validator`, applies one mutation of one class, and asserts the
//! exact error:
//!
//! | mutation | layer | error |
//! |---|---|---|
//! | non-digit in a body tag | index | `BadTag { offset }` |
//! | `=` missing | index | `MissingEquals { offset }` |
//! | data length too long, missing, not a number | index | `DataLength { tag, offset }` |
//!
//! The mutations recompute BodyLength and CheckSum so that only the index
//! objects. Framing errors are in `fix_malformed_frame_prop`, the `Validator`'s
//! in `fix_malformed_validate_prop`.

mod support;

use fixgate_core::fix::{IndexError, Tag};
use proptest::prelude::*;

use support::config;
use support::mutation::{body_start, field_offset, fix_checksum, positions};
use support::pipeline::{run, valid, Outcome};
use support::raw_message::{choices, serialize, Kind};
use support::serialize::{frame_body, show};

proptest! {
    #![proptest_config(config())]

    #[test]
    fn non_digit_in_a_tag_is_bad_tag(
        nested: bool, c in choices(), which: prop::sample::Index, digit: prop::sample::Index,
        byte in prop::sample::select(b"abxyzAZ|. _\xff".to_vec()),
    ) {
        let (dict, m, mut bytes) = valid(nested, &c, false);
        // Any field after 35 (the trailer stays intact for framing).
        let i = 1 + which.index(m.fields.len() - 1);
        let at = field_offset(&m, &bytes, i);
        let tag_len = m.fields[i].tag.to_string().len();
        bytes[at + digit.index(tag_len)] = byte;
        fix_checksum(&mut bytes);
        prop_assert_eq!(
            run(dict, &bytes),
            Outcome::Index(IndexError::BadTag { offset: at as u32 }),
            "{}", show(&bytes)
        );
    }

    /// Dropping `=value` leaves `tag␁`: `MissingEquals`. (Dropping only the
    /// `=` usually gives `BadTag` instead, as the tag's digits run into a
    /// non-digit; when the value is all digits and tag and value together are
    /// at most 9 digits, the run ends at SOH: `MissingEquals` again.)
    #[test]
    fn missing_equals_is_missing_equals(
        nested: bool, c in choices(), which: prop::sample::Index,
    ) {
        let (dict, m, bytes) = valid(nested, &c, false);
        let i = 1 + which.index(m.fields.len() - 1);
        let start = body_start(&bytes);
        let at = field_offset(&m, &bytes, i);
        let f = &m.fields[i];
        let tag_len = f.tag.to_string().len();
        let mut body = bytes[start..bytes.len() - 7].to_vec();
        let rel = at - start;
        let only_equals = !f.value.is_empty()
            && f.value.iter().all(u8::is_ascii_digit)
            && tag_len + f.value.len() <= 9;
        if only_equals {
            body.remove(rel + tag_len);
        } else {
            body.drain(rel + tag_len..rel + tag_len + 1 + f.value.len());
        }
        let mutated = frame_body(&m.begin, &body);
        let at = field_offset(&m, &mutated, i);
        prop_assert_eq!(
            run(dict, &mutated),
            Outcome::Index(IndexError::MissingEquals { offset: at as u32 }),
            "{}", show(&mutated)
        );
    }

    /// A data field whose length field claims more bytes than it has (so the
    /// value would not end on SOH), or whose length field is gone or not a
    /// number.
    #[test]
    fn bad_data_length_is_data_length(
        nested: bool, c in choices(), which: prop::sample::Index, extra in 1usize..64,
        variant in 0u8..3,
    ) {
        let (dict, mut m, _) = valid(nested, &c, true);
        let data = positions(&m, |f| f.kind == Kind::Data);
        prop_assume!(!data.is_empty());
        let i = *which.get(&data);
        let data_tag = m.fields[i].tag;
        let len = m.fields[i].value.len();
        match variant {
            0 => {
                // Longer, but never onto an SOH (that would end the value there).
                let mut k = extra;
                loop {
                    m.fields[i - 1].value = (len + k).to_string().into_bytes();
                    let bytes = serialize(&m);
                    let value_at = field_offset(&m, &bytes, i) + data_tag.to_string().len() + 1;
                    if bytes.get(value_at + len + k) != Some(&1) {
                        break;
                    }
                    k += 1;
                }
            }
            1 => {
                m.fields.remove(i - 1);
            }
            _ => m.fields[i - 1].value = b"x".to_vec(),
        }
        let j = if variant == 1 { i - 1 } else { i };
        let bytes = serialize(&m);
        let offset = field_offset(&m, &bytes, j) as u32;
        prop_assert_eq!(
            run(dict, &bytes),
            Outcome::Index(IndexError::DataLength { tag: Tag(data_tag), offset }),
            "{}", show(&bytes)
        );
    }
}
