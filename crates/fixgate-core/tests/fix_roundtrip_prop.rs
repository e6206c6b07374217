//! Property tests: a random FIX message built from a dictionary survives
//! encode → frame → index → typed read → group walk → validate unchanged.
//!
//! Messages are generated against the built-in `fixgate44()` dictionary and
//! against `NESTED_XML` below, a small dictionary with three levels of nested
//! repeating groups, typed fields of every kind, and data fields (one of them
//! in the user-defined tag range) whose values contain SOH. A message has a
//! random MsgType of the dictionary, a random header (34/49/52/56 and sometimes
//! 43/97/122), every required field, and random optional fields and groups of
//! 0..=3 entries whose entries carry nested groups.
//!
//! Each case proves that:
//! * the `Encoder` (with or without a `HeaderTemplate`) writes exactly the
//!   bytes an independent serializer in this file writes;
//! * `check_frame` says `Complete` with the full length and the right layout,
//!   `TooLong` one byte under it, and `Incomplete` for a random prefix;
//! * the field index gives back every tag and value in order (inline index and
//!   spill index);
//! * the typed accessors give back the original values: integers, exact
//!   `Price`s, `UtcNanos` exact at the encoded precision, chars, booleans,
//!   text, dates, times of day and data with SOH;
//! * `FieldMap::body(..).group(tag)` gives back every group's entries with
//!   their direct fields, nested groups included, with matching counts;
//! * `Validator::new(&dict).validate(&msg)` is `Ok`.
//!
//! A second property feeds streams of such messages through the streaming
//! `Framer` in random chunks (through `handle_input` and through
//! `read_buf`/`commit`) and gets back the same messages at the same offsets.
//!
//! Inputs are a stream of `u32` choices (0 is always the simplest choice), so
//! proptest's shrinking of the vector shrinks the message.

use std::collections::HashSet;
use std::sync::LazyLock;

use fixgate_core::fix::dictionary::{fixgate44, Dictionary, FieldDef, FieldType, Layout, Member};
use fixgate_core::fix::encode::{Encoder, HeaderTemplate, TimePrecision, TimestampCache};
use fixgate_core::fix::{
    check_frame, value, DataTags, FieldIndex, FieldMap, FieldRef, FrameError, FrameItem,
    FrameStatus, Framer, GroupError, Message, MsgType, Tag, Validator,
};
use fixgate_core::time::UtcNanos;
use fixgate_core::types::Price;
use proptest::prelude::*;

/// A test dictionary: three levels of nested groups (NoOrders → NoFills →
/// NoNotes), a group after which its parent entry goes on (FillQty), a data
/// field in a third-level entry (6022/6023), and every value type.
const NESTED_XML: &str = r#"
<fix type='FIX' major='4' minor='4' servicepack='0'>
 <header>
  <field name='BeginString' required='Y'/>
  <field name='BodyLength' required='Y'/>
  <field name='MsgType' required='Y'/>
  <field name='SenderCompID' required='Y'/>
  <field name='TargetCompID' required='Y'/>
  <field name='MsgSeqNum' required='Y'/>
  <field name='PossDupFlag' required='N'/>
  <field name='PossResend' required='N'/>
  <field name='SendingTime' required='Y'/>
  <field name='OrigSendingTime' required='N'/>
 </header>
 <trailer>
  <field name='CheckSum' required='Y'/>
 </trailer>
 <messages>
  <message name='Heartbeat' msgtype='0' msgcat='admin'>
   <field name='TestReqID' required='N'/>
  </message>
  <message name='Basket' msgtype='U1' msgcat='app'>
   <field name='BasketID' required='Y'/>
   <field name='Side' required='Y'/>
   <field name='TransactTime' required='N'/>
   <field name='RawDataLength' required='N'/>
   <field name='RawData' required='N'/>
   <component name='Orders' required='Y'/>
   <field name='ExecInst' required='N'/>
   <field name='Text' required='N'/>
  </message>
  <message name='Book' msgtype='U2' msgcat='app'>
   <field name='Symbol' required='Y'/>
   <group name='NoSides' required='N'>
    <field name='Side' required='Y'/>
    <field name='Price' required='N'/>
    <group name='NoLevels' required='N'>
     <field name='LevelPx' required='Y'/>
     <field name='LevelTime' required='N'/>
     <field name='LevelDate' required='N'/>
    </group>
    <field name='Flag' required='N'/>
   </group>
   <field name='Count' required='N'/>
   <field name='TradeDate' required='N'/>
  </message>
 </messages>
 <components>
  <component name='Orders'>
   <group name='NoOrders' required='Y'>
    <field name='OrderRef' required='Y'/>
    <field name='OrderQty' required='N'/>
    <field name='Price' required='N'/>
    <group name='NoFills' required='N'>
     <field name='FillID' required='Y'/>
     <field name='FillPx' required='N'/>
     <field name='FillTime' required='N'/>
     <group name='NoNotes' required='N'>
      <field name='NoteKind' required='Y'/>
      <field name='NoteLen' required='N'/>
      <field name='Note' required='N'/>
     </group>
     <field name='FillQty' required='Y'/>
    </group>
    <field name='OrderNote' required='N'/>
   </group>
  </component>
 </components>
 <fields>
  <field number='8' name='BeginString' type='STRING'/>
  <field number='9' name='BodyLength' type='LENGTH'/>
  <field number='10' name='CheckSum' type='STRING'/>
  <field number='18' name='ExecInst' type='MULTIPLEVALUESTRING'>
   <value enum='1' description='NOT_HELD'/>
   <value enum='2' description='WORK'/>
   <value enum='6' description='PARTICIPATE_DONT_INITIATE'/>
   <value enum='G' description='ALL_OR_NONE'/>
  </field>
  <field number='34' name='MsgSeqNum' type='SEQNUM'/>
  <field number='35' name='MsgType' type='STRING'/>
  <field number='38' name='OrderQty' type='QTY'/>
  <field number='43' name='PossDupFlag' type='BOOLEAN'/>
  <field number='44' name='Price' type='PRICE'/>
  <field number='49' name='SenderCompID' type='STRING'/>
  <field number='52' name='SendingTime' type='UTCTIMESTAMP'/>
  <field number='54' name='Side' type='CHAR'>
   <value enum='1' description='BUY'/>
   <value enum='2' description='SELL'/>
   <value enum='5' description='SELL_SHORT'/>
  </field>
  <field number='55' name='Symbol' type='STRING'/>
  <field number='56' name='TargetCompID' type='STRING'/>
  <field number='58' name='Text' type='STRING'/>
  <field number='60' name='TransactTime' type='UTCTIMESTAMP'/>
  <field number='73' name='NoOrders' type='NUMINGROUP'/>
  <field number='75' name='TradeDate' type='UTCDATEONLY'/>
  <field number='95' name='RawDataLength' type='LENGTH'/>
  <field number='96' name='RawData' type='DATA'/>
  <field number='97' name='PossResend' type='BOOLEAN'/>
  <field number='112' name='TestReqID' type='STRING'/>
  <field number='122' name='OrigSendingTime' type='UTCTIMESTAMP'/>
  <field number='552' name='NoSides' type='NUMINGROUP'/>
  <field number='6001' name='OrderRef' type='STRING'/>
  <field number='6002' name='OrderNote' type='STRING'/>
  <field number='6003' name='BasketID' type='STRING'/>
  <field number='6010' name='NoFills' type='NUMINGROUP'/>
  <field number='6011' name='FillID' type='STRING'/>
  <field number='6012' name='FillPx' type='PRICE'/>
  <field number='6013' name='FillTime' type='UTCTIMESTAMP'/>
  <field number='6014' name='FillQty' type='INT'/>
  <field number='6020' name='NoNotes' type='NUMINGROUP'/>
  <field number='6021' name='NoteKind' type='INT'>
   <value enum='1' description='ONE'/>
   <value enum='2' description='TWO'/>
   <value enum='3' description='THREE'/>
  </field>
  <field number='6022' name='NoteLen' type='LENGTH'/>
  <field number='6023' name='Note' type='DATA'/>
  <field number='6030' name='NoLevels' type='NUMINGROUP'/>
  <field number='6031' name='LevelPx' type='PRICE'/>
  <field number='6032' name='LevelTime' type='UTCTIMEONLY'/>
  <field number='6033' name='LevelDate' type='UTCDATEONLY'/>
  <field number='6040' name='Flag' type='BOOLEAN'/>
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

