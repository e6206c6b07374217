//! The independent check: decode a message with the hand-written views and with
//! the generic interpreter ([`md::sbe`](crate::md::sbe)) and compare every
//! field, group, entry count and length.
//!
//! Values are compared after one normalisation on each side: integers by value,
//! prices as [`Price`] nanounits (the interpreter's decimals rescaled by
//! [`Price::from_mantissa`], not by this module's conversion), enums and sets by
//! raw value *and* schema name, strings up to their first NUL. Used by tests and
//! the fuzz target; it allocates.

use thiserror::Error;

use super::message::{CmeMessage, Skip};
use super::packet::{header, SbeMessage};
use super::visit::{FieldValue, FieldVisitor, Visit};
use crate::md::sbe::{DecodeOutcome, DecodedField, DecodedGroup, Schema, Value};
use crate::types::Price;

/// A value normalised for comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cmp {
    /// Any integer.
    Int(i128),
    /// Null.
    Null,
    /// A `char`.
    Char(u8),
    /// A string.
    Str(Vec<u8>),
    /// A price in nanounits.
    Price(i64),
    /// A price decimal [`Price`] cannot hold.
    PriceOverflow(i64, i8),
    /// Another decimal.
    Decimal(i64, i8),
    /// An enum: raw value and name.
    Enum(i128, Option<String>),
    /// A set: raw value and set choice names.
    Set(u64, Vec<String>),
    /// A composite.
    Composite(Vec<(String, Cmp)>),
}

/// Fields of one block, then its groups.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tree {
    /// `(name, value)` in wire order.
    pub fields: Vec<(String, Cmp)>,
    /// `(name, entries)` of each group on the wire.
    pub groups: Vec<(String, Vec<Tree>)>,
}

/// How the two decoders agreed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Agreement {
    /// Both decoded the message identically.
    Same {
        /// Fields compared (root and entries).
        fields: usize,
        /// Group entries compared.
        entries: usize,
    },
    /// Both rejected it as malformed.
    BothRejected,
    /// Both skipped it (other schema id, or a template neither knows).
    BothSkipped,
    /// The interpreter knows the template, the views do not (not compared).
    NoView,
}

/// The decoders disagree.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("views and interpreter disagree on template {template}: {detail}")]
pub struct Mismatch {
    /// The template id.
    pub template: u16,
    /// What differs.
    pub detail: String,
}

fn view_value(v: FieldValue<'_>) -> Cmp {
    match v {
        FieldValue::Int(i) => Cmp::Int(i128::from(i)),
        FieldValue::UInt(u) => Cmp::Int(i128::from(u)),
        FieldValue::Null => Cmp::Null,
        FieldValue::Char(c) => Cmp::Char(c),
        FieldValue::Str(s) => Cmp::Str(s.to_vec()),
        FieldValue::Price(p) => Cmp::Price(p.e9()),
        FieldValue::PriceOverflow { mantissa, exponent } => Cmp::PriceOverflow(mantissa, exponent),
        FieldValue::Decimal { mantissa, exponent } => Cmp::Decimal(mantissa, exponent),
        FieldValue::Enum { raw, name } | FieldValue::CharEnum { raw, name } => {
            Cmp::Enum(i128::from(raw), name.map(str::to_owned))
        }
        FieldValue::Set { raw, choices } => Cmp::Set(
            u64::from(raw),
            choices
                .iter()
                .filter(|(bit, _)| raw & (1u32 << bit) != 0)
                .map(|(_, n)| (*n).to_owned())
                .collect(),
        ),
        FieldValue::MaturityMonthYear(m) => {
            let opt = |v: Option<u16>| v.map_or(Cmp::Null, |v| Cmp::Int(i128::from(v)));
            Cmp::Composite(vec![
                ("year".into(), opt(m.year)),
                ("month".into(), opt(m.month.map(u16::from))),
                ("day".into(), opt(m.day.map(u16::from))),
                ("week".into(), opt(m.week.map(u16::from))),
            ])
        }
    }
}

fn interpreter_value(v: &Value) -> Cmp {
    match v {
        Value::Int(i) => Cmp::Int(i128::from(*i)),
        Value::UInt(u) => Cmp::Int(i128::from(*u)),
        Value::Null => Cmp::Null,
        Value::Char(c) => Cmp::Char(*c),
        Value::Chars(s) => Cmp::Str(s.clone()),
        Value::Decimal { mantissa, exponent } if *exponent == -9 || *exponent == -7 => {
            match Price::from_mantissa(*mantissa, *exponent) {
                Some(p) if !p.is_null() => Cmp::Price(p.e9()),
                _ => Cmp::PriceOverflow(*mantissa, *exponent),
            }
        }
        Value::Decimal { mantissa, exponent } => Cmp::Decimal(*mantissa, *exponent),
        Value::Enum { raw, name } => Cmp::Enum(*raw, name.clone()),
        Value::Set { raw, choices } => Cmp::Set(*raw, choices.clone()),
        Value::Composite(members) => Cmp::Composite(
            members
                .iter()
                .map(|(n, v)| (n.clone(), interpreter_value(v)))
                .collect(),
        ),
    }
}

