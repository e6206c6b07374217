//! Checks for the `fix_dictionary_xml` fuzz target: the QuickFIX-format XML
//! dictionary loader (`Dictionary::from_xml`, `fix/dictionary/xml.rs`) on
//! arbitrary text and on generated dictionaries.
//!
//! Input layout: an even first byte (or an empty input) takes the rest as the
//! XML text (lossy UTF-8); an odd first byte makes the rest a program that
//! [`generate`] turns into a dictionary document: fields with fuzzed numbers
//! (valid, zero, huge, negative, not numbers), types and enumerated values;
//! header, trailer, messages (fuzzed, empty, long or duplicate `msgtype`s) and
//! components whose members are fields, groups (nested, empty) and components,
//! with required flags, dangling field and component references, components
//! that include themselves or each other (cycles) and chains of components
//! that each include the next several times (exponential expansion).
//! Invariants:
//!
//! - nothing panics, overflows the stack or hangs: loading returns `Ok` or a
//!   [`DictionaryError`];
//! - loading is deterministic: the same text gives the same error, or a
//!   dictionary with the same fields, layouts, messages and groups;
//! - on `Ok`: every field is found by its tag and by its name; every enumerated
//!   value of a single-value field is allowed; every DATA/XMLDATA field is a
//!   data tag; every layout member is found by its tag (with its position), its
//!   required tags are ascending and required members; every group id resolves,
//!   its count tag is the member's and its delimiter its first member; every
//!   message is found by its MsgType;
//! - a message built from the dictionary (header, each message's required body
//!   fields and one entry of each required group, checksum and body length
//!   right) frames, indexes with the dictionary's data tags, and validates
//!   (with default and relaxed options) without panicking.
//!
//! Shared by `fuzz/fuzz_targets/fix_dictionary_xml.rs` and
//! `tests/fuzz_corpus_parsers.rs`.

// The crate that includes this file also includes `choices.rs` as `choices`
// (once, however many checks use it).
use crate::choices::Choices;
use std::fmt::Write as _;

use fixgate_core::fix::dictionary::{Dictionary, FieldType, Layout, Member};
use fixgate_core::fix::{
    check_frame, checksum, FieldIndex, FieldRef, FrameStatus, Tag, ValidationOptions, Validator,
};

/// Runs the `fix_dictionary_xml` checks on one fuzz input.
///
/// # Panics
/// When an invariant of the module doc does not hold.
pub fn check(data: &[u8]) {
    let xml = match data.split_first() {
        Some((&mode, rest)) if mode & 1 == 1 => generate(rest),
        Some((_, rest)) => String::from_utf8_lossy(rest).into_owned(),
        None => String::new(),
    };
    check_xml(&xml);
}

/// The invariants of the module doc for one XML text.
pub fn check_xml(xml: &str) {
    let first = Dictionary::from_xml(xml);
    let second = Dictionary::from_xml(xml);
    match (&first, &second) {
        (Err(a), Err(b)) => assert_eq!(a, b, "loading twice fails differently"),
        (Ok(a), Ok(b)) => assert_eq!(summary(a), summary(b), "loading twice differs"),
        (a, b) => panic!("loading twice: {:?} then {:?}", a.is_ok(), b.is_ok()),
    }
    if let Ok(dict) = first {
        queries(&dict);
        validate_built(&dict);
    }
}

/// Everything a dictionary holds, in comparable form.
fn summary(d: &Dictionary) -> String {
    let mut s = format!("{}\n{:?}\n", d.begin_string(), d.fields());
    let layout = |s: &mut String, l: &Layout| {
        let _ = writeln!(s, "{:?} {:?}", l.members(), l.required());
    };
    layout(&mut s, d.header());
    layout(&mut s, d.trailer());
    for m in d.messages() {
        let _ = write!(s, "{:?} {} {} ", m.msg_type, m.name, m.admin);
        layout(&mut s, &m.layout);
    }
    for id in group_ids(d) {
        let g = d.group(id);
        let _ = write!(s, "group {id} {:?} {:?} ", g.count_tag, g.delimiter);
        layout(&mut s, &g.layout);
    }
    s
}

