//! The UDP payload: the 12-byte binary packet header, then messages framed by
//! their `MsgSize`, each with the 8-byte SBE message header.
//!
//! | off | size | field | type |
//! |---:|---:|---|---|
//! | 0 | 4 | MsgSeqNum | u32 |
//! | 4 | 8 | SendingTime | u64 ns since the epoch |
//! | 12 | … | messages | |
//!
//! Each message:
//!
//! | off | size | field | type |
//! |---:|---:|---|---|
//! | 0 | 2 | MsgSize (includes itself) | u16 |
//! | 2 | 2 | blockLength (root block on the wire) | u16 |
//! | 4 | 2 | templateId | u16 |
//! | 6 | 2 | schemaId | u16 |
//! | 8 | 2 | version | u16 |
//! | 10 | blockLength | root block, then the groups | |
//!
//! [`Packet::new`] checks the 12 header bytes once; [`Messages`] checks each
//! `MsgSize` against what is left and stops at the first bad one (nothing after
//! it can be framed).

use thiserror::Error;

use super::template::TemplateId;
use crate::time::UtcNanos;

/// Byte offsets of the binary packet header.
pub mod field {
    /// `MsgSeqNum` (u32).
    pub const MSG_SEQ_NUM: usize = 0;
    /// `SendingTime` (u64 ns).
    pub const SENDING_TIME: usize = 4;
    /// Length of the packet header.
    pub const HEADER_LEN: usize = 12;
}

/// Byte offsets of a message's framing and SBE header, from the message start.
pub mod header {
    /// `MsgSize` (u16, includes these two bytes).
    pub const MSG_SIZE: usize = 0;
    /// `blockLength` (u16).
    pub const BLOCK_LENGTH: usize = 2;
    /// `templateId` (u16).
    pub const TEMPLATE_ID: usize = 4;
    /// `schemaId` (u16).
    pub const SCHEMA_ID: usize = 6;
    /// `version` (u16).
    pub const VERSION: usize = 8;
    /// `MsgSize` plus the SBE message header: where the root block starts.
    pub const LEN: usize = 10;
}

/// A packet or message that cannot be framed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum PacketError {
    /// The payload is shorter than the 12-byte packet header.
    #[error("packet of {have} bytes is shorter than the {need}-byte packet header")]
    TooShort {
        /// Bytes needed.
        need: usize,
        /// Bytes there.
        have: usize,
    },
    /// Fewer than two bytes are left where a message's `MsgSize` should be.
    #[error("{have} stray bytes at offset {offset} where a MsgSize should be")]
    TruncatedMsgSize {
        /// Offset in the payload.
        offset: usize,
        /// Bytes left.
        have: usize,
    },
    /// `MsgSize` is smaller than the 10 bytes of `MsgSize` and SBE header.
    #[error("MsgSize {msg_size} at offset {offset} is below the 10-byte message header")]
    BadMsgSize {
        /// Offset of the message in the payload.
        offset: usize,
        /// The wire value.
        msg_size: u16,
    },
    /// `MsgSize` runs past the end of the payload.
    #[error("message at offset {offset} says {msg_size} bytes, {have} are left")]
    MessageTruncated {
        /// Offset of the message in the payload.
        offset: usize,
        /// The wire value.
        msg_size: u16,
        /// Bytes left in the payload.
        have: usize,
    },
}

#[inline]
fn u16_at(b: &[u8], off: usize) -> u16 {
    match b.get(off..).and_then(|t| t.first_chunk::<2>()) {
        Some(a) => u16::from_le_bytes(*a),
        None => 0,
    }
}

/// A zero-copy view of one MDP 3.0 UDP payload.
#[derive(Clone, Copy, Debug)]
pub struct Packet<'a> {
    seq: u32,
    sending_time_ns: u64,
    messages: &'a [u8],
}

impl<'a> Packet<'a> {
    /// Checks the packet header; the messages are framed by [`Packet::messages`].
    ///
    /// # Errors
    /// [`PacketError::TooShort`] below 12 bytes.
    #[inline]
    pub fn new(payload: &'a [u8]) -> Result<Self, PacketError> {
        let Some((head, messages)) = payload.split_first_chunk::<{ field::HEADER_LEN }>() else {
            return Err(PacketError::TooShort {
                need: field::HEADER_LEN,
                have: payload.len(),
            });
        };
        let (seq, time) = head.split_at(4);
        let mut seq4 = [0u8; 4];
        seq4.copy_from_slice(seq);
        let mut time8 = [0u8; 8];
        time8.copy_from_slice(time);
        Ok(Packet {
            seq: u32::from_le_bytes(seq4),
            sending_time_ns: u64::from_le_bytes(time8),
            messages,
        })
    }

    /// `MsgSeqNum`: the packet sequence number of the channel's feed.
    #[inline]
    pub fn seq(&self) -> u32 {
        self.seq
    }

    /// `SendingTime`, ns since the Unix epoch (UTC).
    #[inline]
    pub fn sending_time_ns(&self) -> u64 {
        self.sending_time_ns
    }

    /// `SendingTime` as a [`UtcNanos`].
    #[inline]
    pub fn sending_time(&self) -> UtcNanos {
        UtcNanos::from_nanos(self.sending_time_ns)
    }

    /// The messages, framed by `MsgSize`.
    #[inline]
    pub fn messages(&self) -> Messages<'a> {
        Messages {
            rest: self.messages,
            offset: field::HEADER_LEN,
            failed: false,
        }
    }
}

/// Iterator over the messages of a packet; yields one error and stops at the
/// first message that cannot be framed.
#[derive(Clone, Debug)]
pub struct Messages<'a> {
    rest: &'a [u8],
    offset: usize,
    failed: bool,
}

