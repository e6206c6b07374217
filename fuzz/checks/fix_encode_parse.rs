//! Checks for the `fix_encode_parse` fuzz target: what the [`Encoder`] writes
//! into a caller's buffer frames and indexes back to exactly the fields written.
//!
//! The input is a little program read byte by byte ([`Input`]); its first byte
//! picks one of two modes:
//!
//! - **free form**: a BeginString (standard, or 0 to 20 fuzz bytes without SOH),
//!   a MsgType, a buffer size, then up to 64 fields of every encoder kind
//!   (`field`, `str`, `uint`, `int`, `price`, `char`, `bool`, `timestamp`,
//!   `data`) with fuzz-chosen tags (0 to 999,999,999) and values. A model of the
//!   encoder predicts each value's bytes and the first error (`BadBeginString`,
//!   `BufferTooSmall`, `SohInValue`, `NullPrice`); `finish` must return exactly
//!   that error, or a message that `check_frame` finds complete with a valid
//!   CheckSum and that indexes as `8, 9, 35`, the predicted fields, `10`.
//! - **structured**: a [`HeaderTemplate`] (FIX.4.4, fuzz-chosen ids, an extra
//!   constant field, PossDupFlag/OrigSendingTime extras, any precision) starts a
//!   NewOrderSingle with a NoPartyIDs group holding nested NoPartySubIDs groups,
//!   or a MarketDataSnapshotFullRefresh with NoMDEntries; the message must
//!   validate against the built-in FIX 4.4 dictionary, and the group API
//!   ([`FieldMap`], [`Group`]) must give back the counts and entry values written.
//!
//! Plain fields never use a tag of the standard data fields (their values are
//! read by length); data fields use the standard length/data pairs and may hold
//! SOH. Shared by `fuzz/fuzz_targets/fix_encode_parse.rs` and
//! `tests/fuzz_corpus.rs`.

use std::sync::OnceLock;

use fixgate_core::fix::data_tags::STANDARD_DATA_FIELDS;
use fixgate_core::fix::dictionary::fixgate44;
use fixgate_core::fix::encode::{
    EncodeError, Encoder, HeaderTemplate, TimePrecision, TimestampCache, HEADER_RESERVE,
};
use fixgate_core::fix::frame::MAX_BEGIN_STRING_LEN;
use fixgate_core::fix::value::{parse_price, parse_utc_timestamp};
use fixgate_core::fix::{
    check_frame, checksum, DataTags, Dictionary, FieldMap, FieldRef, FrameStatus, Message, MsgType,
    Tag, Validator, SOH,
};
use fixgate_core::time::UtcNanos;
use fixgate_core::types::Price;

/// Fields written at most in free-form mode.
const MAX_FIELDS: usize = 64;

/// The built-in FIX 4.4 dictionary, loaded once per process.
fn dictionary() -> &'static Dictionary {
    static DICT: OnceLock<Dictionary> = OnceLock::new();
    DICT.get_or_init(fixgate44)
}

/// The fuzz input read as a stream of choices; zeros once exhausted.
struct Input<'a> {
    data: &'a [u8],
}

impl<'a> Input<'a> {
    fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    fn byte(&mut self) -> u8 {
        let (&b, rest) = self.data.split_first().unwrap_or((&0, &[]));
        self.data = rest;
        b
    }

    fn bytes(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.data.split_at(n.min(self.data.len()));
        self.data = rest;
        head
    }

    fn u64(&mut self) -> u64 {
        let mut w = [0u8; 8];
        let b = self.bytes(8);
        w[..b.len()].copy_from_slice(b);
        u64::from_le_bytes(w)
    }

    /// One of `items`.
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[usize::from(self.byte()) % items.len()]
    }

    /// A tag: small ones mostly, any of 0 to 999,999,999 sometimes.
    fn tag(&mut self) -> Tag {
        let t = if self.byte() < 224 {
            u32::from(u16::from_le_bytes([self.byte(), self.byte()])) % 2000
        } else {
            (self.u64() % 1_000_000_000) as u32
        };
        Tag(t)
    }

    /// Up to `max` bytes, with SOH replaced unless `soh` (so a value holds SOH
    /// only when the program asks for it).
    fn value(&mut self, max: usize, soh: bool) -> Vec<u8> {
        let n = usize::from(self.byte()) % (max + 1);
        let mut v = self.bytes(n).to_vec();
        if !soh {
            v.iter_mut().filter(|b| **b == SOH).for_each(|b| *b = b'|');
        }
        v
    }

    /// 1 to `max` bytes of `[0-9A-Za-z]`.
    fn id(&mut self, max: usize) -> Vec<u8> {
        const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        let n = 1 + usize::from(self.byte()) % max;
        (0..n).map(|_| self.pick(ALNUM)).collect()
    }

    fn precision(&mut self) -> TimePrecision {
        self.pick(&[
            TimePrecision::Seconds,
            TimePrecision::Millis,
            TimePrecision::Micros,
            TimePrecision::Nanos,
        ])
    }

    /// A time near 2026 mostly (so that consecutive ones share a second), any
    /// `u64` of nanoseconds sometimes.
    fn time(&mut self) -> UtcNanos {
        let base = 1_773_671_400_000_000_000u64;
        match self.byte() % 4 {
            0 => UtcNanos::from_nanos(self.u64()),
            1 => UtcNanos::from_nanos(base + u64::from(self.byte()) * 100_000_000),
            _ => UtcNanos::from_nanos(base + self.u64() % 3_000_000_000),
        }
    }
}