fn interpreter_tree(fields: &[DecodedField], groups: &[DecodedGroup]) -> Tree {
    Tree {
        fields: fields
            .iter()
            .map(|f| (f.name.clone(), interpreter_value(&f.value)))
            .collect(),
        groups: groups
            .iter()
            .map(|g| {
                (
                    g.name.clone(),
                    g.entries
                        .iter()
                        .map(|e| interpreter_tree(&e.fields, &e.groups))
                        .collect(),
                )
            })
            .collect(),
    }
}

/// Builds a [`Tree`] from a view's field walk.
#[derive(Default)]
struct TreeBuilder {
    root: Tree,
    group: Option<(String, Vec<Tree>)>,
    entry: Option<Tree>,
}

impl<'a> FieldVisitor<'a> for TreeBuilder {
    fn field(&mut self, name: &'static str, value: FieldValue<'a>) {
        let target = self.entry.as_mut().unwrap_or(&mut self.root);
        target.fields.push((name.to_owned(), view_value(value)));
    }
    fn group_start(&mut self, name: &'static str, _count: usize) {
        self.group = Some((name.to_owned(), Vec::new()));
    }
    fn entry_start(&mut self, _index: usize) {
        self.entry = Some(Tree::default());
    }
    fn entry_end(&mut self) {
        if let (Some(e), Some((_, entries))) = (self.entry.take(), self.group.as_mut()) {
            entries.push(e);
        }
    }
    fn group_end(&mut self) {
        if let Some(g) = self.group.take() {
            self.root.groups.push(g);
        }
    }
}

/// The field walk of `view` as a [`Tree`].
pub fn view_tree<'a>(view: &impl Visit<'a>) -> Tree {
    let mut b = TreeBuilder::default();
    view.visit(&mut b);
    b.root
}

fn first_difference(a: &Tree, b: &Tree, path: &str) -> String {
    for (i, (fa, fb)) in a.fields.iter().zip(&b.fields).enumerate() {
        if fa != fb {
            return format!("{path} field {i}: views {fa:?}, interpreter {fb:?}");
        }
    }
    if a.fields.len() != b.fields.len() {
        return format!(
            "{path}: views {} fields, interpreter {} ({:?} vs {:?})",
            a.fields.len(),
            b.fields.len(),
            a.fields.last(),
            b.fields.last()
        );
    }
    for ((na, ea), (nb, eb)) in a.groups.iter().zip(&b.groups) {
        if na != nb || ea.len() != eb.len() {
            return format!(
                "{path}: views group {na} x{}, interpreter {nb} x{}",
                ea.len(),
                eb.len()
            );
        }
        for (i, (x, y)) in ea.iter().zip(eb).enumerate() {
            if x != y {
                return first_difference(x, y, &format!("{path}.{na}[{i}]"));
            }
        }
    }
    format!(
        "{path}: views {} groups, interpreter {}",
        a.groups.len(),
        b.groups.len()
    )
}

fn count(t: &Tree) -> (usize, usize) {
    let mut fields = t.fields.len();
    let mut entries = 0;
    for (_, es) in &t.groups {
        for e in es {
            let (f, n) = count(e);
            fields += f;
            entries += 1 + n;
        }
    }
    (fields, entries)
}

/// Decodes `message` both ways and compares.
///
/// # Errors
/// A [`Mismatch`] saying what differs.
pub fn cross_check(schema: &Schema, message: SbeMessage<'_>) -> Result<Agreement, Mismatch> {
    let template = message.template_id().0;
    let mismatch = |detail: String| Mismatch { template, detail };
    // The interpreter reads from the SBE header on (after the 2-byte MsgSize).
    let sbe = message.bytes().get(header::MSG_SIZE + 2..).unwrap_or(&[]);
    let interpreted = schema.decode(sbe);
    let viewed = CmeMessage::try_decode(message);
    match (viewed, interpreted) {
        (Err(_), Err(_)) => Ok(Agreement::BothRejected),
        (Ok(Err(Skip::UnknownSchema { .. })), Ok(DecodeOutcome::UnknownSchema { .. }))
        | (Ok(Err(Skip::UnknownTemplate { .. })), Ok(DecodeOutcome::UnknownTemplate { .. })) => {
            Ok(Agreement::BothSkipped)
        }
        (Ok(Err(Skip::UnknownTemplate { .. })), Ok(DecodeOutcome::Message(_)) | Err(_)) => {
            Ok(Agreement::NoView)
        }
        (Ok(Ok(view)), Ok(DecodeOutcome::Message(m))) => {
            if view.name() != m.name {
                return Err(mismatch(format!("name {} vs {}", view.name(), m.name)));
            }
            let trailing = message.body().len().saturating_sub(m.known_len);
            if view.trailing_len() != trailing {
                return Err(mismatch(format!(
                    "trailing bytes {} vs {trailing}",
                    view.trailing_len()
                )));
            }
            let a = view_tree(&view);
            let b = interpreter_tree(&m.fields, &m.groups);
            if a != b {
                return Err(mismatch(first_difference(&a, &b, "root")));
            }
            let (fields, entries) = count(&a);
            Ok(Agreement::Same { fields, entries })
        }
        (v, i) => Err(mismatch(format!(
            "views {:?}, interpreter {:?}",
            v.map(|r| r.map(|m| m.name())),
            i.map(|o| match o {
                DecodeOutcome::Message(m) => m.name,
                other => format!("{other:?}"),
            })
        ))),
    }
}
