//! Typed random values for the round-trip properties, and their wire text
//! rendered without the library.
//!
//! Each value is kept typed ([`Val`]) so that the typed accessors can be
//! checked against it: integers over the whole `i64` range, exact `Price`s,
//! `UtcNanos` at every precision, chars, booleans, text with `=`, `|` and
//! multi-byte characters, dates, times of day, and data with SOH.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use fixgate_core::fix::dictionary::{FieldDef, FieldType};
use fixgate_core::fix::encode::TimePrecision;
use fixgate_core::fix::Tag;
use fixgate_core::time::UtcNanos;
use fixgate_core::types::Price;

use super::choices::Choices;
use super::generate::allowed_values;
use super::serialize::render_price;

/// A generated value, kept typed so that accessors can be checked against it.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    /// An `int` field, written with `Encoder::int`.
    Int(i64),
    /// A SeqNum, NumInGroup or standalone Length, written with `Encoder::uint`.
    Uint(u64),
    /// A decimal, written with `Encoder::price`.
    Price(Price),
    /// A UTCTimestamp written at `precision`; `read` is what parsing gives back.
    Timestamp {
        sent: UtcNanos,
        read: UtcNanos,
        precision: TimePrecision,
    },
    /// A UTCTimeOnly as text, and its nanoseconds since midnight.
    TimeOnly(String, u64),
    /// A UTCDateOnly as text, and its (year, month, day).
    Date(String, (u16, u8, u8)),
    /// A char, written with `Encoder::char`.
    Char(u8),
    /// A Boolean, written with `Encoder::bool`.
    Bool(bool),
    /// Text, written with `Encoder::str`.
    Str(String),
    /// An enumerated value of a field of this type, written as raw bytes.
    Enum(Vec<u8>, FieldType),
    /// The length field of a data pair (written by `Encoder::data`).
    DataLen(u64),
    /// A data field, whose bytes may contain SOH.
    Data(Vec<u8>),
}

/// One generated field: its tag, the bytes expected on the wire, its value.
#[derive(Clone, Debug)]
pub struct Wire {
    /// The tag.
    pub tag: Tag,
    /// The value as it must stand on the wire.
    pub bytes: Vec<u8>,
    /// The value.
    pub val: Val,
}

impl Wire {
    /// Field `tag` with value `val`, rendered here.
    pub fn new(tag: u32, val: Val) -> Wire {
        Wire {
            tag: Tag(tag),
            bytes: render(&val),
            val,
        }
    }
}

/// The wire text of a value, rendered without the library.
pub fn render(val: &Val) -> Vec<u8> {
    match val {
        Val::Int(v) => v.to_string().into_bytes(),
        Val::Uint(v) | Val::DataLen(v) => v.to_string().into_bytes(),
        Val::Price(p) => render_price(p.e9()).into_bytes(),
        Val::Timestamp {
            sent, precision, ..
        } => render_timestamp(sent.as_nanos(), digits(*precision)).into_bytes(),
        Val::TimeOnly(s, _) | Val::Date(s, _) | Val::Str(s) => s.clone().into_bytes(),
        Val::Char(c) => vec![*c],
        Val::Bool(b) => if *b { b"Y" } else { b"N" }.to_vec(),
        Val::Enum(v, _) | Val::Data(v) => v.clone(),
    }
}

/// Fraction digits written at precision `p`.
pub fn digits(p: TimePrecision) -> u32 {
    match p {
        TimePrecision::Seconds => 0,
        TimePrecision::Millis => 3,
        TimePrecision::Micros => 6,
        TimePrecision::Nanos => 9,
    }
}

/// (year, month, day) of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

/// `YYYYMMDD-HH:MM:SS[.f]` with `digits` fraction digits (truncated).
fn render_timestamp(nanos: u64, digits: u32) -> String {
    let secs = nanos / 1_000_000_000;
    let (y, mo, d) = civil_from_days(secs / 86_400);
    let sod = secs % 86_400;
    let mut s = format!(
        "{y:04}{mo:02}{d:02}-{:02}:{:02}:{:02}",
        sod / 3600,
        sod / 60 % 60,
        sod % 60
    );
    if digits > 0 {
        let frac = nanos % 1_000_000_000 / 10u64.pow(9 - digits);
        s.push_str(&format!(".{frac:0width$}", width = digits as usize));
    }
    s
}

fn is_leap(y: u16) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn month_days(y: u16, m: u8) -> u8 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

const TEXT: &[char] = &[
    'a', 'b', 'Z', '0', '7', ' ', '=', '|', '-', '.', '8', 'F', 'I', 'X', 'é', '€',
];
const DATA: &[u8] = &[
    b'a', 0x01, b'=', b'1', b'0', 0x00, 0xff, b'8', b'|', b'9', b'F', b'I', b'X', b'.',
];
const ID: &[u8] = b"AZaz09_-.";

/// An instant near 2026 (small choices) or anywhere a `UtcNanos` can hold.
pub fn instant(c: &mut Choices<'_>) -> UtcNanos {
    match c.below(3) {
        0 => UtcNanos::from_nanos(1_773_671_400_000_000_000 + u64::from(c.next()) * 1_000_003),
        1 => UtcNanos::from_nanos(c.u64() % 4_102_444_800_000_000_000),
        _ => UtcNanos::from_nanos(c.u64()),
    }
}

