//! The random-message generator's walk over a dictionary layout, shared by the
//! typed generator (`typed_message`, for the round-trip properties) and the
//! raw one (`raw_message`, for the malformed-input properties).
//!
//! [`Walk::map`] decides which members of a body or group entry go out, in
//! layout order: every required member, the first member of a group entry
//! (its delimiter), and optional members with probability `density / 4`; each
//! group with 0 to `max_entries[depth]` entries, generated recursively; a data
//! field always together with its length field. It never generates a header
//! or trailer tag in a body, nor a direct field whose tag a group before it
//! could hold (the wire format is ambiguous there), and lists the required
//! members it had to leave out. What a field's value is, and how a generated
//! field is recorded, is up to the [`Build`] of each generator.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use std::collections::HashSet;
use std::marker::PhantomData;

use fixgate_core::fix::dictionary::{Dictionary, FieldDef, FieldType, Layout, Member};
use fixgate_core::fix::{DataTags, Tag};

use super::choices::Choices;

/// Header tags QuickFIX knows without a dictionary; never generated in a body.
pub const STANDARD_HEADER: &[u32] = &[
    8, 9, 35, 49, 56, 115, 128, 90, 91, 34, 50, 142, 57, 143, 116, 144, 129, 145, 43, 97, 52, 122,
    212, 213, 347, 369, 370, 627, 628, 629, 630, 1128, 1129, 1156,
];
/// Trailer tags QuickFIX knows without a dictionary.
pub const STANDARD_TRAILER: &[u32] = &[93, 89, 10];

/// Whether `tag` belongs in the header or trailer, by `dict` or by QuickFIX.
pub fn is_header_or_trailer(dict: &Dictionary, tag: Tag) -> bool {
    dict.header().contains(tag)
        || dict.trailer().contains(tag)
        || STANDARD_HEADER.contains(&tag.0)
        || STANDARD_TRAILER.contains(&tag.0)
}

/// Every tag of the groups of `layout`, nested ones included. A direct field of
/// `layout` with one of these tags would be read as part of a group before it,
/// so it is never generated (the wire format is ambiguous there).
pub fn group_tags(dict: &Dictionary, layout: &Layout, out: &mut HashSet<u32>) {
    for m in layout.members() {
        if let Member::Group { group, .. } = *m {
            let g = dict.group(group);
            out.extend(g.layout.members().iter().map(|m| m.tag().0));
            group_tags(dict, &g.layout, out);
        }
    }
}

/// The enumerated values of `def` that its type accepts (empty when any
/// value of the type is allowed).
pub fn allowed_values(def: &FieldDef) -> Vec<&[u8]> {
    def.values
        .iter()
        .map(|v| &**v)
        .filter(|v| def.ty.accepts(v))
        .collect()
}

/// Where a generated field stands.
#[derive(Clone, Copy, Debug)]
pub struct At {
    /// 0 for body fields, n inside an n-th level group entry.
    pub depth: usize,
    /// Whether the layout member (for a data pair: the first of the two in the
    /// layout) is required.
    pub required: bool,
}

/// How a generator makes and records fields; the [`Walk`] decides which.
pub trait Build {
    /// One generated field, as the generator records it.
    type Field;
    /// The NumInGroup field `tag` of a group of `n` entries.
    fn count(tag: Tag, n: u32, at: At) -> Self::Field;
    /// A field of `def` with a random value of its type.
    fn value(c: &mut Choices<'_>, def: &FieldDef, at: At) -> Self::Field;
    /// A data field `data` with random bytes, after its length field `len`.
    fn data_pair(c: &mut Choices<'_>, len: Tag, data: Tag, at: At) -> [Self::Field; 2];
    /// Called with the fields of a group entry just generated, whose first
    /// member (its delimiter) is `delimiter`.
    fn entry_done(_fields: &mut [Self::Field], _delimiter: Tag) {}
}

/// How large and how full the generated messages are.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// Entries per group at each nesting depth (depth 0 is a body group); no
    /// groups deeper than this.
    pub max_entries: &'static [u32],
    /// Past this many fields, only required fields and empty groups are added.
    pub field_budget: usize,
    /// Optional members are included with probability `density / 4`.
    pub density: u32,
    /// Include every data pair that can be generated.
    pub every_data_pair: bool,
}

/// A body or group entry as generated: its direct fields (indices into the
/// message's field list) and its groups with their entries.
#[derive(Debug, Default)]
pub struct Node {
    /// The fields of this body or entry, not those of its groups' entries.
    pub direct: Vec<usize>,
    /// Each group that went out: its NumInGroup tag and its entries.
    pub groups: Vec<(Tag, Vec<Node>)>,
    /// The groups of the layout that did not go out.
    pub absent_groups: Vec<Tag>,
}

impl Node {
    /// Adds `by` to the field indices of every group entry, recursively.
    pub fn shift_entries(&mut self, by: usize) {
        for (_, entries) in &mut self.groups {
            for e in entries {
                e.direct.iter_mut().for_each(|i| *i += by);
                e.shift_entries(by);
            }
        }
    }
}

/// The state of one message's generation.
pub struct Walk<'d, 'c, B: Build> {
    /// The dictionary of the message.
    pub dict: &'d Dictionary,
    /// The choices still to read.
    pub c: Choices<'c>,
    /// How large and how full the message is.
    pub shape: Shape,
    /// The fields generated so far, in wire order (the header first).
    pub fields: Vec<B::Field>,
    /// Required members that could not be generated.
    pub skipped_required: Vec<Tag>,
    build: PhantomData<B>,
}

impl<'d, 'c, B: Build> Walk<'d, 'c, B> {
    /// A walk that appends to `fields` (the header, already generated).
    pub fn new(dict: &'d Dictionary, c: Choices<'c>, shape: Shape, fields: Vec<B::Field>) -> Self {
        Walk {
            dict,
            c,
            shape,
            fields,
            skipped_required: Vec::new(),
            build: PhantomData,
        }
    }