/// Runs the `fix_encode_parse` checks on one fuzz input.
///
/// # Panics
/// When an encoded message does not parse back as described in the module doc.
pub fn check(data: &[u8]) {
    let mut input = Input { data };
    if input.byte().is_multiple_of(2) {
        free_form(&mut input);
    } else {
        structured(&mut input);
    }
}

/// `v` in decimal.
fn decimal(v: u64) -> Vec<u8> {
    v.to_string().into_bytes()
}

/// A price as the encoder writes it: trailing zeros trimmed, no exponent.
fn price_text(p: Price) -> Vec<u8> {
    let e9 = p.e9();
    let abs = e9.unsigned_abs();
    let sign = if e9 < 0 { "-" } else { "" };
    let (int, frac) = (abs / 1_000_000_000, abs % 1_000_000_000);
    let text = if frac == 0 {
        format!("{sign}{int}")
    } else {
        let f = format!("{frac:09}");
        format!("{sign}{int}.{}", f.trim_end_matches('0'))
    };
    text.into_bytes()
}

/// A UTCTimestamp at `precision` (truncated), as the encoder writes it.
fn timestamp_text(t: UtcNanos, precision: TimePrecision) -> Vec<u8> {
    let c = t.to_civil();
    let mut s = format!(
        "{:04}{:02}{:02}-{:02}:{:02}:{:02}",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    );
    let digits = precision.digits();
    if digits > 0 {
        let frac = c.nanos / 10u32.pow(9 - digits as u32);
        s.push_str(&format!(".{frac:0digits$}"));
    }
    s.into_bytes()
}

/// `t` truncated to `precision`.
fn truncate(t: UtcNanos, precision: TimePrecision) -> UtcNanos {
    let unit = 10u64.pow(9 - precision.digits() as u32);
    UtcNanos::from_nanos(t.as_nanos() / unit * unit)
}

/// What the encoder should do, written field by field alongside it.
struct Model {
    cap: usize,
    pos: usize,
    error: Option<EncodeError>,
    fields: Vec<(Tag, Vec<u8>)>,
}

impl Model {
    fn fail(&mut self, e: EncodeError) {
        self.error.get_or_insert(e);
    }

    /// A field of `value` bytes; `soh_checked` for plain fields.
    fn put(&mut self, tag: Tag, value: &[u8], soh_checked: bool) {
        if self.error.is_some() {
            return;
        }
        if soh_checked && value.contains(&SOH) {
            self.fail(EncodeError::SohInValue { tag });
            return;
        }
        let len = decimal(u64::from(tag.0)).len() + 1 + value.len() + 1;
        if self.pos + len > self.cap {
            self.fail(EncodeError::BufferTooSmall { have: self.cap });
            return;
        }
        self.pos += len;
        self.fields.push((tag, value.to_vec()));
    }
}

