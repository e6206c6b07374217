//! Capture files: pcap (micro- and nanosecond, either byte order) and pcapng,
//! read with the `pcap-file` crate, as frames with their capture time and link
//! type.
//!
//! ```text
//! CaptureReader::new(BufRead) ─► next_frame() ─► CaptureFrame { index, ts_capture_ns, dlt, data }
//! ```
//!
//! pcapng timestamps are converted with each interface's `if_tsresol` (default
//! microseconds; power-of-ten and power-of-two resolutions) and `if_tsoffset`:
//! `pcap-file` 2.0 hands the raw tick count over as if it were nanoseconds.
//! Simple Packet Blocks carry no timestamp (`ts_capture_ns` is `None`); the
//! obsolete Packet Block is read like an Enhanced one. pcap frames borrow the
//! reader's buffer; pcapng frames are copied out (one allocation per frame: this
//! is the tools' path, not a feed's).
//!
//! Writing ([`UdpPcapWriter`], `write.rs`): UDP datagrams framed as Ethernet /
//! IPv4 / UDP into a nanosecond pcap, for `fixgate record`.

use std::borrow::Cow;
use std::io::{BufRead, Chain, Cursor, ErrorKind, Read};

use pcap_file::pcap::PcapReader;
use pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionOption;
use pcap_file::pcapng::{Block, PcapNgReader};
use thiserror::Error;

mod write;

pub use write::{udp_frame, CaptureWriteError, UdpPcapWriter, MAX_UDP_PAYLOAD, UDP_FRAME_OVERHEAD};

/// A capture file that cannot be read.
#[derive(Debug, Error)]
pub enum CaptureError {
    /// The first four bytes are neither a pcap nor a pcapng magic number.
    #[error("not a pcap or pcapng file (magic {magic:02x?})")]
    UnknownFormat {
        /// The first bytes.
        magic: [u8; 4],
    },
    /// Reading the file failed.
    #[error("reading the capture: {0}")]
    Io(#[from] std::io::Error),
    /// The file is malformed.
    #[error("malformed capture at frame {frame}: {source}")]
    Format {
        /// Frames read before the bad one.
        frame: u64,
        /// What `pcap-file` reported.
        #[source]
        source: pcap_file::PcapError,
    },
    /// A pcapng packet names an interface that was never described.
    #[error("pcapng packet at frame {frame} names undescribed interface {interface}")]
    UnknownInterface {
        /// Frames read before it.
        frame: u64,
        /// The interface id.
        interface: u32,
    },
}

/// One captured frame.
#[derive(Clone, Debug)]
pub struct CaptureFrame<'a> {
    /// 0-based index among the file's packets.
    pub index: u64,
    /// Capture time, ns since the Unix epoch (as the capturing host's clock had it).
    pub ts_capture_ns: Option<u64>,
    /// The link type (pcap `DLT` number).
    pub dlt: u32,
    /// The frame bytes as captured (possibly truncated to the snap length).
    pub data: Cow<'a, [u8]>,
}

#[derive(Clone, Copy, Debug)]
struct Interface {
    dlt: u32,
    /// `if_tsresol`: bit 7 clear, 10^-n seconds; set, 2^-n.
    tsresol: u8,
    tsoffset_s: u64,
}

impl Interface {
    fn ns(&self, ticks: u64) -> u64 {
        let n = u32::from(self.tsresol & 0x7f);
        let ticks = u128::from(ticks);
        let ns = if self.tsresol & 0x80 == 0 {
            if n <= 9 {
                ticks * 10u128.pow(9 - n)
            } else {
                ticks / 10u128.checked_pow(n - 9).unwrap_or(u128::MAX)
            }
        } else {
            (ticks * 1_000_000_000) >> n.min(127)
        };
        let ns = ns + u128::from(self.tsoffset_s) * 1_000_000_000;
        u64::try_from(ns).unwrap_or(u64::MAX)
    }
}

/// The input with its four magic bytes, read to tell the format, put back in
/// front.
type Source<R> = Chain<Cursor<[u8; 4]>, R>;

enum Inner<R: BufRead> {
    Pcap {
        reader: PcapReader<Source<R>>,
        dlt: u32,
    },
    PcapNg {
        reader: PcapNgReader<Source<R>>,
        interfaces: Vec<Interface>,
    },
}

/// Reads frames from a pcap or pcapng file.
pub struct CaptureReader<R: BufRead> {
    inner: Inner<R>,
    next_index: u64,
}

