//! How each schema type is read from the wire: one zero-sized kind per type,
//! used by the views' field tables.
//!
//! | schema type | kind | accessor returns (`None`: absent or null) |
//! |---|---|---|
//! | `uInt8` `uInt32` `uInt64` `Int8` `Int16` `Int32` | [`U8`] [`U32`] [`U64`] [`I8`] [`I16`] [`I32`] | `Option<u8>` … |
//! | `uInt8NULL` `Int8NULL` `Int32NULL` `uInt32NULL` `uInt64NULL` | [`U8Null`] [`I8Null`] [`I32Null`] [`U32Null`] [`U64Null`] | `Option<…>`, null → `None` |
//! | `LocalMktDate` | [`LocalMktDate`] | `Option<u16>` days since 1970-01-01 |
//! | `CHAR`, `char[1]` | [`Char`] | `Option<u8>` |
//! | `char[N]` | [`Chars<N>`] | `Option<&[u8]>`, up to the first NUL |
//! | `PRICE9` `Decimal9` / `PRICENULL9` `Decimal9NULL` | [`Price9`] / [`PriceNull9`] | [`PriceResult`] |
//! | `PRICE` `FLOAT` / `PRICENULL` | [`Price7`] / [`PriceNull7`] | [`PriceResult`] (×100, overflow typed) |
//! | `DecimalQty` | [`DecimalQty`] | `Option<i32>` mantissa at 1e-4 |
//! | `MaturityMonthYear` | [`Maturity`] | `Option<MaturityMonthYear>` |
//! | enums / sets | [`Enum<S>`] / [`SetU8<S>`] [`SetU32<S>`] | `Option<newtype>` |
//! | constants | [`ConstChar<C>`] [`ConstEntryType<C>`] [`ConstUpdateAction<V>`] [`ConstI8<V>`] | `Option<…>` (present when the version has them) |
//!
//! A kind reads from the field's offset to the end of its block: a field that
//! does not fit before the end is absent. Reads never panic.

use std::marker::PhantomData;

use super::enums::{EnumSchema, MdEntryType, MdUpdateAction, SetSchema};
use super::price::{self, PriceResult};
use super::visit::FieldValue;

/// A schema type's wire reading.
pub trait Encoding {
    /// What the accessor returns.
    type Value<'a>;
    /// Decodes from the field's bytes to the end of the block (`None`: not on
    /// the wire in this message's version).
    fn decode(tail: Option<&[u8]>) -> Self::Value<'_>;
    /// The field walk's value; `None` when the field does not fit.
    fn field_value(tail: &[u8]) -> Option<FieldValue<'_>>;
}

#[inline]
fn chunk<const N: usize>(tail: Option<&[u8]>) -> Option<[u8; N]> {
    tail.and_then(|t| t.first_chunk::<N>()).copied()
}

macro_rules! int_kind {
    ($(#[$doc:meta])* $kind:ident, $t:ty, $n:literal, $variant:ident, $wide:ty) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug)]
        pub struct $kind;
        impl Encoding for $kind {
            type Value<'a> = Option<$t>;
            #[inline]
            fn decode(tail: Option<&[u8]>) -> Option<$t> {
                chunk::<$n>(tail).map(<$t>::from_le_bytes)
            }
            fn field_value(tail: &[u8]) -> Option<FieldValue<'_>> {
                Self::decode(Some(tail)).map(|v| FieldValue::$variant(<$wide>::from(v)))
            }
        }
    };
    ($(#[$doc:meta])* $kind:ident, $t:ty, $n:literal, $variant:ident, $wide:ty, null $null:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug)]
        pub struct $kind;
        impl Encoding for $kind {
            type Value<'a> = Option<$t>;
            #[inline]
            fn decode(tail: Option<&[u8]>) -> Option<$t> {
                chunk::<$n>(tail).map(<$t>::from_le_bytes).filter(|&v| v != $null)
            }
            fn field_value(tail: &[u8]) -> Option<FieldValue<'_>> {
                chunk::<$n>(Some(tail)).map(<$t>::from_le_bytes).map(|v| {
                    if v == $null {
                        FieldValue::Null
                    } else {
                        FieldValue::$variant(<$wide>::from(v))
                    }
                })
            }
        }
    };
}