/// Entries per group at each nesting depth (depth 1 is a body group).
const MAX_ENTRIES: [u32; 4] = [3, 3, 2, 2];
/// Past this many fields, only required fields and empty groups are added.
const FIELD_BUDGET: usize = 1500;
/// Size of the spill index for large messages.
const SPILL: usize = 8192;

// ---------------------------------------------------------------------------
// Choice stream
// ---------------------------------------------------------------------------

/// Random choices read from a proptest-generated vector; past its end every
/// choice is 0, the simplest one.
struct Choices<'a> {
    data: &'a [u32],
    pos: usize,
}

impl<'a> Choices<'a> {
    fn new(data: &'a [u32]) -> Self {
        Choices { data, pos: 0 }
    }

    fn next(&mut self) -> u32 {
        let v = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        v
    }

    /// A number below `n` (`n > 0`).
    fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }

    /// True with probability `in_four / 4` (never for a 0 choice).
    fn chance(&mut self, in_four: u32) -> bool {
        let v = self.below(4);
        v != 0 && v <= in_four
    }

    fn u64(&mut self) -> u64 {
        (u64::from(self.next()) << 32) | u64::from(self.next())
    }

    fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len() as u32) as usize]
    }
}

// ---------------------------------------------------------------------------
// Values and their independent rendering
// ---------------------------------------------------------------------------

/// A generated value, kept typed so that accessors can be checked against it.
#[derive(Clone, Debug, PartialEq)]
enum Val {
    /// An `int` field, written with `Encoder::int`.
    Int(i64),
    /// A SeqNum, NumInGroup or standalone Length, written with `Encoder::uint`.
    Uint(u64),
    /// A decimal, written with `Encoder::price`.
    Price(Price),
    /// A UTCTimestamp written at `precision`; `read` is what parsing gives back.
    Timestamp {
        sent: UtcNanos,
        read: UtcNanos,
        precision: TimePrecision,
    },
    /// A UTCTimeOnly as text, and its nanoseconds since midnight.
    TimeOnly(String, u64),
    /// A UTCDateOnly as text, and its (year, month, day).
    Date(String, (u16, u8, u8)),
    /// A char, written with `Encoder::char`.
    Char(u8),
    /// A Boolean, written with `Encoder::bool`.
    Bool(bool),
    /// Text, written with `Encoder::str`.
    Str(String),
    /// An enumerated value of a field of this type, written as raw bytes.
    Enum(Vec<u8>, FieldType),
    /// The length field of a data pair (written by `Encoder::data`).
    DataLen(u64),
    /// A data field, whose bytes may contain SOH.
    Data(Vec<u8>),
}

/// One generated field: its tag, the bytes expected on the wire, its value.
#[derive(Clone, Debug)]
struct Wire {
    tag: Tag,
    bytes: Vec<u8>,
    val: Val,
}

impl Wire {
    fn new(tag: u32, val: Val) -> Wire {
        Wire {
            tag: Tag(tag),
            bytes: render(&val),
            val,
        }
    }
}