const PCAP_MAGICS: [[u8; 4]; 4] = [
    [0xd4, 0xc3, 0xb2, 0xa1],
    [0xa1, 0xb2, 0xc3, 0xd4],
    [0x4d, 0x3c, 0xb2, 0xa1],
    [0xa1, 0xb2, 0x3c, 0x4d],
];
const PCAPNG_MAGIC: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];

impl<R: BufRead> CaptureReader<R> {
    /// Opens a capture, telling pcap from pcapng by its first four bytes.
    ///
    /// The four bytes are read until they are all there (a pipe or a small
    /// buffer may hand over fewer at first), then put back in front of the
    /// input for the format's reader.
    ///
    /// # Errors
    /// [`CaptureError::UnknownFormat`] (an input of under four bytes too), or
    /// what reading the file header gave.
    pub fn new(mut input: R) -> Result<Self, CaptureError> {
        let mut magic = [0u8; 4];
        let mut n = 0;
        while n < magic.len() {
            match input.read(&mut magic[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
        if n < magic.len() {
            return Err(CaptureError::UnknownFormat { magic });
        }
        let input = Cursor::new(magic).chain(input);
        let format = |source| CaptureError::Format { frame: 0, source };
        let inner = if PCAP_MAGICS.contains(&magic) {
            let reader = PcapReader::new(input).map_err(format)?;
            let dlt = u32::from(reader.header().datalink);
            Inner::Pcap { reader, dlt }
        } else if magic == PCAPNG_MAGIC {
            Inner::PcapNg {
                reader: PcapNgReader::new(input).map_err(format)?,
                interfaces: Vec::new(),
            }
        } else {
            return Err(CaptureError::UnknownFormat { magic });
        };
        Ok(CaptureReader {
            inner,
            next_index: 0,
        })
    }

    /// The next frame; `None` at the end of the file.
    ///
    /// # Errors
    /// [`CaptureError`] for a malformed file; reading stops there.
    pub fn next_frame(&mut self) -> Option<Result<CaptureFrame<'_>, CaptureError>> {
        let index = self.next_index;
        let format = |source| CaptureError::Format {
            frame: index,
            source,
        };
        match &mut self.inner {
            Inner::Pcap { reader, dlt } => {
                let dlt = *dlt;
                let packet = match reader.next_packet()? {
                    Ok(p) => p,
                    Err(e) => return Some(Err(format(e))),
                };
                self.next_index += 1;
                let ns = packet.timestamp.as_nanos();
                Some(Ok(CaptureFrame {
                    index,
                    ts_capture_ns: Some(u64::try_from(ns).unwrap_or(u64::MAX)),
                    dlt,
                    data: packet.data,
                }))
            }
            Inner::PcapNg { reader, interfaces } => loop {
                let block = match reader.next_block()? {
                    Ok(b) => b,
                    Err(e) => return Some(Err(format(e))),
                };
                let (interface_id, ticks, data) = match block {
                    Block::SectionHeader(_) => {
                        interfaces.clear();
                        continue;
                    }
                    Block::InterfaceDescription(idb) => {
                        let mut i = Interface {
                            dlt: u32::from(idb.linktype),
                            tsresol: 6,
                            tsoffset_s: 0,
                        };
                        for o in &idb.options {
                            match o {
                                InterfaceDescriptionOption::IfTsResol(r) => i.tsresol = *r,
                                InterfaceDescriptionOption::IfTsOffset(s) => i.tsoffset_s = *s,
                                _ => {}
                            }
                        }
                        interfaces.push(i);
                        continue;
                    }
                    Block::EnhancedPacket(p) => {
                        let ticks = u64::try_from(p.timestamp.as_nanos()).unwrap_or(u64::MAX);
                        (p.interface_id, Some(ticks), p.data)
                    }
                    Block::Packet(p) => (u32::from(p.interface_id), Some(p.timestamp), p.data),
                    Block::SimplePacket(p) => (0, None, p.data),
                    _ => continue,
                };
                let Some(interface) = interfaces.get(interface_id as usize).copied() else {
                    return Some(Err(CaptureError::UnknownInterface {
                        frame: index,
                        interface: interface_id,
                    }));
                };
                self.next_index += 1;
                return Some(Ok(CaptureFrame {
                    index,
                    ts_capture_ns: ticks.map(|t| interface.ns(t)),
                    dlt: interface.dlt,
                    // Owned: a frame borrowed from the pcapng reader inside this
                    // loop would keep the reader borrowed across iterations.
                    data: Cow::Owned(data.into_owned()),
                }));
            },
        }
    }
}

#[cfg(test)]
mod tests;
