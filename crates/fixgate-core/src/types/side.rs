//! The side of a book, an order or a trade's aggressor.

/// Bid (buy) or ask (sell), or none where a side does not apply or is unknown.
///
/// A closed enum: it is fixgate's own concept, not a wire value. Decoders map the
/// venue's encoding onto it (`from_fix`, `from_dbn`) and reject or skip what does
/// not map. The discriminants are DBN's side characters (`'B'`, `'A'`, `'N'`), so
/// the byte stored in an [`crate::event::Event`] body is the DBN byte.
///
/// For trades, the side is the aggressor's: `Bid` means a buyer lifted the offer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Side {
    /// The bid side; for orders and aggressors, a buy.
    Bid = b'B',
    /// The ask (offer) side; for orders and aggressors, a sell.
    Ask = b'A',
    /// No side: not applicable or unknown (e.g. a trade without an aggressor).
    #[default]
    None = b'N',
}
fixgate_ring::ring_payload!(enum Side as u8);

impl Side {
    /// The side of a FIX `Side` (tag 54) value: `'1'` buy, `'2'` sell; `None` for
    /// any other value (sell short `'5'`, cross `'8'` and the rest are order-entry
    /// details the FIX layer keeps in its own open wire type).
    #[inline]
    pub const fn from_fix(byte: u8) -> Option<Side> {
        match byte {
            b'1' => Some(Side::Bid),
            b'2' => Some(Side::Ask),
            _ => None,
        }
    }

    /// The FIX `Side` (tag 54) character: `'1'` for `Bid`, `'2'` for `Ask`; `None`
    /// for [`Side::None`], which FIX cannot express.
    #[inline]
    pub const fn to_fix(self) -> Option<u8> {
        match self {
            Side::Bid => Some(b'1'),
            Side::Ask => Some(b'2'),
            Side::None => None,
        }
    }

    /// The side of a DBN side character (`'B'`, `'A'`, `'N'`); `None` otherwise.
    #[inline]
    pub const fn from_dbn(byte: u8) -> Option<Side> {
        match byte {
            b'B' => Some(Side::Bid),
            b'A' => Some(Side::Ask),
            b'N' => Some(Side::None),
            _ => None,
        }
    }

    /// The DBN side character.
    #[inline]
    pub const fn to_dbn(self) -> u8 {
        self as u8
    }

    /// The other side (`None` stays `None`).
    #[inline]
    pub const fn opposite(self) -> Side {
        match self {
            Side::Bid => Side::Ask,
            Side::Ask => Side::Bid,
            Side::None => Side::None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fix_mapping() {
        assert_eq!(Side::from_fix(b'1'), Some(Side::Bid));
        assert_eq!(Side::from_fix(b'2'), Some(Side::Ask));
        assert_eq!(Side::from_fix(b'5'), None);
        assert_eq!(Side::from_fix(b'B'), None);
        for side in [Side::Bid, Side::Ask] {
            assert_eq!(side.to_fix().and_then(Side::from_fix), Some(side));
        }
        assert_eq!(Side::None.to_fix(), None);
    }

    #[test]
    fn dbn_mapping() {
        for side in [Side::Bid, Side::Ask, Side::None] {
            assert_eq!(Side::from_dbn(side.to_dbn()), Some(side));
        }
        assert_eq!(Side::Bid.to_dbn(), b'B');
        assert_eq!(Side::Ask.to_dbn(), b'A');
        assert_eq!(Side::None.to_dbn(), b'N');
        assert_eq!(Side::from_dbn(b'1'), None);
        assert_eq!(Side::default(), Side::None);
    }

    #[test]
    fn opposite() {
        assert_eq!(Side::Bid.opposite(), Side::Ask);
        assert_eq!(Side::Ask.opposite(), Side::Bid);
        assert_eq!(Side::None.opposite(), Side::None);
    }
}
