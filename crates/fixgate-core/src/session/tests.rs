//! Two sessions wired back to back with a manual clock: logon, the
//! authenticator, NextExpectedMsgSeqNum.

use std::sync::Arc;

use super::*;
use crate::fix::dictionary::fixgate44;
use crate::fix::{Message, MsgType, Tag};
use crate::time::UtcNanos;

#[derive(Default)]
struct Recorder {
    got: Vec<Vec<u8>>,
    refuse_password: Option<&'static [u8]>,
}

impl Application for Recorder {
    fn on_message(&mut self, msg: &Message<'_>, _out: &mut Outbox<'_>) -> Result<(), AppReject> {
        self.got.push(msg.bytes().to_vec());
        Ok(())
    }
    fn authenticate(&mut self, logon: &Message<'_>) -> Result<(), String> {
        match (self.refuse_password, logon.raw(Tag(554))) {
            (Some(bad), Ok(p)) if p == bad => Err("Invalid password".to_string()),
            _ => Ok(()),
        }
    }
}

fn order(id: &str) -> impl FnOnce(&mut crate::fix::encode::Encoder<'_>) + '_ {
    move |e| {
        e.field(Tag(11), id.as_bytes());
        e.char(Tag(21), b'1');
        e.char(Tag(40), b'1');
        e.char(Tag(54), b'1');
        e.field(Tag(55), b"GPUH6");
        e.field(Tag(60), b"20260316-14:30:00.000");
    }
}

const T0: u64 = 1_773_671_400_000_000_000;

fn pair(tweak: impl Fn(&mut SessionConfig)) -> (Session<MemoryStore>, Session<MemoryStore>) {
    let dict = Arc::new(fixgate44());
    let mut c = SessionConfig::new("FIX.4.4", "CLIENT", "VENUE", Role::Initiator);
    let mut v = SessionConfig::new("FIX.4.4", "VENUE", "CLIENT", Role::Acceptor);
    tweak(&mut c);
    tweak(&mut v);
    let now = UtcNanos::from_nanos(T0);
    (
        Session::new(c, MemoryStore::new(now), Some(dict.clone()), None),
        Session::new(v, MemoryStore::new(now), Some(dict), None),
    )
}

/// Moves bytes both ways until nothing is pending; returns disconnect reasons seen.
fn pump(
    a: &mut Session<MemoryStore>,
    aa: &mut Recorder,
    b: &mut Session<MemoryStore>,
    ba: &mut Recorder,
    now: UtcNanos,
) -> Vec<DisconnectReason> {
    let mut reasons = Vec::new();
    for _ in 0..100 {
        let out = a.poll_transmit().to_vec();
        a.transmitted(out.len());
        b.handle_input(now, &out, ba);
        let back = b.poll_transmit().to_vec();
        b.transmitted(back.len());
        a.handle_input(now, &back, aa);
        for s in [&mut *a, &mut *b] {
            while let Some(e) = s.poll_event() {
                if let SessionEvent::Disconnect(r) = e {
                    reasons.push(r);
                }
            }
        }
        if out.is_empty() && back.is_empty() {
            break;
        }
    }
    reasons
}

#[test]
fn logon_and_application_messages_flow() {
    let (mut c, mut v) = pair(|_| {});
    let (mut ca, mut va) = (Recorder::default(), Recorder::default());
    let now = UtcNanos::from_nanos(T0);
    c.handle_connect(now);
    v.handle_connect(now);
    assert!(pump(&mut c, &mut ca, &mut v, &mut va, now).is_empty());
    assert!(c.is_logged_on() && v.is_logged_on());
    c.send(now, MsgType::NEW_ORDER_SINGLE, order("ORD1"))
        .unwrap();
    pump(&mut c, &mut ca, &mut v, &mut va, now);
    assert_eq!(va.got.len(), 1);
    assert_eq!(v.seq_nums(), (2, 3));
    assert_eq!(c.seq_nums(), (3, 2));
}

#[test]
fn the_authenticator_refuses_a_logon_with_a_logout() {
    let (mut c, mut v) = pair(|cfg| {
        cfg.username = Some("trader".into());
        cfg.password = Some("wrong".into());
    });
    let (mut ca, mut va) = (
        Recorder::default(),
        Recorder {
            refuse_password: Some(b"wrong"),
            ..Default::default()
        },
    );
    let now = UtcNanos::from_nanos(T0);
    c.handle_connect(now);
    v.handle_connect(now);
    let out = c.poll_transmit().to_vec();
    assert!(String::from_utf8_lossy(&out).contains("\x01553=trader\x01554=wrong\x01"));
    let reasons = pump(&mut c, &mut ca, &mut v, &mut va, now);
    assert!(
        reasons.contains(&DisconnectReason::LogonRejected),
        "{reasons:?}"
    );
    assert!(!v.is_logged_on());
}

#[test]
fn next_expected_msg_seq_num_resends_what_the_peer_missed() {
    let (mut c, mut v) = pair(|cfg| cfg.enable_next_expected_msg_seq_num = true);
    let (mut ca, mut va) = (Recorder::default(), Recorder::default());
    let mut now = UtcNanos::from_nanos(T0);
    c.handle_connect(now);
    v.handle_connect(now);
    pump(&mut c, &mut ca, &mut v, &mut va, now);
    assert!(c.is_logged_on());
    // The venue sends two messages the client never reads, then the link drops.
    for i in 0..2u8 {
        v.send(now, MsgType::NEW_ORDER_SINGLE, order(&format!("V{i}")))
            .unwrap();
    }
    let lost = v.poll_transmit().len();
    v.transmitted(lost);
    c.handle_disconnect(now, &mut ca);
    v.handle_disconnect(now, &mut va);
    now = now.saturating_add_nanos(1_000_000_000);
    c.handle_connect(now);
    v.handle_connect(now);
    let logon = String::from_utf8_lossy(c.poll_transmit()).into_owned();
    assert!(logon.contains("\x01789=2\x01"), "{logon}");
    pump(&mut c, &mut ca, &mut v, &mut va, now);
    assert_eq!(ca.got.len(), 2, "both missed messages resent");
    assert!(ca
        .got
        .iter()
        .all(|m| String::from_utf8_lossy(m).contains("\x0143=Y\x01")));
}

#[test]
fn a_gap_is_asked_for_in_chunks() {
    let (mut c, mut v) = pair(|cfg| cfg.resend_request_chunk_size = 2);
    let (mut ca, mut va) = (Recorder::default(), Recorder::default());
    let now = UtcNanos::from_nanos(T0);
    c.handle_connect(now);
    v.handle_connect(now);
    pump(&mut c, &mut ca, &mut v, &mut va, now);
    // Four orders are lost on the way; the fifth arrives.
    for i in 0..4 {
        c.send(now, MsgType::NEW_ORDER_SINGLE, order(&format!("L{i}")))
            .unwrap();
    }
    let lost = c.poll_transmit().len();
    c.transmitted(lost);
    c.send(now, MsgType::NEW_ORDER_SINGLE, order("LAST"))
        .unwrap();
    pump(&mut c, &mut ca, &mut v, &mut va, now);
    assert_eq!(v.counters().resend_requests_sent, 2, "2..=3, then 4..=5");
    assert_eq!(va.got.len(), 5);
    assert!(String::from_utf8_lossy(va.got.last().unwrap()).contains("\x0111=LAST\x01"));
    assert_eq!(v.seq_nums().1, c.seq_nums().0);
}
