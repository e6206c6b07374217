//! `fixgate decode FILE.pcap --events`: the capture through the CME adapter
//! and the normalizer; one JSON line per normalized event (see
//! [`cme_event_json`](super::cme_event_json)) instead of one per message.
//!
//! ```text
//! {"venue":"cme","kind":"level","flags":["MBP"],"instrument":157660,"seq":1028095,"ts_recv_ns":..,
//!  "ts_event_ns":..,"ts_in_delta_ns":..,"side":"ask","level":1,"price":"15230","price_e9":15230000000000,
//!  "qty":0,"order_count":0,"action":"cancel","rpt_seq":411}
//! {"venue":"cme","frame":0,"seq":1028095,"refused":"Normalize","template":46,"entry":0,"detail":".."}
//! {"venue":"cme","frame":2,"seq":7,"skipped":"DuplicatePacket"}
//! {"venue":"cme","note":"EndOfEventMissing","detail":".."}
//! ```
//!
//! One channel for the whole capture; each packet's feed is guessed from its
//! templates ([`Feed::of_packet`]), and every feed's `MsgSeqNum` drops
//! duplicates, so an A/B capture is normalized once. Instruments without a
//! definition in the capture get a placeholder (10 outright, 2 implied levels:
//! CME's futures depths), so captures of incrementals alone still build books;
//! entries that do not fit a book (a capture starts mid-session, its books
//! empty) are refused and printed as `refused` lines. `ts_recv` is the
//! capture's timestamp; events get `BAD_TS_RECV` when the capture has none or
//! it is before the packet's `SendingTime` (the v5 samples say 1970). A capture
//! that ends inside a venue event gets its events published anyway, after a
//! `note` line. Events are printed when their venue event ends.

use std::io::{self, BufRead, Write};

use fixgate_core::event::{Event, EventFlags};
use fixgate_core::md::cme::{tcp, Packet};
use fixgate_core::md::frame::{dissect, LinkType, Transport};
use fixgate_core::normalize::cme::{
    CmeConfig, CmeCounters, CmeNormalizer, Feed, PacketIn, PacketOutcome, Refusal, RefusalReason,
    UnknownInstrumentPolicy,
};
use fixgate_core::normalize::registry::BookDepth;
use fixgate_core::normalize::NormalizeCounters;
use fixgate_core::time::UtcNanos;
use serde_json::{json, Map, Value};

use super::cme_event_json::event_json;
use super::decode_cme::DecodeCaptureError;
use crate::net::pcap::CaptureReader;

/// What an events run saw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CmeEventsSummary {
    /// Frames read.
    pub frames: u64,
    /// Event lines printed.
    pub events: u64,
    /// Error lines printed (frames that are not MDP packets).
    pub errors: u64,
    /// The adapter's counters.
    pub cme: CmeCounters,
    /// The normalizer's counters.
    pub normalizer: NormalizeCounters,
}

impl std::fmt::Display for CmeEventsSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = &self.cme;
        write!(
            f,
            "frames={} packets={} events={} duplicate_packets={} packet_gaps={} messages={} skipped_templates={} refused={} auto_defined={} definitions={} snapshots={} fills={} venue_events={} errors={}",
            self.frames,
            c.packets,
            self.events,
            c.duplicate_packets,
            c.packet_gaps,
            c.decode.messages,
            c.decode.unknown_template + c.decode.unknown_schema,
            c.refused,
            c.auto_defined,
            c.definitions,
            c.snapshots,
            c.fills,
            self.normalizer.venue_events,
            self.errors
        )
    }
}

fn reason_name(r: &RefusalReason) -> &'static str {
    match r {
        RefusalReason::Packet(_) => "Packet",
        RefusalReason::Decode(_) => "Malformed",
        RefusalReason::Normalize(_) => "Normalize",
        RefusalReason::Price(_) => "PriceOverflow",
        RefusalReason::UnknownInstrument { .. } => "UnknownInstrument",
        RefusalReason::BadSecurityId { .. } => "BadSecurityId",
        RefusalReason::UnsupportedEntryType { .. } => "UnsupportedEntryType",
        RefusalReason::UnsupportedAction { .. } => "UnsupportedAction",
        RefusalReason::BadQuantity { .. } => "BadQuantity",
        RefusalReason::MissingField { .. } => "MissingField",
        RefusalReason::BadReference { .. } => "BadReference",
        RefusalReason::BadText { .. } => "BadText",
    }
}

