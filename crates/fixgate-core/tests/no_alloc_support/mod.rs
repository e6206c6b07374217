//! Support shared by the no-allocation tests (`fix_no_alloc_framing`,
//! `fix_no_alloc_validation`, `fix_no_alloc_encoding`); each includes it with
//! `mod no_alloc_support;` and installs the counting global allocator itself (a
//! `#[global_allocator]` belongs to one binary).
//!
//! It holds `no_alloc`, which runs a step under the counter and asserts that it
//! allocated nothing, and the test messages: `frame` and `msg` build a message
//! with BodyLength and CheckSum computed, `execution_report` and `new_order`
//! the two messages with nested groups.

#![allow(
    dead_code,
    reason = "each no-allocation test binary uses part of the support code"
)]

use fixgate_ring::alloc_count::count_allocations;

/// Runs `f` and asserts that it allocated nothing.
pub fn no_alloc<R>(step: &str, f: impl FnOnce() -> R) -> R {
    let (allocs, result) = count_allocations(f);
    assert_eq!(allocs, 0, "{step}: allocated {allocs} times");
    result
}

/// A message with `|` for SOH, BodyLength and CheckSum computed here.
pub fn frame(begin: &str, body: &str) -> Vec<u8> {
    let body = body.replace('|', "\x01");
    let mut m = format!("8={begin}\x019={}\x01{body}", body.len()).into_bytes();
    let sum = m.iter().fold(0u8, |a, &b| a.wrapping_add(b));
    m.extend_from_slice(format!("10={sum:03}\x01").as_bytes());
    m
}

pub const HEADER: &str = "34=7|43=N|49=VENUE|52=20260316-14:30:00.123|56=CLIENT|";

pub fn msg(msg_type: &str, body: &str) -> Vec<u8> {
    frame("FIX.4.4", &format!("35={msg_type}|{HEADER}{body}"))
}

/// An ExecutionReport with three levels of nested groups (NoLegs → NoNested-
/// PartyIDs → NoNestedPartySubIDs) and a data field holding SOH.
pub fn execution_report(legs: &str) -> Vec<u8> {
    msg(
        "8",
        &format!(
            "37=O1|17=E1|150=0|39=0|55=GPUH6|54=1|555={legs}|\
             600=L1|687=10|539=1|524=NP|525=D|538=1|804=2|545=S1|805=1|545=S2|805=2|654=R1|\
             600=L2|687=-20.5|\
             151=100|14=0|6=228.50|60=20260316-14:30:00.123456789|58=hi|354=5|355=a|b=c|"
        ),
    )
}

/// A NewOrderSingle with Parties and a nested PtysSubGrp.
pub fn new_order(parties: &str) -> Vec<u8> {
    msg(
        "D",
        &format!(
            "11=ID1|453={parties}|448=P1|447=D|452=1|802=1|523=S|803=1|448=P2|447=D|452=3|\
             55=INTC|54=1|60=20260316-14:30:00|38=100|40=2|44=12.5|"
        ),
    )
}