/// The wire text of a value, rendered without the library.
fn render(val: &Val) -> Vec<u8> {
    match val {
        Val::Int(v) => v.to_string().into_bytes(),
        Val::Uint(v) | Val::DataLen(v) => v.to_string().into_bytes(),
        Val::Price(p) => render_price(p.e9()).into_bytes(),
        Val::Timestamp {
            sent, precision, ..
        } => render_timestamp(sent.as_nanos(), digits(*precision)).into_bytes(),
        Val::TimeOnly(s, _) | Val::Date(s, _) | Val::Str(s) => s.clone().into_bytes(),
        Val::Char(c) => vec![*c],
        Val::Bool(b) => if *b { b"Y" } else { b"N" }.to_vec(),
        Val::Enum(v, _) | Val::Data(v) => v.clone(),
    }
}

fn digits(p: TimePrecision) -> u32 {
    match p {
        TimePrecision::Seconds => 0,
        TimePrecision::Millis => 3,
        TimePrecision::Micros => 6,
        TimePrecision::Nanos => 9,
    }
}

/// `e9` nanounits as a decimal with trailing zeros trimmed.
fn render_price(e9: i64) -> String {
    let sign = if e9 < 0 { "-" } else { "" };
    let abs = e9.unsigned_abs();
    let (int, frac) = (abs / 1_000_000_000, abs % 1_000_000_000);
    if frac == 0 {
        return format!("{sign}{int}");
    }
    let frac = format!("{frac:09}");
    format!("{sign}{int}.{}", frac.trim_end_matches('0'))
}

/// (year, month, day) of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

/// `YYYYMMDD-HH:MM:SS[.f]` with `digits` fraction digits (truncated).
fn render_timestamp(nanos: u64, digits: u32) -> String {
    let secs = nanos / 1_000_000_000;
    let (y, mo, d) = civil_from_days(secs / 86_400);
    let sod = secs % 86_400;
    let mut s = format!(
        "{y:04}{mo:02}{d:02}-{:02}:{:02}:{:02}",
        sod / 3600,
        sod / 60 % 60,
        sod % 60
    );
    if digits > 0 {
        let frac = nanos % 1_000_000_000 / 10u64.pow(9 - digits);
        s.push_str(&format!(".{frac:0width$}", width = digits as usize));
    }
    s
}

fn is_leap(y: u16) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn month_days(y: u16, m: u8) -> u8 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// ---------------------------------------------------------------------------
// Value generation
// ---------------------------------------------------------------------------

const TEXT: &[char] = &[
    'a', 'b', 'Z', '0', '7', ' ', '=', '|', '-', '.', '8', 'F', 'I', 'X', 'é', '€',
];
const DATA: &[u8] = &[
    b'a', 0x01, b'=', b'1', b'0', 0x00, 0xff, b'8', b'|', b'9', b'F', b'I', b'X', b'.',
];
const ID: &[u8] = b"AZaz09_-.";

/// An instant near 2026 (small choices) or anywhere a `UtcNanos` can hold.
fn instant(c: &mut Choices<'_>) -> UtcNanos {
    match c.below(3) {
        0 => UtcNanos::from_nanos(1_773_671_400_000_000_000 + u64::from(c.next()) * 1_000_003),
        1 => UtcNanos::from_nanos(c.u64() % 4_102_444_800_000_000_000),
        _ => UtcNanos::from_nanos(c.u64()),
    }
}

fn timestamp(c: &mut Choices<'_>) -> Val {
    let sent = instant(c);
    let precision = *c.pick(&[
        TimePrecision::Millis,
        TimePrecision::Seconds,
        TimePrecision::Micros,
        TimePrecision::Nanos,
    ]);
    let unit = 10u64.pow(9 - digits(precision));
    let read = UtcNanos::from_nanos(sent.as_nanos() - sent.as_nanos() % unit);
    Val::Timestamp {
        sent,
        read,
        precision,
    }
}

fn int(c: &mut Choices<'_>) -> i64 {
    match c.below(3) {
        0 => i64::from(c.next() % 200) - 100,
        1 => i64::from(c.next() as i32),
        _ => c.u64() as i64,
    }
}

fn price(c: &mut Choices<'_>) -> Price {
    let e9 = match c.below(4) {
        // Whole ticks: 0.01 steps.
        0 => (i64::from(c.next() as i32) / 4) * 10_000_000,
        1 => i64::from(c.next() as i32),
        2 => (c.u64() as i64) / 1_000 * 1_000,
        _ => c.u64() as i64,
    };
    // i64::MAX is the null price, which has no FIX form.
    Price::from_e9(if e9 == i64::MAX { e9 - 1 } else { e9 })
}

fn text(c: &mut Choices<'_>) -> String {
    let n = 1 + c.below(12);
    (0..n).map(|_| *c.pick(TEXT)).collect()
}

fn id(c: &mut Choices<'_>) -> String {
    let n = 1 + c.below(8);
    (0..n).map(|_| *c.pick(ID) as char).collect()
}

fn data(c: &mut Choices<'_>) -> Vec<u8> {
    let n = 1 + c.below(24);
    (0..n).map(|_| *c.pick(DATA)).collect()
}

fn time_only(c: &mut Choices<'_>) -> Val {
    let (h, m, s) = (c.below(24), c.below(60), c.below(61));
    let frac_digits = c.below(10);
    let frac = if frac_digits == 0 {
        0
    } else {
        u64::from(c.next()) % 10u64.pow(frac_digits)
    };
    let mut text = format!("{h:02}:{m:02}:{s:02}");
    if frac_digits > 0 {
        text.push_str(&format!(".{frac:0width$}", width = frac_digits as usize));
    }
    let nanos = (u64::from(h) * 3600 + u64::from(m) * 60 + u64::from(s)) * 1_000_000_000
        + frac * 10u64.pow(9 - frac_digits);
    Val::TimeOnly(text, nanos)
}

