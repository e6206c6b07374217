//! Building messages: the record a fuzz input describes, its body generator and mutations.

use super::*;

/// How a built message's MsgSeqNum relates to the expected one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Seq {
    Expected,
    Above(u64),
    Below(u64),
    Absolute(u64),
    Missing,
    Garbage(&'static str),
}

/// How its SendingTime relates to now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Time {
    Now,
    /// Within 25.5 s of now (negative: before).
    Near(i64),
    /// More than 120 s from now.
    Far(i64),
    Missing,
    Literal(&'static str),
}

/// Its CompIDs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ids {
    Right,
    WrongSender,
    WrongTarget,
    NoSender,
    NoTarget,
}

/// A built message's choices, for the trace and the oracles.
#[derive(Clone, Debug)]
pub(super) struct Spec {
    pub(super) msg_type: &'static [u8],
    pub(super) seq: Seq,
    pub(super) seq_num: Option<u64>,
    pub(super) poss_dup: bool,
    pub(super) orig_time: bool,
    pub(super) poss_resend: bool,
    pub(super) ids: Ids,
    pub(super) time: Time,
    pub(super) extras: usize,
    pub(super) mutations: Vec<String>,
    pub(super) corrupt: Option<(usize, u8)>,
    /// Top-level body fields as built (for the oracles).
    pub(super) body: Vec<(Tag, Vec<u8>)>,
}

impl std::fmt::Display for Spec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "35={} seq {:?}={:?} ids {:?} time {:?}",
            String::from_utf8_lossy(self.msg_type),
            self.seq,
            self.seq_num,
            self.ids,
            self.time
        )?;
        for (on, name) in [
            (self.poss_dup, "43=Y"),
            (self.orig_time, "122"),
            (self.poss_resend, "97=Y"),
        ] {
            if on {
                write!(f, " {name}")?;
            }
        }
        if self.extras > 0 {
            write!(f, " +{} members", self.extras)?;
        }
        if !self.mutations.is_empty() {
            write!(f, " mutations {:?}", self.mutations)?;
        }
        if let Some((at, b)) = self.corrupt {
            write!(f, " byte {at} := {b:#04x}")?;
        }
        Ok(())
    }
}

impl Spec {
    pub(super) fn field(&self, tag: u32) -> Option<&[u8]> {
        self.body
            .iter()
            .find(|(t, _)| t.0 == tag)
            .map(|(_, v)| v.as_slice())
    }
    pub(super) fn in_dictionary(&self) -> bool {
        !matches!(self.msg_type, b"ZZ" | b"U1")
    }
    /// Whole and well-formed apart from (perhaps) sequence, time and CompIDs.
    pub(super) fn well_formed(&self) -> bool {
        self.mutations.is_empty() && self.corrupt.is_none()
    }
}

/// A body field: tag, value, whether it is a data field (may hold SOH).
pub(super) type BodyField = (Tag, Vec<u8>, bool);

/// A value of the wrong format (or outside the enumeration) for `tag`.
pub(super) fn invalid_value(dict: &Dictionary, tag: Tag, arg: u8) -> Vec<u8> {
    let ty = dict.field(tag).map_or(FieldType::String, |f| f.ty);
    let v: &[u8] = match ty {
        FieldType::Int | FieldType::Length | FieldType::NumInGroup | FieldType::SeqNum => {
            [&b"1x"[..], b"-", b"99999999999999999999", b"+1"][usize::from(arg) % 4]
        }
        FieldType::Decimal => [&b"1.2.3"[..], b"1e5", b"+1", b"."][usize::from(arg) % 4],
        FieldType::Char => b"AB",
        FieldType::Boolean => b"X",
        FieldType::UtcTimestamp => [&b"2026"[..], b"20261316-14:30:00"][usize::from(arg) % 2],
        FieldType::UtcTimeOnly => b"25:00:00",
        FieldType::UtcDateOnly => b"20260230",
        _ => b"~~",
    };
    v.to_vec()
}

pub(super) fn render(t: UtcNanos) -> String {
    let mut buf = [0u8; 27];
    let n = TimestampCache::default().render(t, TimePrecision::Millis, &mut buf);
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

/// Valid bodies and values: a dictionary, the values' generator, the time.
pub(super) struct Gen<'d> {
    pub(super) dict: &'d Dictionary,
    pub(super) rng: Rng,
    pub(super) now: UtcNanos,
}

