//! Checks for the `sbe_schema_xml` fuzz target: the SBE schema loader
//! (`Schema::from_xml`, `md/sbe/xml.rs`) on arbitrary text and on generated
//! schemas, then the interpreter (`Schema::decode`) with what it loaded.
//!
//! Input layout: an even first byte (or an empty input) takes the rest, up to
//! the first NUL, as the XML text (lossy UTF-8) and what follows the NUL as
//! bytes to decode; an odd first byte makes the rest a program that [`generate`]
//! turns into a schema (`messageHeader` and group dimension composites with
//! fuzzed primitives, offsets and missing members; types of every primitive
//! with fuzzed lengths, presences, null values, offsets and constants;
//! composites, decimals, enums and sets over primitives or named types;
//! messages with fields of defined and undefined types at fuzzed offsets,
//! `sinceVersion`s, explicit or implicit block lengths, nested groups), the
//! bytes it leaves being the messages to decode. Invariants:
//!
//! - nothing panics, overflows or hangs: loading returns `Ok` or a
//!   [`SchemaError`], decoding `Ok` or an [`InterpretError`];
//! - loading is deterministic: the same text gives equal schemas or errors;
//! - on `Ok`: each message is found by its id, and the type of every field of
//!   every message and group resolves;
//! - decoding is deterministic, and a decoded message is the template its
//!   header names, of this schema, and its `known_len` lies within the body;
//! - decoded: the fuzz bytes as they are, and messages of each template whose
//!   header is written at the schema's `messageHeader` member offsets with
//!   fuzzed block lengths and versions followed by fuzz bytes.
//!
//! Shared by `fuzz/fuzz_targets/sbe_schema_xml.rs` and
//! `tests/fuzz_corpus_parsers.rs`.

// The crate that includes this file also includes `choices.rs` as `choices`
// (once, however many checks use it).
use crate::choices::Choices;
use std::fmt::Write as _;

use fixgate_core::md::sbe::{
    DecodeOutcome, GroupDef, InterpretError, Schema, SchemaError, TypeDef,
};

/// Runs the `sbe_schema_xml` checks on one fuzz input.
///
/// # Panics
/// When an invariant of the module doc does not hold.
pub fn check(data: &[u8]) {
    match data.split_first() {
        Some((&mode, rest)) if mode & 1 == 1 => {
            let mut c = Choices::new(rest);
            let xml = generate(&mut c);
            check_xml(&xml, c.rest());
        }
        Some((_, rest)) => {
            let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
            let xml = String::from_utf8_lossy(&rest[..end]);
            check_xml(&xml, rest.get(end + 1..).unwrap_or(&[]));
        }
        None => check_xml("", &[]),
    }
}

/// The invariants of the module doc for one schema text and the bytes to
/// decode with it.
pub fn check_xml(xml: &str, bytes: &[u8]) {
    let first = Schema::from_xml(xml);
    assert_eq!(first, Schema::from_xml(xml), "loading twice differs");
    let Ok(schema) = first else { return };
    for (&id, def) in &schema.messages {
        assert_eq!(def.id, id, "message {} under another id", def.name);
        assert!(schema.message(id).is_some());
        for f in &def.fields {
            assert!(schema.type_def(&f.type_name).is_ok(), "{} type", f.name);
        }
        check_groups(&schema, &def.groups);
    }
    decode(&schema, bytes);
    let Ok(TypeDef::Composite(header)) = schema.type_def("messageHeader") else {
        return;
    };
    let mut c = Choices::new(bytes);
    let ids: Vec<u16> = schema.messages.keys().copied().take(8).collect();
    for id in ids {
        let mut msg = vec![0u8; header.size.min(64)];
        let block_length = match c.byte() {
            0..=127 => schema.messages[&id].block_length as u64,
            b => u64::from(b & 0x3f),
        };
        let version = match c.byte() {
            0..=127 => u64::from(schema.version),
            b => u64::from(b & 7),
        };
        for (name, value) in [
            ("blockLength", block_length),
            ("templateId", u64::from(id)),
            ("schemaId", u64::from(schema.id)),
            ("version", version),
        ] {
            if let Some(m) = header.member(name) {
                let le = value.to_le_bytes();
                let n = m.primitive.size().min(8);
                if let Some(at) = msg.get_mut(m.offset..).and_then(|b| b.get_mut(..n)) {
                    at.copy_from_slice(&le[..n]);
                }
            }
        }
        let len = c.below(96);
        for _ in 0..len {
            msg.push(c.byte());
        }
        decode(&schema, &msg);
    }
}