/// A timestamp at a random precision.
pub fn timestamp(c: &mut Choices<'_>) -> Val {
    let sent = instant(c);
    timestamp_at(sent, precision(c))
}

/// A timestamp precision (milliseconds for a 0 choice).
pub fn precision(c: &mut Choices<'_>) -> TimePrecision {
    *c.pick(&[
        TimePrecision::Millis,
        TimePrecision::Seconds,
        TimePrecision::Micros,
        TimePrecision::Nanos,
    ])
}

/// `sent` written at `precision`, and what parsing that gives back.
pub fn timestamp_at(sent: UtcNanos, precision: TimePrecision) -> Val {
    let unit = 10u64.pow(9 - digits(precision));
    let read = UtcNanos::from_nanos(sent.as_nanos() - sent.as_nanos() % unit);
    Val::Timestamp {
        sent,
        read,
        precision,
    }
}

fn int(c: &mut Choices<'_>) -> i64 {
    match c.below(3) {
        0 => i64::from(c.next() % 200) - 100,
        1 => i64::from(c.next() as i32),
        _ => c.u64() as i64,
    }
}

fn price(c: &mut Choices<'_>) -> Price {
    let e9 = match c.below(4) {
        // Whole ticks: 0.01 steps.
        0 => (i64::from(c.next() as i32) / 4) * 10_000_000,
        1 => i64::from(c.next() as i32),
        2 => (c.u64() as i64) / 1_000 * 1_000,
        _ => c.u64() as i64,
    };
    // i64::MAX is the null price, which has no FIX form.
    Price::from_e9(if e9 == i64::MAX { e9 - 1 } else { e9 })
}

fn text(c: &mut Choices<'_>) -> String {
    let n = 1 + c.below(12);
    (0..n).map(|_| *c.pick(TEXT)).collect()
}

/// A CompID.
pub fn id(c: &mut Choices<'_>) -> String {
    let n = 1 + c.below(8);
    (0..n).map(|_| *c.pick(ID) as char).collect()
}

/// Data bytes, SOH among them.
pub fn data(c: &mut Choices<'_>) -> Vec<u8> {
    let n = 1 + c.below(24);
    (0..n).map(|_| *c.pick(DATA)).collect()
}

fn time_only(c: &mut Choices<'_>) -> Val {
    let (h, m, s) = (c.below(24), c.below(60), c.below(61));
    let frac_digits = c.below(10);
    let frac = if frac_digits == 0 {
        0
    } else {
        u64::from(c.next()) % 10u64.pow(frac_digits)
    };
    let mut text = format!("{h:02}:{m:02}:{s:02}");
    if frac_digits > 0 {
        text.push_str(&format!(".{frac:0width$}", width = frac_digits as usize));
    }
    let nanos = (u64::from(h) * 3600 + u64::from(m) * 60 + u64::from(s)) * 1_000_000_000
        + frac * 10u64.pow(9 - frac_digits);
    Val::TimeOnly(text, nanos)
}

fn date(c: &mut Choices<'_>) -> Val {
    let y = match c.below(2) {
        0 => 2026 + c.below(10) as u16,
        _ => c.below(10_000) as u16,
    };
    let m = 1 + c.below(12) as u8;
    let d = 1 + c.below(u32::from(month_days(y, m))) as u8;
    Val::Date(format!("{y:04}{m:02}{d:02}"), (y, m, d))
}

/// A value of `def`'s type (one of its enumerated values, if it has any).
pub fn value_for(c: &mut Choices<'_>, def: &FieldDef) -> Val {
    let allowed = allowed_values(def);
    if !allowed.is_empty() {
        if def.ty.is_multiple_value() {
            let n = 1 + c.below(3);
            let mut items: Vec<&[u8]> = (0..n).map(|_| *c.pick(&allowed)).collect();
            items.dedup();
            return Val::Enum(items.join(&b' '), def.ty);
        }
        let v = *c.pick(&allowed);
        return match def.ty {
            FieldType::Char => Val::Char(v[0]),
            FieldType::Boolean => Val::Bool(v == b"Y"),
            _ => Val::Enum(v.to_vec(), def.ty),
        };
    }
    match def.ty {
        FieldType::Int => Val::Int(int(c)),
        FieldType::Length | FieldType::SeqNum | FieldType::NumInGroup => {
            Val::Uint(c.u64() >> (1 + c.below(63)))
        }
        FieldType::Decimal => Val::Price(price(c)),
        FieldType::UtcTimestamp => timestamp(c),
        FieldType::UtcTimeOnly => time_only(c),
        FieldType::UtcDateOnly => date(c),
        FieldType::Char => Val::Char(0x20 + c.below(95) as u8),
        FieldType::Boolean => Val::Bool(c.below(2) == 1),
        FieldType::Data => Val::Data(data(c)),
        FieldType::String | FieldType::MultipleValue | FieldType::Other => Val::Str(text(c)),
    }
}