impl Gen<'_> {
    /// A valid value for a field of the dictionary.
    pub(super) fn value(&mut self, tag: Tag) -> Vec<u8> {
        let Some(fd) = self.dict.field(tag) else {
            return b"1".to_vec();
        };
        if !fd.values.is_empty() {
            let i = usize::from(self.rng.byte()) % fd.values.len();
            return fd.values[i].to_vec();
        }
        match fd.ty {
            FieldType::Char => b"A".to_vec(),
            FieldType::Boolean => if self.rng.byte() & 1 == 0 { b"Y" } else { b"N" }.to_vec(),
            FieldType::Int | FieldType::Length | FieldType::NumInGroup | FieldType::SeqNum => {
                (u64::from(self.rng.byte()) % 100 + 1)
                    .to_string()
                    .into_bytes()
            }
            FieldType::Decimal => self
                .rng
                .pick(&[&b"100.25"[..], b"0", b"-1.5", b"2000"])
                .to_vec(),
            FieldType::UtcTimestamp => render(self.now).into_bytes(),
            FieldType::UtcTimeOnly => b"14:30:00.000".to_vec(),
            FieldType::UtcDateOnly => b"20260316".to_vec(),
            _ => self.rng.pick(&STRINGS).to_vec(),
        }
    }

    /// Appends the members of `layout`: the required ones, the group
    /// delimiters, and the members at `extras` (top level only); groups get one
    /// or two entries.
    pub(super) fn layout(
        &mut self,
        layout: &Layout,
        extras: &[usize],
        depth: u8,
        delimiter: Option<Tag>,
        out: &mut Vec<BodyField>,
    ) {
        let dict = self.dict;
        let ty = |t: Tag| dict.field(t).map(|f| f.ty);
        let members = layout.members();
        for (i, m) in members.iter().enumerate() {
            let wanted = m.required() || extras.contains(&i) || Some(m.tag()) == delimiter;
            if !wanted {
                continue;
            }
            match *m {
                Member::Field { tag, .. } => match ty(tag) {
                    Some(FieldType::Data) => {}
                    Some(FieldType::Length) => {
                        let next = members.get(i + 1).map(Member::tag);
                        match next.filter(|t| ty(*t) == Some(FieldType::Data)) {
                            Some(data) => {
                                let v = self.rng.pick(&[&b"ab\x01cd"[..], b"x", b"\x01"]).to_vec();
                                out.push((tag, v.len().to_string().into_bytes(), false));
                                out.push((data, v, true));
                            }
                            None => out.push((tag, b"1".to_vec(), false)),
                        }
                    }
                    _ => {
                        let v = self.value(tag);
                        out.push((tag, v, false));
                    }
                },
                Member::Group {
                    count_tag, group, ..
                } => {
                    let g = dict.group(group);
                    let n = if depth >= 2 {
                        1
                    } else {
                        1 + usize::from(self.rng.byte() & 1)
                    };
                    out.push((count_tag, n.to_string().into_bytes(), false));
                    for _ in 0..n {
                        self.layout(&g.layout, &[], depth + 1, Some(g.delimiter), out);
                    }
                }
            }
        }
    }
}

/// Sets a top-level body field: replaces the first one with `tag`, else puts
/// it first (before any group, where the validator takes it as top level).
pub(super) fn set_field(body: &mut Vec<BodyField>, tag: u32, value: Option<Vec<u8>>) {
    let at = body.iter().position(|(t, _, _)| t.0 == tag);
    match (at, value) {
        (Some(i), Some(v)) => body[i] = (Tag(tag), v, false),
        (Some(i), None) => {
            body.remove(i);
        }
        (None, Some(v)) => body.insert(0, (Tag(tag), v, false)),
        (None, None) => {}
    }
}

