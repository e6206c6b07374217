//! Property tests: every class of malformed FIX input yields its own error.
//!
//! Each property takes a random valid message (generated against the built-in
//! `fixgate44()` dictionary or a small test dictionary with nested groups and
//! data fields), checks that it is accepted by `check_frame`, the field index
//! and the `Validator`, applies one mutation of one class, and asserts the
//! exact error:
//!
//! | mutation | layer | error |
//! |---|---|---|
//! | CheckSum digits changed | frame | `BadChecksum { expected, actual }` |
//! | BodyLength + k | frame | `Incomplete { need: len + k }` alone, `BodyLengthMismatch` once the declared end is buffered |
//! | BodyLength − k | frame | `BodyLengthMismatch { declared }` |
//! | non-digit in BodyLength | frame | `BadBodyLength` |
//! | first field not `8=` | frame | `BadBeginString` |
//! | 35 not the third field | frame | `MissingMsgType` |
//! | non-digit in a body tag | index | `BadTag { offset }` |
//! | `=` missing | index | `MissingEquals { offset }` |
//! | data length too long, missing, not a number | index | `DataLength { tag, offset }` |
//! | a body tag duplicated | validate | reject 13, that tag |
//! | a required field removed | validate | reject 1, that tag |
//! | a value emptied | validate | reject 4, that tag |
//! | tag 4999 / 9999 added | validate | reject 0, that tag |
//! | a known tag the message does not define added | validate | reject 2, that tag |
//! | a body field moved among the header fields | validate | reject 14, the next header tag |
//! | a NumInGroup count changed | validate | reject 16, the count tag |
//! | an enumerated value replaced | validate | reject 5, that tag |
//! | an int replaced by `x1` | validate | reject 6, that tag |
//! | MsgType replaced by an unknown one | validate | reject 11, no tag |
//! | BeginString changed | validate | `UnsupportedVersion` |
//!
//! Index- and validation-level mutations recompute BodyLength and CheckSum so
//! that only the intended layer objects.
//!
//! Two properties cover the streaming `Framer`: valid and frame-level-malformed
//! messages interleaved in one stream come out as messages and bad frames at
//! their offsets, each bad frame once, with resync onto the next message; and
//! the framer's output (junk holding a Text field `58=FIX…` included) does not
//! depend on how the stream is cut into reads. The second one found a resync
//! bug (fixed in 5a06841); `framer_resync_skips_8_fix_behind_a_digit_across_reads`
//! keeps its minimal case.
//!
//! The generator is a byte-level copy of the one in `fix_roundtrip_prop.rs`
//! (test binaries share no code without a support module).

use std::collections::HashSet;
use std::sync::LazyLock;

use fixgate_core::fix::dictionary::{fixgate44, Dictionary, FieldDef, FieldType, Layout, Member};
use fixgate_core::fix::encode::Encoder;
use fixgate_core::fix::{
    check_frame, DataTags, FieldIndex, FieldRef, FrameError, FrameItem, FrameStatus, Framer,
    FramerStats, IndexError, MsgType, SessionRejectReason, Tag, ValidationError, Validator,
};
use fixgate_core::types::Price;
use proptest::prelude::*;

/// A test dictionary with three levels of nested groups and data fields.
const NESTED_XML: &str = r#"
<fix type='FIX' major='4' minor='4' servicepack='0'>
 <header>
  <field name='BeginString' required='Y'/>
  <field name='BodyLength' required='Y'/>
  <field name='MsgType' required='Y'/>
  <field name='SenderCompID' required='Y'/>
  <field name='TargetCompID' required='Y'/>
  <field name='MsgSeqNum' required='Y'/>
  <field name='SendingTime' required='Y'/>
 </header>
 <trailer>
  <field name='CheckSum' required='Y'/>
 </trailer>
 <messages>
  <message name='Basket' msgtype='U1' msgcat='app'>
   <field name='BasketID' required='Y'/>
   <field name='Side' required='Y'/>
   <field name='RawDataLength' required='N'/>
   <field name='RawData' required='N'/>
   <group name='NoOrders' required='Y'>
    <field name='OrderRef' required='Y'/>
    <field name='Price' required='N'/>
    <group name='NoFills' required='N'>
     <field name='FillID' required='Y'/>
     <field name='FillKind' required='N'/>
     <group name='NoNotes' required='N'>
      <field name='NoteKind' required='Y'/>
      <field name='NoteLen' required='N'/>
      <field name='Note' required='N'/>
     </group>
     <field name='FillQty' required='Y'/>
    </group>
   </group>
   <field name='Text' required='N'/>
  </message>
  <message name='Quote' msgtype='U2' msgcat='app'>
   <field name='Symbol' required='Y'/>
   <field name='Price' required='N'/>
   <field name='Count' required='Y'/>
  </message>
 </messages>
 <fields>
  <field number='8' name='BeginString' type='STRING'/>
  <field number='9' name='BodyLength' type='LENGTH'/>
  <field number='10' name='CheckSum' type='STRING'/>
  <field number='34' name='MsgSeqNum' type='SEQNUM'/>
  <field number='35' name='MsgType' type='STRING'/>
  <field number='44' name='Price' type='PRICE'/>
  <field number='49' name='SenderCompID' type='STRING'/>
  <field number='52' name='SendingTime' type='UTCTIMESTAMP'/>
  <field number='54' name='Side' type='CHAR'>
   <value enum='1' description='BUY'/>
   <value enum='2' description='SELL'/>
  </field>
  <field number='55' name='Symbol' type='STRING'/>
  <field number='56' name='TargetCompID' type='STRING'/>
  <field number='58' name='Text' type='STRING'/>
  <field number='73' name='NoOrders' type='NUMINGROUP'/>
  <field number='95' name='RawDataLength' type='LENGTH'/>
  <field number='96' name='RawData' type='DATA'/>
  <field number='6001' name='OrderRef' type='STRING'/>
  <field number='6003' name='BasketID' type='STRING'/>
  <field number='6010' name='NoFills' type='NUMINGROUP'/>
  <field number='6011' name='FillID' type='STRING'/>
  <field number='6012' name='FillKind' type='STRING'>
   <value enum='AB' description='AB'/>
   <value enum='CD' description='CD'/>
  </field>
  <field number='6014' name='FillQty' type='INT'/>
  <field number='6020' name='NoNotes' type='NUMINGROUP'/>
  <field number='6021' name='NoteKind' type='INT'>
   <value enum='1' description='ONE'/>
   <value enum='2' description='TWO'/>
  </field>
  <field number='6022' name='NoteLen' type='LENGTH'/>
  <field number='6023' name='Note' type='DATA'/>
  <field number='6041' name='Count' type='INT'/>
 </fields>
