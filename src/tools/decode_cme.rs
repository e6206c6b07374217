//! `fixgate decode FILE.pcap|FILE.pcapng [--venue cme]`: one JSON object per
//! SBE message of every frame, every copy (A and B feeds alike: decode does not
//! arbitrate; replay does).
//!
//! ```text
//! {"venue":"cme","frame":0,"ts_capture_ns":..,"src":"69.50.112.95:14361","dst":"224.0.28.20:14361",
//!  "seq":1028095,"sending_time_ns":..,"offset":12,"type":46,"name":"MDIncrementalRefreshBook46",
//!  "schema_id":1,"version":9,"block_length":11,"fields":{"TransactTime":..,"NoMDEntries":[{..}],..}}
//! {"venue":"cme","frame":0,..,"type":64,"schema_id":1,"version":12,"msg_size":64,"skipped":"UnknownTemplate"}
//! {"venue":"cme","frame":3,"error":"MessageTruncated","detail":"..",..}
//! ```
//!
//! UDP payloads are MDP packets; TCP segments are the conflated TCP framing
//! ([`md::cme::tcp`](fixgate_core::md::cme::tcp)), and empty TCP segments
//! (bare ACKs) are passed over. A frame or message that does not decode prints an
//! `error` line (with the frame index and, inside a packet, the offset) and
//! decoding goes on with the next message or frame. Messages of another schema
//! or of a template without a view print a `skipped` line with their header.

use std::io::{self, BufRead, Write};

use fixgate_core::md::cme::{
    tcp, CmeMessage, DecodeCounters, Packet, PacketError, SbeMessage, Skip, Visit,
};
use fixgate_core::md::frame::{dissect, Datagram, LinkType, Transport};
use serde_json::{json, Map, Value};
use thiserror::Error;

use super::cme_json::JsonFields;
use crate::net::pcap::{CaptureError, CaptureReader};

/// What a decode run saw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CmeDecodeSummary {
    /// Frames read from the capture.
    pub frames: u64,
    /// MDP packets (UDP payloads and TCP segments) whose header decoded.
    pub packets: u64,
    /// TCP segments without data, passed over.
    pub empty_segments: u64,
    /// Decoded, skipped and malformed messages.
    pub counters: DecodeCounters,
    /// Error lines printed (frames, packets and messages).
    pub errors: u64,
}

impl std::fmt::Display for CmeDecodeSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = &self.counters;
        write!(
            f,
            "frames={} packets={} decoded={} skipped_unknown_schema={} skipped_unknown_template={} malformed_messages={} errors={} empty_tcp_segments={}",
            self.frames, self.packets, c.messages, c.unknown_schema, c.unknown_template, c.malformed, self.errors, self.empty_segments
        )
    }
}

/// Why a decode run stopped.
#[derive(Debug, Error)]
pub enum DecodeCaptureError {
    /// The capture file itself is unreadable.
    #[error(transparent)]
    Capture(#[from] CaptureError),
    /// Writing the output failed.
    #[error("writing the output: {0}")]
    Output(#[from] io::Error),
}

struct FrameInfo<'a> {
    frame: u64,
    ts_capture_ns: Option<u64>,
    datagram: Option<&'a Datagram<'a>>,
}

impl FrameInfo<'_> {
    fn base(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("venue".into(), json!("cme"));
        m.insert("frame".into(), json!(self.frame));
        m.insert("ts_capture_ns".into(), json!(self.ts_capture_ns));
        if let Some(d) = self.datagram {
            m.insert("src".into(), json!(format!("{}:{}", d.src, d.src_port)));
            m.insert("dst".into(), json!(format!("{}:{}", d.dst, d.dst_port)));
            let transport = match d.transport {
                Transport::Udp => "udp",
                Transport::Tcp => "tcp",
            };
            m.insert("transport".into(), json!(transport));
        }
        m
    }

    fn error(&self, kind: &str, detail: String, offset: Option<usize>) -> Value {
        let mut m = self.base();
        if let Some(o) = offset {
            m.insert("offset".into(), json!(o));
        }
        m.insert("error".into(), json!(kind));
        m.insert("detail".into(), json!(detail));
        Value::Object(m)
    }
}

