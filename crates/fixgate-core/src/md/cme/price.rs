//! MDP 3.0 decimals to [`Price`] (i64 at 1e-9), exactly.
//!
//! | schema type | wire | exponent | null |
//! |---|---|---:|---|
//! | `PRICE9`, `Decimal9` | i64 mantissa | −9 | — |
//! | `PRICENULL9`, `Decimal9NULL` | i64 mantissa | −9 | `i64::MAX` |
//! | `PRICE`, `FLOAT` (legacy) | i64 mantissa | −7 | — |
//! | `PRICENULL` (legacy) | i64 mantissa | −7 | `i64::MAX` |
//!
//! An exponent −9 mantissa is the price's nanounits as it is. An exponent −7
//! mantissa is multiplied by 100, which overflows for |mantissa| above about
//! 9.2e16: that is a [`PriceOverflow`], never a wrapped value. A required field
//! holding `i64::MAX` (which [`Price`] reserves for null) is one too.

use thiserror::Error;

use crate::types::Price;

/// A decimal that [`Price`] cannot hold: the mantissa and exponent on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
#[error("price mantissa {mantissa} at exponent {exponent} does not fit an i64 at 1e-9")]
pub struct PriceOverflow {
    /// The wire mantissa.
    pub mantissa: i64,
    /// The schema's constant exponent.
    pub exponent: i8,
}

/// What a price accessor returns: `Ok(None)` when the field is absent or null.
pub type PriceResult = Result<Option<Price>, PriceOverflow>;

/// A required price at `exponent` (−9 or −7) as a [`Price`].
///
/// # Errors
/// [`PriceOverflow`] when the rescaled value does not fit (or is `i64::MAX`).
#[inline]
pub fn required(mantissa: i64, exponent: i8) -> Result<Price, PriceOverflow> {
    let v = match exponent {
        -9 => Some(mantissa),
        -7 => mantissa.checked_mul(100),
        _ => Price::from_mantissa(mantissa, exponent).map(Price::e9),
    };
    match v {
        Some(e9) if e9 != i64::MAX => Ok(Price::from_e9(e9)),
        _ => Err(PriceOverflow { mantissa, exponent }),
    }
}

/// An optional price (null `i64::MAX`) at `exponent` as a [`Price`].
///
/// # Errors
/// [`PriceOverflow`] when a non-null value does not fit.
#[inline]
pub fn optional(mantissa: i64, exponent: i8) -> PriceResult {
    if mantissa == i64::MAX {
        Ok(None)
    } else {
        required(mantissa, exponent).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponent_minus_9_is_taken_as_it_is() {
        assert_eq!(
            required(12_952_000_000_000, -9),
            Ok(Price::from_e9(12_952_000_000_000))
        );
        assert_eq!(required(i64::MIN, -9), Ok(Price::from_e9(i64::MIN)));
        assert_eq!(
            required(i64::MAX, -9),
            Err(PriceOverflow {
                mantissa: i64::MAX,
                exponent: -9
            })
        );
        assert_eq!(optional(i64::MAX, -9), Ok(None));
    }

    #[test]
    fn exponent_minus_7_is_scaled_by_100_or_refused() {
        // v6 Book32: 4027500000 = 402.75
        assert_eq!(
            required(4_027_500_000, -7),
            Ok(Price::from_e9(402_750_000_000))
        );
        assert_eq!(required(-3, -7), Ok(Price::from_e9(-300)));
        let max_ok = i64::MAX / 100;
        assert_eq!(required(max_ok, -7), Ok(Price::from_e9(max_ok * 100)));
        assert_eq!(
            required(max_ok + 1, -7),
            Err(PriceOverflow {
                mantissa: max_ok + 1,
                exponent: -7
            })
        );
        assert!(required(i64::MIN / 100 - 1, -7).is_err());
        assert_eq!(optional(i64::MAX, -7), Ok(None));
        assert!(optional(i64::MAX - 1, -7).is_err());
    }
}