fn date(c: &mut Choices<'_>) -> Val {
    let y = match c.below(2) {
        0 => 2026 + c.below(10) as u16,
        _ => c.below(10_000) as u16,
    };
    let m = 1 + c.below(12) as u8;
    let d = 1 + c.below(u32::from(month_days(y, m))) as u8;
    Val::Date(format!("{y:04}{m:02}{d:02}"), (y, m, d))
}

/// A value of `def`'s type (one of its enumerated values, if it has any).
fn value_for(c: &mut Choices<'_>, def: &FieldDef) -> Val {
    let allowed: Vec<&[u8]> = def
        .values
        .iter()
        .map(|v| &**v)
        .filter(|v| def.ty.accepts(v))
        .collect();
    if !allowed.is_empty() {
        if def.ty.is_multiple_value() {
            let n = 1 + c.below(3);
            let mut items: Vec<&[u8]> = (0..n).map(|_| *c.pick(&allowed)).collect();
            items.dedup();
            return Val::Enum(items.join(&b' '), def.ty);
        }
        let v = *c.pick(&allowed);
        return match def.ty {
            FieldType::Char => Val::Char(v[0]),
            FieldType::Boolean => Val::Bool(v == b"Y"),
            _ => Val::Enum(v.to_vec(), def.ty),
        };
    }
    match def.ty {
        FieldType::Int => Val::Int(int(c)),
        FieldType::Length | FieldType::SeqNum | FieldType::NumInGroup => {
            Val::Uint(c.u64() >> (1 + c.below(63)))
        }
        FieldType::Decimal => Val::Price(price(c)),
        FieldType::UtcTimestamp => timestamp(c),
        FieldType::UtcTimeOnly => time_only(c),
        FieldType::UtcDateOnly => date(c),
        FieldType::Char => Val::Char(0x20 + c.below(95) as u8),
        FieldType::Boolean => Val::Bool(c.below(2) == 1),
        FieldType::Data => Val::Data(data(c)),
        FieldType::String | FieldType::MultipleValue | FieldType::Other => Val::Str(text(c)),
    }
}

// ---------------------------------------------------------------------------
// Message generation
// ---------------------------------------------------------------------------

/// A body or group entry as generated: its direct fields (indices into the
/// message's field list) and its groups with their entries.
#[derive(Debug, Default)]
struct Node {
    direct: Vec<usize>,
    groups: Vec<(Tag, Vec<Node>)>,
    absent_groups: Vec<Tag>,
}

/// The header fields, for the encoder.
#[derive(Debug)]
struct Header {
    sender: String,
    target: String,
    seq: u64,
    sending_time: UtcNanos,
    precision: TimePrecision,
    extra: Vec<(Tag, Vec<u8>)>,
    via_template: bool,
}

/// A generated message.
#[derive(Debug)]
struct Generated {
    begin: String,
    msg_type: MsgType,
    header: Header,
    /// Number of header fields in `fields` (35 included).
    header_len: usize,
    /// Every field from 35 to the last body field, in wire order.
    fields: Vec<Wire>,
    /// The body map; indices count 8 and 9 first (as the index does).
    body: Node,
    /// Required members that could not be generated (must stay empty).
    skipped_required: Vec<Tag>,
}

struct Gen<'d, 'c> {
    dict: &'d Dictionary,
    c: Choices<'c>,
    /// Optional members are included with probability `density / 4`.
    density: u32,
    fields: Vec<Wire>,
    skipped_required: Vec<Tag>,
}

fn is_header_or_trailer(dict: &Dictionary, tag: Tag) -> bool {
    dict.header().contains(tag)
        || dict.trailer().contains(tag)
        || STANDARD_HEADER.contains(&tag.0)
        || STANDARD_TRAILER.contains(&tag.0)
}

/// Every tag of the groups of `layout`, nested ones included. A direct field of
/// `layout` with one of these tags would be read as part of a group before it,
/// so it is never generated (the wire format is ambiguous there).
fn group_tags(dict: &Dictionary, layout: &Layout, out: &mut HashSet<u32>) {
    for m in layout.members() {
        if let Member::Group { group, .. } = *m {
            let g = dict.group(group);
            out.extend(g.layout.members().iter().map(|m| m.tag().0));
            group_tags(dict, &g.layout, out);
        }
    }
}