int_kind!(/** `uInt8`. */ U8, u8, 1, UInt, u64);
int_kind!(/** `uInt16`. */ U16, u16, 2, UInt, u64);
int_kind!(/** `uInt32`. */ U32, u32, 4, UInt, u64);
int_kind!(/** `uInt64`. */ U64, u64, 8, UInt, u64);
int_kind!(/** `Int8`. */ I8, i8, 1, Int, i64);
int_kind!(/** `Int16`. */ I16, i16, 2, Int, i64);
int_kind!(/** `Int32`. */ I32, i32, 4, Int, i64);
int_kind!(/** `uInt8NULL` (null 255). */ U8Null, u8, 1, UInt, u64, null u8::MAX);
int_kind!(/** `Int8NULL` (null 127). */ I8Null, i8, 1, Int, i64, null i8::MAX);
int_kind!(/** `Int32NULL` (null 2147483647). */ I32Null, i32, 4, Int, i64, null i32::MAX);
int_kind!(/** `uInt32NULL` (null 4294967295). */ U32Null, u32, 4, UInt, u64, null u32::MAX);
int_kind!(/** `uInt64NULL` (null `u64::MAX`). */ U64Null, u64, 8, UInt, u64, null u64::MAX);
int_kind!(/** `LocalMktDate`: days since 1970-01-01 (null 65535). */ LocalMktDate, u16, 2, UInt, u64, null u16::MAX);

/// A single `char` (`CHAR`, or a `char` type of length 1).
#[derive(Clone, Copy, Debug)]
pub struct Char;
impl Encoding for Char {
    type Value<'a> = Option<u8>;
    #[inline]
    fn decode(tail: Option<&[u8]>) -> Option<u8> {
        tail.and_then(|t| t.first()).copied()
    }
    fn field_value(tail: &[u8]) -> Option<FieldValue<'_>> {
        tail.first().map(|&c| FieldValue::Char(c))
    }
}

/// `char[N]`: the bytes before the first NUL.
#[derive(Clone, Copy, Debug)]
pub struct Chars<const N: usize>;
impl<const N: usize> Encoding for Chars<N> {
    type Value<'a> = Option<&'a [u8]>;
    #[inline]
    fn decode(tail: Option<&[u8]>) -> Option<&[u8]> {
        let s = tail?.get(..N)?;
        Some(match s.iter().position(|&b| b == 0) {
            Some(end) => s.get(..end).unwrap_or(s),
            None => s,
        })
    }
    fn field_value(tail: &[u8]) -> Option<FieldValue<'_>> {
        Self::decode(Some(tail)).map(FieldValue::Str)
    }
}

fn price_value(r: PriceResult, mantissa: i64, exponent: i8) -> FieldValue<'static> {
    match r {
        Ok(Some(p)) => FieldValue::Price(p),
        Ok(None) => FieldValue::Null,
        Err(_) => FieldValue::PriceOverflow { mantissa, exponent },
    }
}

macro_rules! price_kind {
    ($(#[$doc:meta])* $kind:ident, $exp:literal, $conv:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug)]
        pub struct $kind;
        impl Encoding for $kind {
            type Value<'a> = PriceResult;
            #[inline]
            fn decode(tail: Option<&[u8]>) -> PriceResult {
                match chunk::<8>(tail) {
                    Some(b) => price::$conv(i64::from_le_bytes(b), $exp).map(Into::into),
                    None => Ok(None),
                }
            }
            fn field_value(tail: &[u8]) -> Option<FieldValue<'_>> {
                let m = i64::from_le_bytes(chunk::<8>(Some(tail))?);
                Some(price_value(Self::decode(Some(tail)), m, $exp))
            }
        }
    };
}

price_kind!(/** `PRICE9`, `Decimal9`: required, exponent −9. */ Price9, -9, required);
price_kind!(/** `PRICENULL9`, `Decimal9NULL`: optional, exponent −9. */ PriceNull9, -9, optional);
price_kind!(/** `PRICE`, `FLOAT`: required, exponent −7 (×100). */ Price7, -7, required);
price_kind!(/** `PRICENULL`: optional, exponent −7 (×100). */ PriceNull7, -7, optional);

