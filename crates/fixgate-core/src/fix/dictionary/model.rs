//! The resolved dictionary: fields, message layouts, groups, and fast lookups.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::field_type::FieldType;
use crate::fix::data_tags::DataTags;
use crate::fix::msg_type::MsgType;
use crate::fix::tag::Tag;

/// Why a dictionary did not load.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DictionaryError {
    /// The XML is malformed.
    #[error("dictionary XML: {0}")]
    Xml(String),
    /// A field's `number` is not a tag number.
    #[error("field {name} has number {number:?}, not a tag")]
    BadFieldNumber {
        /// The field's name.
        name: String,
        /// The number attribute as written.
        number: String,
    },
    /// A message, group or component names a field not in `<fields>`.
    #[error("unknown field {0}")]
    UnknownField(String),
    /// A message or component names a component not in `<components>`.
    #[error("unknown component {0}")]
    UnknownComponent(String),
    /// A group has no members (so no delimiter).
    #[error("group {0} has no fields")]
    EmptyGroup(String),
    /// Components nest deeper than 32 levels (a cycle).
    #[error("component {0} nests too deeply (cycle?)")]
    TooDeep(String),
    /// A message's `msgtype` is empty or longer than four bytes.
    #[error("bad msgtype {0:?}")]
    BadMsgType(String),
    /// Flattening components into messages and groups visits more than
    /// `limit` members: components that include each other many times over
    /// expand exponentially (24 components that each include the next twice
    /// make 2^24 copies) even when there is no cycle.
    #[error("components expand past {limit} members")]
    TooLarge {
        /// The limit (4,000,000 members).
        limit: usize,
    },
    /// A DATA/XMLDATA field with a tag of 2048 or more beyond the
    /// [`MAX_HIGH_DATA_TAGS`](crate::fix::data_tags::MAX_HIGH_DATA_TAGS) such
    /// tags the indexer's data-tag set holds: its values would be read as
    /// ending at the first SOH instead of by their length.
    #[error("data field {name} (tag {tag}): more than 128 data tags of 2048 or more")]
    TooManyHighDataTags {
        /// The field's name.
        name: String,
        /// Its tag.
        tag: u32,
    },
    /// XML elements nest deeper than the loader follows (see `TooDeep` for
    /// components).
    #[error("XML elements nest deeper than {limit}")]
    NestsTooDeep {
        /// The deepest nesting read.
        limit: usize,
    },
}

/// A multiplicative hasher for integer keys (tags): lookups on the validation path
/// should not pay for SipHash.
#[derive(Default, Clone, Copy)]
pub struct TagHasher(u64);

impl Hasher for TagHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type TagMap<V> = HashMap<u32, V, BuildHasherDefault<TagHasher>>;

/// A field of the dictionary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldDef {
    /// Its tag.
    pub tag: Tag,
    /// Its name (`ClOrdID`).
    pub name: String,
    /// Its type.
    pub ty: FieldType,
    /// The type name as written in the XML (`PRICE`).
    pub type_name: String,
    /// Enumerated values, sorted; empty when any value of the type is allowed.
    pub values: Vec<Box<[u8]>>,
}

impl FieldDef {
    /// Whether `v` is an allowed value (always true without enumerated values;
    /// each space-separated item for multiple-value types).
    pub fn allows(&self, v: &[u8]) -> bool {
        if self.values.is_empty() {
            return true;
        }
        let one = |x: &[u8]| self.values.binary_search_by(|e| (**e).cmp(x)).is_ok();
        if self.ty.is_multiple_value() {
            v.split(|&b| b == b' ').all(one)
        } else {
            one(v)
        }
    }
}

/// A member of a layout: a field or a repeating group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Member {
    /// A plain field.
    Field {
        /// Its tag.
        tag: Tag,
        /// Whether the message (or entry) must carry it.
        required: bool,
    },
    /// A repeating group, introduced by its NumInGroup field.
    Group {
        /// The NumInGroup tag.
        count_tag: Tag,
        /// Index of the group in [`Dictionary::group`].
        group: u32,
        /// Whether the NumInGroup field is required.
        required: bool,
    },
}

impl Member {
    /// The tag that introduces the member.
    pub fn tag(&self) -> Tag {
        match *self {
            Member::Field { tag, .. } => tag,
            Member::Group { count_tag, .. } => count_tag,
        }
    }

    /// Whether it is required.
    pub fn required(&self) -> bool {
        match *self {
            Member::Field { required, .. } | Member::Group { required, .. } => required,
        }
    }
}

/// The ordered members of a message, header, trailer or group entry, with
/// components flattened.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    members: Vec<Member>,
    /// tag -> position in `members`.
    lookup: TagMap<u32>,
    /// Required tags, ascending (the order QuickFIX reports the first missing one).
    required: Vec<Tag>,
}