impl Gen<'_, '_> {
    /// Generates the members of `layout` (a body when `depth` is 0, else one
    /// group entry) into `self.fields`.
    fn map(&mut self, layout: &Layout, depth: usize) -> Node {
        let mut node = Node::default();
        let mut forbidden = HashSet::new();
        group_tags(self.dict, layout, &mut forbidden);
        let mut done: HashSet<u32> = HashSet::new();
        for (i, m) in layout.members().iter().enumerate() {
            let tag = m.tag();
            let skip = |me: &mut Self| {
                if m.required() {
                    me.skipped_required.push(tag);
                }
            };
            if done.contains(&tag.0) {
                continue;
            }
            if forbidden.contains(&tag.0) || is_header_or_trailer(self.dict, tag) {
                skip(self);
                continue;
            }
            let full = self.fields.len() > FIELD_BUDGET;
            let include =
                m.required() || (depth > 0 && i == 0) || (!full && self.c.chance(self.density));
            match *m {
                Member::Group { group, .. } => {
                    if !include || depth >= MAX_ENTRIES.len() {
                        if m.required() {
                            self.skipped_required.push(tag);
                        }
                        node.absent_groups.push(tag);
                        continue;
                    }
                    let n = if full {
                        0
                    } else {
                        self.c.below(MAX_ENTRIES[depth] + 1)
                    };
                    node.direct.push(self.fields.len());
                    self.fields.push(Wire::new(tag.0, Val::Uint(u64::from(n))));
                    let g = self.dict.group(group);
                    let entries = (0..n).map(|_| self.map(&g.layout, depth + 1)).collect();
                    node.groups.push((tag, entries));
                }
                Member::Field { .. } => {
                    let Some(def) = self.dict.field(tag) else {
                        skip(self);
                        continue;
                    };
                    // A data field goes out with its length field, at whichever of
                    // the two comes first in the layout.
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
                        let usable = layout.contains(len_tag)
                            && layout.contains(data_tag)
                            && !forbidden.contains(&len_tag.0)
                            && !forbidden.contains(&data_tag.0)
                            && !is_header_or_trailer(self.dict, len_tag)
                            && !is_header_or_trailer(self.dict, data_tag);
                        done.insert(len_tag.0);
                        done.insert(data_tag.0);
                        let required = layout.member(len_tag).is_some_and(|m| m.required())
                            || layout.member(data_tag).is_some_and(|m| m.required());
                        if !usable {
                            if required {
                                self.skipped_required.push(tag);
                            }
                            continue;
                        }
                        if !(include || required) {
                            continue;
                        }
                        let bytes = data(&mut self.c);
                        node.direct.push(self.fields.len());
                        self.fields
                            .push(Wire::new(len_tag.0, Val::DataLen(bytes.len() as u64)));
                        node.direct.push(self.fields.len());
                        self.fields.push(Wire::new(data_tag.0, Val::Data(bytes)));
                        continue;
                    }
                    if include {
                        let val = value_for(&mut self.c, def);
                        node.direct.push(self.fields.len());
                        self.fields.push(Wire::new(tag.0, val));
                    }
                }
            }
        }
        node
    }
}

/// A random message of `dict`, from the choices in `data`.
fn generate(dict: &Dictionary, data: &[u32]) -> Generated {
    let mut c = Choices::new(data);
    let messages = dict.messages();
    let def = &messages[c.below(messages.len() as u32) as usize];
    generate_of(dict, def.msg_type, c)
}

fn generate_of(dict: &Dictionary, msg_type: MsgType, mut c: Choices<'_>) -> Generated {
    let def = dict.message(msg_type).expect("a message of the dictionary");
    let sender = id(&mut c);
    let target = id(&mut c);
    let seq = c.u64() >> (1 + c.below(63));
    let sending_time = instant(&mut c);
    let precision = *c.pick(&[
        TimePrecision::Millis,
        TimePrecision::Seconds,
        TimePrecision::Micros,
        TimePrecision::Nanos,
    ]);
    let via_template = c.below(2) == 0;
    let mut extra_vals: Vec<(u32, Val)> = Vec::new();
    if dict.header().contains(Tag(43)) && c.chance(2) {
        extra_vals.push((43, Val::Bool(c.below(2) == 1)));
    }
    if dict.header().contains(Tag(97)) && c.chance(2) {
        extra_vals.push((97, Val::Bool(c.below(2) == 1)));
    }
    if dict.header().contains(Tag(122)) && c.chance(2) {
        let sent = instant(&mut c);
        let read = UtcNanos::from_nanos(sent.as_nanos() - sent.as_nanos() % 1_000_000);
        extra_vals.push((
            122,
            Val::Timestamp {
                sent,
                read,
                precision: TimePrecision::Millis,
            },
        ));
    }
    let unit = 10u64.pow(9 - digits(precision));
    let mut fields = vec![
        Wire::new(
            35,
            Val::Str(String::from_utf8_lossy(msg_type.as_bytes()).into()),
        ),
        Wire::new(34, Val::Uint(seq)),
        Wire::new(49, Val::Str(sender.clone())),
        Wire::new(
            52,
            Val::Timestamp {
                sent: sending_time,
                read: UtcNanos::from_nanos(
                    sending_time.as_nanos() - sending_time.as_nanos() % unit,
                ),
                precision,
            },
        ),
        Wire::new(56, Val::Str(target.clone())),
    ];
    for (tag, val) in &extra_vals {
        fields.push(Wire::new(*tag, val.clone()));
    }
    // A header data field (XmlData), which a HeaderTemplate cannot carry.
    let xml = [Tag(212), Tag(213)];
    if !via_template && xml.iter().all(|&t| dict.header().contains(t)) && c.chance(2) {
        let bytes = data(&mut c);
        fields.push(Wire::new(212, Val::DataLen(bytes.len() as u64)));
        fields.push(Wire::new(213, Val::Data(bytes)));
    }
    fields.sort_by_key(|w| if w.tag.0 == 35 { 0 } else { w.tag.0 });
    let header_len = fields.len();
    let extra = extra_vals
        .iter()
        .map(|(t, v)| (Tag(*t), render(v)))
        .collect();

    let density = c.below(4);
    let mut g = Gen {
        dict,
        c,
        density,
        fields,
        skipped_required: Vec::new(),
    };
    let mut body = g.map(&def.layout, 0);
    // A trailer data field (Signature, whose length is SignatureLength 93).
    let trailer_start = g.fields.len();
    let sig = [Tag(93), Tag(89)];
    if sig.iter().all(|&t| dict.trailer().contains(t)) && g.c.chance(1) {
        let bytes = data(&mut g.c);
        g.fields
            .push(Wire::new(93, Val::DataLen(bytes.len() as u64)));
        g.fields.push(Wire::new(89, Val::Data(bytes)));
    }
    // The body map's direct fields: 8, 9, the header, the body, the trailer
    // (index shifted by the two fields in front of 35).
    let mut direct: Vec<usize> = vec![0, 1];
    direct.extend((0..header_len).map(|i| i + 2));
    direct.extend(body.direct.iter().map(|i| i + 2));
    direct.extend((trailer_start..g.fields.len()).map(|i| i + 2));
    direct.push(g.fields.len() + 2);
    body.direct = direct;
    shift(&mut body.groups, 2);
    Generated {
        begin: dict.begin_string().to_string(),
        msg_type,
        header: Header {
            sender,
            target,
            seq,
            sending_time,
            precision,
            extra,
            via_template,
        },
        header_len,
        fields: g.fields,
        body,
        skipped_required: g.skipped_required,
    }
}