/// `DecimalQty`: an i32 mantissa at exponent −4 (null `i32::MAX`).
#[derive(Clone, Copy, Debug)]
pub struct DecimalQty;
impl Encoding for DecimalQty {
    type Value<'a> = Option<i32>;
    #[inline]
    fn decode(tail: Option<&[u8]>) -> Option<i32> {
        I32Null::decode(tail)
    }
    fn field_value(tail: &[u8]) -> Option<FieldValue<'_>> {
        let m = chunk::<4>(Some(tail)).map(i32::from_le_bytes)?;
        Some(if m == i32::MAX {
            FieldValue::Null
        } else {
            FieldValue::Decimal {
                mantissa: i64::from(m),
                exponent: -4,
            }
        })
    }
}

/// The `MaturityMonthYear` composite (5 bytes); each part `None` when null.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MaturityMonthYear {
    /// Year (`YYYY`), null 65535.
    pub year: Option<u16>,
    /// Month, null 255.
    pub month: Option<u8>,
    /// Day, null 255.
    pub day: Option<u8>,
    /// Week, null 255.
    pub week: Option<u8>,
}

/// Reads a [`MaturityMonthYear`].
#[derive(Clone, Copy, Debug)]
pub struct Maturity;
impl Encoding for Maturity {
    type Value<'a> = Option<MaturityMonthYear>;
    #[inline]
    fn decode(tail: Option<&[u8]>) -> Option<MaturityMonthYear> {
        let [y0, y1, month, day, week] = chunk::<5>(tail)?;
        let year = u16::from_le_bytes([y0, y1]);
        let some = |v: u8| (v != u8::MAX).then_some(v);
        Some(MaturityMonthYear {
            year: (year != u16::MAX).then_some(year),
            month: some(month),
            day: some(day),
            week: some(week),
        })
    }
    fn field_value(tail: &[u8]) -> Option<FieldValue<'_>> {
        Self::decode(Some(tail)).map(FieldValue::MaturityMonthYear)
    }
}

/// An enum (one byte: `uInt8`, `uInt8NULL` or `char`) named by `S`.
#[derive(Clone, Copy, Debug)]
pub struct Enum<S>(PhantomData<S>);
impl<S: EnumSchema> Encoding for Enum<S> {
    type Value<'a> = Option<S::Value>;
    #[inline]
    fn decode(tail: Option<&[u8]>) -> Option<S::Value> {
        let raw = *tail?.first()?;
        if S::NULL == Some(raw) {
            None
        } else {
            Some(S::from_raw(raw))
        }
    }
    fn field_value(tail: &[u8]) -> Option<FieldValue<'_>> {
        let raw = *tail.first()?;
        Some(if S::NULL == Some(raw) {
            FieldValue::Null
        } else if S::CHAR {
            FieldValue::CharEnum {
                raw,
                name: S::name(raw),
            }
        } else {
            FieldValue::Enum {
                raw,
                name: S::name(raw),
            }
        })
    }
}

/// A one-byte bit set named by `S`.
#[derive(Clone, Copy, Debug)]
pub struct SetU8<S>(PhantomData<S>);
impl<S: SetSchema> Encoding for SetU8<S> {
    type Value<'a> = Option<S::Value>;
    #[inline]
    fn decode(tail: Option<&[u8]>) -> Option<S::Value> {
        tail?.first().map(|&b| S::from_raw(u32::from(b)))
    }
    fn field_value(tail: &[u8]) -> Option<FieldValue<'_>> {
        tail.first().map(|&b| FieldValue::Set {
            raw: u32::from(b),
            choices: S::CHOICES,
        })
    }
}

/// A four-byte bit set named by `S`.
#[derive(Clone, Copy, Debug)]
pub struct SetU32<S>(PhantomData<S>);
impl<S: SetSchema> Encoding for SetU32<S> {
    type Value<'a> = Option<S::Value>;
    #[inline]
    fn decode(tail: Option<&[u8]>) -> Option<S::Value> {
        chunk::<4>(tail).map(|b| S::from_raw(u32::from_le_bytes(b)))
    }
    fn field_value(tail: &[u8]) -> Option<FieldValue<'_>> {
        chunk::<4>(Some(tail)).map(|b| FieldValue::Set {
            raw: u32::from_le_bytes(b),
            choices: S::CHOICES,
        })
    }
}

/// A constant `char` (`SecurityIDSource` `'8'`); 0 bytes on the wire.
#[derive(Clone, Copy, Debug)]
pub struct ConstChar<const C: u8>;
impl<const C: u8> Encoding for ConstChar<C> {
    type Value<'a> = Option<u8>;
    #[inline]
    fn decode(tail: Option<&[u8]>) -> Option<u8> {
        tail.map(|_| C)
    }
    fn field_value(_: &[u8]) -> Option<FieldValue<'_>> {
        Some(FieldValue::Char(C))
    }
}