</fix>
"#;

static FIXGATE44: LazyLock<Dictionary> = LazyLock::new(fixgate44);
static NESTED: LazyLock<Dictionary> =
    LazyLock::new(|| Dictionary::from_xml(NESTED_XML).expect("the test dictionary loads"));

/// Header tags QuickFIX knows without a dictionary; never generated in a body.
const STANDARD_HEADER: &[u32] = &[
    8, 9, 35, 49, 56, 115, 128, 90, 91, 34, 50, 142, 57, 143, 116, 144, 129, 145, 43, 97, 52, 122,
    212, 213, 347, 369, 370, 627, 628, 629, 630, 1128, 1129, 1156,
];
/// Trailer tags QuickFIX knows without a dictionary.
const STANDARD_TRAILER: &[u32] = &[93, 89, 10];
const MAX_ENTRIES: [u32; 4] = [3, 2, 2, 1];
const MAX_LEN: usize = 1 << 20;

// ---------------------------------------------------------------------------
// Generation of valid messages (byte values; the round-trip test checks types)
// ---------------------------------------------------------------------------

/// Random choices from a proptest vector; 0 past its end.
struct Choices<'a> {
    data: &'a [u32],
    pos: usize,
}

impl Choices<'_> {
    fn next(&mut self) -> u32 {
        let v = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        v
    }

    fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }

    fn chance(&mut self, in_four: u32) -> bool {
        let v = self.below(4);
        v != 0 && v <= in_four
    }

    fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len() as u32) as usize]
    }
}

/// What a generated field is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A header field (35, 34, 49, 52, 56).
    Header,
    /// A plain field of the body or of a group entry.
    Plain,
    /// A NumInGroup field.
    Count,
    /// The length field of a data pair.
    DataLen,
    /// A data field.
    Data,
}

/// One field of a generated message.
#[derive(Clone, Debug)]
struct F {
    tag: u32,
    value: Vec<u8>,
    kind: Kind,
    /// 0 for header and body fields, n inside an n-th level group entry.
    depth: usize,
    required: bool,
    /// The first field of a group entry.
    delimiter: bool,
}

/// A valid message: 35 first, then header, body (no 8, 9, 10).
#[derive(Clone, Debug)]
struct Msg {
    begin: String,
    fields: Vec<F>,
}

// Alphabets without 'F', 'I', 'X' (so no "8=FIX" inside a message) and, for
// data, without '=' (so no "␁10=" inside a body).
const TEXT: &[u8] = b"abZ07 -.|";
const DATA: &[u8] = &[b'a', 0x01, b'1', b'0', b'x', 0xff, b'8', b'|'];

fn text(c: &mut Choices<'_>, max: u32) -> Vec<u8> {
    let n = 1 + c.below(max);
    (0..n).map(|_| *c.pick(TEXT)).collect()
}

fn render_price(e9: i64) -> String {
    let sign = if e9 < 0 { "-" } else { "" };
    let abs = e9.unsigned_abs();
    let (int, frac) = (abs / 1_000_000_000, abs % 1_000_000_000);
    if frac == 0 {
        return format!("{sign}{int}");
    }
    format!("{sign}{int}.{}", format!("{frac:09}").trim_end_matches('0'))
}

fn timestamp(c: &mut Choices<'_>) -> Vec<u8> {
    format!(
        "20{:02}{:02}{:02}-{:02}:{:02}:{:02}.{:03}",
        c.below(100),
        1 + c.below(12),
        1 + c.below(28),
        c.below(24),
        c.below(60),
        c.below(60),
        c.below(1000)
    )
    .into_bytes()
}

/// A valid value of `def`'s type.
fn value_for(c: &mut Choices<'_>, def: &FieldDef) -> Vec<u8> {
    let allowed: Vec<&[u8]> = def
        .values
        .iter()
        .map(|v| &**v)
        .filter(|v| def.ty.accepts(v))
        .collect();
    if !allowed.is_empty() {
        return c.pick(&allowed).to_vec();
    }
    match def.ty {
        FieldType::Int => (i64::from(c.next() as i32) / 3).to_string().into_bytes(),
        FieldType::Length | FieldType::SeqNum | FieldType::NumInGroup => {
            (c.next() / 7).to_string().into_bytes()
        }
        FieldType::Decimal => {
            let e9 = i64::from(c.next() as i32) * i64::from(c.below(100_000));
            render_price(Price::from_e9(e9).e9()).into_bytes()
        }
        FieldType::UtcTimestamp => timestamp(c),
        FieldType::UtcTimeOnly => {
            format!("{:02}:{:02}:{:02}", c.below(24), c.below(60), c.below(60)).into_bytes()
        }
        FieldType::UtcDateOnly => format!(
            "20{:02}{:02}{:02}",
            c.below(100),
            1 + c.below(12),
            1 + c.below(28)
        )
        .into_bytes(),
        FieldType::Char => vec![*c.pick(TEXT)],
        FieldType::Boolean => if c.below(2) == 0 { b"N" } else { b"Y" }.to_vec(),
        _ => text(c, 10),
    }
}

