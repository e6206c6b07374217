//! Random valid messages as raw field values, for the malformed-input
//! properties to mutate.
//!
//! A message has a random MsgType of the dictionary, the header fields
//! 35/34/49/52/56, every required field, and random optional fields and
//! groups whose entries carry nested groups. Each field records what it is
//! (header, plain, NumInGroup, data length, data), its group depth, whether it
//! is required and whether it is a group entry's delimiter, so that a property
//! can pick the field it mutates. Values are bytes: valid for their type, but
//! not kept typed (the round-trip properties check the types).
//!
//! No text holds `FIX` and no data holds `=`, so no `8=FIX` stands inside a
//! message and no `␁10=` inside a body.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use fixgate_core::fix::dictionary::{Dictionary, FieldDef, FieldType};
use fixgate_core::fix::Tag;
use fixgate_core::types::Price;
use proptest::prelude::*;

use super::choices::Choices;
use super::generate::{allowed_values, At, Build, Shape, Walk};
use super::serialize::{field, frame_body, render_price};

/// Entries per group at each nesting depth (depth 0 is a body group).
const MAX_ENTRIES: [u32; 4] = [3, 2, 2, 1];

/// The choice vector a message is generated from.
pub fn choices() -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(any::<u32>(), 0..512)
}

/// What a generated field is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A header field (35, 34, 49, 52, 56).
    Header,
    /// A plain field of the body or of a group entry.
    Plain,
    /// A NumInGroup field.
    Count,
    /// The length field of a data pair.
    DataLen,
    /// A data field.
    Data,
}

/// One field of a generated message.
#[derive(Clone, Debug)]
pub struct F {
    /// The tag.
    pub tag: u32,
    /// The value.
    pub value: Vec<u8>,
    /// What the field is.
    pub kind: Kind,
    /// 0 for header and body fields, n inside an n-th level group entry.
    pub depth: usize,
    /// Whether the layout member is required.
    pub required: bool,
    /// The first field of a group entry.
    pub delimiter: bool,
}

/// A valid message: 35 first, then header, body (no 8, 9, 10).
#[derive(Clone, Debug)]
pub struct Msg {
    /// BeginString (8).
    pub begin: String,
    /// The fields from 35 on.
    pub fields: Vec<F>,
}

// Alphabets without 'F', 'I', 'X' (so no "8=FIX" inside a message) and, for
// data, without '=' (so no "␁10=" inside a body).
const TEXT: &[u8] = b"abZ07 -.|";
const DATA: &[u8] = &[b'a', 0x01, b'1', b'0', b'x', 0xff, b'8', b'|'];

fn text(c: &mut Choices<'_>, max: u32) -> Vec<u8> {
    let n = 1 + c.below(max);
    (0..n).map(|_| *c.pick(TEXT)).collect()
}

fn timestamp(c: &mut Choices<'_>) -> Vec<u8> {
    format!(
        "20{:02}{:02}{:02}-{:02}:{:02}:{:02}.{:03}",
        c.below(100),
        1 + c.below(12),
        1 + c.below(28),
        c.below(24),
        c.below(60),
        c.below(60),
        c.below(1000)
    )
    .into_bytes()
}

/// A valid value of `def`'s type.
pub fn value_for(c: &mut Choices<'_>, def: &FieldDef) -> Vec<u8> {
    let allowed = allowed_values(def);
    if !allowed.is_empty() {
        return c.pick(&allowed).to_vec();
    }
    match def.ty {
        FieldType::Int => (i64::from(c.next() as i32) / 3).to_string().into_bytes(),
        FieldType::Length | FieldType::SeqNum | FieldType::NumInGroup => {
            (c.next() / 7).to_string().into_bytes()
        }
        FieldType::Decimal => {
            let e9 = i64::from(c.next() as i32) * i64::from(c.below(100_000));
            render_price(Price::from_e9(e9).e9()).into_bytes()
        }
        FieldType::UtcTimestamp => timestamp(c),
        FieldType::UtcTimeOnly => {
            format!("{:02}:{:02}:{:02}", c.below(24), c.below(60), c.below(60)).into_bytes()
        }
        FieldType::UtcDateOnly => format!(
            "20{:02}{:02}{:02}",
            c.below(100),
            1 + c.below(12),
            1 + c.below(28)
        )
        .into_bytes(),
        FieldType::Char => vec![*c.pick(TEXT)],
        FieldType::Boolean => if c.below(2) == 0 { b"N" } else { b"Y" }.to_vec(),
        _ => text(c, 10),
    }
}

/// Makes the body fields as [`F`]s.
enum Raw {}

impl Build for Raw {
    type Field = F;

    fn count(tag: Tag, n: u32, at: At) -> F {
        field_at(tag, n.to_string().into_bytes(), Kind::Count, at)
    }

    fn value(c: &mut Choices<'_>, def: &FieldDef, at: At) -> F {
        field_at(def.tag, value_for(c, def), Kind::Plain, at)
    }

    fn data_pair(c: &mut Choices<'_>, len: Tag, data: Tag, at: At) -> [F; 2] {
        let n = 1 + c.below(16);
        let bytes: Vec<u8> = (0..n).map(|_| *c.pick(DATA)).collect();
        let len_value = bytes.len().to_string().into_bytes();
        [
            field_at(len, len_value, Kind::DataLen, at),
            field_at(data, bytes, Kind::Data, at),
        ]
    }

    fn entry_done(fields: &mut [F], delimiter: Tag) {
        let first = &mut fields[0];
        assert_eq!(first.tag, delimiter.0, "entry starts with its delimiter");
        first.delimiter = true;
    }
}

fn field_at(tag: Tag, value: Vec<u8>, kind: Kind, at: At) -> F {
    F {
        tag: tag.0,
        value,
        kind,
        depth: at.depth,
        required: at.required,
        delimiter: false,
    }
}

/// A random valid message of `dict`; `force_data` includes every data pair.
pub fn generate(dict: &Dictionary, data: &[u32], force_data: bool) -> Msg {
    let mut c = Choices::new(data);
    let messages = dict.messages();
    let def = &messages[c.below(messages.len() as u32) as usize];
    let header = |tag, value| F {
        tag,
        value,
        kind: Kind::Header,
        depth: 0,
        required: true,
        delimiter: false,
    };
    let mut fields = vec![header(35, def.msg_type.as_bytes().to_vec())];
    fields.push(header(
        34,
        (1 + c.below(1_000_000)).to_string().into_bytes(),
    ));
    fields.push(header(49, text(&mut c, 8)));
    fields.push(header(52, timestamp(&mut c)));
    fields.push(header(56, text(&mut c, 8)));
    let shape = Shape {
        max_entries: &MAX_ENTRIES,
        field_budget: usize::MAX,
        density: 1 + c.below(3),
        every_data_pair: force_data,
    };
    let mut g = Walk::<Raw>::new(dict, c, shape, fields);
    g.map(&def.layout, 0);
    assert!(
        g.skipped_required.is_empty(),
        "required {:?} cannot be generated",
        g.skipped_required
    );
    Msg {
        begin: dict.begin_string().to_string(),
        fields: g.fields,
    }
}

/// `tag=value␁` of `f`.
pub fn field_bytes(f: &F) -> Vec<u8> {
    field(f.tag, &f.value)
}

/// The body of a message of `fields` (from 35 on).
pub fn body_of(fields: &[F]) -> Vec<u8> {
    fields.iter().flat_map(field_bytes).collect()
}

/// `m` written without the library.
pub fn serialize(m: &Msg) -> Vec<u8> {
    frame_body(&m.begin, &body_of(&m.fields))
}
