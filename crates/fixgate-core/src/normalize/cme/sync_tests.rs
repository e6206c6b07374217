//! The gates of `sync.rs`, driven directly: one instrument, state by state.

use super::sync::{InstrumentSync, OrderData, ReplayKind, SyncState};
use super::{CmeConfig, CmeNormalizer};
use crate::event::Event;
use crate::normalize::registry::{
    DefinitionAction, DefinitionOutcome, InstrumentDef, Slot, Symbol,
};
use crate::types::InstrumentId;

const ID: InstrumentId = InstrumentId(7);

fn channel(orders: OrderData) -> (CmeNormalizer<Vec<Event>>, Slot) {
    let mut cme = CmeNormalizer::new(CmeConfig::channel(310, 4, 16), Vec::new());
    cme.enable_sync(orders);
    let def = InstrumentDef::new(ID, Symbol::EMPTY);
    let slot = match cme.norm.handle_definition(DefinitionAction::Add, &def) {
        Ok(DefinitionOutcome::Added(slot)) => slot,
        other => panic!("{other:?}"),
    };
    cme.sync_added(slot);
    (cme, slot)
}

fn levels(cme: &CmeNormalizer<Vec<Event>>) -> SyncState {
    cme.sync(ID).unwrap().levels
}

#[test]
fn off_by_default_every_entry_passes() {
    let mut cme = CmeNormalizer::new(CmeConfig::channel(310, 4, 16), Vec::<Event>::new());
    let slot = Slot::from_index(0);
    assert!(cme.levels_gate(ID, slot, Some(9)));
    assert!(cme.orders_gate(slot));
    assert!(cme.snapshot_levels_gate(slot, 0));
}

#[test]
fn a_gap_is_proven_by_the_next_rpt_seq_or_held() {
    let (mut cme, slot) = channel(OrderData::Absent);
    cme.rpt.set(slot, 10);
    assert_eq!(cme.hold_all(SyncState::Unverified), 1);
    assert!(cme
        .norm
        .mbp(ID, crate::normalize::book::BookKind::Outright)
        .unwrap()
        .is_suspect());
    // Already applied: passes the gate, the RptSeq check skips it.
    assert!(cme.levels_gate(ID, slot, Some(9)));
    assert_eq!(levels(&cme), SyncState::Unverified);
    assert!(cme.levels_gate(ID, slot, Some(11)));
    assert_eq!(levels(&cme), SyncState::Live);
    assert_eq!(cme.sync_counters().proven, 1);
    // Orders are not waited for on a channel without order data.
    assert!(cme.sync(ID).unwrap().orders.is_live());

    cme.hold_all(SyncState::Unverified);
    assert!(!cme.levels_gate(ID, slot, Some(13)), "12 is missing");
    assert_eq!(levels(&cme), SyncState::Held);
    assert!(!cme.levels_gate(ID, slot, Some(14)));
    assert_eq!(cme.sync_counters().held_entries, 2);
    assert!(cme.take_sync_changes().changed);
}

#[test]
fn snapshots_need_a_held_instrument_and_a_fitting_sequence() {
    let (mut cme, slot) = channel(OrderData::Present);
    // Live: not needed.
    cme.set_snapshot_floor(Some(0));
    cme.set_snapshot_ceiling(1000);
    assert!(!cme.snapshot_levels_gate(slot, 50));
    cme.hold_all(SyncState::Held);
    assert_eq!(cme.sync(ID).unwrap().orders, SyncState::Held);
    cme.set_snapshot_floor(Some(40));
    cme.set_snapshot_ceiling(60);
    assert!(!cme.snapshot_levels_gate(slot, 39), "older than the floor");
    assert!(!cme.snapshot_levels_gate(slot, 61), "past the ceiling");
    assert!(cme.snapshot_levels_gate(slot, 45));
    assert_eq!(levels(&cme), SyncState::Pending { after_seq: 45 });
    assert!(!cme.snapshot_levels_gate(slot, 46), "already pending");
    assert_eq!(cme.sync_counters().snapshots_ignored, 4);
}

#[test]
fn a_53_needs_every_chunk_in_order() {
    let (mut cme, slot) = channel(OrderData::Present);
    cme.hold_all(SyncState::Held);
    cme.set_snapshot_floor(Some(10));
    cme.set_snapshot_ceiling(100);
    assert!(
        !cme.snapshot_orders_gate(ID, slot, 2, 3, 20),
        "must start at 1"
    );
    assert!(cme.snapshot_orders_gate(ID, slot, 1, 3, 20));
    assert!(cme.snapshot_orders_gate(ID, slot, 2, 3, 20));
    // Chunk 3 lost: the next loop's chunk 1 starts over.
    assert!(cme.snapshot_orders_gate(ID, slot, 1, 3, 30));
    assert_eq!(cme.sync_counters().chunk_breaks, 1);
    assert!(cme.snapshot_orders_gate(ID, slot, 2, 3, 30));
    assert!(cme.snapshot_orders_gate(ID, slot, 3, 3, 30));
    assert_eq!(
        cme.sync(ID).unwrap().orders,
        SyncState::Pending { after_seq: 30 }
    );
}

#[test]
fn replays_admit_one_instrument_and_kind() {
    let (mut cme, slot) = channel(OrderData::Present);
    let other = Slot::from_index(1);
    cme.sync.replay = Some((slot, ReplayKind::Levels));
    assert!(cme.levels_gate(ID, slot, Some(1)));
    assert!(!cme.levels_gate(ID, other, Some(1)));
    assert!(!cme.orders_gate(slot));
    cme.sync.replay = Some((slot, ReplayKind::Orders));
    assert!(cme.orders_gate(slot));
    assert!(cme.replaying_orders(slot));
    cme.sync.replay = None;
}

#[test]
fn ahead_until_the_feed_passes_the_snapshot_and_reset_makes_all_live() {
    let (mut cme, slot) = channel(OrderData::Absent);
    cme.set_sync_at(
        slot,
        InstrumentSync {
            levels: SyncState::Ahead { through_seq: 20 },
            orders: SyncState::Live,
        },
    );
    cme.sync.packet_seq = 20;
    assert!(
        !cme.levels_gate(ID, slot, Some(5)),
        "covered by the snapshot"
    );
    cme.sync.packet_seq = 21;
    assert!(cme.levels_gate(ID, slot, Some(6)));
    assert_eq!(levels(&cme), SyncState::Live);
    cme.hold_all(SyncState::Held);
    cme.sync_reset();
    assert!(cme.sync(ID).unwrap().is_live());
    assert!(cme.take_sync_changes().reset);
}
