//! Field types of QuickFIX dictionaries and the value format each one requires.

use crate::fix::value;

/// The type of a field as a QuickFIX XML dictionary declares it.
///
/// Closed: unknown type names load as [`FieldType::Other`] and are treated as
/// strings (no format check), as QuickFIX does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// STRING and the string-like types (CURRENCY, EXCHANGE, COUNTRY, LANGUAGE,
    /// MONTHYEAR, LOCALMKTDATE, TZTIMEONLY, TZTIMESTAMP, ...).
    String,
    /// CHAR: exactly one character.
    Char,
    /// BOOLEAN: `Y` or `N`.
    Boolean,
    /// INT, LENGTH, NUMINGROUP, SEQNUM, DAYOFMONTH, TAGNUM: an optional `-` and digits.
    Int,
    /// LENGTH (an int that gives a data field's length).
    Length,
    /// NUMINGROUP (an int that counts repeating group entries).
    NumInGroup,
    /// SEQNUM.
    SeqNum,
    /// PRICE, QTY, AMT, FLOAT, PRICEOFFSET, PERCENTAGE: a decimal.
    Decimal,
    /// UTCTIMESTAMP (FIX 4.2's TIME too).
    UtcTimestamp,
    /// UTCTIMEONLY.
    UtcTimeOnly,
    /// UTCDATEONLY, UTCDATE (FIX 4.2's DATE too).
    UtcDateOnly,
    /// DATA and XMLDATA: length-prefixed bytes that may contain SOH.
    Data,
    /// MULTIPLEVALUESTRING, MULTIPLESTRINGVALUE, MULTIPLECHARVALUE: space-separated values.
    MultipleValue,
    /// A type name fixgate does not know; treated as a string.
    Other,
}

impl FieldType {
    /// The type for a dictionary's `type='...'` attribute.
    pub fn from_xml(name: &str) -> FieldType {
        match name {
            "STRING" | "CURRENCY" | "EXCHANGE" | "COUNTRY" | "LANGUAGE" | "MONTHYEAR"
            | "LOCALMKTDATE" | "TZTIMEONLY" | "TZTIMESTAMP" | "LOCALMKTTIME"
            | "RESERVED100PLUS" | "RESERVED1000PLUS" | "RESERVED4000PLUS" | "XID" | "XIDREF" => {
                FieldType::String
            }
            "CHAR" => FieldType::Char,
            "BOOLEAN" => FieldType::Boolean,
            "INT" | "DAYOFMONTH" | "TAGNUM" => FieldType::Int,
            "LENGTH" => FieldType::Length,
            "NUMINGROUP" => FieldType::NumInGroup,
            "SEQNUM" => FieldType::SeqNum,
            "PRICE" | "QTY" | "AMT" | "FLOAT" | "PRICEOFFSET" | "PERCENTAGE" | "QUANTITY" => {
                FieldType::Decimal
            }
            "UTCTIMESTAMP" | "TIME" => FieldType::UtcTimestamp,
            "UTCTIMEONLY" => FieldType::UtcTimeOnly,
            "UTCDATEONLY" | "UTCDATE" | "DATE" => FieldType::UtcDateOnly,
            "DATA" | "XMLDATA" => FieldType::Data,
            "MULTIPLEVALUESTRING" | "MULTIPLESTRINGVALUE" | "MULTIPLECHARVALUE" => {
                FieldType::MultipleValue
            }
            _ => FieldType::Other,
        }
    }

    /// Whether an enumerated value of this type is a space-separated list.
    pub fn is_multiple_value(self) -> bool {
        self == FieldType::MultipleValue
    }

    /// Whether `v` has this type's format, by QuickFIX's convertors (a decimal
    /// takes no `+` and no exponent; CHAR and BOOLEAN are one byte).
    pub fn accepts(self, v: &[u8]) -> bool {
        match self {
            FieldType::Int | FieldType::Length | FieldType::NumInGroup | FieldType::SeqNum => {
                value::parse_int(v).is_ok()
            }
            FieldType::Decimal => value::is_decimal(v),
            FieldType::Char => v.len() == 1,
            FieldType::Boolean => v == b"Y" || v == b"N",
            FieldType::UtcTimestamp => value::parse_utc_timestamp(v).is_ok(),
            FieldType::UtcTimeOnly => value::parse_utc_time_only(v).is_ok(),
            FieldType::UtcDateOnly => value::parse_date(v).is_ok(),
            FieldType::String | FieldType::Data | FieldType::MultipleValue | FieldType::Other => {
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_follow_quickfix() {
        assert!(FieldType::Decimal.accepts(b"002000.00"));
        assert!(!FieldType::Decimal.accepts(b"+200.00"));
        assert!(FieldType::Int.accepts(b"-5"));
        assert!(!FieldType::Int.accepts(b"5.0"));
        assert!(FieldType::Char.accepts(b"1") && !FieldType::Char.accepts(b"12"));
        assert!(FieldType::Boolean.accepts(b"N") && !FieldType::Boolean.accepts(b"X"));
        assert!(FieldType::UtcTimestamp.accepts(b"20020619-16:14:10"));
        assert!(!FieldType::UtcTimestamp.accepts(b"00000000-00:00:00"));
        assert_eq!(FieldType::from_xml("TIME"), FieldType::UtcTimestamp);
        assert_eq!(FieldType::from_xml("NOVEL"), FieldType::Other);
    }
}