fn is_header_or_trailer(dict: &Dictionary, tag: Tag) -> bool {
    dict.header().contains(tag)
        || dict.trailer().contains(tag)
        || STANDARD_HEADER.contains(&tag.0)
        || STANDARD_TRAILER.contains(&tag.0)
}

/// Every tag of `layout`'s groups, nested ones included: a direct field with
/// one of these tags would be read as part of a group, so none is generated.
fn group_tags(dict: &Dictionary, layout: &Layout, out: &mut HashSet<u32>) {
    for m in layout.members() {
        if let Member::Group { group, .. } = *m {
            let g = dict.group(group);
            out.extend(g.layout.members().iter().map(|m| m.tag().0));
            group_tags(dict, &g.layout, out);
        }
    }
}

struct Gen<'d, 'c> {
    dict: &'d Dictionary,
    c: Choices<'c>,
    density: u32,
    /// Include every usable data pair.
    force_data: bool,
    fields: Vec<F>,
}

impl Gen<'_, '_> {
    fn map(&mut self, layout: &Layout, depth: usize) {
        let start = self.fields.len();
        let mut forbidden = HashSet::new();
        group_tags(self.dict, layout, &mut forbidden);
        let mut done = HashSet::new();
        for (i, m) in layout.members().iter().enumerate() {
            let tag = m.tag();
            if done.contains(&tag.0)
                || forbidden.contains(&tag.0)
                || is_header_or_trailer(self.dict, tag)
            {
                assert!(!m.required(), "required {tag} cannot be generated");
                continue;
            }
            let include = m.required() || (depth > 0 && i == 0) || self.c.chance(self.density);
            match *m {
                Member::Group { group, .. } => {
                    if !include || depth >= MAX_ENTRIES.len() {
                        continue;
                    }
                    let n = self.c.below(MAX_ENTRIES[depth] + 1);
                    self.push(
                        tag.0,
                        n.to_string().into_bytes(),
                        Kind::Count,
                        depth,
                        m.required(),
                    );
                    let g = self.dict.group(group);
                    for _ in 0..n {
                        self.map(&g.layout, depth + 1);
                    }
                }
                Member::Field { required, .. } => {
                    let def = self.dict.field(tag).expect("layout fields are defined");
                    let pair = match def.ty {
                        FieldType::Data => Some((DataTags::length_tag(tag), tag)),
                        FieldType::Length => layout
                            .members()
                            .iter()
                            .map(Member::tag)
                            .find(|&d| {
                                DataTags::length_tag(d) == tag
                                    && self.dict.field(d).map(|f| f.ty) == Some(FieldType::Data)
                            })
                            .map(|d| (tag, d)),
                        _ => None,
                    };
                    if let Some((len_tag, data_tag)) = pair {
                        done.insert(len_tag.0);
                        done.insert(data_tag.0);
                        let usable = [len_tag, data_tag].iter().all(|t| {
                            layout.contains(*t)
                                && !forbidden.contains(&t.0)
                                && !is_header_or_trailer(self.dict, *t)
                        });
                        if usable && (include || self.force_data) {
                            let n = 1 + self.c.below(16);
                            let data: Vec<u8> = (0..n).map(|_| *self.c.pick(DATA)).collect();
                            let len = data.len().to_string().into_bytes();
                            self.push(len_tag.0, len, Kind::DataLen, depth, required);
                            self.push(data_tag.0, data, Kind::Data, depth, required);
                        }
                        continue;
                    }
                    if include {
                        let v = value_for(&mut self.c, def);
                        self.push(tag.0, v, Kind::Plain, depth, required);
                    }
                }
            }
        }
        if depth > 0 {
            let first = &mut self.fields[start];
            assert_eq!(
                first.tag,
                layout.members()[0].tag().0,
                "entry starts with its delimiter"
            );
            first.delimiter = true;
        }
    }

    fn push(&mut self, tag: u32, value: Vec<u8>, kind: Kind, depth: usize, required: bool) {
        self.fields.push(F {
            tag,
            value,
            kind,
            depth,
            required,
            delimiter: false,
        });
    }
}

/// A random valid message of `dict`; `force_data` includes every data pair.
fn generate(dict: &Dictionary, data: &[u32], force_data: bool) -> Msg {
    let mut c = Choices { data, pos: 0 };
    let messages = dict.messages();
    let def = &messages[c.below(messages.len() as u32) as usize];
    let header = |tag, value| F {
        tag,
        value,
        kind: Kind::Header,
        depth: 0,
        required: true,
        delimiter: false,
    };
    let mut fields = vec![header(35, def.msg_type.as_bytes().to_vec())];
    fields.push(header(
        34,
        (1 + c.below(1_000_000)).to_string().into_bytes(),
    ));
    fields.push(header(49, text(&mut c, 8)));
    fields.push(header(52, timestamp(&mut c)));
    fields.push(header(56, text(&mut c, 8)));
    let density = 1 + c.below(3);
    let mut g = Gen {
        dict,
        c,
        density,
        force_data,
        fields,
    };
    g.map(&def.layout, 0);
    Msg {
        begin: dict.begin_string().to_string(),
        fields: g.fields,
    }
}

// ---------------------------------------------------------------------------
// Serialization
// ---------------------------------------------------------------------------

fn field_bytes(f: &F) -> Vec<u8> {
    let mut b = format!("{}=", f.tag).into_bytes();
    b.extend_from_slice(&f.value);
    b.push(1);
    b
}

fn checksum(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0u8, |a, &b| a.wrapping_add(b))
}

/// A whole message around `body`, with BodyLength and CheckSum computed here.
fn frame_body(begin: &str, body: &[u8]) -> Vec<u8> {
    let mut m = format!("8={begin}\x019={}\x01", body.len()).into_bytes();
    m.extend_from_slice(body);
    let sum = checksum(&m);
    m.extend_from_slice(format!("10={sum:03}\x01").as_bytes());
    m
}

