//! Random typed messages for the round-trip properties.
//!
//! A message has a random MsgType of the dictionary, a random header
//! (34/49/52/56 and sometimes 43/97/122, and 212/213 where the dictionary has
//! them and no `HeaderTemplate` writes the header), every required field, and
//! random optional fields and groups whose entries carry nested groups, and
//! sometimes a trailer Signature (93/89). Every value is a [`Val`], so that the
//! typed accessors can be checked against it, and the body's group structure
//! is kept as a [`Node`] tree.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use fixgate_core::fix::dictionary::{Dictionary, FieldDef};
use fixgate_core::fix::encode::TimePrecision;
use fixgate_core::fix::{MsgType, Tag};
use fixgate_core::time::UtcNanos;

use super::choices::Choices;
use super::generate::{At, Build, Node, Shape, Walk};
use super::serialize::{field, frame_body};
use super::typed_value::{
    data, id, instant, precision, render, timestamp_at, value_for, Val, Wire,
};

/// Entries per group at each nesting depth (depth 0 is a body group).
const MAX_ENTRIES: [u32; 4] = [3, 3, 2, 2];
/// Past this many fields, only required fields and empty groups are added.
const FIELD_BUDGET: usize = 1500;

/// The header fields, for the encoder.
#[derive(Debug)]
pub struct Header {
    /// SenderCompID (49).
    pub sender: String,
    /// TargetCompID (56).
    pub target: String,
    /// MsgSeqNum (34).
    pub seq: u64,
    /// SendingTime (52).
    pub sending_time: UtcNanos,
    /// The precision SendingTime is written at.
    pub precision: TimePrecision,
    /// The optional header fields (43, 97, 122), rendered.
    pub extra: Vec<(Tag, Vec<u8>)>,
    /// Whether a `HeaderTemplate` writes the header.
    pub via_template: bool,
}

/// A generated message.
#[derive(Debug)]
pub struct Generated {
    /// BeginString (8).
    pub begin: String,
    /// MsgType (35).
    pub msg_type: MsgType,
    /// The header fields, for the encoder.
    pub header: Header,
    /// Number of header fields in `fields` (35 included).
    pub header_len: usize,
    /// Every field from 35 to the last trailer field before CheckSum, in wire
    /// order.
    pub fields: Vec<Wire>,
    /// The body map; indices count 8 and 9 first (as the index does).
    pub body: Node,
    /// Required members that could not be generated (must stay empty).
    pub skipped_required: Vec<Tag>,
}

/// Makes the body fields as [`Wire`]s.
enum Typed {}

impl Build for Typed {
    type Field = Wire;

    fn count(tag: Tag, n: u32, _: At) -> Wire {
        Wire::new(tag.0, Val::Uint(u64::from(n)))
    }

    fn value(c: &mut Choices<'_>, def: &FieldDef, _: At) -> Wire {
        Wire::new(def.tag.0, value_for(c, def))
    }

    fn data_pair(c: &mut Choices<'_>, len: Tag, data_tag: Tag, _: At) -> [Wire; 2] {
        let bytes = data(c);
        [
            Wire::new(len.0, Val::DataLen(bytes.len() as u64)),
            Wire::new(data_tag.0, Val::Data(bytes)),
        ]
    }
}

/// A random message of `dict`, from the choices in `data`.
pub fn generate(dict: &Dictionary, data: &[u32]) -> Generated {
    let mut c = Choices::new(data);
    let messages = dict.messages();
    let def = &messages[c.below(messages.len() as u32) as usize];
    generate_of(dict, def.msg_type, c)
}

