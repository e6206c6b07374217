//! Identifiers: instruments, venues, orders, trades, client order ids.
//!
//! Each is a newtype so that an instrument id is never passed where an order id is
//! expected; all are `Copy` and fixed-size, so they travel in events and rings
//! without allocation.

use std::fmt;

/// fixgate's id of an instrument, assigned by the instrument registry.
///
/// It is the `instrument_id` of the [`crate::event::Event`] header (DBN convention:
/// `u32`). Definitions (symbol, tick, multiplier, venue ids) live in the registry,
/// not in the ring. [`InstrumentId::NONE`] marks events that concern a whole
/// channel rather than one instrument (a gap, a channel reset).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct InstrumentId(pub u32);
fixgate_ring::ring_payload!(struct InstrumentId { 0: u32 });

impl InstrumentId {
    /// No instrument: the event concerns a channel or the whole venue.
    pub const NONE: InstrumentId = InstrumentId(0);

    /// The raw id.
    #[inline]
    pub const fn get(self) -> u32 {
        self.0
    }

    /// Whether this is [`InstrumentId::NONE`].
    #[inline]
    pub const fn is_none(self) -> bool {
        self.0 == 0
    }
}

impl fmt::Display for InstrumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A venue or feed that events and sessions come from.
///
/// A newtype with named constants rather than a closed enum so that a
/// configuration can add venues without a code change; the constants are the ones
/// fixgate ships decoders or sessions for. It is the `venue` of the
/// [`crate::event::Event`] header (`u16`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct VenueId(pub u16);
fixgate_ring::ring_payload!(struct VenueId { 0: u16 });

impl VenueId {
    /// No venue (unset).
    pub const NONE: VenueId = VenueId(0);
    /// CME Group: MDP 3.0 market data (A/B multicast lines).
    pub const CME: VenueId = VenueId(1);
    /// ICE Futures: iMpact market data.
    pub const ICE: VenueId = VenueId(2);
    /// Shanghai Futures Exchange, through the CTP bridge.
    pub const SHFE: VenueId = VenueId(3);
    /// A generic FIX 4.4 counterparty (order entry and FIX market data).
    pub const FIX: VenueId = VenueId(4);
    /// The FX rate feed (USD/CNH) used to derive USD-equivalent quotes.
    pub const FX: VenueId = VenueId(5);

    /// The raw id.
    #[inline]
    pub const fn get(self) -> u16 {
        self.0
    }

    /// The short name of a built-in venue (`"CME"`, `"ICE"`, ...); `None` for ids
    /// without a constant.
    pub const fn name(self) -> Option<&'static str> {
        match self {
            VenueId::CME => Some("CME"),
            VenueId::ICE => Some("ICE"),
            VenueId::SHFE => Some("SHFE"),
            VenueId::FIX => Some("FIX"),
            VenueId::FX => Some("FX"),
            _ => None,
        }
    }
}

impl fmt::Display for VenueId {
    /// The built-in name, or `venue#N`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "venue#{}", self.0),
        }
    }
}

/// A venue-assigned order id (CME `OrderID`, ICE `OrderID`), as carried by
/// order-by-order (MBO) book events.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct OrderId(pub u64);

impl OrderId {
    /// The raw id.
    #[inline]
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for OrderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A venue-assigned trade id (CME `TradeID`, ICE `TradeID`); 0 where the venue
/// sends none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct TradeId(pub u64);

impl TradeId {
    /// The raw id.
    #[inline]
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for TradeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Why a byte string is not a valid [`ClOrdId`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The id is empty.
    #[error("empty id")]
    Empty,
    /// The id is longer than the inline capacity.
    #[error("id of {have} bytes exceeds the {max}-byte limit")]
    TooLong {
        /// The capacity.
        max: usize,
        /// The length given.
        have: usize,
    },
    /// A byte is not printable ASCII (`0x21..=0x7E`).
    #[error("byte 0x{byte:02x} at {at} is not printable ASCII")]
    BadByte {
        /// Its position.
        at: usize,
        /// The byte.
        byte: u8,
    },
}

/// A client order id (FIX `ClOrdID`, tag 11) stored inline: printable ASCII, 1 to
/// [`ClOrdId::CAPACITY`] bytes, `Copy`, no allocation.
///
/// The capacity is 20 because that is iLink 3's `ClOrdID` length, the tightest of
/// the venues fixgate targets; the order gateway generates ids that fit everywhere
/// (see [`ClOrdId::from_u64`]). Ids received from a peer that do not fit are
/// rejected where they are parsed.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClOrdId {
    /// The id, then zeros (the zero tail keeps the derived `Eq` and `Hash` exact).
    bytes: [u8; ClOrdId::CAPACITY],
    /// Bytes in use, `1..=CAPACITY`.
    len: u8,
}

impl ClOrdId {
    /// The most bytes an id can hold.
    pub const CAPACITY: usize = 20;