fn shift(groups: &mut [(Tag, Vec<Node>)], by: usize) {
    for (_, entries) in groups {
        for e in entries {
            e.direct.iter_mut().for_each(|i| *i += by);
            shift(&mut e.groups, by);
        }
    }
}

// ---------------------------------------------------------------------------
// Encoding, and the independent serializer
// ---------------------------------------------------------------------------

/// `8=…␁9=…␁<fields>10=…␁`, BodyLength and CheckSum computed here.
fn serialize(begin: &str, fields: &[Wire]) -> Vec<u8> {
    let mut body = Vec::new();
    for w in fields {
        body.extend_from_slice(w.tag.0.to_string().as_bytes());
        body.push(b'=');
        body.extend_from_slice(&w.bytes);
        body.push(1);
    }
    let mut m = format!("8={begin}\x019={}\x01", body.len()).into_bytes();
    m.extend_from_slice(&body);
    let sum = m.iter().fold(0u8, |a, &b| a.wrapping_add(b));
    m.extend_from_slice(format!("10={sum:03}\x01").as_bytes());
    m
}

/// Encodes `g` with the library's encoder into `buf`; returns the message.
fn encode<'b>(g: &Generated, buf: &'b mut [u8]) -> &'b [u8] {
    let h = &g.header;
    let mut cache = TimestampCache::default();
    // With a template, it writes the header; without, every field after 35 is
    // written one by one.
    let (mut e, first) = if h.via_template {
        let mut t = HeaderTemplate::new(&g.begin, &h.sender, &h.target).with_precision(h.precision);
        let extra: Vec<(Tag, &[u8])> = h.extra.iter().map(|(t, v)| (*t, &v[..])).collect();
        let e = t.start(buf, g.msg_type, h.seq, h.sending_time, &extra);
        (e, g.header_len)
    } else {
        (Encoder::new(buf, g.begin.as_bytes(), g.msg_type), 1)
    };
    let body = &g.fields[first..];
    for (i, w) in body.iter().enumerate() {
        match &w.val {
            Val::Int(v) => e.int(w.tag, *v),
            Val::Uint(v) => e.uint(w.tag, *v),
            Val::Price(p) => e.price(w.tag, *p),
            Val::Timestamp {
                sent, precision, ..
            } => e.timestamp(w.tag, *sent, *precision, &mut cache),
            Val::TimeOnly(s, _) | Val::Date(s, _) => e.field(w.tag, s.as_bytes()),
            Val::Str(s) => e.str(w.tag, s.as_bytes()),
            Val::Char(v) => e.char(w.tag, *v),
            Val::Bool(v) => e.bool(w.tag, *v),
            Val::Enum(v, _) => e.field(w.tag, v),
            Val::DataLen(_) => {}
            Val::Data(v) => e.data(body[i - 1].tag, w.tag, v),
        }
    }
    e.finish().expect("a generated message encodes")
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

/// The full expected field list, 8 and 9 first and 10 last.
fn expected_fields(g: &Generated, bytes: &[u8]) -> Vec<Wire> {
    let body_len: usize = g
        .fields
        .iter()
        .map(|w| w.tag.0.to_string().len() + 2 + w.bytes.len())
        .sum();
    let sum = bytes[..bytes.len() - 7]
        .iter()
        .fold(0u8, |a, &b| a.wrapping_add(b));
    let mut all = vec![
        Wire::new(8, Val::Str(g.begin.clone())),
        Wire::new(9, Val::Uint(body_len as u64)),
    ];
    all.extend(g.fields.iter().cloned());
    all.push(Wire {
        tag: Tag(10),
        bytes: format!("{sum:03}").into_bytes(),
        val: Val::Str(format!("{sum:03}")),
    });
    all
}