fn body_of(fields: &[F]) -> Vec<u8> {
    fields.iter().flat_map(field_bytes).collect()
}

fn serialize(m: &Msg) -> Vec<u8> {
    frame_body(&m.begin, &body_of(&m.fields))
}

/// Offset of the first body byte (the `3` of `35=`).
fn body_start(bytes: &[u8]) -> usize {
    let nine = bytes.iter().position(|&b| b == 1).expect("SOH after 8=") + 1;
    nine + bytes[nine..]
        .iter()
        .position(|&b| b == 1)
        .expect("SOH after 9=")
        + 1
}

/// Offset of field `i` of `m.fields` in `serialize(m)`.
fn field_offset(m: &Msg, bytes: &[u8], i: usize) -> usize {
    body_start(bytes)
        + m.fields[..i]
            .iter()
            .map(|f| field_bytes(f).len())
            .sum::<usize>()
}

/// Rewrites CheckSum after a same-length mutation.
fn fix_checksum(bytes: &mut [u8]) {
    let n = bytes.len();
    let sum = checksum(&bytes[..n - 7]);
    bytes[n - 4..n - 1].copy_from_slice(format!("{sum:03}").as_bytes());
}

/// `m` encoded with the library's encoder; must equal `serialize(m)`.
fn encode(m: &Msg) -> Vec<u8> {
    let mut buf = vec![0u8; MAX_LEN];
    let msg_type = MsgType::from_bytes(&m.fields[0].value).expect("a MsgType");
    let mut e = Encoder::new(&mut buf, m.begin.as_bytes(), msg_type);
    for (i, f) in m.fields.iter().enumerate().skip(1) {
        match f.kind {
            Kind::DataLen => {}
            Kind::Data => e.data(Tag(m.fields[i - 1].tag), Tag(f.tag), &f.value),
            _ => e.field(Tag(f.tag), &f.value),
        }
    }
    e.finish().expect("a valid message encodes").to_vec()
}

// ---------------------------------------------------------------------------
// The pipeline
// ---------------------------------------------------------------------------

/// How far a message gets: the first layer that objects, or `Ok`.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Frame(FrameStatus),
    Index(IndexError),
    Validation(ValidationError),
    Ok,
}

fn run(dict: &Dictionary, bytes: &[u8]) -> Outcome {
    match check_frame(bytes, MAX_LEN) {
        FrameStatus::Complete(l) if l.len == bytes.len() => {}
        other => return Outcome::Frame(other),
    }
    let mut index = FieldIndex::<64>::with_data_tags(dict.data_tags().clone());
    let mut spill = vec![FieldRef::default(); 8192];
    let msg = match index.index_or_spill(bytes, &mut spill) {
        Ok(m) => m,
        Err(e) => return Outcome::Index(e),
    };
    match Validator::new(dict).validate(&msg) {
        Ok(()) => Outcome::Ok,
        Err(e) => Outcome::Validation(e),
    }
}

fn reject(reason: SessionRejectReason, tag: Option<u32>) -> Outcome {
    Outcome::Validation(ValidationError::Reject {
        reason,
        ref_tag: tag.map(Tag),
    })
}

fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).replace('\x01', "|")
}

/// A valid message of either dictionary, checked to be accepted as it is.
fn valid(nested: bool, choices: &[u32], force_data: bool) -> (&'static Dictionary, Msg, Vec<u8>) {
    let dict: &'static Dictionary = if nested { &NESTED } else { &FIXGATE44 };
    let m = generate(dict, choices, force_data);
    let bytes = encode(&m);
    assert_eq!(show(&bytes), show(&serialize(&m)), "encoder output");
    assert_eq!(
        run(dict, &bytes),
        Outcome::Ok,
        "valid message {}",
        show(&bytes)
    );
    (dict, m, bytes)
}

/// Indices of the fields matching `pred`.
fn positions(m: &Msg, pred: impl Fn(&F) -> bool) -> Vec<usize> {
    (0..m.fields.len())
        .filter(|&i| pred(&m.fields[i]))
        .collect()
}

/// Positions at which a new top-level body field can be inserted without
/// changing the structure: before a top-level item, or at the end.
fn top_boundaries(m: &Msg) -> Vec<usize> {
    let mut at: Vec<usize> = positions(m, |f| {
        f.depth == 0 && matches!(f.kind, Kind::Plain | Kind::Count | Kind::DataLen)
    });
    let header_end = m
        .fields
        .iter()
        .take_while(|f| f.kind == Kind::Header)
        .count();
    at.push(header_end);
    at.push(m.fields.len());
    at.sort_unstable();
    at.dedup();
    at
}

/// What a framer gives for `stream` fed in pieces of the given sizes (cycled).
type Items = Vec<(u64, Result<Vec<u8>, FrameError>)>;

fn frame_stream(stream: &[u8], sizes: &[usize]) -> (Items, FramerStats) {
    let mut framer = Framer::new(MAX_LEN);
    let mut got = Vec::new();
    let mut rest = stream;
    let mut k = 0;
    while !rest.is_empty() {
        let size = sizes[k % sizes.len()].max(1);
        k += 1;
        let mut piece = &rest[..size.min(rest.len())];
        rest = &rest[piece.len()..];
        while !piece.is_empty() {
            let n = framer.handle_input(piece);
            piece = &piece[n..];
            while let Some(item) = framer.poll_frame() {
                got.push(match item {
                    FrameItem::Message { offset, bytes } => (offset, Ok(bytes.to_vec())),
                    FrameItem::Invalid { offset, error, .. } => (offset, Err(error)),
                });
            }
        }
    }
    (got, framer.stats())
}

