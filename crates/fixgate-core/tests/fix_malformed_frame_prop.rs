//! Property tests: every class of malformed framing (BeginString, BodyLength,
//! MsgType, CheckSum) makes `check_frame` name its own error.
//!
//! Each property takes a random valid message (generated against the built-in
//! `fixgate44()` dictionary or a small test dictionary with nested groups and
//! data fields), checks that it is accepted by `check_frame`, the field index
//! and the `Validator`, applies one mutation of one class, and asserts the
//! exact error:
//!
//! | mutation | layer | error |
//! |---|---|---|
//! | CheckSum digits changed | frame | `BadChecksum { expected, actual }` |
//! | BodyLength + k | frame | `Incomplete { need: len + k }` alone, `BodyLengthMismatch` once the declared end is buffered |
//! | BodyLength − k | frame | `BodyLengthMismatch { declared }` |
//! | non-digit in BodyLength | frame | `BadBodyLength` |
//! | first field not `8=` | frame | `BadBeginString` |
//! | 35 not the third field | frame | `MissingMsgType` |
//!
//! The field index's errors are in `fix_malformed_index_prop`, the
//! `Validator`'s in `fix_malformed_validate_prop`, and streams through the
//! `Framer` in `fix_malformed_stream_prop`. The generator and the pipeline are
//! in `support` (`raw_message`, `pipeline`).

mod support;

use fixgate_core::fix::{check_frame, FrameError, FrameStatus};
use proptest::prelude::*;

use support::config;
use support::mutation::body_start;
use support::pipeline::{run, valid, Outcome, MAX_LEN};
use support::raw_message::{body_of, choices, serialize};
use support::serialize::{checksum, frame_body, frame_declaring, show};

proptest! {
    #![proptest_config(config())]

    #[test]
    fn wrong_checksum_digits_are_bad_checksum(
        nested: bool, c in choices(), wrong in 0u16..1000,
    ) {
        let (dict, _, mut bytes) = valid(nested, &c, false);
        let n = bytes.len();
        let sum = checksum(&bytes[..n - 7]);
        prop_assume!(wrong != u16::from(sum));
        bytes[n - 4..n - 1].copy_from_slice(format!("{wrong:03}").as_bytes());
        prop_assert_eq!(
            run(dict, &bytes),
            Outcome::Frame(FrameStatus::Invalid(FrameError::BadChecksum {
                expected: sum,
                actual: wrong
            }))
        );
    }

    /// A BodyLength k too large puts the declared end k bytes past the message:
    /// on the message alone `check_frame` cannot tell that from a partial read,
    /// so it asks for `need = len + k` bytes (`Incomplete`). Once k more bytes
    /// are there, the declared end holds no `␁10=`: `BodyLengthMismatch`.
    #[test]
    fn body_length_too_large_is_incomplete_then_mismatch(
        nested: bool, c in choices(), k in 1usize..200,
    ) {
        let (dict, m, _) = valid(nested, &c, false);
        let body = body_of(&m.fields);
        let declared = body.len() + k;
        let mut bytes = frame_declaring(&m.begin, declared, &body);
        prop_assert_eq!(
            run(dict, &bytes),
            Outcome::Frame(FrameStatus::Incomplete { need: Some(bytes.len() + k) })
        );
        bytes.extend(std::iter::repeat_n(b'x', k));
        prop_assert_eq!(
            check_frame(&bytes, MAX_LEN),
            FrameStatus::Invalid(FrameError::BodyLengthMismatch { declared })
        );
    }

    /// A BodyLength k too small ends the body inside it, where no `␁10=`
    /// stands (body values hold no SOH followed by `10=`).
    #[test]
    fn body_length_too_small_is_mismatch(
        nested: bool, c in choices(), k in 1usize..10_000,
    ) {
        let (dict, m, _) = valid(nested, &c, false);
        let body = body_of(&m.fields);
        let declared = body.len() - (k % body.len()).max(1);
        let bytes = frame_declaring(&m.begin, declared, &body);
        prop_assert_eq!(
            run(dict, &bytes),
            Outcome::Frame(FrameStatus::Invalid(FrameError::BodyLengthMismatch { declared }))
        );
    }

    #[test]
    fn non_digit_in_body_length_is_bad_body_length(
        nested: bool, c in choices(), at: prop::sample::Index, insert: bool,
        byte in any::<u8>().prop_filter("not a digit or SOH", |b| !b.is_ascii_digit() && *b != 1),
    ) {
        let (dict, _, mut bytes) = valid(nested, &c, false);
        let digits_start = bytes.iter().position(|&b| b == 1).unwrap() + 3;
        let digits_end = body_start(&bytes) - 1;
        let p = digits_start + at.index(digits_end - digits_start);
        if insert {
            bytes.insert(p, byte);
        } else {
            bytes[p] = byte;
        }
        prop_assert_eq!(
            run(dict, &bytes),
            Outcome::Frame(FrameStatus::Invalid(FrameError::BadBodyLength)),
            "{}", show(&bytes)
        );
    }

    #[test]
    fn first_field_not_begin_string_is_bad_begin_string(
        nested: bool, c in choices(), variant in 0u8..5, byte: u8,
    ) {
        let (dict, m, mut bytes) = valid(nested, &c, false);
        match variant {
            0 => bytes[0] = if byte == b'8' { b'9' } else { byte },
            1 => bytes[1] = if byte == b'=' { b'-' } else { byte },
            // The message without its first field: it starts with 9=.
            2 => {
                let soh = bytes.iter().position(|&b| b == 1).unwrap();
                bytes.drain(..=soh);
            }
            // An empty BeginString.
            3 => bytes = frame_body("", &body_of(&m.fields)),
            // A BeginString longer than 16 bytes.
            _ => bytes = frame_body("FIX.4.4.0123456789", &body_of(&m.fields)),
        }
        prop_assert_eq!(
            run(dict, &bytes),
            Outcome::Frame(FrameStatus::Invalid(FrameError::BadBeginString)),
            "{}", show(&bytes)
        );
    }

    #[test]
    fn msg_type_not_third_is_missing_msg_type(
        nested: bool, c in choices(), to: prop::sample::Index, remove: bool,
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        let f = m.fields.remove(0);
        if !remove {
            // Anywhere but first (a permutation keeps BodyLength and CheckSum).
            let at = 1 + to.index(m.fields.len());
            m.fields.insert(at, f);
        }
        let bytes = serialize(&m);
        prop_assert_eq!(
            run(dict, &bytes),
            Outcome::Frame(FrameStatus::Invalid(FrameError::MissingMsgType))
        );
    }
}
