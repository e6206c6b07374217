//! UDP and TCP headers.
//!
//! UDP: source port @0, destination port @2, length @4 (header + data, ≥ 8),
//! checksum @6. TCP: source port @0, destination port @2, data offset in the
//! high 4 bits of byte 12 (header length in words, ≥ 5).

use super::{FrameError, Layer};

const UDP_HEADER_LEN: usize = 8;
const TCP_MIN_HEADER_LEN: usize = 20;

fn ports(b: &[u8]) -> (u16, u16) {
    match b.first_chunk::<4>() {
        Some(&[a, b, c, d]) => (u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d])),
        None => (0, 0),
    }
}

/// Source port, destination port and data of a UDP datagram.
pub(super) fn udp(b: &[u8]) -> Result<(u16, u16, &[u8]), FrameError> {
    let Some(h) = b.first_chunk::<UDP_HEADER_LEN>() else {
        return Err(FrameError::TooShort {
            layer: Layer::Udp,
            need: UDP_HEADER_LEN,
            have: b.len(),
        });
    };
    let length = u16::from_be_bytes([h[4], h[5]]);
    let len = usize::from(length);
    match b.get(UDP_HEADER_LEN..len) {
        Some(payload) if len >= UDP_HEADER_LEN => {
            let (s, d) = ports(b);
            Ok((s, d, payload))
        }
        _ => Err(FrameError::BadUdpLength {
            length,
            have: b.len(),
        }),
    }
}

/// Source port, destination port and data of a TCP segment.
pub(super) fn tcp(b: &[u8]) -> Result<(u16, u16, &[u8]), FrameError> {
    let Some(h) = b.first_chunk::<TCP_MIN_HEADER_LEN>() else {
        return Err(FrameError::TooShort {
            layer: Layer::Tcp,
            need: TCP_MIN_HEADER_LEN,
            have: b.len(),
        });
    };
    let header_len = usize::from(h[12] >> 4) * 4;
    match b.get(header_len..) {
        Some(payload) if header_len >= TCP_MIN_HEADER_LEN => {
            let (s, d) = ports(b);
            Ok((s, d, payload))
        }
        _ => Err(FrameError::BadTcpDataOffset {
            header_len,
            have: b.len(),
        }),
    }
}