/// Free-form mode: any fields, any buffer, the model predicts the outcome.
fn free_form(input: &mut Input<'_>) {
    let begin: Vec<u8> = match input.byte() % 8 {
        0 => b"FIX.4.2".to_vec(),
        1 => b"FIXT.1.1".to_vec(),
        2 | 3 => {
            let n = usize::from(input.byte()) % 21;
            let mut v = input.bytes(n).to_vec();
            v.iter_mut().filter(|b| **b == SOH).for_each(|b| *b = b'.');
            v
        }
        _ => b"FIX.4.4".to_vec(),
    };
    let msg_type = match input.byte() % 4 {
        0 => {
            let n = 1 + usize::from(input.byte()) % 4;
            let mut v = input.bytes(n).to_vec();
            v.iter_mut()
                .filter(|b| **b == SOH || **b == 0)
                .for_each(|b| *b = b'Z');
            MsgType::from_bytes(&v).unwrap_or(MsgType::HEARTBEAT)
        }
        _ => input.pick(&[
            MsgType::HEARTBEAT,
            MsgType::LOGON,
            MsgType::NEW_ORDER_SINGLE,
            MsgType::MARKET_DATA_SNAPSHOT,
        ]),
    };
    let cap = if input.byte() < 200 {
        4096
    } else {
        usize::from(u16::from_le_bytes([input.byte(), input.byte()])) % 600
    };
    let mut buf = vec![0u8; cap];
    let mut model = Model {
        cap,
        pos: HEADER_RESERVE,
        error: None,
        fields: Vec::new(),
    };
    if begin.is_empty() || begin.len() > MAX_BEGIN_STRING_LEN {
        model.fail(EncodeError::BadBeginString);
    }
    if cap < HEADER_RESERVE {
        model.fail(EncodeError::BufferTooSmall { have: cap });
    }
    let mut e = Encoder::new(&mut buf, &begin, msg_type);
    model.put(Tag::MSG_TYPE, msg_type.as_bytes(), true);
    let data_tags = DataTags::standard();
    let mut cache = TimestampCache::default();
    for _ in 0..MAX_FIELDS {
        if input.is_empty() {
            break;
        }
        let kind = input.byte() % 10;
        let mut tag = input.tag();
        if data_tags.contains(tag) {
            tag = Tag(tag.0 + 2048);
        }
        match kind {
            0 | 1 => {
                let soh = input.byte() < 16;
                let v = input.value(40, soh);
                if kind == 0 {
                    e.field(tag, &v);
                } else {
                    e.str(tag, &v);
                }
                model.put(tag, &v, true);
            }
            2 => {
                let v = input.u64();
                e.uint(tag, v);
                model.put(tag, &decimal(v), false);
            }
            3 => {
                let v = input.u64() as i64;
                e.int(tag, v);
                model.put(tag, v.to_string().as_bytes(), false);
            }
            4 => {
                let p = match input.byte() % 4 {
                    0 => Price::from_e9(input.u64() as i64),
                    1 => Price::NULL,
                    _ => Price::from_e9(i64::from(input.byte() as i8) * 250_000_000),
                };
                e.price(tag, p);
                if p.is_null() {
                    if model.error.is_none() {
                        model.fail(EncodeError::NullPrice { tag });
                    }
                } else {
                    let text = price_text(p);
                    assert_eq!(
                        parse_price(&text),
                        Ok(p),
                        "price {text:?} does not parse back"
                    );
                    model.put(tag, &text, false);
                }
            }
            5 => {
                let c = input.byte();
                e.char(tag, c);
                model.put(tag, &[c], true);
            }
            6 => {
                let b = input.byte().is_multiple_of(2);
                e.bool(tag, b);
                model.put(tag, if b { b"Y" } else { b"N" }, true);
            }
            7 => {
                let t = input.time();
                let precision = input.precision();
                e.timestamp(tag, t, precision, &mut cache);
                let text = timestamp_text(t, precision);
                assert_eq!(
                    parse_utc_timestamp(&text),
                    Ok(truncate(t, precision)),
                    "timestamp {text:?} does not parse back"
                );
                model.put(tag, &text, false);
            }
            _ => {
                let (len_tag, data_tag) = input.pick(STANDARD_DATA_FIELDS);
                let v = input.value(40, true);
                e.data(Tag(len_tag), Tag(data_tag), &v);
                model.put(Tag(len_tag), &decimal(v.len() as u64), false);
                model.put(Tag(data_tag), &v, false);
            }
        }
    }
    if model.error.is_none() && model.pos + 7 > cap {
        model.fail(EncodeError::BufferTooSmall { have: cap });
    }
    let body_len = e.body_len();
    match (e.finish(), model.error) {
        (Err(got), Some(want)) => assert_eq!(got, want, "the encoder fails otherwise"),
        (Err(got), None) => panic!("the encoder fails with {got:?}, the model succeeds"),
        (Ok(m), Some(want)) => panic!("the encoder succeeds, the model fails with {want:?}: {m:?}"),
        (Ok(m), None) => {
            assert_eq!(body_len, model.pos - HEADER_RESERVE, "body length differs");
            let fields = parse_back(m, &begin);
            assert_eq!(fields[2..fields.len() - 1], model.fields, "fields differ");
        }
    }
}

