//! QuickFIX's rules for one clean message on a clean link, checked against what the session did.

use super::*;

impl Harness {
    /// QuickFIX's rules for one well-formed message on a clean link, logged on.
    pub(super) fn oracle(&mut self, spec: &Spec, before: (u64, u64)) {
        let after = self.s.seq_nums();
        let o = &self.out;
        let t = spec.msg_type;
        let ctx = || format!("{spec}: {}", o.summary());
        if !spec.well_formed() || t == b"A" || t == b"2" && spec.seq != Seq::Expected {
            return;
        }
        if !spec.in_dictionary() {
            // The validator rejects it before any other check.
            if spec.seq == Seq::Expected && spec.ids == Ids::Right && spec.time == Time::Now {
                assert!(o.rejects(b"11"), "Reject of an unknown MsgType: {}", ctx());
                assert_eq!(after.1, before.1 + 1, "{}", ctx());
            }
            return;
        }
        let time_ok = matches!(spec.time, Time::Now | Time::Near(_));
        let time_bad = matches!(spec.time, Time::Far(_));
        let ids_ok = spec.ids == Ids::Right;
        let ids_bad = matches!(spec.ids, Ids::WrongSender | Ids::WrongTarget);
        // QuickFIX's verify(): which types have their MsgSeqNum checked.
        let gap_fill = t == b"4" && spec.field(123) == Some(b"Y");
        let high_checked = !matches!(t, b"2" | b"3" | b"4" | b"5") || gap_fill;
        let low_checked = high_checked || t == b"3";
        if time_bad && ids_ok && spec.seq == Seq::Expected {
            assert!(
                o.rejects(b"10"),
                "SendingTime accuracy Reject expected: {}",
                ctx()
            );
            assert!(
                o.count(b"5") == 1,
                "Logout after the SendingTime Reject: {}",
                ctx()
            );
            return;
        }
        if time_ok && ids_bad && spec.seq == Seq::Expected {
            assert!(o.rejects(b"9"), "CompID Reject expected: {}", ctx());
            assert!(
                o.count(b"5") == 1,
                "Logout after the CompID Reject: {}",
                ctx()
            );
            return;
        }
        if !(time_ok && ids_ok) {
            return;
        }
        if let (Seq::Below(_), Some(n), true) = (spec.seq, spec.seq_num, low_checked) {
            if !spec.poss_dup {
                assert_eq!(
                    o.disconnect(),
                    Some(DisconnectReason::SeqNumTooLow {
                        expected: before.1,
                        received: n
                    }),
                    "MsgSeqNum too low: {}",
                    ctx()
                );
                let text = format!("MsgSeqNum too low, expecting {} but received {n}", before.1);
                assert!(
                    o.sent
                        .iter()
                        .any(|s| s.is(b"5") && s.get(58) == Some(text.as_bytes())),
                    "Logout naming the sequence numbers: {}",
                    ctx()
                );
            }
            return;
        }
        if let (Seq::Above(_), true) = (spec.seq, high_checked) {
            assert!(
                o.sent
                    .iter()
                    .any(|s| s.is(b"2") && s.get(7) == Some(before.1.to_string().as_bytes())),
                "ResendRequest from {} expected: {}",
                before.1,
                ctx()
            );
            return;
        }
        if spec.seq != Seq::Expected {
            return;
        }
        let no_reject = |o: &Outcome| o.count(b"3") == 0 && o.disconnect().is_none();
        match t {
            b"0" | b"3" | b"8" | b"j" | b"F" => {
                assert!(no_reject(o), "accepted without reply: {}", ctx());
                assert_eq!(after.1, before.1 + 1, "{}", ctx());
            }
            b"1" => {
                let id = spec.field(112).unwrap_or_default();
                assert!(
                    o.sent.iter().any(|s| s.is(b"0") && s.get(112) == Some(id)),
                    "Heartbeat answering TestReqID {}: {}",
                    String::from_utf8_lossy(id),
                    ctx()
                );
                assert!(no_reject(o), "{}", ctx());
                assert_eq!(after.1, before.1 + 1, "{}", ctx());
            }
            b"2" => {
                assert!(no_reject(o), "{}", ctx());
                assert!(o.sent.iter().all(|s| s.poss_dup), "resends only: {}", ctx());
                assert_eq!(after.1, before.1 + 1, "{}", ctx());
            }
            b"D" => {
                if spec.field(11).is_some_and(|c| c.starts_with(b"BAD")) {
                    assert!(o.rejects(b"5"), "application Reject: {}", ctx());
                } else {
                    assert!(no_reject(o), "{}", ctx());
                    assert_eq!(o.count(b"8"), 1, "ExecutionReport answering D: {}", ctx());
                }
                assert_eq!(after.1, before.1 + 1, "{}", ctx());
            }
            b"W" | b"X" => {
                let reason: &[u8] = if t == b"W" { b"3" } else { b"5" };
                assert!(
                    o.sent
                        .iter()
                        .any(|s| s.is(b"j") && s.get(380) == Some(reason)),
                    "BusinessMessageReject {}: {}",
                    String::from_utf8_lossy(reason),
                    ctx()
                );
                assert_eq!(after.1, before.1 + 1, "{}", ctx());
            }
            b"4" => {
                let new_seq = spec.field(36).and_then(|v| parse_uint(v).ok()).unwrap_or(0);
                if new_seq >= before.1 {
                    assert!(no_reject(o), "{}", ctx());
                    assert!(o.sent.is_empty(), "{}", ctx());
                    assert_eq!(after.1, new_seq, "SequenceReset to {new_seq}: {}", ctx());
                } else {
                    assert!(o.rejects(b"5"), "SequenceReset backwards: {}", ctx());
                    assert_eq!(after.1, before.1, "{}", ctx());
                }
            }
            b"5" => {
                assert_eq!(
                    o.disconnect(),
                    Some(DisconnectReason::LoggedOut),
                    "{}",
                    ctx()
                );
            }
            _ => {}
        }
    }
}
