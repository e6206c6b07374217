//! Writing captures: UDP datagrams as Ethernet II / IPv4 / UDP frames in a
//! nanosecond pcap file (pcap-file's writer), readable by `fixgate decode`,
//! `fixgate replay`, tcpdump and Wireshark.
//!
//! A receive socket sees only UDP payloads, so the frame around each one is
//! made up from what is known: the sender's and the local socket's IPv4
//! addresses and ports, zero MAC addresses, TTL 1, no IP options, the IPv4
//! header checksum computed, the UDP checksum left zero (allowed for IPv4).
//! Payloads longer than an IPv4 datagram can carry are refused, not cut.
//!
//! ```text
//! UdpPcapWriter::new(W) ─► write_datagram(ts_recv, src, dst, payload) ─► finish() -> W
//! ```
//!
//! Nothing allocates per datagram: the frame is built in a buffer kept from
//! one call to the next (it grows to the largest frame once).

use std::borrow::Cow;
use std::io::Write;
use std::net::SocketAddrV4;
use std::time::Duration;

use fixgate_core::time::UtcNanos;
use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
use pcap_file::{DataLink, Endianness, TsResolution};
use thiserror::Error;

/// Ethernet II (14) + IPv4 without options (20) + UDP (8).
pub const UDP_FRAME_OVERHEAD: usize = 14 + 20 + 8;

/// The longest UDP payload an IPv4 datagram carries.
pub const MAX_UDP_PAYLOAD: usize = 65_535 - 20 - 8;

/// A capture that cannot be written.
#[derive(Debug, Error)]
pub enum CaptureWriteError {
    /// The payload does not fit in one IPv4 datagram.
    #[error(
        "a {len}-byte UDP payload does not fit in an IPv4 datagram (at most {MAX_UDP_PAYLOAD})"
    )]
    TooLong {
        /// The payload's length.
        len: usize,
    },
    /// pcap-file (or the file under it) failed.
    #[error("writing the capture: {0}")]
    Pcap(#[from] pcap_file::PcapError),
}

/// Builds the Ethernet II / IPv4 / UDP frame of `payload` into `frame`
/// (cleared first).
///
/// # Errors
/// [`CaptureWriteError::TooLong`].
pub fn udp_frame(
    frame: &mut Vec<u8>,
    src: SocketAddrV4,
    dst: SocketAddrV4,
    payload: &[u8],
) -> Result<(), CaptureWriteError> {
    if payload.len() > MAX_UDP_PAYLOAD {
        return Err(CaptureWriteError::TooLong { len: payload.len() });
    }
    // Both fit in u16: checked against MAX_UDP_PAYLOAD above.
    let udp_len = (payload.len() + 8) as u16;
    let ip_len = udp_len + 20;
    frame.clear();
    // Ethernet: zero MACs, EtherType IPv4.
    frame.extend_from_slice(&[0; 12]);
    frame.extend_from_slice(&0x0800u16.to_be_bytes());
    let ip_start = frame.len();
    frame.extend_from_slice(&[0x45, 0]);
    frame.extend_from_slice(&ip_len.to_be_bytes());
    // Identification 0, DF set, no fragment offset, TTL 1, UDP, checksum later.
    frame.extend_from_slice(&[0, 0, 0x40, 0, 1, 17, 0, 0]);
    frame.extend_from_slice(&src.ip().octets());
    frame.extend_from_slice(&dst.ip().octets());
    let checksum = ipv4_checksum(&frame[ip_start..ip_start + 20]);
    frame[ip_start + 10..ip_start + 12].copy_from_slice(&checksum.to_be_bytes());
    frame.extend_from_slice(&src.port().to_be_bytes());
    frame.extend_from_slice(&dst.port().to_be_bytes());
    frame.extend_from_slice(&udp_len.to_be_bytes());
    frame.extend_from_slice(&[0, 0]);
    frame.extend_from_slice(payload);
    Ok(())
}

