//! Decoding CME MDP 3.0 allocates nothing: every message of every capture in
//! `../shared/conformance/mdp3/pcap` (and every truncation of every payload)
//! goes through frame dissection, the packet header, message framing,
//! `CmeMessage::decode` with caller-owned counters, the typed accessors of the
//! book and trade entries, and the whole field walk, under the thread-local
//! counting allocator. Its own test binary because it installs that allocator.

mod support;

use std::hint::black_box;

use fixgate::net::pcap::CaptureReader;
use fixgate_core::md::cme::{
    tcp, CmeMessage, DecodeCounters, FieldValue, FieldVisitor, Packet, Visit,
};
use fixgate_core::md::frame::{dissect, LinkType, Transport};
use fixgate_ring::alloc_count::{count_allocations, CountingAllocator};
use support::cme::captures;

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

/// A visitor that only sums what it sees.
#[derive(Default)]
struct Sum {
    fields: u64,
    acc: u64,
}

impl<'a> FieldVisitor<'a> for Sum {
    fn field(&mut self, _name: &'static str, value: FieldValue<'a>) {
        self.fields += 1;
        self.acc = self.acc.wrapping_add(match value {
            FieldValue::Int(i) => i as u64,
            FieldValue::UInt(u) => u,
            FieldValue::Price(p) => p.e9() as u64,
            FieldValue::Str(s) => s.len() as u64,
            _ => 1,
        });
    }
    fn group_start(&mut self, _name: &'static str, count: usize) {
        self.acc = self.acc.wrapping_add(count as u64);
    }
    fn entry_start(&mut self, _index: usize) {}
    fn entry_end(&mut self) {}
    fn group_end(&mut self) {}
}

fn typed(m: &CmeMessage<'_>) -> u64 {
    let mut acc = 0u64;
    match m {
        CmeMessage::Book46(b) => {
            for e in b.md_entries().into_iter().flatten() {
                acc ^= e.md_entry_px().ok().flatten().map_or(0, |p| p.e9() as u64);
                acc ^= e.md_entry_size().unwrap_or(0) as u64;
                acc ^= u64::from(e.rpt_seq().unwrap_or(0));
            }
            for o in b.order_id_entries().into_iter().flatten() {
                acc ^= o.order_id().unwrap_or(0);
            }
        }
        CmeMessage::TradeSummary48(t) => {
            for e in t.md_entries().into_iter().flatten() {
                acc ^= e.md_entry_px().ok().flatten().map_or(0, |p| p.e9() as u64);
            }
        }
        CmeMessage::Book32(b) => {
            for e in b.md_entries().into_iter().flatten() {
                acc ^= e.md_entry_px().ok().flatten().map_or(0, |p| p.e9() as u64);
            }
        }
        _ => {}
    }
    acc
}

/// Decodes one payload; returns (messages decoded, fields walked).
fn decode(transport: Transport, payload: &[u8], counters: &mut DecodeCounters) -> (u64, u64) {
    let packet = match transport {
        Transport::Udp => Packet::new(payload).ok(),
        Transport::Tcp => tcp::segment_packet(payload).ok(),
    };
    let Some(packet) = packet else {
        return (0, 0);
    };
    let (mut n, mut sum) = (0, Sum::default());
    for m in packet.messages() {
        let Ok(m) = m else { break };
        if let Ok(Some(view)) = CmeMessage::decode(m, counters) {
            n += 1;
            view.visit(&mut sum);
            black_box(typed(&view));
        }
    }
    black_box(sum.acc);
    (n, sum.fields)
}

#[test]
fn decoding_every_capture_message_does_not_allocate() {
    let Some(caps) = captures() else {
        return;
    };
    let mut frames = Vec::new();
    for (_, path) in &caps {
        let file = std::fs::read(path).unwrap();
        let mut r = CaptureReader::new(&file[..]).unwrap();
        while let Some(f) = r.next_frame() {
            let f = f.unwrap();
            frames.push((LinkType::from_dlt(f.dlt).unwrap(), f.data.into_owned()));
        }
    }
    let mut counters = DecodeCounters::default();
    let (mut messages, mut fields, mut truncations) = (0, 0, 0);
    for (link, frame) in &frames {
        let (allocs, d) = count_allocations(|| dissect(*link, frame));
        assert_eq!(allocs, 0, "dissect allocated");
        let d = d.unwrap();
        let (allocs, (n, f)) = count_allocations(|| decode(d.transport, d.payload, &mut counters));
        assert_eq!(
            allocs, 0,
            "decoding a capture payload allocated {allocs} times"
        );
        messages += n;
        fields += f;
        // Each message cut short with its MsgSize patched: the views reject it.
        if d.transport == Transport::Udp {
            let msgs: Vec<Vec<u8>> = Packet::new(d.payload)
                .unwrap()
                .messages()
                .map(|m| m.unwrap().bytes().to_vec())
                .collect();
            for m in msgs {
                for cut in 10..m.len() {
                    let mut p = d.payload[..12].to_vec();
                    p.extend_from_slice(&m[..cut]);
                    p[12..14].copy_from_slice(&(cut as u16).to_le_bytes());
                    let (allocs, _) =
                        count_allocations(|| decode(Transport::Udp, &p, &mut counters));
                    assert_eq!(allocs, 0, "decoding a malformed message allocated");
                }
            }
        }
        for cut in 0..d.payload.len() {
            let (allocs, _) =
                count_allocations(|| decode(d.transport, &d.payload[..cut], &mut counters));
            assert_eq!(allocs, 0, "decoding a truncated payload allocated");
            let (allocs, _) = count_allocations(|| black_box(dissect(*link, &frame[..cut])));
            assert_eq!(allocs, 0, "dissecting a truncated frame allocated");
            truncations += 1;
        }
    }
    println!(
        "cme no-alloc: {} frames, {messages} messages, {fields} fields, {truncations} truncations decoded without allocating",
        frames.len()
    );
    assert_eq!(messages, 33);
    assert!(counters.malformed > 0 && counters.unknown_schema > 0);
}