fn check_groups(schema: &Schema, groups: &[GroupDef]) {
    for g in groups {
        for f in &g.fields {
            assert!(schema.type_def(&f.type_name).is_ok(), "{} type", f.name);
        }
        check_groups(schema, &g.groups);
    }
}

fn decode(schema: &Schema, sbe: &[u8]) {
    let first = schema.decode(sbe);
    assert_eq!(first, schema.decode(sbe), "decoding twice differs");
    match first {
        Ok(DecodeOutcome::Message(m)) => {
            assert_eq!(m.schema_id, schema.id);
            assert!(schema.message(m.template_id).is_some());
            let Ok(TypeDef::Composite(header)) = schema.type_def("messageHeader") else {
                panic!("decoded without a messageHeader composite");
            };
            assert!(
                m.known_len <= sbe.len().saturating_sub(header.size),
                "known_len {} past the body",
                m.known_len
            );
        }
        Ok(DecodeOutcome::UnknownSchema { schema_id }) => assert_ne!(schema_id, schema.id),
        Ok(DecodeOutcome::UnknownTemplate { template_id }) => {
            assert!(schema.message(template_id).is_none());
        }
        Err(InterpretError::Schema(SchemaError::Xml(e))) => {
            panic!("decoding reports an XML error: {e}")
        }
        Err(_) => {}
    }
}

const PRIMITIVES: [&str; 11] = [
    "char", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float",
    "bogus",
];