/// Checks one field's value through the value parsers and, for the first
/// field with its tag, through the message's typed accessors.
fn check_typed(msg: &Message<'_>, i: usize, w: &Wire) {
    let raw = &w.bytes[..];
    let first = msg.position(w.tag) == Some(i);
    let tag = w.tag;
    let ctx = format!("field #{i} tag {tag} {:?}", String::from_utf8_lossy(raw));
    match &w.val {
        Val::Int(v) => {
            assert_eq!(value::parse_int(raw), Ok(*v), "{ctx}");
            if first {
                assert_eq!(msg.int(tag), Ok(*v), "{ctx}");
            }
        }
        Val::Uint(v) | Val::DataLen(v) => {
            assert_eq!(value::parse_uint(raw), Ok(*v), "{ctx}");
            if first {
                assert_eq!(msg.uint(tag), Ok(*v), "{ctx}");
                assert_eq!(msg.int(tag), Ok(*v as i64), "{ctx}");
            }
        }
        Val::Price(p) => {
            assert_eq!(value::parse_price(raw), Ok(*p), "{ctx}: price not exact");
            if first {
                assert_eq!(msg.price(tag), Ok(*p), "{ctx}");
            }
        }
        Val::Timestamp { read, .. } => {
            assert_eq!(value::parse_utc_timestamp(raw), Ok(*read), "{ctx}");
            if first {
                assert_eq!(msg.timestamp(tag), Ok(*read), "{ctx}");
            }
        }
        Val::TimeOnly(_, nanos) => {
            assert_eq!(value::parse_utc_time_only(raw), Ok(*nanos), "{ctx}");
        }
        Val::Date(_, ymd) => {
            assert_eq!(value::parse_date(raw), Ok(*ymd), "{ctx}");
        }
        Val::Char(v) => {
            if first {
                assert_eq!(msg.char(tag), Ok(*v), "{ctx}");
            }
        }
        Val::Bool(v) => {
            assert_eq!(value::parse_bool(raw), Ok(*v), "{ctx}");
            if first {
                assert_eq!(msg.bool(tag), Ok(*v), "{ctx}");
            }
        }
        Val::Str(s) => {
            if first {
                assert_eq!(msg.str(tag), Ok(s.as_str()), "{ctx}");
            }
        }
        Val::Enum(v, ty) => {
            let text = std::str::from_utf8(v).expect("enum values are text");
            if first {
                match ty {
                    FieldType::Int => assert_eq!(msg.int(tag), Ok(text.parse().unwrap()), "{ctx}"),
                    FieldType::Char => assert_eq!(msg.char(tag), Ok(v[0]), "{ctx}"),
                    _ => assert_eq!(msg.str(tag), Ok(text), "{ctx}"),
                }
            }
        }
        Val::Data(v) => {
            if first {
                assert_eq!(msg.data(tag), Ok(&v[..]), "{ctx}");
            }
        }
    }
    if first {
        assert_eq!(msg.raw(tag), Ok(raw), "{ctx}");
        assert_eq!(msg.find(tag).map(|f| f.value), Some(raw), "{ctx}");
    }
}

/// `map` must hold exactly `node`'s direct fields and groups, recursively.
fn check_map(map: &FieldMap<'_, '_>, node: &Node, all: &[Wire], path: &str) {
    let got: Vec<(Tag, &[u8])> = map.fields().map(|f| (f.tag, f.value)).collect();
    let want: Vec<(Tag, &[u8])> = node
        .direct
        .iter()
        .map(|&i| (all[i].tag, &all[i].bytes[..]))
        .collect();
    assert_eq!(got, want, "{path}: direct fields");
    for (k, &(tag, value)) in want.iter().enumerate() {
        if want[..k].iter().all(|(t, _)| *t != tag) {
            assert_eq!(
                map.find(tag).map(|f| f.value),
                Some(value),
                "{path}: find {tag}"
            );
        }
    }
    let group_tags: HashSet<Tag> = node.groups.iter().map(|(t, _)| *t).collect();
    for &(tag, _) in &want {
        if !group_tags.contains(&tag)
            && map
                .layout()
                .member(tag)
                .is_none_or(|m| matches!(m, Member::Field { .. }))
        {
            assert_eq!(
                map.group(tag).err(),
                Some(GroupError::NotAGroup { tag }),
                "{path}: {tag} is a plain field"
            );
        }
    }
    for &tag in &node.absent_groups {
        assert_eq!(
            map.group(tag).err(),
            Some(GroupError::Missing { tag }),
            "{path}: group {tag} absent"
        );
    }
    for (tag, entries) in &node.groups {
        let g = map
            .group(*tag)
            .unwrap_or_else(|e| panic!("{path}: group {tag}: {e:?}"));
        let n = entries.len();
        assert_eq!(g.declared(), n as u64, "{path}: group {tag} declared");
        assert_eq!(g.len(), n, "{path}: group {tag} entries found");
        assert_eq!(g.is_empty(), n == 0, "{path}: group {tag} is_empty");
        assert_eq!(g.check_count(), Ok(()), "{path}: group {tag} count");
        let got: Vec<FieldMap<'_, '_>> = g.entries().collect();
        assert_eq!(got.len(), n, "{path}: group {tag} entries iterated");
        for (k, (entry, want)) in got.iter().zip(entries).enumerate() {
            check_map(entry, want, all, &format!("{path}/{tag}[{k}]"));
        }
    }
}