/// The fields a message type is about: TestReqID (`a1`: which), BeginSeqNo and
/// EndSeqNo (`a1`, `a2`: relative to our next outbound number), GapFillFlag and
/// NewSeqNo (`a1`, `a2`: relative to the expected number), Logon's HeartBtInt,
/// ResetSeqNumFlag, NextExpectedMsgSeqNum and Username (bits of `a1`).
pub(super) fn type_specific(
    msg_type: &[u8],
    body: &mut Vec<BodyField>,
    rng: &mut Rng,
    a1: u8,
    a2: u8,
    expected_in: u64,
    next_out: u64,
) -> Option<String> {
    let num = |n: u64| Some(n.to_string().into_bytes());
    match msg_type {
        b"1" => {
            let id: Vec<u8> = match a1 % 8 {
                1 => b"1".to_vec(),
                2 => b"ABC".to_vec(),
                3 => b"Z9".to_vec(),
                4 => (0..1 + a2 % 8).map(|_| b'a' + rng.byte() % 26).collect(),
                5 => Vec::new(),
                _ => b"TEST".to_vec(),
            };
            let empty = id.is_empty();
            set_field(body, 112, Some(id));
            if empty {
                return Some("empty TestReqID".into());
            }
        }
        b"2" => {
            let begin = match a1 % 8 {
                1 => next_out.saturating_sub(1).max(1),
                2 => 0,
                3 => next_out,
                4 => next_out + 1 + u64::from(a1 / 8),
                5 => u64::from(a1 / 8),
                6 => i64::MAX as u64,
                _ => 1,
            };
            let end = match a2 % 8 {
                1 => next_out.saturating_sub(1),
                2 => begin,
                3 => begin.saturating_sub(1),
                4 => 999_999,
                5 => i64::MAX as u64,
                6 => u64::from(a2 / 8),
                _ => 0,
            };
            set_field(body, 16, num(end));
            set_field(body, 7, num(begin));
        }
        b"4" => {
            let gap_fill: Option<&[u8]> = match a1 % 4 {
                2 => None,
                3 => Some(b"N"),
                _ => Some(b"Y"),
            };
            let new_seq = match a2 % 8 {
                3 => expected_in,
                4 => expected_in.saturating_sub(1 + u64::from(a2 / 8 % 4)),
                5 => 1 << 40,
                6 => 0,
                7 => expected_in + 1000,
                _ => expected_in + 1 + u64::from(a2 / 8 % 8),
            };
            set_field(body, 36, num(new_seq));
            set_field(body, 123, gap_fill.map(<[u8]>::to_vec));
        }
        b"A" => {
            let hb: &[u8] = [
                &b"30"[..],
                b"5",
                b"1",
                b"0",
                b"60",
                b"2",
                b"99999999999",
                b"-1",
            ][usize::from(a1 & 7)];
            set_field(body, 98, Some(b"0".to_vec()));
            set_field(body, 108, Some(hb.to_vec()));
            set_field(body, 141, (a1 & 8 != 0).then(|| b"Y".to_vec()));
            let next = (next_out + u64::from((a1 >> 5) & 3)).saturating_sub(1);
            set_field(body, 789, if a1 & 16 != 0 { num(next) } else { None });
            if a1 & 128 != 0 {
                set_field(body, 553, Some(b"intruder".to_vec()));
            }
        }
        _ => {}
    }
    None
}

/// One body mutation (`kind % 8`) at `idx`; returns its description.
pub(super) fn mutate(
    body: &mut Vec<BodyField>,
    kind: u8,
    idx: u8,
    arg: u8,
    dict: &Dictionary,
) -> String {
    let (idx, len) = (usize::from(idx), body.len());
    let at = idx % (len + 1);
    let some = (len > 0).then_some(idx % len.max(1));
    match (kind % 8, some) {
        (0, Some(i)) => format!("drop {}", body.remove(i).0 .0),
        (1, Some(i)) => {
            body.insert(i + 1, body[i].clone());
            format!("repeat {}", body[i].0 .0)
        }
        (2, Some(i)) if !body[i].2 => {
            body[i].1 = invalid_value(dict, body[i].0, arg);
            format!(
                "bad value {}={}",
                body[i].0 .0,
                String::from_utf8_lossy(&body[i].1)
            )
        }
        (3, Some(i)) if !body[i].2 => {
            body[i].1.clear();
            format!("empty {}", body[i].0 .0)
        }
        (5, Some(_)) => {
            let is_count =
                |f: &BodyField| dict.field(f.0).map(|d| d.ty) == Some(FieldType::NumInGroup);
            let Some(i) = (0..len)
                .map(|k| (at + k) % len)
                .find(|&k| is_count(&body[k]))
            else {
                return "no group to miscount".into();
            };
            let n = parse_uint(&body[i].1).unwrap_or(1);
            let v = [n + 1, n.saturating_sub(1), 0, 999][usize::from(arg % 4)];
            body[i].1 = v.to_string().into_bytes();
            format!("count {}={v} (was {n})", body[i].0 .0)
        }
        (6, Some(i)) if i + 1 < len => {
            body.swap(i, i + 1);
            format!("swap {} {}", body[i].0 .0, body[i + 1].0 .0)
        }
        (7, _) => {
            let tag = [34u32, 52, 49, 43][usize::from(arg % 4)];
            body.insert(at, (Tag(tag), b"1".to_vec(), false));
            format!("header tag {tag} in body")
        }
        _ => {
            let tag = [9999u32, 5001, 55, 1, 4000][usize::from(arg % 5)];
            body.insert(at, (Tag(tag), b"X".to_vec(), false));
            format!("insert {tag}")
        }
    }
}