/// A primitive name, mostly a supported one.
fn primitive(c: &mut Choices<'_>) -> &'static str {
    PRIMITIVES[c.below(PRIMITIVES.len())]
}

/// An optional numeric attribute: absent, a small number, or something odd.
fn number_attr(c: &mut Choices<'_>, key: &str) -> String {
    match c.below(12) {
        0..=5 => String::new(),
        6 => format!(r#" {key}="18446744073709551615""#),
        7 => format!(r#" {key}="-1""#),
        8 => format!(r#" {key}="x""#),
        9 => format!(r#" {key}="65535""#),
        _ => format!(r#" {key}="{}""#, c.byte() % 40),
    }
}

/// Builds a schema document from generator choices (see the module doc).
pub fn generate(c: &mut Choices<'_>) -> String {
    let flags = c.byte();
    let mut x = String::new();
    let ns = if flags & 1 == 0 { "sbe:" } else { "" };
    let _ = writeln!(
        x,
        r#"<{ns}messageSchema xmlns:sbe="http://fixprotocol.io/2016/sbe" id="{}" version="{}">"#,
        flags >> 1 & 3,
        flags >> 3 & 7
    );
    x.push_str("<types>\n");
    if flags & 0x40 == 0 {
        x.push_str(r#"<composite name="messageHeader">"#);
        for name in ["blockLength", "templateId", "schemaId", "version"] {
            let p = if c.byte() < 200 {
                "uint16"
            } else {
                primitive(c)
            };
            let extra = number_attr(c, "offset");
            let _ = write!(x, r#"<type name="{name}" primitiveType="{p}"{extra}/>"#);
        }
        x.push_str("</composite>\n");
    }
    for g in 0..2 {
        let _ = write!(x, r#"<composite name="groupSize{g}">"#);
        let bl = if c.byte() < 220 {
            "uint16"
        } else {
            primitive(c)
        };
        let _ = write!(x, r#"<type name="blockLength" primitiveType="{bl}"/>"#);
        if c.byte() & 3 == 0 {
            x.push_str(r#"<type name="pad" primitiveType="uint8" length="1"/>"#);
        }
        let n = ["uint8", "uint16", "uint32", "uint64", "int8"][c.below(5)];
        let extra = number_attr(c, "offset");
        if c.byte() < 240 {
            let _ = write!(x, r#"<type name="numInGroup" primitiveType="{n}"{extra}/>"#);
        }
        x.push_str("</composite>\n");
    }
    let n_types = c.below(8);
    for i in 0..n_types {
        let p = primitive(c);
        let length = number_attr(c, "length");
        let offset = number_attr(c, "offset");
        let presence = ["required", "optional", "constant", "odd"][c.below(4)];
        let null = number_attr(c, "nullValue");
        let text = if presence == "constant" {
            ["7", "A", "", "x9"][c.below(4)]
        } else {
            ""
        };
        let _ = writeln!(
            x,
            r#"<type name="T{i}" primitiveType="{p}" presence="{presence}"{length}{offset}{null}>{text}</type>"#
        );
    }
    if flags & 0x80 == 0 {
        let p = ["int64", "int32", "uint64", "char"][c.below(4)];
        let _ = writeln!(
            x,
            r#"<composite name="D0"><type name="mantissa" primitiveType="{p}"/><type name="exponent" primitiveType="int8" presence="constant">{}</type></composite>"#,
            ["-9", "-7", "x", "200"][c.below(4)]
        );
    }
    let n_enums = c.below(3);
    for i in 0..n_enums {
        let enc = match c.below(4) {
            0 => "char".to_owned(),
            1 => "uint8".to_owned(),
            2 => format!("T{}", c.below(n_types + 1)),
            _ => primitive(c).to_owned(),
        };
        let _ = write!(x, r#"<enum name="E{i}" encodingType="{enc}">"#);
        for v in 0..c.below(4) {
            let val = ["0", "1", "A", "", "300", "-1"][c.below(6)];
            let _ = write!(x, r#"<validValue name="V{v}">{val}</validValue>"#);
        }
        x.push_str("</enum>\n");
    }
    let n_sets = c.below(3);
    for i in 0..n_sets {
        let enc = ["uint8", "uint16", "uint64", "char", "T0"][c.below(5)];
        let _ = write!(x, r#"<set name="S{i}" encodingType="{enc}">"#);
        for v in 0..c.below(4) {
            let bit = ["0", "7", "63", "64", "99", "x"][c.below(6)];
            let _ = write!(x, r#"<choice name="B{v}">{bit}</choice>"#);
        }
        x.push_str("</set>\n");
    }
    x.push_str("</types>\n");
    let mut pool: Vec<String> = (0..n_types).map(|i| format!("T{i}")).collect();
    pool.extend((0..n_enums).map(|i| format!("E{i}")));
    pool.extend((0..n_sets).map(|i| format!("S{i}")));
    pool.extend(["D0", "groupSize0", "messageHeader", "Nope"].map(String::from));
    let n_messages = c.below(5);
    for i in 0..n_messages {
        let id = match c.byte() {
            0..=199 => format!("{}", c.byte() % 8),
            200..=239 => "65535".to_owned(),
            _ => "70000".to_owned(),
        };
        let bl = number_attr(c, "blockLength");
        let since = number_attr(c, "sinceVersion");
        let _ = write!(x, r#"<{ns}message name="M{i}" id="{id}"{bl}{since}>"#);
        body(c, &mut x, &pool, 0);
        let _ = writeln!(x, "</{ns}message>");
    }
    let _ = writeln!(x, "</{ns}messageSchema>");
    x
}

/// Writes the fields and groups of a message or group.
fn body(c: &mut Choices<'_>, x: &mut String, pool: &[String], depth: usize) {
    let n = c.below(6);
    for i in 0..n {
        let op = c.byte();
        match op % 8 {
            0..=4 => {
                let ty = &pool[c.below(pool.len())];
                let offset = number_attr(c, "offset");
                let since = number_attr(c, "sinceVersion");
                let _ = write!(
                    x,
                    r#"<field name="f{depth}_{i}" id="{i}" type="{ty}"{offset}{since}/>"#
                );
            }
            5 | 6 if depth < 4 => {
                let dim = ["groupSize0", "groupSize1", "T0", "Nope"][c.below(4)];
                let bl = number_attr(c, "blockLength");
                let since = number_attr(c, "sinceVersion");
                let _ = write!(
                    x,
                    r#"<group name="g{depth}_{i}" id="{i}" dimensionType="{dim}"{bl}{since}>"#
                );
                body(c, x, pool, depth + 1);
                x.push_str("</group>");
            }
            _ => {
                let what = ["data", "other", "field"][c.below(3)];
                let _ = write!(x, r#"<{what} name="o{i}" presence="constant" type="T0"/>"#);
            }
        }
    }
}
