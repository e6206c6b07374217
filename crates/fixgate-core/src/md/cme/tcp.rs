//! The framing of CME's conflated TCP market data (schema version 12+), as seen
//! in the `v12-conflated-tcp` captures: each TCP segment carries
//!
//! | off | size | field | type |
//! |---:|---:|---|---|
//! | 0 | 2 | marker `0xCAFE` | u16 (wire bytes `fe ca`) |
//! | 2 | 4 | MsgSeqNum | u32 |
//! | 6 | 8 | SendingTime | u64 ns |
//! | 14 | … | messages, each `MsgSize` + SBE header + body as on UDP | |
//!
//! So after the 2-byte marker a segment is an ordinary [`Packet`]. The
//! segment's length bounds the packet (the captures hold one packet per
//! segment; the marker carries no length, so a packet split across segments
//! cannot be reassembled from this framing alone). The session messages use
//! schema id 2 (templates 206 RequestAck, 208 SecurityListRequest, 209
//! SecurityStatusRequest, 210 SubscriberHeartbeat at version 0) and the market
//! data schema id 1 version 12 (LongQty templates 64, 65, 68): neither schema is
//! public, so their headers decode and their bodies are skipped and counted.

use thiserror::Error;

use super::packet::{Packet, PacketError};

/// The marker that opens each segment.
pub const MARKER: u16 = 0xCAFE;

/// A TCP segment that is not conflated MDP framing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum TcpFramingError {
    /// The segment does not start with [`MARKER`].
    #[error("segment starts with {found:#06x}, not the 0xCAFE marker")]
    BadMarker {
        /// The first two bytes, little-endian (0 when fewer than two).
        found: u16,
    },
    /// The packet after the marker does not check.
    #[error(transparent)]
    Packet(#[from] PacketError),
}

/// The packet in one conflated TCP segment.
///
/// # Errors
/// [`TcpFramingError::BadMarker`], or a [`PacketError`] of the packet header.
pub fn segment_packet(segment: &[u8]) -> Result<Packet<'_>, TcpFramingError> {
    match segment.split_first_chunk::<2>() {
        Some((m, rest)) if u16::from_le_bytes(*m) == MARKER => Ok(Packet::new(rest)?),
        Some((m, _)) => Err(TcpFramingError::BadMarker {
            found: u16::from_le_bytes(*m),
        }),
        None => Err(TcpFramingError::BadMarker { found: 0 }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_then_packet() {
        // SubscriberHeartbeat from the v12 capture: schema 2, template 210.
        let seg = [
            0xfe, 0xca, 6, 0, 0, 0, 0xc0, 0xc4, 0x57, 0xa0, 0xf2, 0xc2, 0xa2, 0x16, 10, 0, 0, 0,
            0xd2, 0, 2, 0, 0, 0,
        ];
        let p = segment_packet(&seg).unwrap();
        assert_eq!(p.seq(), 6);
        let m = p.messages().next().unwrap().unwrap();
        assert_eq!((m.template_id().0, m.schema_id(), m.version()), (210, 2, 0));
        assert_eq!(
            segment_packet(&seg[1..]).unwrap_err(),
            TcpFramingError::BadMarker { found: 0x06ca }
        );
        assert_eq!(
            segment_packet(&seg[..10]).unwrap_err(),
            TcpFramingError::Packet(PacketError::TooShort { need: 12, have: 8 })
        );
    }
}