fn refusal_json(frame: u64, r: &Refusal) -> Value {
    let mut m = Map::new();
    m.insert("venue".into(), json!("cme"));
    m.insert("frame".into(), json!(frame));
    m.insert("seq".into(), json!(r.sequence));
    m.insert("refused".into(), json!(reason_name(&r.reason)));
    m.insert("template".into(), json!(r.template.0));
    m.insert("entry".into(), json!(r.entry));
    m.insert("detail".into(), json!(r.reason.to_string()));
    Value::Object(m)
}

/// Normalizes every frame of the capture `input` and writes JSON lines to `out`.
///
/// # Errors
/// An unreadable capture file (after what came before is written) or a
/// failing `out`.
pub fn decode_capture_events(
    input: impl BufRead,
    out: impl Write,
) -> Result<CmeEventsSummary, DecodeCaptureError> {
    let mut out = io::BufWriter::new(out);
    let mut emit = |v: &Value| -> io::Result<()> {
        serde_json::to_writer(&mut out, v)?;
        out.write_all(b"\n")
    };
    let mut reader = CaptureReader::new(input)?;
    let mut config = CmeConfig::channel(0, 4096, 1 << 16);
    config.unknown_instruments = UnknownInstrumentPolicy::Define(BookDepth {
        outright: 10,
        implied: 2,
    });
    let mut cme = CmeNormalizer::new(config, Vec::<Event>::new());
    let mut summary = CmeEventsSummary::default();
    let mut refusals: Vec<Refusal> = Vec::new();
    while let Some(frame) = reader.next_frame() {
        let frame = frame?;
        summary.frames += 1;
        let error = |kind: &str, detail: String| json!({"venue": "cme", "frame": frame.index, "error": kind, "detail": detail});
        let Some(link) = LinkType::from_dlt(frame.dlt) else {
            summary.errors += 1;
            emit(&error(
                "UnsupportedLinkType",
                format!("link type (DLT) {}", frame.dlt),
            ))?;
            continue;
        };
        let datagram = match dissect(link, &frame.data) {
            Ok(d) => d,
            Err(e) => {
                summary.errors += 1;
                emit(&error("Frame", e.to_string()))?;
                continue;
            }
        };
        let payload = match datagram.transport {
            Transport::Udp => datagram.payload,
            Transport::Tcp if datagram.payload.is_empty() => continue,
            Transport::Tcp => match tcp::segment_packet(datagram.payload) {
                Ok(_) => &datagram.payload[2..],
                Err(e) => {
                    summary.errors += 1;
                    emit(&error("Packet", e.to_string()))?;
                    continue;
                }
            },
        };
        let (feed, sending_time_ns) = match Packet::new(payload) {
            Ok(p) => (Feed::of_packet(&p), p.sending_time_ns()),
            Err(_) => (Feed::Incremental, 0),
        };
        let mut recv_flags = EventFlags::empty();
        let ts_recv = frame.ts_capture_ns.unwrap_or(0);
        if frame.ts_capture_ns.is_none() || ts_recv < sending_time_ns {
            recv_flags |= EventFlags::BAD_TS_RECV;
        }
        let rx = PacketIn {
            feed,
            ts_recv_ns: UtcNanos::from_nanos(ts_recv),
            recv_flags,
        };
        let outcome = cme.handle_packet_with(rx, payload, &mut |r| refusals.push(r));
        for r in refusals.drain(..) {
            emit(&refusal_json(frame.index, &r))?;
        }
        if let Ok(PacketOutcome::Duplicate { .. }) = outcome {
            let seq = Packet::new(payload).map_or(0, |p| p.seq());
            emit(
                &json!({"venue": "cme", "frame": frame.index, "seq": seq, "skipped": "DuplicatePacket"}),
            )?;
        }
        for e in cme.normalizer_mut().sink_mut().drain(..) {
            summary.events += 1;
            emit(&event_json(&e))?;
        }
    }
    if cme.normalizer().in_event() {
        emit(&json!({"venue": "cme", "note": "EndOfEventMissing",
            "detail": "the capture ended inside a venue event; its events follow, published without the venue's EndOfEvent"}))?;
        cme.end_open_event();
        for e in cme.normalizer_mut().sink_mut().drain(..) {
            summary.events += 1;
            emit(&event_json(&e))?;
        }
    }
    summary.cme = cme.counters();
    summary.normalizer = cme.normalizer().counters();
    out.flush()?;
    Ok(summary)
}
