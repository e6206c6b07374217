//! IPv4 headers.
//!
//! | off | size | field |
//! |---:|---:|---|
//! | 0 | 1 | version (4 bits, = 4), IHL (4 bits, header length in words, ≥ 5) |
//! | 2 | 2 | total length (header + payload; bytes past it are link padding) |
//! | 6 | 2 | flags (MF = `0x2000`) and fragment offset (13 bits, × 8 bytes) |
//! | 9 | 1 | protocol (6 TCP, 17 UDP) |
//! | 12 | 4 | source address |
//! | 16 | 4 | destination address |

use core::net::Ipv4Addr;

use super::{FrameError, Layer};

/// IP protocol numbers.
pub mod protocol {
    /// TCP.
    pub const TCP: u8 = 6;
    /// UDP.
    pub const UDP: u8 = 17;
}

const MIN_HEADER_LEN: usize = 20;
const MORE_FRAGMENTS: u16 = 0x2000;
const FRAGMENT_OFFSET: u16 = 0x1fff;

/// A checked IPv4 packet.
pub(super) struct Ipv4<'a> {
    pub src: Ipv4Addr,
    pub dst: Ipv4Addr,
    pub protocol: u8,
    pub payload: &'a [u8],
}

impl<'a> Ipv4<'a> {
    pub fn new(b: &'a [u8]) -> Result<Self, FrameError> {
        let Some(h) = b.first_chunk::<MIN_HEADER_LEN>() else {
            return Err(FrameError::TooShort {
                layer: Layer::Ipv4,
                need: MIN_HEADER_LEN,
                have: b.len(),
            });
        };
        let version = h[0] >> 4;
        if version != 4 {
            return Err(FrameError::BadIpVersion { version });
        }
        let header_len = usize::from(h[0] & 0x0f) * 4;
        if header_len < MIN_HEADER_LEN || header_len > b.len() {
            return Err(FrameError::BadIpHeaderLength {
                header_len,
                have: b.len(),
            });
        }
        let total_len = u16::from_be_bytes([h[2], h[3]]);
        let total = usize::from(total_len);
        if total < header_len || total > b.len() {
            return Err(FrameError::BadIpTotalLength {
                total_len,
                have: b.len(),
            });
        }
        let frag = u16::from_be_bytes([h[6], h[7]]);
        if frag & (MORE_FRAGMENTS | FRAGMENT_OFFSET) != 0 {
            return Err(FrameError::Fragmented {
                offset_bytes: u32::from(frag & FRAGMENT_OFFSET) * 8,
                more_fragments: frag & MORE_FRAGMENTS != 0,
            });
        }
        Ok(Ipv4 {
            src: Ipv4Addr::new(h[12], h[13], h[14], h[15]),
            dst: Ipv4Addr::new(h[16], h[17], h[18], h[19]),
            protocol: h[9],
            payload: b.get(header_len..total).unwrap_or(&[]),
        })
    }
}
