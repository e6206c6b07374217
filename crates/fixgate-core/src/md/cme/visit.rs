//! The field walk: every field of a view by its schema name, for tools.
//!
//! [`FieldVisitor`] receives the fields of the root block in schema order, then
//! each group (present in this message's version) as a run of entries. Fields
//! that are not on the wire (a `sinceVersion` above the message's version, or
//! past the wire `blockLength`) are not reported; nulls are reported as
//! [`FieldValue::Null`]; constants (`presence="constant"`) are reported with
//! their schema value. Nothing here allocates: values borrow the packet.

use super::MaturityMonthYear;
use crate::types::Price;

/// One field's value, decoded but not interpreted further.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldValue<'a> {
    /// A signed integer (`Int8` … `Int32`, and their NULL types when not null).
    Int(i64),
    /// An unsigned integer (`uInt8` … `uInt64`, `LocalMktDate` days).
    UInt(u64),
    /// An optional field holding its null value.
    Null,
    /// A single `char`.
    Char(u8),
    /// A `char[N]` string: the bytes before the first NUL.
    Str(&'a [u8]),
    /// A price or decimal at 1e-9 (`PRICE9`, `PRICE`, `FLOAT`, `Decimal9`, …).
    Price(Price),
    /// A price decimal that does not fit a [`Price`].
    PriceOverflow {
        /// The wire mantissa.
        mantissa: i64,
        /// The schema's exponent.
        exponent: i8,
    },
    /// A decimal kept as mantissa and exponent (`DecimalQty`, exponent −4).
    Decimal {
        /// The wire mantissa.
        mantissa: i64,
        /// The schema's exponent.
        exponent: i8,
    },
    /// An enum stored as an integer, with its schema name when the value is known.
    Enum {
        /// The wire value.
        raw: u8,
        /// The schema's `validValue` name.
        name: Option<&'static str>,
    },
    /// An enum stored as a `char`, with its schema name when the value is known.
    CharEnum {
        /// The wire value.
        raw: u8,
        /// The schema's `validValue` name.
        name: Option<&'static str>,
    },
    /// A bit set with the schema's choices (bit index, name).
    Set {
        /// The wire value.
        raw: u32,
        /// The named bits.
        choices: &'static [(u8, &'static str)],
    },
    /// The `MaturityMonthYear` composite.
    MaturityMonthYear(MaturityMonthYear),
}

/// Receives a view's fields; see the module doc for the order.
pub trait FieldVisitor<'a> {
    /// One field, by its schema name.
    fn field(&mut self, name: &'static str, value: FieldValue<'a>);
    /// A group starts; `count` entries follow.
    fn group_start(&mut self, name: &'static str, count: usize);
    /// Entry `index` of the current group starts.
    fn entry_start(&mut self, index: usize);
    /// The current entry ends.
    fn entry_end(&mut self);
    /// The current group ends.
    fn group_end(&mut self);
}

/// Something whose fields can be walked.
pub trait Visit<'a> {
    /// Reports every field present on the wire to `v`.
    fn visit<V: FieldVisitor<'a>>(&self, v: &mut V);
}