/// Every round-trip property for one generated message.
fn check_roundtrip(dict: &Dictionary, g: &Generated, cut: usize) -> Result<(), TestCaseError> {
    prop_assert!(
        g.skipped_required.is_empty(),
        "generator could not build required {:?}",
        g.skipped_required
    );
    let mut buf = vec![0u8; 1 << 20];
    let bytes = encode(g, &mut buf).to_vec();
    let want = serialize(&g.begin, &g.fields);
    prop_assert_eq!(
        String::from_utf8_lossy(&bytes).replace('\x01', "|"),
        String::from_utf8_lossy(&want).replace('\x01', "|"),
        "encoder output differs from the reference serialization"
    );
    let all = expected_fields(g, &bytes);

    // Framing.
    let body_start = 2 + g.begin.len() + 1 + 2 + all[1].bytes.len() + 1;
    let trailer_start = bytes.len() - 7;
    let FrameStatus::Complete(layout) = check_frame(&bytes, bytes.len()) else {
        return Err(TestCaseError::fail(format!(
            "check_frame: {:?}",
            check_frame(&bytes, bytes.len())
        )));
    };
    prop_assert_eq!(layout.len, bytes.len());
    prop_assert_eq!(layout.body_start, body_start);
    prop_assert_eq!(layout.trailer_start, trailer_start);
    prop_assert_eq!(
        check_frame(&bytes, bytes.len() - 1),
        FrameStatus::Invalid(FrameError::TooLong {
            declared: bytes.len(),
            max: bytes.len() - 1
        })
    );
    let cut = cut % bytes.len();
    prop_assert!(
        matches!(
            check_frame(&bytes[..cut], 1 << 20),
            FrameStatus::Incomplete { .. }
        ),
        "prefix of {} bytes: {:?}",
        cut,
        check_frame(&bytes[..cut], 1 << 20)
    );
    let mut two = bytes.clone();
    two.extend_from_slice(&bytes);
    prop_assert_eq!(check_frame(&two, 1 << 20), FrameStatus::Complete(layout));

    // Indexing, into the inline index and (for large messages) the spill index.
    let mut index = FieldIndex::<256>::with_data_tags(dict.data_tags().clone());
    let mut spill = vec![FieldRef::default(); SPILL];
    let msg = index
        .index_or_spill(&bytes, &mut spill)
        .map_err(|e| TestCaseError::fail(format!("index: {e:?}")))?;
    let got: Vec<(Tag, &[u8])> = msg.iter().map(|f| (f.tag, f.value)).collect();
    let want_fields: Vec<(Tag, &[u8])> = all.iter().map(|w| (w.tag, &w.bytes[..])).collect();
    prop_assert_eq!(got, want_fields, "indexed fields");
    prop_assert_eq!(msg.len(), all.len());
    prop_assert_eq!(msg.begin_string(), Some(g.begin.as_bytes()));
    prop_assert_eq!(msg.msg_type(), Some(g.msg_type));
    prop_assert_eq!(msg.seq_num(), Ok(g.header.seq));

    // Typed values.
    for (i, w) in all.iter().enumerate().skip(2).take(g.fields.len()) {
        check_typed(&msg, i, w);
    }

    // Groups.
    let body = FieldMap::body(msg, dict).expect("MsgType is in the dictionary");
    prop_assert_eq!(body.range(), 0..all.len());
    check_map(&body, &g.body, &all, g.msg_type.to_string().as_str());

    // Validation.
    prop_assert_eq!(Validator::new(dict).validate(&msg), Ok(()));
    Ok(())
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        // Bounded so that a failure reports in seconds, not minutes.
        max_shrink_iters: 2048,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fixgate44_messages_round_trip(
        choices in prop::collection::vec(any::<u32>(), 0..2048),
        cut in any::<usize>(),
    ) {
        let dict = &*FIXGATE44;
        let g = generate(dict, &choices);
        check_roundtrip(dict, &g, cut)?;
    }

    #[test]
    fn nested_group_messages_round_trip(
        choices in prop::collection::vec(any::<u32>(), 0..2048),
        cut in any::<usize>(),
    ) {
        let dict = &*NESTED;
        let g = generate(dict, &choices);
        check_roundtrip(dict, &g, cut)?;
    }

    #[test]
    fn framer_gives_back_every_message_under_any_chunking(
        messages in prop::collection::vec(
            (any::<bool>(), prop::collection::vec(any::<u32>(), 0..512)),
            1..6,
        ),
        chunks in prop::collection::vec((1usize..400, any::<bool>()), 1..40),
        slack in 0usize..3,
    ) {
        let mut buf = vec![0u8; 1 << 20];
        let encoded: Vec<Vec<u8>> = messages
            .iter()
            .map(|(nested, choices)| {
                let dict = if *nested { &*NESTED } else { &*FIXGATE44 };
                encode(&generate(dict, choices), &mut buf).to_vec()
            })
            .collect();
        let stream = encoded.concat();
        let longest = encoded.iter().map(Vec::len).max().unwrap_or(0);
        let mut framer = Framer::new(longest + slack);
        let mut got: Vec<(u64, Vec<u8>)> = Vec::new();
        let drain = |f: &mut Framer, got: &mut Vec<(u64, Vec<u8>)>| {
            while let Some(item) = f.poll_frame() {
                match item {
                    FrameItem::Message { offset, bytes } => got.push((offset, bytes.to_vec())),
                    FrameItem::Invalid { offset, error, .. } => {
                        panic!("valid stream reported invalid at {offset}: {error:?}")
                    }
                }
            }
        };
        let mut rest = &stream[..];
        let mut k = 0;
        while !rest.is_empty() {
            let (size, via_read_buf) = chunks[k % chunks.len()];
            k += 1;
            let mut chunk = &rest[..size.min(rest.len())];
            rest = &rest[chunk.len()..];
            while !chunk.is_empty() {
                let n = if via_read_buf {
                    let space = framer.read_buf();
                    let n = space.len().min(chunk.len());
                    space[..n].copy_from_slice(&chunk[..n]);
                    framer.commit(n);
                    n
                } else {
                    framer.handle_input(chunk)
                };
                chunk = &chunk[n..];
                drain(&mut framer, &mut got);
            }
        }
        let mut offset = 0u64;
        let want: Vec<(u64, Vec<u8>)> = encoded
            .iter()
            .map(|m| {
                let at = offset;
                offset += m.len() as u64;
                (at, m.clone())
            })
            .collect();
        prop_assert_eq!(got, want);
        prop_assert_eq!(framer.buffered(), 0);
        let stats = framer.stats();
        prop_assert_eq!(stats.messages, encoded.len() as u64);
        prop_assert_eq!(stats.invalid, 0);
        prop_assert_eq!(stats.skipped_bytes, 0);
    }
}

/// Every message of both dictionaries can be generated with all its required
/// fields, at the sparsest and the densest settings, and round-trips.
#[test]
fn every_message_type_is_generated_and_round_trips() {
    for dict in [&*FIXGATE44, &*NESTED] {
        for def in dict.messages() {
            for fill in [0u32, 1, 3, 7, u32::MAX] {
                let choices = vec![fill; 4096];
                let g = generate_of(dict, def.msg_type, Choices::new(&choices));
                check_roundtrip(dict, &g, fill as usize)
                    .unwrap_or_else(|e| panic!("{} fill {fill}: {e}", def.name));
            }
        }
    }
}