fn packet_error_name(e: &PacketError) -> &'static str {
    match e {
        PacketError::TooShort { .. } => "PacketTooShort",
        PacketError::TruncatedMsgSize { .. } => "TruncatedMsgSize",
        PacketError::BadMsgSize { .. } => "BadMsgSize",
        PacketError::MessageTruncated { .. } => "MessageTruncated",
    }
}

fn packet_error_offset(e: &PacketError) -> Option<usize> {
    match e {
        PacketError::TooShort { .. } => None,
        PacketError::TruncatedMsgSize { offset, .. }
        | PacketError::BadMsgSize { offset, .. }
        | PacketError::MessageTruncated { offset, .. } => Some(*offset),
    }
}

fn message_header(m: &mut Map<String, Value>, packet: &Packet<'_>, msg: &SbeMessage<'_>) {
    m.insert("seq".into(), json!(packet.seq()));
    m.insert("sending_time_ns".into(), json!(packet.sending_time_ns()));
    m.insert("offset".into(), json!(msg.offset()));
    m.insert("type".into(), json!(msg.template_id().0));
}

/// The JSON lines of one MDP packet.
fn packet_lines(
    info: &FrameInfo<'_>,
    packet: &Packet<'_>,
    summary: &mut CmeDecodeSummary,
    emit: &mut impl FnMut(Value) -> io::Result<()>,
) -> io::Result<()> {
    for msg in packet.messages() {
        let msg = match msg {
            Ok(m) => m,
            Err(e) => {
                summary.errors += 1;
                emit(info.error(
                    packet_error_name(&e),
                    e.to_string(),
                    packet_error_offset(&e),
                ))?;
                continue;
            }
        };
        let mut line = info.base();
        message_header(&mut line, packet, &msg);
        match CmeMessage::decode(msg, &mut summary.counters) {
            Ok(Some(view)) => {
                line.insert("name".into(), json!(view.name()));
                line.insert("schema_id".into(), json!(msg.schema_id()));
                line.insert("version".into(), json!(msg.version()));
                line.insert("block_length".into(), json!(msg.block_length()));
                if view.trailing_len() > 0 {
                    line.insert("trailing_bytes".into(), json!(view.trailing_len()));
                }
                let mut fields = JsonFields::default();
                view.visit(&mut fields);
                line.insert("fields".into(), fields.into_value());
            }
            Ok(None) => {
                let reason = match CmeMessage::try_decode(msg) {
                    Ok(Err(Skip::UnknownSchema { .. })) => "UnknownSchema",
                    _ => "UnknownTemplate",
                };
                line.insert("schema_id".into(), json!(msg.schema_id()));
                line.insert("version".into(), json!(msg.version()));
                line.insert("block_length".into(), json!(msg.block_length()));
                line.insert("msg_size".into(), json!(msg.msg_size()));
                line.insert("skipped".into(), json!(reason));
            }
            Err(e) => {
                summary.errors += 1;
                line.insert("error".into(), json!("Malformed"));
                line.insert("detail".into(), json!(e.to_string()));
            }
        }
        emit(Value::Object(line))?;
    }
    Ok(())
}

