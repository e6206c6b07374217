//! Fixed-point prices: an `i64` count of 1e-9 units.

use std::fmt;

/// A price as an integer number of nanounits (1e-9), as in DBN.
///
/// Floating point never touches a price: FIX decimals and venue mantissas are
/// rescaled exactly, and a value that does not fit is an error where it is parsed.
/// `i64::MAX` is the null price ([`Price::NULL`]), the convention of CME's
/// PRICENULL9 and DBN's `UNDEF_PRICE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct Price(i64);
fixgate_ring::ring_payload!(struct Price { 0: i64 });

impl Price {
    /// The null price (no value).
    pub const NULL: Price = Price(i64::MAX);
    /// Zero.
    pub const ZERO: Price = Price(0);
    /// The number of nanounits in one unit.
    pub const SCALE: i64 = 1_000_000_000;

    /// A price of `e9` nanounits.
    #[inline]
    pub const fn from_e9(e9: i64) -> Self {
        Price(e9)
    }

    /// The price in nanounits (`i64::MAX` when null).
    #[inline]
    pub const fn e9(self) -> i64 {
        self.0
    }

    /// Whether this is the null price.
    #[inline]
    pub const fn is_null(self) -> bool {
        self.0 == i64::MAX
    }

    /// `mantissa * 10^exponent` as a price; `None` when it overflows or loses digits
    /// below 1e-9.
    pub const fn from_mantissa(mantissa: i64, exponent: i8) -> Option<Self> {
        let shift = exponent as i32 + 9;
        if shift >= 0 {
            if shift > 18 {
                return if mantissa == 0 { Some(Price(0)) } else { None };
            }
            match mantissa.checked_mul(10i64.pow(shift as u32)) {
                Some(v) if v != i64::MAX => Some(Price(v)),
                _ => None,
            }
        } else {
            let div = -shift;
            if div > 18 {
                return if mantissa == 0 { Some(Price(0)) } else { None };
            }
            let d = 10i64.pow(div as u32);
            if mantissa % d != 0 {
                None
            } else {
                Some(Price(mantissa / d))
            }
        }
    }
}

impl fmt::Display for Price {
    /// Decimal with trailing zeros trimmed (`228.5`, `-0.000000001`), `null` when null.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_null() {
            return f.write_str("null");
        }
        let v = self.0 as i128;
        let (sign, abs) = if v < 0 { ("-", -v) } else { ("", v) };
        let int = abs / Self::SCALE as i128;
        let mut frac = abs % Self::SCALE as i128;
        if frac == 0 {
            return write!(f, "{sign}{int}");
        }
        let mut digits = 9;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        write!(f, "{sign}{int}.{frac:0digits$}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_trims_trailing_zeros() {
        assert_eq!(Price::from_e9(228_500_000_000).to_string(), "228.5");
        assert_eq!(Price::from_e9(-1).to_string(), "-0.000000001");
        assert_eq!(Price::from_e9(2_000_000_000).to_string(), "2");
        assert_eq!(Price::NULL.to_string(), "null");
        assert_eq!(
            Price::from_e9(i64::MIN).to_string(),
            "-9223372036.854775808"
        );
    }

    #[test]
    fn mantissa_rescaling_is_exact_or_refused() {
        assert_eq!(
            Price::from_mantissa(22_850_000, -7),
            Some(Price::from_e9(2_285_000_000))
        );
        assert_eq!(
            Price::from_mantissa(5, 0),
            Some(Price::from_e9(5_000_000_000))
        );
        assert_eq!(Price::from_mantissa(1, -10), None);
        assert_eq!(Price::from_mantissa(10, -10), Some(Price::from_e9(1)));
        assert_eq!(Price::from_mantissa(i64::MAX, 0), None);
    }
}