/// Checks that `m` frames as one complete message with BeginString `begin`, a
/// BodyLength without leading zeros and a valid CheckSum, and indexes with
/// 8, 9 first and 10 last; returns its fields.
fn parse_back(m: &[u8], begin: &[u8]) -> Vec<(Tag, Vec<u8>)> {
    let layout = match check_frame(m, m.len()) {
        FrameStatus::Complete(l) => l,
        other => panic!("an encoded message checks as {other:?}: {m:?}"),
    };
    assert_eq!(layout.len, m.len(), "the frame is not the whole message");
    let mut refs = vec![FieldRef::default(); 4 * MAX_FIELDS];
    let msg = Message::from_parts(m, &DataTags::standard(), &mut refs)
        .unwrap_or_else(|e| panic!("an encoded message does not index: {e:?}: {m:?}"));
    let fields: Vec<(Tag, Vec<u8>)> = msg.iter().map(|f| (f.tag, f.value.to_vec())).collect();
    assert!(fields.len() >= 4, "too few fields: {m:?}");
    assert_eq!(fields[0], (Tag::BEGIN_STRING, begin.to_vec()));
    let body_len = layout.trailer_start - layout.body_start;
    assert_eq!(fields[1], (Tag::BODY_LENGTH, decimal(body_len as u64)));
    let sum = checksum(&m[..layout.trailer_start]);
    assert_eq!(
        fields[fields.len() - 1],
        (Tag::CHECK_SUM, format!("{sum:03}").into_bytes())
    );
    fields
}

/// Structured mode: a session header and dictionary groups, validated.
fn structured(input: &mut Input<'_>) {
    let sender = String::from_utf8(input.id(12)).expect("ids are ASCII");
    let target = String::from_utf8(input.id(12)).expect("ids are ASCII");
    let precision = input.precision();
    let mut template = HeaderTemplate::new("FIX.4.4", &sender, &target).with_precision(precision);
    let mut extra_const = None;
    if input.byte().is_multiple_of(2) {
        let tag = input.pick(&[Tag(50), Tag(57), Tag(115), Tag(128), Tag(142), Tag(143)]);
        let v = String::from_utf8(input.id(8)).expect("ids are ASCII");
        template = template.with_field(tag, &v);
        extra_const = Some((tag, v.into_bytes()));
    }
    let seq = 1 + input.u64() % 1_000_000_000;
    let sending_time = input.time();
    let orig = timestamp_text(input.time(), TimePrecision::Millis);
    let possdup: Vec<(Tag, &[u8])> =
        vec![(Tag::POSS_DUP_FLAG, b"Y"), (Tag::ORIG_SENDING_TIME, &orig)];
    let extras: &[(Tag, &[u8])] = if input.byte().is_multiple_of(3) {
        &possdup
    } else {
        &[]
    };
    let is_order = input.byte().is_multiple_of(2);
    let msg_type = if is_order {
        MsgType::NEW_ORDER_SINGLE
    } else {
        MsgType::MARKET_DATA_SNAPSHOT
    };
    let mut buf = vec![0u8; 8192];
    let mut e = template.start(&mut buf, msg_type, seq, sending_time, extras);
    let mut cache = TimestampCache::default();
    // The entries of NoPartyIDs (with their NoPartySubIDs) or NoMDEntries.
    let mut groups: Vec<Entry> = Vec::new();
    let symbol = input.id(8);
    if is_order {
        e.str(Tag(11), &input.id(20));
        let n = usize::from(input.byte() % 4);
        e.uint(Tag(453), n as u64);
        for _ in 0..n {
            let mut entry = Entry::default();
            let id = input.id(10);
            let source = input.pick(b"BCDE");
            let role = u64::from(input.pick(&[1u8, 2, 3, 4]));
            e.str(Tag(448), &id);
            e.char(Tag(447), source);
            e.uint(Tag(452), role);
            entry.fields = vec![
                (Tag(448), id),
                (Tag(447), vec![source]),
                (Tag(452), decimal(role)),
            ];
            let m = usize::from(input.byte() % 3);
            if m > 0 {
                e.uint(Tag(802), m as u64);
                for _ in 0..m {
                    let sub = input.id(10);
                    let ty = u64::from(input.pick(&[1u8, 2, 3, 4]));
                    e.str(Tag(523), &sub);
                    e.uint(Tag(803), ty);
                    entry
                        .nested
                        .push(vec![(Tag(523), sub), (Tag(803), decimal(ty))]);
                }
            }
            groups.push(entry);
        }
        e.str(Tag(55), &symbol);
        e.char(Tag(54), input.pick(b"12"));
        e.timestamp(Tag(60), input.time(), input.precision(), &mut cache);
        e.price(
            Tag(38),
            Price::from_e9(1 + (input.u64() % 1_000_000_000_000_000) as i64),
        );
        e.char(Tag(40), input.pick(b"12"));
    } else {
        e.str(Tag(55), &symbol);
        let n = usize::from(input.byte() % 5);
        e.uint(Tag(268), n as u64);
        for _ in 0..n {
            let ty = input.pick(b"0123");
            e.char(Tag(269), ty);
            let mut fields = vec![(Tag(269), vec![ty])];
            if input.byte().is_multiple_of(2) {
                let px = Price::from_e9((input.u64() as i64) / 2);
                e.price(Tag(270), px);
                fields.push((Tag(270), price_text(px)));
            }
            if input.byte().is_multiple_of(2) {
                let qty = Price::from_e9(1 + (input.u64() % 1_000_000_000_000) as i64);
                e.price(Tag(271), qty);
                fields.push((Tag(271), price_text(qty)));
            }
            groups.push(Entry {
                fields,
                nested: Vec::new(),
            });
        }
    }
    let m = e
        .finish()
        .unwrap_or_else(|err| panic!("a session message fails: {err:?}"));
    parse_back(m, b"FIX.4.4");
    check_structured(
        m,
        msg_type,
        &groups,
        seq,
        truncate(sending_time, precision),
        extra_const,
    );
}

