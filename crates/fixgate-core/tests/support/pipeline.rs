//! The receive pipeline the malformed-input properties run a message through:
//! `check_frame`, the field index and the `Validator`, stopping at the first
//! layer that objects; and the valid messages they start from.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use fixgate_core::fix::dictionary::Dictionary;
use fixgate_core::fix::encode::Encoder;
use fixgate_core::fix::{
    check_frame, FieldIndex, FieldRef, FrameStatus, IndexError, MsgType, SessionRejectReason, Tag,
    ValidationError, Validator,
};

use super::raw_message::{generate, serialize, Kind, Msg};
use super::serialize::show;
use super::test_dictionary::{FIXGATE44, SMALL_NESTED};

/// The longest message the pipeline and the framers accept.
pub const MAX_LEN: usize = 1 << 20;

/// How far a message gets: the first layer that objects, or `Ok`.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// `check_frame` did not find exactly one complete message.
    Frame(FrameStatus),
    /// The field index failed.
    Index(IndexError),
    /// The `Validator` rejected the message.
    Validation(ValidationError),
    /// Every layer accepted it.
    Ok,
}

/// Runs `bytes` through framing, indexing and validation against `dict`.
pub fn run(dict: &Dictionary, bytes: &[u8]) -> Outcome {
    match check_frame(bytes, MAX_LEN) {
        FrameStatus::Complete(l) if l.len == bytes.len() => {}
        other => return Outcome::Frame(other),
    }
    let mut index = FieldIndex::<64>::with_data_tags(dict.data_tags().clone());
    let mut spill = vec![FieldRef::default(); 8192];
    let msg = match index.index_or_spill(bytes, &mut spill) {
        Ok(m) => m,
        Err(e) => return Outcome::Index(e),
    };
    match Validator::new(dict).validate(&msg) {
        Ok(()) => Outcome::Ok,
        Err(e) => Outcome::Validation(e),
    }
}

/// The outcome of a session-level reject for `reason`, naming `tag`.
pub fn reject(reason: SessionRejectReason, tag: Option<u32>) -> Outcome {
    Outcome::Validation(ValidationError::Reject {
        reason,
        ref_tag: tag.map(Tag),
    })
}

/// `m` encoded with the library's encoder; must equal `serialize(m)`.
pub fn encode(m: &Msg) -> Vec<u8> {
    let mut buf = vec![0u8; MAX_LEN];
    let msg_type = MsgType::from_bytes(&m.fields[0].value).expect("a MsgType");
    let mut e = Encoder::new(&mut buf, m.begin.as_bytes(), msg_type);
    for (i, f) in m.fields.iter().enumerate().skip(1) {
        match f.kind {
            Kind::DataLen => {}
            Kind::Data => e.data(Tag(m.fields[i - 1].tag), Tag(f.tag), &f.value),
            _ => e.field(Tag(f.tag), &f.value),
        }
    }
    e.finish().expect("a valid message encodes").to_vec()
}

/// A valid message of either dictionary, checked to be accepted as it is.
pub fn valid(
    nested: bool,
    choices: &[u32],
    force_data: bool,
) -> (&'static Dictionary, Msg, Vec<u8>) {
    let dict: &'static Dictionary = if nested { &SMALL_NESTED } else { &FIXGATE44 };
    let m = generate(dict, choices, force_data);
    let bytes = encode(&m);
    assert_eq!(show(&bytes), show(&serialize(&m)), "encoder output");
    assert_eq!(
        run(dict, &bytes),
        Outcome::Ok,
        "valid message {}",
        show(&bytes)
    );
    (dict, m, bytes)
}