/// Junk with a Text field holding `FIX` behind a digit: never a message start.
const JUNK_WITH_TEXT: &[u8] = b"junk\x0158=FIX in a Text field\x01";

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        // Bounded so that a failure reports in seconds, not minutes.
        max_shrink_iters: 2048,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn choices() -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(any::<u32>(), 0..512)
}

proptest! {
    #![proptest_config(config())]

    // ---------------------------------------------------------------- frame

    #[test]
    fn wrong_checksum_digits_are_bad_checksum(
        nested: bool, c in choices(), wrong in 0u16..1000,
    ) {
        let (dict, _, mut bytes) = valid(nested, &c, false);
        let n = bytes.len();
        let sum = checksum(&bytes[..n - 7]);
        prop_assume!(wrong != u16::from(sum));
        bytes[n - 4..n - 1].copy_from_slice(format!("{wrong:03}").as_bytes());
        prop_assert_eq!(
            run(dict, &bytes),
            Outcome::Frame(FrameStatus::Invalid(FrameError::BadChecksum {
                expected: sum,
                actual: wrong
            }))
        );
    }

    /// A BodyLength k too large puts the declared end k bytes past the message:
    /// on the message alone `check_frame` cannot tell that from a partial read,
    /// so it asks for `need = len + k` bytes (`Incomplete`). Once k more bytes
    /// are there, the declared end holds no `␁10=`: `BodyLengthMismatch`.
    #[test]
    fn body_length_too_large_is_incomplete_then_mismatch(
        nested: bool, c in choices(), k in 1usize..200,
    ) {
        let (dict, m, _) = valid(nested, &c, false);
        let body = body_of(&m.fields);
        let declared = body.len() + k;
        let mut bytes = format!("8={}\x019={declared}\x01", m.begin).into_bytes();
        bytes.extend_from_slice(&body);
        let sum = checksum(&bytes);
        bytes.extend_from_slice(format!("10={sum:03}\x01").as_bytes());
        prop_assert_eq!(
            run(dict, &bytes),
            Outcome::Frame(FrameStatus::Incomplete { need: Some(bytes.len() + k) })
        );
        bytes.extend(std::iter::repeat_n(b'x', k));
        prop_assert_eq!(
            check_frame(&bytes, MAX_LEN),
            FrameStatus::Invalid(FrameError::BodyLengthMismatch { declared })
        );
    }

    /// A BodyLength k too small ends the body inside it, where no `␁10=`
    /// stands (body values hold no SOH followed by `10=`).
    #[test]
    fn body_length_too_small_is_mismatch(
        nested: bool, c in choices(), k in 1usize..10_000,
    ) {
        let (dict, m, _) = valid(nested, &c, false);
        let body = body_of(&m.fields);
        let declared = body.len() - (k % body.len()).max(1);
        let mut bytes = format!("8={}\x019={declared}\x01", m.begin).into_bytes();
        bytes.extend_from_slice(&body);
        let sum = checksum(&bytes);
        bytes.extend_from_slice(format!("10={sum:03}\x01").as_bytes());
        prop_assert_eq!(
            run(dict, &bytes),
            Outcome::Frame(FrameStatus::Invalid(FrameError::BodyLengthMismatch { declared }))
        );
    }

    #[test]
    fn non_digit_in_body_length_is_bad_body_length(
        nested: bool, c in choices(), at: prop::sample::Index, insert: bool,
        byte in any::<u8>().prop_filter("not a digit or SOH", |b| !b.is_ascii_digit() && *b != 1),
    ) {
        let (dict, _, mut bytes) = valid(nested, &c, false);
        let digits_start = bytes.iter().position(|&b| b == 1).unwrap() + 3;
        let digits_end = body_start(&bytes) - 1;
        let p = digits_start + at.index(digits_end - digits_start);
        if insert {
            bytes.insert(p, byte);
        } else {
            bytes[p] = byte;
        }
        prop_assert_eq!(
            run(dict, &bytes),
            Outcome::Frame(FrameStatus::Invalid(FrameError::BadBodyLength)),
            "{}", show(&bytes)
        );
    }

    #[test]
    fn first_field_not_begin_string_is_bad_begin_string(
        nested: bool, c in choices(), variant in 0u8..5, byte: u8,
    ) {
        let (dict, m, mut bytes) = valid(nested, &c, false);
        match variant {
            0 => bytes[0] = if byte == b'8' { b'9' } else { byte },
            1 => bytes[1] = if byte == b'=' { b'-' } else { byte },
            // The message without its first field: it starts with 9=.
            2 => {
                let soh = bytes.iter().position(|&b| b == 1).unwrap();
                bytes.drain(..=soh);
            }
            // An empty BeginString.
            3 => bytes = frame_body("", &body_of(&m.fields)),
            // A BeginString longer than 16 bytes.
            _ => bytes = frame_body("FIX.4.4.0123456789", &body_of(&m.fields)),
        }
        prop_assert_eq!(
            run(dict, &bytes),
            Outcome::Frame(FrameStatus::Invalid(FrameError::BadBeginString)),
            "{}", show(&bytes)
        );
    }

    #[test]
    fn msg_type_not_third_is_missing_msg_type(
        nested: bool, c in choices(), to: prop::sample::Index, remove: bool,
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        let f = m.fields.remove(0);
        if !remove {
            // Anywhere but first (a permutation keeps BodyLength and CheckSum).
            let at = 1 + to.index(m.fields.len());
            m.fields.insert(at, f);
        }
        let bytes = serialize(&m);
        prop_assert_eq!(
            run(dict, &bytes),
            Outcome::Frame(FrameStatus::Invalid(FrameError::MissingMsgType))
        );
    }

    // ---------------------------------------------------------------- index

    #[test]
    fn non_digit_in_a_tag_is_bad_tag(
        nested: bool, c in choices(), which: prop::sample::Index, digit: prop::sample::Index,
        byte in prop::sample::select(b"abxyzAZ|. _\xff".to_vec()),
    ) {
        let (dict, m, mut bytes) = valid(nested, &c, false);
        // Any field after 35 (the trailer stays intact for framing).
        let i = 1 + which.index(m.fields.len() - 1);
        let at = field_offset(&m, &bytes, i);
        let tag_len = m.fields[i].tag.to_string().len();
        bytes[at + digit.index(tag_len)] = byte;
        fix_checksum(&mut bytes);
        prop_assert_eq!(
            run(dict, &bytes),
            Outcome::Index(IndexError::BadTag { offset: at as u32 }),
            "{}", show(&bytes)
        );
    }

    /// Dropping `=value` leaves `tag␁`: `MissingEquals`. (Dropping only the
    /// `=` usually gives `BadTag` instead, as the tag's digits run into a
    /// non-digit; when the value is all digits and tag and value together are
    /// at most 9 digits, the run ends at SOH: `MissingEquals` again.)
    #[test]
    fn missing_equals_is_missing_equals(
        nested: bool, c in choices(), which: prop::sample::Index,
    ) {
        let (dict, m, bytes) = valid(nested, &c, false);
        let i = 1 + which.index(m.fields.len() - 1);
        let start = body_start(&bytes);
        let at = field_offset(&m, &bytes, i);
        let f = &m.fields[i];
        let tag_len = f.tag.to_string().len();
        let mut body = bytes[start..bytes.len() - 7].to_vec();
        let rel = at - start;
        let only_equals = !f.value.is_empty()
            && f.value.iter().all(u8::is_ascii_digit)
            && tag_len + f.value.len() <= 9;
        if only_equals {
            body.remove(rel + tag_len);
        } else {
            body.drain(rel + tag_len..rel + tag_len + 1 + f.value.len());
        }
        let mutated = frame_body(&m.begin, &body);
        let at = field_offset(&m, &mutated, i);
        prop_assert_eq!(
            run(dict, &mutated),
            Outcome::Index(IndexError::MissingEquals { offset: at as u32 }),
            "{}", show(&mutated)
        );
    }

    /// A data field whose length field claims more bytes than it has (so the
    /// value would not end on SOH), or whose length field is gone or not a
    /// number.
    #[test]
    fn bad_data_length_is_data_length(
        nested: bool, c in choices(), which: prop::sample::Index, extra in 1usize..64,
        variant in 0u8..3,
    ) {
        let (dict, mut m, _) = valid(nested, &c, true);
        let data = positions(&m, |f| f.kind == Kind::Data);
        prop_assume!(!data.is_empty());
        let i = *which.get(&data);
        let data_tag = m.fields[i].tag;
        let len = m.fields[i].value.len();
        match variant {
            0 => {
                // Longer, but never onto an SOH (that would end the value there).
                let mut k = extra;
                loop {
                    m.fields[i - 1].value = (len + k).to_string().into_bytes();
                    let bytes = serialize(&m);
                    let value_at = field_offset(&m, &bytes, i) + data_tag.to_string().len() + 1;
                    if bytes.get(value_at + len + k) != Some(&1) {
                        break;
                    }
                    k += 1;
                }
            }
            1 => {
                m.fields.remove(i - 1);
            }
            _ => m.fields[i - 1].value = b"x".to_vec(),
        }
        let j = if variant == 1 { i - 1 } else { i };
        let bytes = serialize(&m);
        let offset = field_offset(&m, &bytes, j) as u32;
        prop_assert_eq!(
            run(dict, &bytes),
            Outcome::Index(IndexError::DataLength { tag: Tag(data_tag), offset }),
            "{}", show(&bytes)
        );
    }

    // ----------------------------------------------------------- validation

    #[test]
    fn duplicated_body_tag_is_rejected_13(
        nested: bool, c in choices(), which: prop::sample::Index,
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        let plain = positions(&m, |f| f.depth == 0 && f.kind == Kind::Plain);
        prop_assume!(!plain.is_empty());
        let i = *which.get(&plain);
        let copy = m.fields[i].clone();
        m.fields.insert(i + 1, copy);
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            reject(SessionRejectReason::TAG_APPEARS_MORE_THAN_ONCE, Some(m.fields[i].tag))
        );
    }

    #[test]
    fn removed_required_field_is_rejected_1(
        nested: bool, c in choices(), which: prop::sample::Index,
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        // A required header field (not 35, which framing needs), body field, or
        // group entry field (not the delimiter, which starts the entry).
        let required = positions(&m, |f| {
            f.required && !f.delimiter && f.tag != 35 && matches!(f.kind, Kind::Header | Kind::Plain)
        });
        let i = *which.get(&required);
        let f = m.fields.remove(i);
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            reject(SessionRejectReason::REQUIRED_TAG_MISSING, Some(f.tag))
        );
    }

    #[test]
    fn empty_value_is_rejected_4(
        nested: bool, c in choices(), which: prop::sample::Index,
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        // Any header or plain field, in groups too.
        let plain = positions(&m, |f| f.tag != 35 && matches!(f.kind, Kind::Header | Kind::Plain));
        let i = *which.get(&plain);
        m.fields[i].value.clear();
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            reject(SessionRejectReason::TAG_WITHOUT_VALUE, Some(m.fields[i].tag))
        );
    }

    #[test]
    fn unknown_tag_is_rejected_0(
        nested: bool, c in choices(), at: prop::sample::Index, user: bool,
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        // 4999 is below the user-defined range, 9999 in it (checked by default).
        let tag = if user { 9999 } else { 4999 };
        prop_assert!(dict.field(Tag(tag)).is_none());
        let p = *at.get(&top_boundaries(&m));
        m.fields.insert(p, F { tag, value: b"v".to_vec(), kind: Kind::Plain, depth: 0, required: false, delimiter: false });
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            reject(SessionRejectReason::INVALID_TAG_NUMBER, Some(tag))
        );
    }

    #[test]
    fn tag_not_in_message_is_rejected_2(
        nested: bool, c in choices(), at: prop::sample::Index, pick: prop::sample::Index,
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        let def = dict.message(MsgType::from_bytes(&m.fields[0].value).unwrap()).unwrap();
        let mut inside = HashSet::new();
        group_tags(dict, &def.layout, &mut inside);
        let foreign: Vec<&FieldDef> = dict
            .fields()
            .iter()
            .filter(|f| {
                !def.layout.contains(f.tag)
                    && !inside.contains(&f.tag.0)
                    && !is_header_or_trailer(dict, f.tag)
                    && !dict.data_tags().contains(f.tag)
            })
            .collect();
        let f = *pick.get(&foreign);
        let mut cc = Choices { data: &c, pos: 0 };
        let value = value_for(&mut cc, f);
        let p = *at.get(&top_boundaries(&m));
        m.fields.insert(p, F { tag: f.tag.0, value, kind: Kind::Plain, depth: 0, required: false, delimiter: false });
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            reject(SessionRejectReason::TAG_NOT_DEFINED_FOR_MESSAGE, Some(f.tag.0))
        );
    }

    /// QuickFIX names the first header field found after a body field.
    #[test]
    fn body_field_before_header_fields_is_rejected_14(
        nested: bool, c in choices(), which: prop::sample::Index, to: prop::sample::Index,
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        let plain = positions(&m, |f| f.depth == 0 && f.kind == Kind::Plain);
        prop_assume!(!plain.is_empty());
        let f = m.fields.remove(*which.get(&plain));
        let header_end = m.fields.iter().take_while(|f| f.kind == Kind::Header).count();
        // After 35, before one of the other header fields.
        let at = 1 + to.index(header_end - 1);
        let next_header = m.fields[at].tag;
        m.fields.insert(at, f);
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            reject(SessionRejectReason::TAG_OUT_OF_ORDER, Some(next_header))
        );
    }

    #[test]
    fn wrong_group_count_is_rejected_16(
        nested: bool, c in choices(), which: prop::sample::Index, delta in 1u32..5, down: bool,
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        let counts = positions(&m, |f| f.kind == Kind::Count);
        prop_assume!(!counts.is_empty());
        let i = *which.get(&counts);
        let n: u32 = std::str::from_utf8(&m.fields[i].value).unwrap().parse().unwrap();
        let wrong = if down && n >= delta { n - delta } else { n + delta };
        m.fields[i].value = wrong.to_string().into_bytes();
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            reject(SessionRejectReason::INCORRECT_NUM_IN_GROUP, Some(m.fields[i].tag))
        );
    }

    #[test]
    fn value_outside_the_enum_is_rejected_5(
        nested: bool, c in choices(), which: prop::sample::Index,
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        let candidates: Vec<(usize, Vec<u8>)> = m
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.kind == Kind::Plain)
            .filter_map(|(i, f)| invalid_enum_value(dict.field(Tag(f.tag))?).map(|v| (i, v)))
            .collect();
        prop_assume!(!candidates.is_empty());
        let (i, v) = which.get(&candidates).clone();
        m.fields[i].value = v;
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            reject(SessionRejectReason::VALUE_OUT_OF_RANGE, Some(m.fields[i].tag))
        );
    }

    #[test]
    fn non_numeric_int_is_rejected_6(
        nested: bool, c in choices(), which: prop::sample::Index,
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        // Int and SeqNum fields: the header's MsgSeqNum (34) always qualifies.
        let ints = positions(&m, |f| {
            matches!(f.kind, Kind::Header | Kind::Plain)
                && matches!(
                    dict.field(Tag(f.tag)).map(|d| d.ty),
                    Some(FieldType::Int | FieldType::SeqNum)
                )
        });
        let i = *which.get(&ints);
        m.fields[i].value = b"x1".to_vec();
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            reject(SessionRejectReason::INCORRECT_DATA_FORMAT, Some(m.fields[i].tag))
        );
    }

    #[test]
    fn unknown_msg_type_is_rejected_11(
        nested: bool, c in choices(),
        t in prop::sample::select(vec!["ZZ", "U9", "z", "AAAA", "7"]),
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        prop_assert!(dict.message(MsgType::from_bytes(t.as_bytes()).unwrap()).is_none());
        m.fields[0].value = t.as_bytes().to_vec();
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            reject(SessionRejectReason::INVALID_MSG_TYPE, None)
        );
    }

    #[test]
    fn other_begin_string_is_unsupported_version(
        nested: bool, c in choices(),
        begin in prop::sample::select(vec!["FIX.4.2", "FIXT.1.1", "FIX.4.4 ", "fix.4.4"]),
    ) {
        let (dict, mut m, _) = valid(nested, &c, false);
        m.begin = begin.to_string();
        prop_assert_eq!(
            run(dict, &serialize(&m)),
            Outcome::Validation(ValidationError::UnsupportedVersion)
        );
    }

    // ---------------------------------------------------------------- framer

    #[test]
    fn framer_reports_each_bad_frame_and_resyncs(
        items in prop::collection::vec((any::<bool>(), choices(), 0u8..5), 1..8),
        chunk in 1usize..300,
    ) {
        let mut stream = Vec::new();
        let mut want = Vec::new();
        let last = items.len() - 1;
        for (k, (nested, c, class)) in items.iter().enumerate() {
            let (_, m, mut bytes) = valid(*nested, c, false);
            let offset = stream.len() as u64;
            // The last message stays valid so that the stream ends on a message.
            let class = if k == last { 0 } else { *class };
            let n = bytes.len();
            let item = match class {
                0 => Ok(bytes.clone()),
                1 => {
                    let sum = checksum(&bytes[..n - 7]);
                    let wrong = sum.wrapping_add(1);
                    bytes[n - 4..n - 1].copy_from_slice(format!("{wrong:03}").as_bytes());
                    Err(FrameError::BadChecksum { expected: sum, actual: u16::from(wrong) })
                }
                2 => {
                    let p = bytes.iter().position(|&b| b == 1).unwrap() + 3;
                    bytes[p] = b'x';
                    Err(FrameError::BadBodyLength)
                }
                3 => {
                    let mut mm = m.clone();
                    mm.fields.swap(0, 1);
                    bytes = serialize(&mm);
                    Err(FrameError::MissingMsgType)
                }
                _ => {
                    bytes[0] = b'x';
                    Err(FrameError::BadBeginString)
                }
            };
            // After a bad frame the framer skips to the next `8=FIX`, so a frame
            // that does not start with one is skipped silently.
            let resyncing = matches!(want.last(), Some((_, Err(_))));
            if !resyncing || bytes.starts_with(b"8=FIX") {
                want.push((offset, item));
            }
            stream.extend_from_slice(&bytes);
        }
        let mut framer = Framer::new(MAX_LEN);
        let mut got = Vec::new();
        for piece in stream.chunks(chunk) {
            let mut rest = piece;
            while !rest.is_empty() {
                let n = framer.handle_input(rest);
                rest = &rest[n..];
                while let Some(item) = framer.poll_frame() {
                    got.push(match item {
                        FrameItem::Message { offset, bytes } => (offset, Ok(bytes.to_vec())),
                        FrameItem::Invalid { offset, error, .. } => (offset, Err(error)),
                    });
                }
            }
        }
        prop_assert_eq!(&got, &want);
        let bad = want.iter().filter(|(_, r)| r.is_err()).count() as u64;
        let stats = framer.stats();
        prop_assert_eq!(stats.invalid, bad);
        prop_assert_eq!(stats.messages, want.len() as u64 - bad);
        let bad_bytes: u64 = want
            .windows(2)
            .filter(|w| w[0].1.is_err())
            .map(|w| w[1].0 - w[0].0)
            .sum();
        prop_assert_eq!(stats.skipped_bytes, bad_bytes);
        prop_assert_eq!(framer.buffered(), 0);
    }
}