/// One group entry as written: its fields and its nested group's entries.
#[derive(Default)]
struct Entry {
    fields: Vec<(Tag, Vec<u8>)>,
    nested: Vec<Vec<(Tag, Vec<u8>)>>,
}

/// Validates a structured message and reads its groups back.
fn check_structured(
    m: &[u8],
    msg_type: MsgType,
    groups: &[Entry],
    seq: u64,
    sending_time: UtcNanos,
    extra_const: Option<(Tag, Vec<u8>)>,
) {
    let dict = dictionary();
    let mut refs = vec![FieldRef::default(); 256];
    let msg = Message::from_parts(m, dict.data_tags(), &mut refs).expect("indexes");
    assert_eq!(msg.msg_type(), Some(msg_type));
    assert_eq!(msg.seq_num(), Ok(seq));
    assert_eq!(msg.timestamp(Tag::SENDING_TIME), Ok(sending_time));
    if let Some((tag, v)) = extra_const {
        assert_eq!(msg.raw(tag), Ok(v.as_slice()));
    }
    // Header fields after 35 are in ascending tag order (QuickFIX's).
    let header: Vec<u32> = msg
        .iter()
        .skip(3)
        .map(|f| f.tag.0)
        .take_while(|&t| dict.header().contains(Tag(t)))
        .collect();
    assert!(
        header.windows(2).all(|w| w[0] < w[1]),
        "header order {header:?}"
    );
    if let Err(err) = Validator::new(dict).validate(&msg) {
        panic!("a well-formed {msg_type} does not validate: {err:?}: {m:?}");
    }
    let body = FieldMap::body(msg, dict).expect("D and W are in the dictionary");
    let count_tag = if msg_type == MsgType::NEW_ORDER_SINGLE {
        Tag(453)
    } else {
        Tag(268)
    };
    let group = body.group(count_tag).expect("the group is there");
    assert_eq!(group.declared(), groups.len() as u64);
    assert_eq!(group.len(), groups.len());
    assert_eq!(group.check_count(), Ok(()));
    let entries: Vec<FieldMap<'_, '_>> = group.entries().collect();
    assert_eq!(entries.len(), groups.len());
    for (entry, want) in entries.iter().zip(groups) {
        for (tag, v) in &want.fields {
            assert_eq!(
                entry.find(*tag).map(|f| f.value),
                Some(v.as_slice()),
                "tag {tag}"
            );
        }
        match entry.group(Tag(802)) {
            Ok(sub) => {
                assert_eq!(sub.len(), want.nested.len());
                assert_eq!(sub.check_count(), Ok(()));
                for (s, fields) in sub.entries().zip(&want.nested) {
                    for (tag, v) in fields {
                        assert_eq!(s.find(*tag).map(|f| f.value), Some(v.as_slice()));
                    }
                }
            }
            Err(err) => assert!(want.nested.is_empty(), "nested group: {err:?}"),
        }
    }
    // Round trip of the values the typed parsers read.
    for f in msg.iter() {
        if matches!(f.tag.0, 38 | 270 | 271) {
            parse_price(f.value).expect("an encoded price parses");
        }
        if matches!(f.tag.0, 52 | 60) {
            parse_utc_timestamp(f.value).expect("an encoded timestamp parses");
        }
    }
}