/// A constant `MDEntryType` (`'2'` trade, `'e'` volume, `'J'` reset, `'g'` limits).
#[derive(Clone, Copy, Debug)]
pub struct ConstEntryType<const C: u8>;
impl<const C: u8> Encoding for ConstEntryType<C> {
    type Value<'a> = Option<MdEntryType>;
    #[inline]
    fn decode(tail: Option<&[u8]>) -> Option<MdEntryType> {
        tail.map(|_| MdEntryType(C))
    }
    fn field_value(_: &[u8]) -> Option<FieldValue<'_>> {
        Some(FieldValue::Char(C))
    }
}

/// A constant `MDUpdateAction` (an `int8` constant in the schema).
#[derive(Clone, Copy, Debug)]
pub struct ConstUpdateAction<const V: u8>;
impl<const V: u8> Encoding for ConstUpdateAction<V> {
    type Value<'a> = Option<MdUpdateAction>;
    #[inline]
    fn decode(tail: Option<&[u8]>) -> Option<MdUpdateAction> {
        tail.map(|_| MdUpdateAction(V))
    }
    fn field_value(_: &[u8]) -> Option<FieldValue<'_>> {
        Some(FieldValue::Int(i64::from(V)))
    }
}

/// A constant `int8` (`InstAttribType` 24).
#[derive(Clone, Copy, Debug)]
pub struct ConstI8<const V: i8>;
impl<const V: i8> Encoding for ConstI8<V> {
    type Value<'a> = Option<i8>;
    #[inline]
    fn decode(tail: Option<&[u8]>) -> Option<i8> {
        tail.map(|_| V)
    }
    fn field_value(_: &[u8]) -> Option<FieldValue<'_>> {
        Some(FieldValue::Int(i64::from(V)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::md::cme::enums::AggressorSide;
    use crate::types::Price;

    #[test]
    fn fields_past_the_block_are_absent() {
        assert_eq!(U32::decode(Some(&[1, 0, 0])), None);
        assert_eq!(U32::decode(Some(&[1, 0, 0, 0, 9])), Some(1));
        assert_eq!(U32::decode(None), None);
        assert_eq!(I32Null::decode(Some(&i32::MAX.to_le_bytes())), None);
        assert_eq!(
            I32Null::field_value(&i32::MAX.to_le_bytes()),
            Some(FieldValue::Null)
        );
        assert_eq!(Chars::<4>::decode(Some(b"ES\0\0x")), Some(&b"ES"[..]));
        assert_eq!(Chars::<4>::decode(Some(b"ESM")), None);
        assert_eq!(Chars::<2>::decode(Some(b"ES")), Some(&b"ES"[..]));
    }

    #[test]
    fn prices_nulls_and_enums() {
        let px = 12_952_000_000_000i64.to_le_bytes();
        assert_eq!(
            Price9::decode(Some(&px)),
            Ok(Some(Price::from_e9(12_952_000_000_000)))
        );
        assert_eq!(PriceNull9::decode(Some(&i64::MAX.to_le_bytes())), Ok(None));
        assert_eq!(
            Price7::field_value(&i64::MIN.to_le_bytes()),
            Some(FieldValue::PriceOverflow {
                mantissa: i64::MIN,
                exponent: -7
            })
        );
        assert_eq!(Price7::decode(None), Ok(None));
        assert_eq!(
            Enum::<AggressorSide>::decode(Some(&[2])),
            Some(AggressorSide::SELL)
        );
        assert_eq!(Enum::<AggressorSide>::decode(Some(&[255])), None);
        assert_eq!(
            Enum::<AggressorSide>::field_value(&[255]),
            Some(FieldValue::Null)
        );
        assert_eq!(ConstChar::<b'8'>::decode(Some(&[])), Some(b'8'));
        assert_eq!(ConstChar::<b'8'>::decode(None), None);
        assert_eq!(
            Maturity::decode(Some(&[0xe0, 0x07, 6, 255, 255])),
            Some(MaturityMonthYear {
                year: Some(2016),
                month: Some(6),
                day: None,
                week: None
            })
        );
    }
}