/// The group ids that layouts refer to (every group is referred to once).
fn group_ids(d: &Dictionary) -> Vec<u32> {
    let mut ids = Vec::new();
    let mut layouts: Vec<&Layout> = vec![d.header(), d.trailer()];
    layouts.extend(d.messages().iter().map(|m| &m.layout));
    while let Some(l) = layouts.pop() {
        for m in l.members() {
            if let Member::Group { group, .. } = *m {
                ids.push(group);
                layouts.push(&d.group(group).layout);
            }
        }
    }
    ids.sort_unstable();
    ids
}

fn queries(d: &Dictionary) {
    for f in d.fields() {
        let by_tag = d.field(f.tag).expect("a field is found by its tag");
        assert_eq!(by_tag.tag, f.tag);
        let by_name = d.field_by_name(&f.name).expect("found by its name");
        assert_eq!(by_name.name, f.name);
        if !f.ty.is_multiple_value() {
            for v in &f.values {
                assert!(f.allows(v), "field {} refuses its own value {v:?}", f.name);
            }
        }
        if matches!(f.ty, FieldType::Data) {
            assert!(
                d.data_tags().contains(f.tag),
                "data field {} ({}) is not a data tag",
                f.name,
                f.tag.0
            );
        }
    }
    let mut layouts: Vec<&Layout> = vec![d.header(), d.trailer()];
    for m in d.messages() {
        let found = d
            .message(m.msg_type)
            .expect("a message is found by MsgType");
        assert_eq!(found.msg_type, m.msg_type);
        layouts.push(&m.layout);
    }
    while let Some(l) = layouts.pop() {
        check_layout(l);
        for m in l.members() {
            if let Member::Group {
                count_tag, group, ..
            } = *m
            {
                let g = d.group(group);
                assert_eq!(g.count_tag, count_tag, "group {group} count tag");
                assert_eq!(
                    g.layout.members().first().map(Member::tag),
                    Some(g.delimiter),
                    "group {group} delimiter is not its first member"
                );
                layouts.push(&g.layout);
            }
        }
    }
}

fn check_layout(l: &Layout) {
    for (i, m) in l.members().iter().enumerate() {
        assert_eq!(l.member(m.tag()), Some(*m), "member {} lookup", m.tag().0);
        assert_eq!(l.position(m.tag()), Some(i as u32));
        assert!(l.contains(m.tag()));
    }
    assert!(l.required().windows(2).all(|w| w[0].0 < w[1].0));
    for t in l.required() {
        assert!(
            l.member(*t).is_some_and(|m| m.required()),
            "required {}",
            t.0
        );
    }
    assert_eq!(
        l.required().len(),
        l.members().iter().filter(|m| m.required()).count()
    );
}

/// Groups nest at most this deep in a built message.
const BUILD_DEPTH: usize = 4;

/// Builds one message per dictionary message (at most 16) and validates it.
fn validate_built(d: &Dictionary) {
    for m in d.messages().iter().take(16) {
        let mut body = Vec::new();
        push_field(&mut body, 35, m.msg_type.as_bytes());
        for layout in [d.header(), &m.layout] {
            push_required(d, layout, &mut body, 0);
        }
        let begin = d.begin_string().as_bytes();
        let mut msg = Vec::new();
        push_field(&mut msg, 8, begin);
        push_field(&mut msg, 9, body.len().to_string().as_bytes());
        msg.extend_from_slice(&body);
        let sum = checksum(&msg);
        push_field(&mut msg, 10, format!("{sum:03}").as_bytes());
        if !matches!(check_frame(&msg, 1 << 20), FrameStatus::Complete(_)) {
            // A fuzzed BeginString or MsgType with SOH or `=` in it.
            continue;
        }
        let mut index = FieldIndex::<16>::with_data_tags(d.data_tags().clone());
        let mut large = vec![FieldRef::default(); 4096];
        let Ok(message) = index.index_or_spill(&msg, &mut large) else {
            continue;
        };
        let validator = Validator::new(d);
        let _ = validator.validate(&message);
        let relaxed = ValidationOptions {
            check_fields_out_of_order: false,
            check_fields_have_values: false,
            check_user_defined_fields: false,
            allow_unknown_message_fields: true,
        };
        let _ = validator.with_options(relaxed).validate(&message);
    }
}