/// The one's-complement checksum of an IPv4 header (its checksum field zero).
fn ipv4_checksum(header: &[u8]) -> u16 {
    let mut sum: u32 = header
        .chunks(2)
        .map(|w| u32::from(u16::from_be_bytes([w[0], *w.get(1).unwrap_or(&0)])))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// Writes UDP datagrams to a nanosecond Ethernet pcap (see the
/// [module docs](self)).
pub struct UdpPcapWriter<W: Write> {
    pcap: PcapWriter<W>,
    frame: Vec<u8>,
    written: u64,
}

impl<W: Write> std::fmt::Debug for UdpPcapWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UdpPcapWriter")
            .field("written", &self.written)
            .finish_non_exhaustive()
    }
}

impl<W: Write> UdpPcapWriter<W> {
    /// Writes the file header (nanosecond resolution, Ethernet, snap length
    /// 65,535, little-endian).
    ///
    /// # Errors
    /// [`CaptureWriteError::Pcap`] when `out` fails.
    pub fn new(out: W) -> Result<Self, CaptureWriteError> {
        let header = PcapHeader {
            version_major: 2,
            version_minor: 4,
            ts_correction: 0,
            ts_accuracy: 0,
            snaplen: 65_535,
            datalink: DataLink::ETHERNET,
            ts_resolution: TsResolution::NanoSecond,
            endianness: Endianness::Little,
        };
        Ok(UdpPcapWriter {
            pcap: PcapWriter::with_header(out, header)?,
            frame: Vec::with_capacity(2048),
            written: 0,
        })
    }

    /// Writes one datagram received at `ts_recv`.
    ///
    /// # Errors
    /// [`CaptureWriteError`]; nothing is written for a payload that is too long.
    pub fn write_datagram(
        &mut self,
        ts_recv: UtcNanos,
        src: SocketAddrV4,
        dst: SocketAddrV4,
        payload: &[u8],
    ) -> Result<(), CaptureWriteError> {
        udp_frame(&mut self.frame, src, dst, payload)?;
        let packet = PcapPacket {
            timestamp: Duration::from_nanos(ts_recv.as_nanos()),
            // At most 65,549 bytes: fits.
            orig_len: self.frame.len() as u32,
            data: Cow::Borrowed(&self.frame),
        };
        self.pcap.write_packet(&packet)?;
        self.written += 1;
        Ok(())
    }

    /// Datagrams written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// The underlying writer (flush it if it buffers).
    pub fn finish(self) -> W {
        self.pcap.into_writer()
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use fixgate_core::md::frame::{dissect, LinkType, Transport};

    use super::*;
    use crate::net::pcap::CaptureReader;

    #[test]
    fn frames_read_back_with_addresses_payloads_and_times() {
        let src = SocketAddrV4::new(Ipv4Addr::new(10, 1, 2, 3), 4000);
        let dst = SocketAddrV4::new(Ipv4Addr::new(224, 0, 31, 1), 14310);
        let mut w = UdpPcapWriter::new(Vec::new()).unwrap();
        let payloads: [&[u8]; 3] = [b"", b"abc", &[7u8; 1400]];
        for (i, p) in payloads.iter().enumerate() {
            w.write_datagram(
                UtcNanos::from_nanos(1_700_000_000_123_456_789 + i as u64),
                src,
                dst,
                p,
            )
            .unwrap();
        }
        assert!(matches!(
            w.write_datagram(UtcNanos::EPOCH, src, dst, &vec![0; MAX_UDP_PAYLOAD + 1]),
            Err(CaptureWriteError::TooLong { .. })
        ));
        assert_eq!(w.written(), 3);
        let bytes = w.finish();
        let mut r = CaptureReader::new(&bytes[..]).unwrap();
        for (i, p) in payloads.iter().enumerate() {
            let f = r.next_frame().unwrap().unwrap();
            assert_eq!(f.ts_capture_ns, Some(1_700_000_000_123_456_789 + i as u64));
            let d = dissect(LinkType::from_dlt(f.dlt).unwrap(), &f.data).unwrap();
            assert_eq!(d.transport, Transport::Udp);
            assert_eq!((d.src, d.src_port), (*src.ip(), src.port()));
            assert_eq!((d.dst, d.dst_port), (*dst.ip(), dst.port()));
            assert_eq!(d.payload, *p);
            let ip = &f.data[14..34];
            assert_eq!(
                ipv4_checksum(ip),
                0,
                "a header with its checksum sums to zero"
            );
        }
        assert!(r.next_frame().is_none());
    }
}