/// A random message of type `msg_type` of `dict`, from the choices in `c`.
pub fn generate_of(dict: &Dictionary, msg_type: MsgType, mut c: Choices<'_>) -> Generated {
    let def = dict.message(msg_type).expect("a message of the dictionary");
    let sender = id(&mut c);
    let target = id(&mut c);
    let seq = c.u64() >> (1 + c.below(63));
    let sending_time = instant(&mut c);
    let precision = precision(&mut c);
    let via_template = c.below(2) == 0;
    let mut extra_vals: Vec<(u32, Val)> = Vec::new();
    if dict.header().contains(Tag(43)) && c.chance(2) {
        extra_vals.push((43, Val::Bool(c.below(2) == 1)));
    }
    if dict.header().contains(Tag(97)) && c.chance(2) {
        extra_vals.push((97, Val::Bool(c.below(2) == 1)));
    }
    if dict.header().contains(Tag(122)) && c.chance(2) {
        let sent = instant(&mut c);
        extra_vals.push((122, timestamp_at(sent, TimePrecision::Millis)));
    }
    let mut fields = vec![
        Wire::new(
            35,
            Val::Str(String::from_utf8_lossy(msg_type.as_bytes()).into()),
        ),
        Wire::new(34, Val::Uint(seq)),
        Wire::new(49, Val::Str(sender.clone())),
        Wire::new(52, timestamp_at(sending_time, precision)),
        Wire::new(56, Val::Str(target.clone())),
    ];
    for (tag, val) in &extra_vals {
        fields.push(Wire::new(*tag, val.clone()));
    }
    // A header data field (XmlData), which a HeaderTemplate cannot carry.
    let xml = [Tag(212), Tag(213)];
    if !via_template && xml.iter().all(|&t| dict.header().contains(t)) && c.chance(2) {
        let bytes = data(&mut c);
        fields.push(Wire::new(212, Val::DataLen(bytes.len() as u64)));
        fields.push(Wire::new(213, Val::Data(bytes)));
    }
    fields.sort_by_key(|w| if w.tag.0 == 35 { 0 } else { w.tag.0 });
    let header_len = fields.len();
    let extra = extra_vals
        .iter()
        .map(|(t, v)| (Tag(*t), render(v)))
        .collect();

    let shape = Shape {
        max_entries: &MAX_ENTRIES,
        field_budget: FIELD_BUDGET,
        density: c.below(4),
        every_data_pair: false,
    };
    let mut g = Walk::<Typed>::new(dict, c, shape, fields);
    let mut body = g.map(&def.layout, 0);
    // A trailer data field (Signature, whose length is SignatureLength 93).
    let trailer_start = g.fields.len();
    let sig = [Tag(93), Tag(89)];
    if sig.iter().all(|&t| dict.trailer().contains(t)) && g.c.chance(1) {
        let bytes = data(&mut g.c);
        g.fields
            .push(Wire::new(93, Val::DataLen(bytes.len() as u64)));
        g.fields.push(Wire::new(89, Val::Data(bytes)));
    }
    // The body map's direct fields: 8, 9, the header, the body, the trailer
    // (index shifted by the two fields in front of 35).
    let mut direct: Vec<usize> = vec![0, 1];
    direct.extend((0..header_len).map(|i| i + 2));
    direct.extend(body.direct.iter().map(|i| i + 2));
    direct.extend((trailer_start..g.fields.len()).map(|i| i + 2));
    direct.push(g.fields.len() + 2);
    body.direct = direct;
    body.shift_entries(2);
    Generated {
        begin: dict.begin_string().to_string(),
        msg_type,
        header: Header {
            sender,
            target,
            seq,
            sending_time,
            precision,
            extra,
            via_template,
        },
        header_len,
        fields: g.fields,
        body,
        skipped_required: g.skipped_required,
    }
}

/// `8=…␁9=…␁<fields>10=…␁`, BodyLength and CheckSum computed here.
pub fn serialize(begin: &str, fields: &[Wire]) -> Vec<u8> {
    let body: Vec<u8> = fields
        .iter()
        .flat_map(|w| field(w.tag.0, &w.bytes))
        .collect();
    frame_body(begin, &body)
}