    /// Generates the members of `layout` (a body when `depth` is 0, else one
    /// group entry) into `self.fields`.
    pub fn map(&mut self, layout: &Layout, depth: usize) -> Node {
        let start = self.fields.len();
        let mut node = Node::default();
        let mut forbidden = HashSet::new();
        group_tags(self.dict, layout, &mut forbidden);
        let mut done: HashSet<u32> = HashSet::new();
        for (i, m) in layout.members().iter().enumerate() {
            let tag = m.tag();
            let at = At {
                depth,
                required: m.required(),
            };
            if done.contains(&tag.0) {
                continue;
            }
            if forbidden.contains(&tag.0) || is_header_or_trailer(self.dict, tag) {
                self.leave_out(tag, at.required);
                continue;
            }
            let full = self.fields.len() > self.shape.field_budget;
            let include = m.required()
                || (depth > 0 && i == 0)
                || (!full && self.c.chance(self.shape.density));
            match *m {
                Member::Group { group, .. } => {
                    let max_entries = self.shape.max_entries;
                    if !include || depth >= max_entries.len() {
                        self.leave_out(tag, at.required);
                        node.absent_groups.push(tag);
                        continue;
                    }
                    let n = if full {
                        0
                    } else {
                        self.c.below(max_entries[depth] + 1)
                    };
                    node.direct.push(self.fields.len());
                    self.fields.push(B::count(tag, n, at));
                    let g = self.dict.group(group);
                    let entries = (0..n).map(|_| self.map(&g.layout, depth + 1)).collect();
                    node.groups.push((tag, entries));
                }
                Member::Field { .. } => {
                    let Some(def) = self.dict.field(tag) else {
                        self.leave_out(tag, at.required);
                        continue;
                    };
                    // A data field goes out with its length field, at whichever of
                    // the two comes first in the layout.
                    if let Some((len_tag, data_tag)) = self.data_pair(layout, tag, def.ty) {
                        done.insert(len_tag.0);
                        done.insert(data_tag.0);
                        let required = layout.member(len_tag).is_some_and(|m| m.required())
                            || layout.member(data_tag).is_some_and(|m| m.required());
                        if !self.pair_usable(layout, &forbidden, [len_tag, data_tag]) {
                            self.leave_out(tag, required);
                            continue;
                        }
                        if include || required || self.shape.every_data_pair {
                            let pair = B::data_pair(&mut self.c, len_tag, data_tag, at);
                            for field in pair {
                                node.direct.push(self.fields.len());
                                self.fields.push(field);
                            }
                        }
                        continue;
                    }
                    if include {
                        node.direct.push(self.fields.len());
                        self.fields.push(B::value(&mut self.c, def, at));
                    }
                }
            }
        }
        if depth > 0 {
            B::entry_done(&mut self.fields[start..], layout.members()[0].tag());
        }
        node
    }

    /// Records a member `tag` that cannot be generated.
    fn leave_out(&mut self, tag: Tag, required: bool) {
        if required {
            self.skipped_required.push(tag);
        }
    }

    /// The (length, data) tags of the data pair that field `tag` of type `ty`
    /// belongs to in `layout`, if it is a data field or the length field of one.
    fn data_pair(&self, layout: &Layout, tag: Tag, ty: FieldType) -> Option<(Tag, Tag)> {
        match ty {
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
        }
    }

    /// Whether both fields of a data pair can go out in `layout`.
    fn pair_usable(&self, layout: &Layout, forbidden: &HashSet<u32>, pair: [Tag; 2]) -> bool {
        pair.iter().all(|&t| {
            layout.contains(t) && !forbidden.contains(&t.0) && !is_header_or_trailer(self.dict, t)
        })
    }
}
