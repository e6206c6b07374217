//! Checks for the `md_cme_decode` fuzz target: the CME MDP 3.0 decoder on
//! arbitrary bytes, taken three ways — as a UDP payload (packet header and
//! messages), as a conflated TCP segment (`0xCAFE` marker, then a packet), and
//! as a captured frame of each supported link type (then its payload as a
//! packet). Invariants:
//!
//! - nothing panics;
//! - messages are framed back to back: each starts where the previous ended
//!   and holds exactly `MsgSize` bytes;
//! - for every framed message, the hand-written views and the generic SBE
//!   interpreter (loaded from the v9 schema XML) agree: both decode it to the
//!   same fields, values, groups, entry counts and trailing length, or both
//!   reject it, or both skip it (`cross_check` is not a `Mismatch`);
//! - a decoded view's field walk and the typed accessors of its entries run;
//! - a dissected frame's payload lies inside the frame.
//!
//! Shared by `fuzz/fuzz_targets/md_cme_decode.rs` and `tests/fuzz_corpus_md.rs`.

use fixgate_core::md::cme::cross_check::cross_check;
use fixgate_core::md::cme::{
    tcp, CmeMessage, DecodeCounters, FieldValue, FieldVisitor, Packet, Visit,
};
use fixgate_core::md::frame::{dissect, LinkType};
use fixgate_core::md::sbe::Schema;

/// Counts what the field walk reports.
struct Count(usize);

impl<'a> FieldVisitor<'a> for Count {
    fn field(&mut self, _name: &'static str, _value: FieldValue<'a>) {
        self.0 += 1;
    }
    fn group_start(&mut self, _name: &'static str, _count: usize) {}
    fn entry_start(&mut self, _index: usize) {}
    fn entry_end(&mut self) {}
    fn group_end(&mut self) {}
}

fn typed(view: &CmeMessage<'_>) {
    match view {
        CmeMessage::Book46(b) => {
            for e in b.md_entries().into_iter().flatten() {
                let _ = (e.md_entry_px(), e.md_entry_size(), e.md_entry_type());
            }
            for o in b.order_id_entries().into_iter().flatten() {
                let _ = (o.order_id(), o.reference_id(), o.order_update_action());
            }
        }
        CmeMessage::Book32(b) => {
            for e in b.md_entries().into_iter().flatten() {
                let _ = (e.md_entry_px(), e.number_of_orders());
            }
        }
        CmeMessage::TradeSummary42(t) => {
            for e in t.md_entries().into_iter().flatten() {
                let _ = (e.md_entry_px(), e.md_trade_entry_id(), e.aggressor_side());
            }
        }
        CmeMessage::InstrumentDefinitionFuture27(d) => {
            let r = d.root();
            let _ = (r.symbol(), r.display_factor(), r.maturity_month_year());
        }
        _ => {}
    }
}

fn packet(schema: &Schema, p: Packet<'_>) {
    let mut counters = DecodeCounters::default();
    let mut offset = 12;
    for m in p.messages() {
        let Ok(m) = m else { break };
        assert_eq!(m.offset(), offset, "messages are back to back");
        assert_eq!(m.bytes().len(), usize::from(m.msg_size()));
        offset += usize::from(m.msg_size());
        if let Err(e) = cross_check(schema, m) {
            panic!("{e}");
        }
        if let Ok(Some(view)) = CmeMessage::decode(m, &mut counters) {
            let mut n = Count(0);
            view.visit(&mut n);
            typed(&view);
        }
    }
}

/// Runs the `md_cme_decode` checks on one fuzz input.
///
/// # Panics
/// When an invariant of the module doc does not hold.
pub fn check(schema: &Schema, data: &[u8]) {
    if let Ok(p) = Packet::new(data) {
        packet(schema, p);
    }
    if let Ok(p) = tcp::segment_packet(data) {
        packet(schema, p);
    }
    for link in [LinkType::Ethernet, LinkType::RawIpv4, LinkType::LinuxSll] {
        if let Ok(d) = dissect(link, data) {
            let start = data.as_ptr() as usize;
            let at = d.payload.as_ptr() as usize;
            assert!(at >= start && at + d.payload.len() <= start + data.len());
            if let Ok(p) = Packet::new(d.payload) {
                packet(schema, p);
            }
        }
    }
}
