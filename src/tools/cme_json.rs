//! JSON for the CME field walk: a [`FieldVisitor`] that builds one object per
//! message, groups as arrays of objects.
//!
//! | field value | JSON |
//! |---|---|
//! | integers | numbers |
//! | null | `null` |
//! | `char`, `char[N]` | strings, one character per byte (Latin-1, lossless) |
//! | prices (at 1e-9) and decimals | exact decimal strings (`"12952"`, `"402.75"`) |
//! | a price too large for 1e-9 | `{"mantissa": m, "exponent": e}` |
//! | enums | the schema name (`"Sell"`), or the raw value when the schema has none |
//! | sets | arrays of choice names (`["LastQuoteMsg","EndOfEvent"]`), `"bitN"` for unnamed bits |
//! | `MaturityMonthYear` | `{"year":2016,"month":6,"day":null,"week":null}` |

use fixgate_core::md::cme::{FieldValue, FieldVisitor};
use serde_json::{json, Map, Value};

pub(crate) fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}

/// `mantissa × 10^exponent` as an exact decimal string, trailing zeros trimmed.
pub(crate) fn decimal(mantissa: i64, exponent: i8) -> String {
    let neg = mantissa < 0;
    let mut digits = mantissa.unsigned_abs().to_string();
    let sign = if neg { "-" } else { "" };
    if exponent >= 0 {
        if mantissa != 0 {
            digits.push_str(&"0".repeat(exponent as usize));
        }
        return format!("{sign}{digits}");
    }
    let scale = usize::from(exponent.unsigned_abs());
    if digits.len() <= scale {
        digits = format!("{}{digits}", "0".repeat(scale - digits.len() + 1));
    }
    let (int, frac) = digits.split_at(digits.len() - scale);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

fn value(v: FieldValue<'_>) -> Value {
    match v {
        FieldValue::Int(i) => json!(i),
        FieldValue::UInt(u) => json!(u),
        FieldValue::Null => Value::Null,
        FieldValue::Char(c) => json!(latin1(&[c])),
        FieldValue::Str(s) => json!(latin1(s)),
        FieldValue::Price(p) => json!(p.to_string()),
        FieldValue::PriceOverflow { mantissa, exponent } => {
            json!({"mantissa": mantissa, "exponent": exponent})
        }
        FieldValue::Decimal { mantissa, exponent } => json!(decimal(mantissa, exponent)),
        FieldValue::Enum { raw, name } => name.map_or(json!(raw), |n| json!(n)),
        FieldValue::CharEnum { raw, name } => name.map_or(json!(latin1(&[raw])), |n| json!(n)),
        FieldValue::Set { raw, choices } => {
            let names: Vec<Value> = (0..32u8)
                .filter(|bit| raw & (1u32 << bit) != 0)
                .map(|bit| match choices.iter().find(|(b, _)| *b == bit) {
                    Some((_, n)) => json!(n),
                    None => json!(format!("bit{bit}")),
                })
                .collect();
            Value::Array(names)
        }
        FieldValue::MaturityMonthYear(m) => {
            json!({"year": m.year, "month": m.month, "day": m.day, "week": m.week})
        }
    }
}

/// Collects a message's fields into a JSON object.
#[derive(Default)]
pub(crate) struct JsonFields {
    root: Map<String, Value>,
    group: Option<(&'static str, Vec<Value>)>,
    entry: Option<Map<String, Value>>,
}

impl JsonFields {
    /// The object built.
    pub(crate) fn into_value(self) -> Value {
        Value::Object(self.root)
    }
}

impl<'a> FieldVisitor<'a> for JsonFields {
    fn field(&mut self, name: &'static str, v: FieldValue<'a>) {
        let target = self.entry.as_mut().unwrap_or(&mut self.root);
        target.insert(name.to_owned(), value(v));
    }
    fn group_start(&mut self, name: &'static str, count: usize) {
        self.group = Some((name, Vec::with_capacity(count)));
    }
    fn entry_start(&mut self, _index: usize) {
        self.entry = Some(Map::new());
    }
    fn entry_end(&mut self) {
        if let (Some(e), Some((_, entries))) = (self.entry.take(), self.group.as_mut()) {
            entries.push(Value::Object(e));
        }
    }
    fn group_end(&mut self) {
        if let Some((name, entries)) = self.group.take() {
            self.root.insert(name.to_owned(), Value::Array(entries));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact() {
        assert_eq!(decimal(10_000, -4), "1");
        assert_eq!(decimal(-15, -4), "-0.0015");
        assert_eq!(decimal(4_027_500_000, -7), "402.75");
        assert_eq!(decimal(0, -9), "0");
        assert_eq!(decimal(12, 2), "1200");
        assert_eq!(decimal(i64::MIN, -7), "-922337203685.4775808");
    }

    #[test]
    fn sets_name_their_bits() {
        let v = value(FieldValue::Set {
            raw: 0x84 | 0x100,
            choices: &[(2, "LastQuoteMsg"), (7, "EndOfEvent")],
        });
        assert_eq!(v, json!(["LastQuoteMsg", "EndOfEvent", "bit8"]));
    }
}