impl<'a> Iterator for Messages<'a> {
    type Item = Result<SbeMessage<'a>, PacketError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() || self.failed {
            return None;
        }
        let offset = self.offset;
        let have = self.rest.len();
        let err = if have < 2 {
            PacketError::TruncatedMsgSize { offset, have }
        } else {
            let msg_size = u16_at(self.rest, header::MSG_SIZE);
            let size = usize::from(msg_size);
            if size < header::LEN {
                PacketError::BadMsgSize { offset, msg_size }
            } else if let Some((bytes, rest)) = self.rest.split_at_checked(size) {
                self.rest = rest;
                self.offset += size;
                return Some(Ok(SbeMessage { bytes, offset }));
            } else {
                PacketError::MessageTruncated {
                    offset,
                    msg_size,
                    have,
                }
            }
        };
        self.failed = true;
        Some(Err(err))
    }
}

/// One framed message: `MsgSize`, the SBE header, and the body, exactly
/// `MsgSize` bytes (at least 10).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SbeMessage<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> SbeMessage<'a> {
    /// Frames one message that starts at `bytes[0]`; `offset` is where it sits in
    /// its packet (reported in errors).
    ///
    /// # Errors
    /// As [`Messages`]: `MsgSize` below 10 or past the end of `bytes`.
    pub fn frame(bytes: &'a [u8], offset: usize) -> Result<(Self, &'a [u8]), PacketError> {
        let mut it = Messages {
            rest: bytes,
            offset,
            failed: false,
        };
        match it.next() {
            Some(Ok(m)) => Ok((m, it.rest)),
            Some(Err(e)) => Err(e),
            None => Err(PacketError::TruncatedMsgSize { offset, have: 0 }),
        }
    }

    /// Offset of the message in its packet payload.
    #[inline]
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The message's bytes, `MsgSize` included.
    #[inline]
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// `MsgSize`.
    #[inline]
    pub fn msg_size(&self) -> u16 {
        u16_at(self.bytes, header::MSG_SIZE)
    }

    /// `blockLength`: the root block's length on the wire.
    #[inline]
    pub fn block_length(&self) -> u16 {
        u16_at(self.bytes, header::BLOCK_LENGTH)
    }

    /// `templateId`.
    #[inline]
    pub fn template_id(&self) -> TemplateId {
        TemplateId(u16_at(self.bytes, header::TEMPLATE_ID))
    }

    /// `schemaId` (1 for MDP market data).
    #[inline]
    pub fn schema_id(&self) -> u16 {
        u16_at(self.bytes, header::SCHEMA_ID)
    }

    /// `version`: the schema version this message was encoded with.
    #[inline]
    pub fn version(&self) -> u16 {
        u16_at(self.bytes, header::VERSION)
    }

    /// Everything after the SBE header: root block, groups, unknown trailing bytes.
    #[inline]
    pub fn body(&self) -> &'a [u8] {
        self.bytes.get(header::LEN..).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(template: u16, body: &[u8]) -> Vec<u8> {
        let mut m = Vec::new();
        m.extend_from_slice(&((10 + body.len()) as u16).to_le_bytes());
        m.extend_from_slice(&(body.len() as u16).to_le_bytes());
        m.extend_from_slice(&template.to_le_bytes());
        m.extend_from_slice(&1u16.to_le_bytes());
        m.extend_from_slice(&9u16.to_le_bytes());
        m.extend_from_slice(body);
        m
    }

    fn packet(msgs: &[Vec<u8>]) -> Vec<u8> {
        let mut p = 7u32.to_le_bytes().to_vec();
        p.extend_from_slice(&1_000u64.to_le_bytes());
        for m in msgs {
            p.extend_from_slice(m);
        }
        p
    }

    #[test]
    fn frames_messages_by_msg_size() {
        let p = packet(&[msg(12, &[]), msg(4, &[1; 9])]);
        let pk = Packet::new(&p).unwrap();
        assert_eq!((pk.seq(), pk.sending_time_ns()), (7, 1_000));
        let ms: Vec<_> = pk.messages().map(Result::unwrap).collect();
        assert_eq!(ms.len(), 2);
        assert_eq!(ms[0].template_id(), TemplateId::ADMIN_HEARTBEAT_12);
        assert_eq!((ms[1].offset(), ms[1].msg_size()), (22, 19));
        assert_eq!(
            (ms[1].block_length(), ms[1].schema_id(), ms[1].version()),
            (9, 1, 9)
        );
        assert_eq!(ms[1].body(), &[1; 9]);
    }

    #[test]
    fn each_framing_error_is_typed_and_ends_iteration() {
        assert_eq!(
            Packet::new(&[0; 11]).unwrap_err(),
            PacketError::TooShort { need: 12, have: 11 }
        );
        let mut p = packet(&[msg(12, &[])]);
        p.push(3);
        let r: Vec<_> = Packet::new(&p).unwrap().messages().collect();
        assert_eq!(
            r[1],
            Err(PacketError::TruncatedMsgSize {
                offset: 22,
                have: 1
            })
        );
        let mut p = packet(&[]);
        p.extend_from_slice(&[9, 0, 0, 0]);
        let r: Vec<_> = Packet::new(&p).unwrap().messages().collect();
        assert_eq!(
            r,
            vec![Err(PacketError::BadMsgSize {
                offset: 12,
                msg_size: 9
            })]
        );
        let mut m = msg(4, &[0; 9]);
        m.truncate(15);
        let p = packet(&[m]);
        let r: Vec<_> = Packet::new(&p).unwrap().messages().collect();
        assert_eq!(
            r,
            vec![Err(PacketError::MessageTruncated {
                offset: 12,
                msg_size: 19,
                have: 15
            })]
        );
    }
}
