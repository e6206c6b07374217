//! Quantities: a `u32` count of lots (contracts).

use std::fmt;

/// A quantity in lots (contracts), as venues send it and as DBN stores it.
///
/// Futures quantities are whole contracts, so an integer is exact; `u32` covers
/// every venue's size fields (CME `Int32`, ICE `int`, CTP `int`) and keeps the
/// 64-byte [`crate::event::Event`] bodies small. Units other than lots (notional,
/// tokens, GPU-hours) are derived by the normalizer from the product's multiplier,
/// never stored here.
///
/// `u32::MAX` is the null quantity ([`Qty::NULL`], "no value", as CME's
/// `Int32NULL` and the null of [`super::Price`]); zero is a real quantity (an
/// emptied level). Arithmetic saturates below [`Qty::NULL`] so that a sum never
/// turns into the null by accident.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct Qty(u32);
fixgate_ring::ring_payload!(struct Qty { 0: u32 });

impl Qty {
    /// The null quantity (no value).
    pub const NULL: Qty = Qty(u32::MAX);
    /// Zero lots.
    pub const ZERO: Qty = Qty(0);
    /// The largest non-null quantity.
    pub const MAX: Qty = Qty(u32::MAX - 1);

    /// A quantity of `lots` (`u32::MAX` gives [`Qty::NULL`]).
    #[inline]
    pub const fn from_lots(lots: u32) -> Self {
        Qty(lots)
    }

    /// The quantity in lots (`u32::MAX` when null).
    #[inline]
    pub const fn lots(self) -> u32 {
        self.0
    }

    /// Whether this is the null quantity.
    #[inline]
    pub const fn is_null(self) -> bool {
        self.0 == u32::MAX
    }

    /// A venue's signed size as a quantity; `None` when negative or too large.
    #[inline]
    pub const fn from_i64(lots: i64) -> Option<Self> {
        if lots >= 0 && lots <= Self::MAX.0 as i64 {
            Some(Qty(lots as u32))
        } else {
            None
        }
    }

    /// `self + other`, saturating at [`Qty::MAX`]; null if either is null.
    #[inline]
    pub const fn saturating_add(self, other: Qty) -> Qty {
        if self.is_null() || other.is_null() {
            return Qty::NULL;
        }
        let sum = self.0.saturating_add(other.0);
        if sum > Self::MAX.0 {
            Self::MAX
        } else {
            Qty(sum)
        }
    }

    /// `self - other`, saturating at zero; null if either is null.
    #[inline]
    pub const fn saturating_sub(self, other: Qty) -> Qty {
        if self.is_null() || other.is_null() {
            return Qty::NULL;
        }
        Qty(self.0.saturating_sub(other.0))
    }

    /// `self + other`; `None` when either is null or the sum is not below
    /// [`Qty::NULL`].
    #[inline]
    pub const fn checked_add(self, other: Qty) -> Option<Qty> {
        if self.is_null() || other.is_null() {
            return None;
        }
        match self.0.checked_add(other.0) {
            Some(sum) if sum <= Self::MAX.0 => Some(Qty(sum)),
            _ => None,
        }
    }

    /// `self - other`; `None` when either is null or `other` is larger.
    #[inline]
    pub const fn checked_sub(self, other: Qty) -> Option<Qty> {
        if self.is_null() || other.is_null() {
            return None;
        }
        match self.0.checked_sub(other.0) {
            Some(d) => Some(Qty(d)),
            None => None,
        }
    }
}

impl fmt::Display for Qty {
    /// The number of lots, `null` when null.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_null() {
            f.write_str("null")
        } else {
            write!(f, "{}", self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_is_distinct_from_zero() {
        assert!(Qty::NULL.is_null());
        assert!(!Qty::ZERO.is_null());
        assert_eq!(Qty::default(), Qty::ZERO);
        assert_eq!(Qty::NULL.to_string(), "null");
        assert_eq!(Qty::from_lots(25).to_string(), "25");
    }

    #[test]
    fn arithmetic_saturates_below_null() {
        let q = Qty::from_lots;
        assert_eq!(q(3).saturating_add(q(4)), q(7));
        assert_eq!(Qty::MAX.saturating_add(q(1)), Qty::MAX);
        assert_eq!(q(3).saturating_sub(q(4)), Qty::ZERO);
        assert_eq!(Qty::NULL.saturating_add(q(1)), Qty::NULL);
        assert_eq!(q(1).saturating_sub(Qty::NULL), Qty::NULL);
        assert_eq!(q(3).checked_add(q(4)), Some(q(7)));
        assert_eq!(Qty::MAX.checked_add(q(1)), None);
        assert_eq!(q(3).checked_sub(q(4)), None);
        assert_eq!(q(4).checked_sub(q(3)), Some(q(1)));
        assert_eq!(Qty::NULL.checked_sub(q(0)), None);
    }

    #[test]
    fn from_signed_sizes() {
        assert_eq!(Qty::from_i64(10), Some(Qty::from_lots(10)));
        assert_eq!(Qty::from_i64(-1), None);
        assert_eq!(Qty::from_i64(u32::MAX as i64), None);
        assert_eq!(Qty::from_i64(u32::MAX as i64 - 1), Some(Qty::MAX));
    }
}