    /// Copies `id` in.
    ///
    /// # Errors
    /// [`IdError`] when `id` is empty, too long, or has a byte outside printable
    /// ASCII (`SOH`, space, `DEL`, non-ASCII).
    pub const fn new(id: &[u8]) -> Result<Self, IdError> {
        if id.is_empty() {
            return Err(IdError::Empty);
        }
        if id.len() > Self::CAPACITY {
            return Err(IdError::TooLong {
                max: Self::CAPACITY,
                have: id.len(),
            });
        }
        let mut bytes = [0u8; Self::CAPACITY];
        let mut i = 0;
        while i < id.len() {
            let byte = id[i];
            if !(byte >= 0x21 && byte <= 0x7e) {
                return Err(IdError::BadByte { at: i, byte });
            }
            bytes[i] = byte;
            i += 1;
        }
        Ok(ClOrdId {
            bytes,
            len: id.len() as u8,
        })
    }

    /// The decimal form of `n` (at most 20 digits, so always fits); the order
    /// gateway's counter-based ids.
    pub const fn from_u64(mut n: u64) -> Self {
        let mut digits = [0u8; Self::CAPACITY];
        let mut len = 0;
        loop {
            digits[len] = b'0' + (n % 10) as u8;
            len += 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let mut bytes = [0u8; Self::CAPACITY];
        let mut i = 0;
        while i < len {
            bytes[i] = digits[len - 1 - i];
            i += 1;
        }
        ClOrdId {
            bytes,
            len: len as u8,
        }
    }

    /// The id's bytes.
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }

    /// The id as text (always valid: the bytes are ASCII).
    #[inline]
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or("")
    }
}

impl fmt::Debug for ClOrdId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ClOrdId({:?})", self.as_str())
    }
}

impl fmt::Display for ClOrdId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn venue_names() {
        assert_eq!(VenueId::CME.to_string(), "CME");
        assert_eq!(VenueId::SHFE.name(), Some("SHFE"));
        assert_eq!(VenueId::FX.to_string(), "FX");
        assert_eq!(VenueId(77).to_string(), "venue#77");
        assert_eq!(VenueId::NONE.name(), None);
        let all = [
            VenueId::CME,
            VenueId::ICE,
            VenueId::SHFE,
            VenueId::FIX,
            VenueId::FX,
        ];
        for (i, a) in all.iter().enumerate() {
            assert!(a.name().is_some());
            assert!(
                all[i + 1..].iter().all(|b| a != b),
                "duplicate venue id {a}"
            );
        }
    }

    #[test]
    fn plain_ids() {
        assert!(InstrumentId::NONE.is_none());
        assert!(!InstrumentId(42).is_none());
        assert_eq!(InstrumentId(42).get(), 42);
        assert_eq!(OrderId(7).to_string(), "7");
        assert_eq!(TradeId(9).get(), 9);
    }

    #[test]
    fn cl_ord_id_validates() {
        let id = ClOrdId::new(b"ORD-0001").unwrap();
        assert_eq!(id.as_bytes(), b"ORD-0001");
        assert_eq!(id.as_str(), "ORD-0001");
        assert_eq!(format!("{id:?}"), "ClOrdId(\"ORD-0001\")");
        assert_eq!(ClOrdId::new(b""), Err(IdError::Empty));
        assert_eq!(
            ClOrdId::new(&[b'x'; 21]),
            Err(IdError::TooLong { max: 20, have: 21 })
        );
        assert!(ClOrdId::new(&[b'x'; 20]).is_ok());
        assert_eq!(
            ClOrdId::new(b"A\x01B"),
            Err(IdError::BadByte { at: 1, byte: 1 })
        );
        assert_eq!(
            ClOrdId::new(b"A B"),
            Err(IdError::BadByte { at: 1, byte: b' ' })
        );
        assert_eq!(
            ClOrdId::new("é".as_bytes()),
            Err(IdError::BadByte { at: 0, byte: 0xc3 })
        );
    }

    #[test]
    fn cl_ord_id_from_numbers() {
        assert_eq!(ClOrdId::from_u64(0).as_str(), "0");
        assert_eq!(ClOrdId::from_u64(1234567).as_str(), "1234567");
        assert_eq!(ClOrdId::from_u64(u64::MAX).as_str(), u64::MAX.to_string());
        assert_eq!(ClOrdId::from_u64(42), ClOrdId::new(b"42").unwrap());
    }
}