proptest! {
    #![proptest_config(config())]

    /// The items a framer gives (messages, bad frames, offsets, counters) do not
    /// depend on how the stream is cut into reads. The stream mixes valid
    /// messages, frame-level-malformed ones, and junk holding a Text field
    /// `58=FIX…`, which resync must skip (the `8=FIX` follows a digit).
    #[test]
    fn framer_output_does_not_depend_on_chunking(
        items in prop::collection::vec((any::<bool>(), choices(), 0u8..6), 1..6),
        sizes in prop::collection::vec(1usize..64, 1..64),
    ) {
        let mut stream = Vec::new();
        for (nested, c, class) in &items {
            let (_, _, mut bytes) = valid(*nested, c, false);
            let n = bytes.len();
            match class {
                1 => bytes[n - 2] = if bytes[n - 2] == b'9' { b'0' } else { bytes[n - 2] + 1 },
                2 => bytes[0] = b'x',
                3 => stream.extend_from_slice(JUNK_WITH_TEXT),
                4 => bytes.truncate(n / 2),
                _ => {}
            }
            stream.extend_from_slice(&bytes);
        }
        let (whole, whole_stats) = frame_stream(&stream, &[stream.len()]);
        let (chunked, chunked_stats) = frame_stream(&stream, &sizes);
        prop_assert_eq!(
            &chunked,
            &whole,
            "the framer's output depends on read sizes (found here before 5a06841: \
             resync kept a 4-byte tail and forgot the digit before it, so a read \
             ending in \"58=FI\" made a Text field's \"8=FIX\" a message start)"
        );
        prop_assert_eq!(chunked_stats, whole_stats);
    }
}

