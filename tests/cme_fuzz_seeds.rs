//! Seeds for the `md_cme_decode` fuzz corpus, built only from synthetic
//! messages (the committed corpus must not carry capture bytes, whose licence
//! forbids republishing them).
//!
//! Two sources: every template of the v9 schema encoded by `cme_synth` at
//! several versions, block lengths, entry counts and trailing lengths (so the
//! templates fixgate skips are seeded too), and the hand-made packets of every
//! template the adapter maps (`cme_hand_made`). Each packet is written as a UDP
//! payload; some also as a conflated TCP segment (`0xCAFE` marker) and inside an
//! Ethernet / raw IPv4 / Linux SLL frame, the three ways the check takes its
//! input.
//!
//! Always: builds the seeds and runs the fuzz target's check over each (so a
//! seed that trips the check fails here). With `FIXGATE_CME_SEED_DIR=<dir>`:
//! also writes them there as `seed-NNNN`, for
//! `cargo +nightly fuzz run md_cme_decode -s none <scratch> <dir>` and a
//! `-merge=1` into `fuzz/corpus/md_cme_decode`.

mod support;

use fixgate_core::md::sbe::Schema;
use support::cme_hand_made::hand_made;
use support::cme_synth::{message, packet, Layout, Rng};

#[path = "../fuzz/checks/md_cme_decode.rs"]
mod md_cme_decode;

/// One message per schema template and layout, each in its own packet, and one
/// packet per template holding three of them back to back.
fn synthetic_packets(schema: &Schema) -> Vec<Vec<u8>> {
    let mut rng = Rng(0x5eed_c0de_1234_5678);
    let mut out = Vec::new();
    let layouts = [
        (9, 0, 1, 0),
        (9, 0, 3, 0),
        (9, 0, 0, 7),
        (5, 0, 2, 0),
        (8, -3, 1, 0),
        (12, 5, 2, 3),
    ];
    for (seq, def) in schema.messages.values().enumerate() {
        let mut packed = Vec::new();
        for (version, block_delta, entries, trailing) in layouts {
            let layout = Layout {
                version,
                block_delta,
                entries,
                trailing,
            };
            let m = message(schema, def, layout, &[], &[], &mut rng);
            if packed.len() < 3 {
                packed.push(m.clone());
            }
            out.push(packet(seq as u32 + 1, &[m]));
        }
        out.push(packet(seq as u32 + 1, &packed));
    }
    out
}

fn udp(payload: &[u8]) -> Vec<u8> {
    let mut u = 14310u16.to_be_bytes().to_vec();
    u.extend_from_slice(&14310u16.to_be_bytes());
    u.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    u.extend_from_slice(&[0, 0]);
    u.extend_from_slice(payload);
    u
}

fn ipv4_udp(payload: &[u8]) -> Vec<u8> {
    let datagram = udp(payload);
    let total = (20 + datagram.len()) as u16;
    let mut h = vec![0x45, 0];
    h.extend_from_slice(&total.to_be_bytes());
    h.extend_from_slice(&[0, 0, 0x40, 0, 64, 17, 0, 0]);
    h.extend_from_slice(&[10, 0, 0, 1, 224, 0, 31, 1]);
    h.extend(datagram);
    h
}

/// The ways one packet is written: the UDP payload, and every fifth packet
/// also as a TCP segment and in the three link framings.
fn framings(i: usize, p: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![p.to_vec()];
    if i.is_multiple_of(5) {
        let mut tcp = vec![0xfe, 0xca];
        tcp.extend_from_slice(p);
        out.push(tcp);
        let ip = ipv4_udp(p);
        let mut eth = vec![1, 0, 0x5e, 0, 0x1f, 1, 0, 0x1c, 0x73, 0, 0, 1, 0x08, 0];
        eth.extend_from_slice(&ip);
        out.push(eth);
        let mut sll = vec![0; 14];
        sll.extend_from_slice(&[0x08, 0]);
        sll.extend_from_slice(&ip);
        out.push(sll);
        out.push(ip);
    }
    out
}

#[test]
fn synthetic_md_cme_decode_seeds() {
    let Some(schema) = support::cme::schema() else {
        return;
    };
    let mut packets = synthetic_packets(&schema);
    packets.extend(hand_made().into_iter().map(|(_, p)| p));
    let seeds: Vec<Vec<u8>> = packets
        .iter()
        .enumerate()
        .flat_map(|(i, p)| framings(i, p))
        .collect();
    for s in &seeds {
        md_cme_decode::check(&schema, s);
    }
    println!(
        "md_cme_decode seeds: {} ({} packets of {} templates and the hand-made stream)",
        seeds.len(),
        packets.len(),
        schema.messages.len()
    );
    assert!(seeds.len() > schema.messages.len() * 7);
    let Ok(dir) = std::env::var("FIXGATE_CME_SEED_DIR") else {
        return;
    };
    std::fs::create_dir_all(&dir).expect("create the seed directory");
    for (i, s) in seeds.iter().enumerate() {
        std::fs::write(format!("{dir}/seed-{i:04}"), s).expect("write a seed");
    }
    println!("wrote {} seeds to {dir}", seeds.len());
}