/// Writes the required members of `layout` (header: all but 8, 9, 35, 10).
fn push_required(d: &Dictionary, layout: &Layout, out: &mut Vec<u8>, depth: usize) {
    for m in layout.members().iter().filter(|m| m.required()) {
        match *m {
            Member::Field { tag, .. } => {
                if depth == 0 && matches!(tag.0, 8 | 9 | 10 | 35) {
                    continue;
                }
                push_field(out, tag.0, &value_for(d, tag));
            }
            Member::Group {
                count_tag, group, ..
            } => {
                if depth >= BUILD_DEPTH {
                    push_field(out, count_tag.0, b"0");
                    continue;
                }
                push_field(out, count_tag.0, b"1");
                let g = d.group(group);
                // The delimiter comes first even when it is optional.
                if let Some(&Member::Field {
                    tag,
                    required: false,
                }) = g.layout.members().first()
                {
                    push_field(out, tag.0, &value_for(d, tag));
                }
                push_required(d, &g.layout, out, depth + 1);
            }
        }
    }
}

/// A value the field's type accepts (its first enumerated value, else a
/// candidate for the type), or `1`.
fn value_for(d: &Dictionary, tag: Tag) -> Vec<u8> {
    let Some(f) = d.field(tag) else {
        return b"1".to_vec();
    };
    if let Some(v) = f.values.first() {
        return v.to_vec();
    }
    const CANDIDATES: [&[u8]; 8] = [
        b"1",
        b"Y",
        b"1.5",
        b"20260101-12:00:00.000",
        b"20260101",
        b"12:00:00",
        b"202601",
        b"USD",
    ];
    CANDIDATES
        .iter()
        .find(|c| f.ty.accepts(c))
        .map_or_else(|| b"1".to_vec(), |c| c.to_vec())
}

fn push_field(out: &mut Vec<u8>, tag: u32, value: &[u8]) {
    out.extend_from_slice(tag.to_string().as_bytes());
    out.push(b'=');
    out.extend_from_slice(value);
    out.push(0x01);
}

/// Field types the generator picks from (QuickFIX's names and a few others).
const TYPES: [&str; 16] = [
    "STRING",
    "INT",
    "PRICE",
    "QTY",
    "CHAR",
    "BOOLEAN",
    "DATA",
    "XMLDATA",
    "LENGTH",
    "NUMINGROUP",
    "SEQNUM",
    "MULTIPLEVALUESTRING",
    "UTCTIMESTAMP",
    "LOCALMKTDATE",
    "MONTHYEAR",
    "NOSUCHTYPE",
];

/// Message types the generator picks from: valid, admin, empty, too long.
const MSG_TYPES: [&str; 10] = ["0", "A", "D", "8", "W", "AE", "ZZZZ", "", "TOOLONG", "D"];

