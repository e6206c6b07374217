//! Sans-IO dissection of captured frames down to a UDP or TCP payload.
//!
//! | layer | supported | not supported (typed error) |
//! |---|---|---|
//! | link | Ethernet II (pcap DLT 1), with up to two 802.1Q / 802.1ad tags; raw IPv4 (DLT 101, 228); Linux cooked v1 (DLT 113) | other link types, IPv6, ARP, … |
//! | IPv4 | header length (IHL) checked, total length trims Ethernet padding | fragments (MF set or an offset): reassembly is not done |
//! | UDP | length field checked | — |
//! | TCP | data offset checked; the segment's payload as it is | stream reassembly (each segment stands alone) |
//!
//! ```text
//! dissect(link, frame) ─► Datagram { src, dst, ports, transport, payload }
//! ```
//!
//! Checksums are not verified (captures often carry offloaded, zero checksums).
//! Nothing here allocates.

mod ethernet;
mod ipv4;
mod transport;

use core::net::Ipv4Addr;

use thiserror::Error;

pub use ethernet::{ethertype, MAX_VLAN_TAGS};
pub use ipv4::protocol;

/// The link layer of a capture (from its pcap `DLT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkType {
    /// Ethernet II (DLT 1).
    Ethernet,
    /// Raw IPv4 (DLT 101 or 228).
    RawIpv4,
    /// Linux cooked capture v1 (DLT 113): 16-byte header, protocol at 14.
    LinuxSll,
}

impl LinkType {
    /// The link type of pcap `DLT` number `dlt`, if supported.
    pub fn from_dlt(dlt: u32) -> Option<LinkType> {
        match dlt {
            1 => Some(LinkType::Ethernet),
            101 | 228 => Some(LinkType::RawIpv4),
            113 => Some(LinkType::LinuxSll),
            _ => None,
        }
    }
}

/// A protocol layer, for errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    /// Ethernet header.
    Ethernet,
    /// 802.1Q tag.
    Vlan,
    /// Linux cooked header.
    LinuxSll,
    /// IPv4 header.
    Ipv4,
    /// UDP header.
    Udp,
    /// TCP header.
    Tcp,
}

/// A frame that does not dissect to a UDP or TCP payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum FrameError {
    /// A header is cut short.
    #[error("{layer:?} header needs {need} bytes, {have} there")]
    TooShort {
        /// The layer.
        layer: Layer,
        /// Bytes needed.
        need: usize,
        /// Bytes there.
        have: usize,
    },
    /// The link layer carries something other than IPv4.
    #[error("ethertype {ethertype:#06x} is not IPv4")]
    NotIpv4 {
        /// The ethertype.
        ethertype: u16,
    },
    /// More VLAN tags than [`MAX_VLAN_TAGS`].
    #[error("more than {MAX_VLAN_TAGS} VLAN tags")]
    TooManyVlanTags,
    /// The IP version nibble is not 4.
    #[error("IP version {version}, not 4")]
    BadIpVersion {
        /// The version nibble.
        version: u8,
    },
    /// IHL below 5 words or past the frame.
    #[error("IPv4 header length {header_len} bytes is invalid for {have} bytes")]
    BadIpHeaderLength {
        /// IHL × 4.
        header_len: usize,
        /// Bytes of IP packet there.
        have: usize,
    },
    /// The IPv4 total length is below the header or past the frame.
    #[error("IPv4 total length {total_len} is invalid for {have} bytes")]
    BadIpTotalLength {
        /// The total length field.
        total_len: u16,
        /// Bytes there.
        have: usize,
    },
    /// A fragment (MF set, or a fragment offset).
    #[error("IPv4 fragment (offset {offset_bytes}, more fragments {more_fragments})")]
    Fragmented {
        /// Fragment offset in bytes.
        offset_bytes: u32,
        /// The MF flag.
        more_fragments: bool,
    },
    /// Neither UDP nor TCP.
    #[error("IP protocol {protocol} is neither UDP nor TCP")]
    NotUdpOrTcp {
        /// The protocol number.
        protocol: u8,
    },
    /// The UDP length field is below 8 or past the IP payload.
    #[error("UDP length {length} is invalid for {have} bytes")]
    BadUdpLength {
        /// The length field.
        length: u16,
        /// Bytes there.
        have: usize,
    },
    /// The TCP data offset is below 5 words or past the segment.
    #[error("TCP header length {header_len} is invalid for {have} bytes")]
    BadTcpDataOffset {
        /// Data offset × 4.
        header_len: usize,
        /// Bytes there.
        have: usize,
    },
}

/// The transport protocol of a [`Datagram`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// UDP.
    Udp,
    /// TCP (one segment).
    Tcp,
}

/// A UDP datagram or TCP segment with its addresses, borrowing the frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Datagram<'a> {
    /// Source address.
    pub src: Ipv4Addr,
    /// Destination address (the multicast group for market data).
    pub dst: Ipv4Addr,
    /// Source port.
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
    /// UDP or TCP.
    pub transport: Transport,
    /// The outermost VLAN id, if tagged.
    pub vlan: Option<u16>,
    /// The UDP payload or TCP segment data.
    pub payload: &'a [u8],
}

/// Dissects one captured frame of link type `link`.
///
/// # Errors
/// A [`FrameError`] naming the first layer that does not check.
pub fn dissect(link: LinkType, frame: &[u8]) -> Result<Datagram<'_>, FrameError> {
    let (ip, vlan) = match link {
        LinkType::Ethernet => ethernet::ipv4_payload(frame)?,
        LinkType::RawIpv4 => (frame, None),
        LinkType::LinuxSll => (ethernet::linux_sll_payload(frame)?, None),
    };
    let packet = ipv4::Ipv4::new(ip)?;
    let (transport, src_port, dst_port, payload) = match packet.protocol {
        protocol::UDP => {
            let (s, d, p) = transport::udp(packet.payload)?;
            (Transport::Udp, s, d, p)
        }
        protocol::TCP => {
            let (s, d, p) = transport::tcp(packet.payload)?;
            (Transport::Tcp, s, d, p)
        }
        protocol => return Err(FrameError::NotUdpOrTcp { protocol }),
    };
    Ok(Datagram {
        src: packet.src,
        dst: packet.dst,
        src_port,
        dst_port,
        transport,
        vlan,
        payload,
    })
}

#[cfg(test)]
mod tests;