/// The minimal case of `framer_output_does_not_depend_on_chunking`: one junk
/// byte, a Text field `58=FIX`, then a valid message. Read at once, the junk is
/// one bad frame and the `8=FIX` behind the digit is skipped. Read as `x58=FI`
/// and then the rest, the framer before 5a06841 kept only the tail `8=FI` while
/// resynchronizing, forgot the `5` before it, and reported a second bad frame
/// at offset 2 (`8=FIX␁8=FIX.4.4…`: MissingBodyLength).
#[test]
fn framer_resync_skips_8_fix_behind_a_digit_across_reads() {
    let valid = frame_body(
        "FIX.4.4",
        b"35=0\x0134=1\x0149=A\x0152=20260101-00:00:00\x0156=B\x01",
    );
    let mut stream = b"x58=FIX\x01".to_vec();
    stream.extend_from_slice(&valid);
    let want: Items = vec![(0, Err(FrameError::BadBeginString)), (8, Ok(valid.clone()))];
    let (whole, _) = frame_stream(&stream, &[stream.len()]);
    assert_eq!(whole, want, "read at once");
    let (split, _) = frame_stream(&stream, &[6, stream.len()]);
    assert_eq!(
        split, want,
        "after a read ending in \"x58=FI\" the framer reports a spurious bad frame at \
         offset 2 (the resync bug fixed in 5a06841)"
    );
}

/// A value of `def`'s format that its enumeration does not allow, if any.
fn invalid_enum_value(def: &FieldDef) -> Option<Vec<u8>> {
    if def.values.is_empty() {
        return None;
    }
    let candidates: Vec<Vec<u8>> = (b'!'..=b'~')
        .map(|c| vec![c])
        .chain((0..1000).map(|n: i32| n.to_string().into_bytes()))
        .chain([b"-7".to_vec(), b"ZZZ".to_vec(), b"2.5".to_vec()])
        .collect();
    candidates
        .into_iter()
        .find(|v| def.ty.accepts(v) && !def.allows(v))
}