/// Builds a dictionary document from generator choices (see the module doc).
pub fn generate(data: &[u8]) -> String {
    let mut c = Choices::new(data);
    let n_fields = 1 + c.below(40);
    let n_components = c.below(12);
    let n_messages = c.below(6);
    let flags = c.byte();
    let mut x = String::new();
    let kind = if flags & 1 == 0 { "FIX" } else { "FIXT" };
    let _ = writeln!(
        x,
        r#"<fix type="{kind}" major="{}" minor="{}" servicepack="{}">"#,
        4 + (flags >> 1 & 1),
        flags >> 2 & 3,
        flags >> 4 & 3
    );
    if flags & 0x40 == 0 {
        x.push_str("<header>");
        members(&mut c, &mut x, n_fields, n_components, 0);
        x.push_str("</header>\n<trailer>");
        members(&mut c, &mut x, n_fields, n_components, 0);
        x.push_str("</trailer>\n");
    }
    x.push_str("<messages>\n");
    for i in 0..n_messages {
        let msgtype = MSG_TYPES[c.below(MSG_TYPES.len())];
        let cat = if c.byte() & 1 == 0 { "app" } else { "admin" };
        let _ = write!(
            x,
            r#"<message name="M{i}" msgtype="{msgtype}" msgcat="{cat}">"#
        );
        members(&mut c, &mut x, n_fields, n_components, 0);
        x.push_str("</message>\n");
    }
    x.push_str("</messages>\n<components>\n");
    let chain = flags & 0x80 != 0;
    for i in 0..n_components {
        let _ = write!(x, r#"<component name="C{i}">"#);
        if chain && i + 1 < n_components {
            // Each component includes the next several times.
            let fan = 2 + c.below(3);
            for _ in 0..fan {
                let _ = write!(x, r#"<component name="C{}" required="Y"/>"#, i + 1);
            }
        }
        members(&mut c, &mut x, n_fields, n_components, 0);
        x.push_str("</component>\n");
    }
    x.push_str("</components>\n<fields>\n");
    for i in 0..n_fields {
        let number = field_number(&mut c, i);
        let ty = TYPES[c.below(TYPES.len())];
        let _ = write!(x, r#"<field number="{number}" name="F{i}" type="{ty}">"#);
        for v in 0..c.below(4) {
            let _ = write!(
                x,
                r#"<value enum="{}" description="V{v}"/>"#,
                enum_value(&mut c)
            );
        }
        x.push_str("</field>\n");
    }
    x.push_str("</fields>\n</fix>\n");
    x
}

fn field_number(c: &mut Choices<'_>, i: usize) -> String {
    match c.below(16) {
        0 => "0".into(),
        1 => "4294967295".into(),
        2 => "4294967296".into(),
        3 => "-1".into(),
        4 => "x".into(),
        5 => String::new(),
        6 => (2048 + usize::from(c.byte()) * 97).to_string(),
        // A duplicate of an earlier field's number.
        7 => (1 + i / 2).to_string(),
        _ => (1 + usize::from(c.byte()) * 8 + i).to_string(),
    }
}

fn enum_value(c: &mut Choices<'_>) -> String {
    match c.below(6) {
        0 => String::new(),
        1 => "A B".into(),
        2 => "&amp;".into(),
        _ => char::from(b'0' + c.byte() % 75)
            .to_string()
            .replace(['<', '&', '"'], "x"),
    }
}

/// Writes the members of a message, group or component body.
fn members(
    c: &mut Choices<'_>,
    x: &mut String,
    n_fields: usize,
    n_components: usize,
    depth: usize,
) {
    let n = c.below(6);
    for _ in 0..n {
        if c.rest().is_empty() {
            return;
        }
        let op = c.byte();
        let req = match op >> 4 & 3 {
            0 => "N",
            1 => "Y",
            2 => "y",
            _ => "maybe",
        };
        // Names past the count are dangling references.
        let field = c.below(n_fields + 2);
        match op % 8 {
            0..=3 => {
                let _ = write!(x, r#"<field name="F{field}" required="{req}"/>"#);
            }
            4 | 5 if depth < 6 => {
                let _ = write!(x, r#"<group name="F{field}" required="{req}">"#);
                members(c, x, n_fields, n_components, depth + 1);
                x.push_str("</group>");
            }
            6 => {
                let comp = c.below(n_components + 1);
                let _ = write!(x, r#"<component name="C{comp}" required="{req}"/>"#);
            }
            _ => x.push_str("<other/>"),
        }
    }
}