impl Layout {
    pub(super) fn push(&mut self, m: Member) {
        let tag = m.tag().0;
        if self.lookup.contains_key(&tag) {
            return;
        }
        self.lookup.insert(tag, self.members.len() as u32);
        if m.required() {
            let at = self.required.partition_point(|t| t.0 < tag);
            self.required.insert(at, Tag(tag));
        }
        self.members.push(m);
    }

    /// Members in dictionary order.
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// Required tags in ascending order.
    pub fn required(&self) -> &[Tag] {
        &self.required
    }

    /// The member introduced by `tag`.
    #[inline]
    pub fn member(&self, tag: Tag) -> Option<Member> {
        self.lookup.get(&tag.0).map(|&i| self.members[i as usize])
    }

    /// Position of `tag` in dictionary order.
    #[inline]
    pub fn position(&self, tag: Tag) -> Option<u32> {
        self.lookup.get(&tag.0).copied()
    }

    /// Whether `tag` is a member.
    #[inline]
    pub fn contains(&self, tag: Tag) -> bool {
        self.lookup.contains_key(&tag.0)
    }
}

/// A repeating group.
#[derive(Clone, Debug)]
pub struct GroupDef {
    /// The NumInGroup tag.
    pub count_tag: Tag,
    /// The first field of every entry.
    pub delimiter: Tag,
    /// The members of one entry.
    pub layout: Layout,
}

/// A message of the dictionary.
#[derive(Clone, Debug)]
pub struct MessageDef {
    /// Its MsgType.
    pub msg_type: MsgType,
    /// Its name (`NewOrderSingle`).
    pub name: String,
    /// Whether it is a session-level (admin) message.
    pub admin: bool,
    /// Its body layout.
    pub layout: Layout,
}

/// A FIX dictionary in QuickFIX's XML model, resolved for lookups.
///
/// For FIX 4.x one dictionary holds header, trailer and messages. For FIXT 1.1 the
/// transport dictionary (`FIXT11.xml`) holds header, trailer and the admin
/// messages, and an application dictionary (`FIX50SP2.xml`) the rest.
#[derive(Clone, Debug)]
pub struct Dictionary {
    begin_string: String,
    fields: Vec<FieldDef>,
    field_index: TagMap<u32>,
    header: Layout,
    trailer: Layout,
    messages: Vec<MessageDef>,
    message_index: HashMap<MsgType, u32>,
    groups: Vec<GroupDef>,
    data_tags: DataTags,
}

impl Dictionary {
    pub(super) fn new(
        begin_string: String,
        fields: Vec<FieldDef>,
        header: Layout,
        trailer: Layout,
        messages: Vec<MessageDef>,
        groups: Vec<GroupDef>,
    ) -> Result<Self, DictionaryError> {
        let field_index = fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.tag.0, i as u32))
            .collect();
        let message_index = messages
            .iter()
            .enumerate()
            .map(|(i, m)| (m.msg_type, i as u32))
            .collect();
        let mut data_tags = DataTags::empty();
        for f in fields.iter().filter(|f| f.ty == FieldType::Data) {
            if !data_tags.insert(f.tag) {
                return Err(DictionaryError::TooManyHighDataTags {
                    name: f.name.clone(),
                    tag: f.tag.0,
                });
            }
        }
        Ok(Dictionary {
            begin_string,
            fields,
            field_index,
            header,
            trailer,
            messages,
            message_index,
            groups,
            data_tags,
        })
    }

    /// Loads a QuickFIX-format XML dictionary from its text.
    ///
    /// # Errors
    /// [`DictionaryError`].
    pub fn from_xml(xml: &str) -> Result<Dictionary, DictionaryError> {
        super::xml::load_str(xml)
    }

    /// The BeginString this dictionary describes (`FIX.4.4`, `FIXT.1.1`, `FIX.5.0SP2`).
    pub fn begin_string(&self) -> &str {
        &self.begin_string
    }

    /// The field with `tag`.
    #[inline]
    pub fn field(&self, tag: Tag) -> Option<&FieldDef> {
        self.field_index
            .get(&tag.0)
            .map(|&i| &self.fields[i as usize])
    }

    /// The field named `name`.
    pub fn field_by_name(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// All fields.
    pub fn fields(&self) -> &[FieldDef] {
        &self.fields
    }

    /// The standard header.
    pub fn header(&self) -> &Layout {
        &self.header
    }

    /// The standard trailer.
    pub fn trailer(&self) -> &Layout {
        &self.trailer
    }

    /// The message with this MsgType.
    #[inline]
    pub fn message(&self, msg_type: MsgType) -> Option<&MessageDef> {
        self.message_index
            .get(&msg_type)
            .map(|&i| &self.messages[i as usize])
    }

    /// All messages.
    pub fn messages(&self) -> &[MessageDef] {
        &self.messages
    }

    /// The group with this id (from [`Member::Group`]).
    #[inline]
    pub fn group(&self, id: u32) -> &GroupDef {
        &self.groups[id as usize]
    }

    /// The data fields (type DATA/XMLDATA) for the indexer.
    pub fn data_tags(&self) -> &DataTags {
        &self.data_tags
    }
}