/// Decodes every frame of the capture `input` and writes JSON lines to `out`.
///
/// # Errors
/// An unreadable capture file (after the frames before the bad spot are
/// written) or a failing `out`; bad frames, packets and messages are reported
/// in the output instead.
pub fn decode_capture(
    input: impl BufRead,
    out: impl Write,
) -> Result<CmeDecodeSummary, DecodeCaptureError> {
    let mut out = io::BufWriter::new(out);
    let mut reader = CaptureReader::new(input)?;
    let mut summary = CmeDecodeSummary::default();
    let mut emit = |v: Value| -> io::Result<()> {
        serde_json::to_writer(&mut out, &v)?;
        out.write_all(b"\n")
    };
    while let Some(frame) = reader.next_frame() {
        let frame = frame?;
        summary.frames += 1;
        let mut info = FrameInfo {
            frame: frame.index,
            ts_capture_ns: frame.ts_capture_ns,
            datagram: None,
        };
        let Some(link) = LinkType::from_dlt(frame.dlt) else {
            summary.errors += 1;
            emit(info.error(
                "UnsupportedLinkType",
                format!("link type (DLT) {} is not supported", frame.dlt),
                None,
            ))?;
            continue;
        };
        let datagram = match dissect(link, &frame.data) {
            Ok(d) => d,
            Err(e) => {
                summary.errors += 1;
                emit(info.error("Frame", e.to_string(), None))?;
                continue;
            }
        };
        info.datagram = Some(&datagram);
        let packet = match datagram.transport {
            Transport::Udp => Packet::new(datagram.payload).map_err(|e| e.to_string()),
            Transport::Tcp if datagram.payload.is_empty() => {
                summary.empty_segments += 1;
                continue;
            }
            Transport::Tcp => tcp::segment_packet(datagram.payload).map_err(|e| e.to_string()),
        };
        match packet {
            Ok(p) => {
                summary.packets += 1;
                packet_lines(&info, &p, &mut summary, &mut emit)?;
            }
            Err(detail) => {
                summary.errors += 1;
                emit(info.error("Packet", detail, None))?;
            }
        }
    }
    out.flush()?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;
    use std::time::Duration;

    use pcap_file::pcap::{PcapPacket, PcapWriter};
    use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
    use pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionBlock;
    use pcap_file::pcapng::PcapNgWriter;
    use pcap_file::DataLink;

    use super::*;

    /// An MDP packet: `seq`, then `messages` (each a template id and root block).
    fn mdp(seq: u32, messages: &[(u16, &[u8])]) -> Vec<u8> {
        let mut p = seq.to_le_bytes().to_vec();
        p.extend_from_slice(&1_700_000_000_000_000_000u64.to_le_bytes());
        for (template, root) in messages {
            p.extend_from_slice(&(10 + root.len() as u16).to_le_bytes());
            p.extend_from_slice(&(root.len() as u16).to_le_bytes());
            p.extend_from_slice(&template.to_le_bytes());
            p.extend_from_slice(&1u16.to_le_bytes());
            p.extend_from_slice(&9u16.to_le_bytes());
            p.extend_from_slice(root);
        }
        p
    }

    fn udp_frame(payload: &[u8], frag: u16) -> Vec<u8> {
        let mut f = vec![1, 0, 0x5e, 0, 0x1f, 1, 0, 0x1c, 0x73, 0, 0, 1, 8, 0];
        let total = (28 + payload.len()) as u16;
        f.extend_from_slice(&[0x45, 0]);
        f.extend_from_slice(&total.to_be_bytes());
        f.extend_from_slice(&[0, 0]);
        f.extend_from_slice(&frag.to_be_bytes());
        f.extend_from_slice(&[64, 17, 0, 0, 10, 0, 0, 1, 224, 0, 31, 1]);
        f.extend_from_slice(&14310u16.to_be_bytes());
        f.extend_from_slice(&14310u16.to_be_bytes());
        f.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
        f.extend_from_slice(&[0, 0]);
        f.extend_from_slice(payload);
        f
    }

    fn frames() -> Vec<Vec<u8>> {
        // 30: SecurityStatus30 root; SecurityID null, ReadyToTrade.
        let mut status = vec![0u8; 30];
        status[8..10].copy_from_slice(b"GH");
        status[20..24].copy_from_slice(&i32::MAX.to_le_bytes());
        status[27] = 17;
        let good = mdp(5, &[(12, &[]), (30, &status)]);
        let mut truncated = mdp(6, &[(12, &[]), (12, &[])]);
        truncated.truncate(truncated.len() - 3); // the second message is cut
        let malformed = mdp(7, &[(4, &[0; 9])]); // ChannelReset4 without its group
        let unknown = mdp(8, &[(64, &[0; 11]), (12, &[])]);
        vec![
            udp_frame(&good, 0),
            udp_frame(&truncated, 0),
            udp_frame(&good, 0x2000), // a fragment
            udp_frame(&malformed, 0),
            udp_frame(&unknown, 0),
            udp_frame(&good, 0),
        ]
    }

    fn lines(out: &[u8]) -> Vec<Value> {
        String::from_utf8(out.to_vec())
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn check(out: &[u8], summary: CmeDecodeSummary) {
        let l = lines(out);
        let kinds: Vec<String> = l
            .iter()
            .map(|v| {
                let frame = v["frame"].as_u64().unwrap();
                let what = v["name"]
                    .as_str()
                    .or(v["error"].as_str())
                    .or(v["skipped"].as_str())
                    .unwrap();
                format!("{frame}:{what}")
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "0:AdminHeartbeat12",
                "0:SecurityStatus30",
                "1:AdminHeartbeat12",
                "1:MessageTruncated",
                "2:Frame",
                "3:Malformed",
                "4:UnknownTemplate",
                "4:AdminHeartbeat12",
                "5:AdminHeartbeat12",
                "5:SecurityStatus30",
            ]
        );
        let status = &l[1];
        assert_eq!(status["venue"], "cme");
        assert_eq!(
            (status["seq"].as_u64(), status["type"].as_u64()),
            (Some(5), Some(30))
        );
        assert_eq!(status["offset"], 22);
        assert_eq!(status["sending_time_ns"], 1_700_000_000_000_000_000u64);
        assert_eq!(status["dst"], "224.0.31.1:14310");
        assert_eq!(status["fields"]["SecurityGroup"], "GH");
        assert_eq!(status["fields"]["SecurityID"], Value::Null);
        assert_eq!(status["fields"]["SecurityTradingStatus"], "ReadyToTrade");
        assert_eq!(l[3]["offset"], 22);
        assert!(l[4]["detail"].as_str().unwrap().contains("fragment"));
        assert_eq!(l[6]["msg_size"], 21);
        assert_eq!(
            summary,
            CmeDecodeSummary {
                frames: 6,
                packets: 5,
                empty_segments: 0,
                counters: DecodeCounters {
                    messages: 6,
                    unknown_schema: 0,
                    unknown_template: 1,
                    malformed: 1
                },
                errors: 3,
            }
        );
    }

    #[test]
    fn pcap_errors_are_lines_and_decoding_goes_on() {
        let mut w = PcapWriter::new(Vec::new()).unwrap();
        for (i, f) in frames().iter().enumerate() {
            let ts = Duration::from_secs(1_700_000_000 + i as u64);
            w.write_packet(&PcapPacket::new(ts, f.len() as u32, f))
                .unwrap();
        }
        let file = w.into_writer();
        let mut out = Vec::new();
        let summary = decode_capture(&file[..], &mut out).unwrap();
        check(&out, summary);
        assert_eq!(
            lines(&out)[0]["ts_capture_ns"],
            1_700_000_000_000_000_000u64
        );
    }

    #[test]
    fn pcapng_decodes_the_same() {
        let mut w = PcapNgWriter::new(Vec::new()).unwrap();
        w.write_pcapng_block(InterfaceDescriptionBlock {
            linktype: DataLink::ETHERNET,
            snaplen: 0,
            options: vec![],
        })
        .unwrap();
        for (i, f) in frames().into_iter().enumerate() {
            w.write_pcapng_block(EnhancedPacketBlock {
                interface_id: 0,
                timestamp: Duration::from_nanos(1_700_000_000_000_000 + i as u64),
                original_len: f.len() as u32,
                data: Cow::Owned(f),
                options: vec![],
            })
            .unwrap();
        }
        let file = w.into_inner();
        let mut out = Vec::new();
        let summary = decode_capture(&file[..], &mut out).unwrap();
        check(&out, summary);
        // default pcapng resolution: microseconds
        assert_eq!(
            lines(&out)[0]["ts_capture_ns"],
            1_700_000_000_000_000_000u64
        );
    }
}
