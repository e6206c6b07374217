//! Repeating groups: the dimension header, the entries stepped by the wire
//! entry length, and the macro that assembles a message view from its root and
//! groups.
//!
//! | composite | size | layout | used by |
//! |---|---:|---|---|
//! | `groupSize` | 3 | `blockLength` u16 @0, `numInGroup` u8 @2 | every group but the order-id groups |
//! | `groupSize8Byte` | 8 | `blockLength` u16 @0, 5 unused bytes, `numInGroup` u8 @7 | `NoOrderIDEntries` in 32, 42, 46, 48 |
//!
//! A message view checks every group once, when it is built: the dimension
//! header and `numInGroup × blockLength` bytes must be inside the message. After
//! that, iterating entries cannot fail. A group whose `sinceVersion` is above
//! the message's version is not on the wire at all (v5/v6 template 32 ends after
//! `NoMDEntries`). Bytes after the last known group, up to `MsgSize`, belong to
//! groups of a newer schema and are skipped.

use std::marker::PhantomData;

use thiserror::Error;

use super::block::{Block, FromBlock};
use super::template::TemplateId;
use super::visit::{FieldVisitor, Visit};

/// A group's dimension encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimension {
    /// `groupSize`: u16 `blockLength`, u8 `numInGroup` (3 bytes).
    GroupSize,
    /// `groupSize8Byte`: u16 `blockLength`, `numInGroup` u8 at offset 7 (8 bytes).
    GroupSize8Byte,
}

impl Dimension {
    /// Bytes of the dimension header.
    #[inline]
    pub const fn header_len(self) -> usize {
        match self {
            Dimension::GroupSize => 3,
            Dimension::GroupSize8Byte => 8,
        }
    }

    /// Offset of `numInGroup` in the header.
    #[inline]
    pub const fn num_in_group_offset(self) -> usize {
        match self {
            Dimension::GroupSize => 2,
            Dimension::GroupSize8Byte => 7,
        }
    }
}

/// A message whose root block or groups do not fit in its `MsgSize`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// The wire `blockLength` runs past the message.
    #[error("template {template}: root blockLength {block_length}, {have} body bytes")]
    RootTooLong {
        /// The message's template.
        template: TemplateId,
        /// The wire `blockLength`.
        block_length: u16,
        /// Bytes after the SBE header.
        have: usize,
    },
    /// A group's dimension header runs past the message.
    #[error("template {template}: group {group} header at body offset {offset} needs {need} bytes, {have} left")]
    GroupHeaderTruncated {
        /// The message's template.
        template: TemplateId,
        /// The group's schema name.
        group: &'static str,
        /// Offset of the header from the end of the SBE header.
        offset: usize,
        /// Header bytes needed.
        need: usize,
        /// Bytes left.
        have: usize,
    },
    /// A group's entries run past the message.
    #[error("template {template}: group {group} at body offset {offset}: {count} entries of {block_length} bytes, {have} left")]
    GroupTooLong {
        /// The message's template.
        template: TemplateId,
        /// The group's schema name.
        group: &'static str,
        /// Offset of the entries from the end of the SBE header.
        offset: usize,
        /// `numInGroup`.
        count: u8,
        /// The wire entry `blockLength`.
        block_length: u16,
        /// Bytes left.
        have: usize,
    },
}

/// A checked group: `count` entries of `block_length` bytes each.
pub struct Group<'a, E> {
    entries: &'a [u8],
    block_length: u16,
    count: u8,
    version: u16,
    entry: PhantomData<fn() -> E>,
}

impl<E> Clone for Group<'_, E> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<E> Copy for Group<'_, E> {}

impl<E> std::fmt::Debug for Group<'_, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Group")
            .field("count", &self.count)
            .field("block_length", &self.block_length)
            .finish()
    }
}

impl<'a, E: FromBlock<'a>> Group<'a, E> {
    /// Reads the group whose dimension header is at `body[at..]`; returns it and
    /// the offset after its last entry.
    ///
    /// # Errors
    /// [`DecodeError::GroupHeaderTruncated`] or [`DecodeError::GroupTooLong`].
    #[inline]
    pub fn parse(
        body: &'a [u8],
        at: usize,
        dim: Dimension,
        version: u16,
        template: TemplateId,
        group: &'static str,
    ) -> Result<(Self, usize), DecodeError> {
        let rest = body.get(at..).unwrap_or(&[]);
        let need = dim.header_len();
        let (Some(bl), Some(&count)) =
            (rest.first_chunk::<2>(), rest.get(dim.num_in_group_offset()))
        else {
            return Err(DecodeError::GroupHeaderTruncated {
                template,
                group,
                offset: at,
                need,
                have: rest.len(),
            });
        };
        let block_length = u16::from_le_bytes(*bl);
        let len = usize::from(block_length) * usize::from(count);
        let start = at + need;
        match body.get(start..).and_then(|r| r.get(..len)) {
            Some(entries) => Ok((
                Group {
                    entries,
                    block_length,
                    count,
                    version,
                    entry: PhantomData,
                },
                start + len,
            )),
            None => Err(DecodeError::GroupTooLong {
                template,
                group,
                offset: start,
                count,
                block_length,
                have: body.len().saturating_sub(start),
            }),
        }
    }

    /// `numInGroup`.
    #[inline]
    pub fn len(&self) -> usize {
        usize::from(self.count)
    }

    /// Whether the group has no entries.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The wire entry length.
    #[inline]
    pub fn block_length(&self) -> u16 {
        self.block_length
    }

    /// Entry `i`, if `i < len()`.
    #[inline]
    pub fn get(&self, i: usize) -> Option<E> {
        let bl = usize::from(self.block_length);
        if i >= self.len() {
            return None;
        }
        let bytes = self.entries.get(i * bl..(i + 1) * bl)?;
        Some(E::from_block(Block::new(bytes, self.version)))
    }

    /// The entries in wire order.
    #[inline]
    pub fn iter(&self) -> GroupIter<'a, E> {
        GroupIter {
            group: *self,
            next: 0,
        }
    }

    /// Walks the group as `name`: its entries, each with its fields.
    pub fn visit<V: FieldVisitor<'a>>(&self, name: &'static str, v: &mut V)
    where
        E: Visit<'a>,
    {
        v.group_start(name, self.len());
        for (i, e) in self.iter().enumerate() {
            v.entry_start(i);
            e.visit(v);
            v.entry_end();
        }
        v.group_end();
    }
}

/// Iterator over a group's entries.
pub struct GroupIter<'a, E> {
    group: Group<'a, E>,
    next: usize,
}

impl<'a, E: FromBlock<'a>> Iterator for GroupIter<'a, E> {
    type Item = E;

    #[inline]
    fn next(&mut self) -> Option<E> {
        let e = self.group.get(self.next)?;
        self.next += 1;
        Some(e)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.group.len().saturating_sub(self.next);
        (n, Some(n))
    }
}

impl<'a, E: FromBlock<'a>> ExactSizeIterator for GroupIter<'a, E> {}

impl<'a, E: FromBlock<'a>> IntoIterator for Group<'a, E> {
    type Item = E;
    type IntoIter = GroupIter<'a, E>;
    fn into_iter(self) -> GroupIter<'a, E> {
        self.iter()
    }
}

/// Defines a message view: its root block view and its groups in schema order.
///
/// ```text
/// sbe_message! {
///     /// doc
///     pub struct Name = TEMPLATE_CONST, "SchemaName", root RootView {
///         accessor: EntryView = "GroupName", GroupSize, since 0;
///     }
/// }
/// ```
macro_rules! sbe_message {
    (
        $(#[$doc:meta])*
        pub struct $name:ident = $template:ident, $sname:literal, root $root:ident {
            $(
                $(#[$gdoc:meta])*
                $gacc:ident: $entry:ident = $gname:literal, $dim:ident, since $since:literal;
            )*
        }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug)]
        pub struct $name<'a> {
            message: $crate::md::cme::packet::SbeMessage<'a>,
            root: $root<'a>,
            $($gacc: Option<$crate::md::cme::group::Group<'a, $entry<'a>>>,)*
            known_end: usize,
        }

        impl<'a> $name<'a> {
            /// The template id.
            pub const TEMPLATE: $crate::md::cme::template::TemplateId =
                $crate::md::cme::template::TemplateId::$template;
            /// The schema's message name.
            pub const NAME: &'static str = $sname;

            /// Checks the root block and every group of `message` against its
            /// `MsgSize` (the template id and schema id are the caller's to check).
            ///
            /// # Errors
            /// A [`DecodeError`]($crate::md::cme::group::DecodeError) when the root
            /// block or a group runs past the message.
            #[inline]
            pub fn new(
                message: $crate::md::cme::packet::SbeMessage<'a>,
            ) -> Result<Self, $crate::md::cme::group::DecodeError> {
                let version = message.version();
                let body = message.body();
                let block_length = message.block_length();
                let Some(root) = body.get(..usize::from(block_length)) else {
                    return Err($crate::md::cme::group::DecodeError::RootTooLong {
                        template: Self::TEMPLATE,
                        block_length,
                        have: body.len(),
                    });
                };
                #[allow(unused_mut, reason = "messages without groups")]
                let mut at = usize::from(block_length);
                $(
                    let $gacc = if $crate::md::cme::block::in_version($since, version) {
                        let (group, next) = $crate::md::cme::group::Group::parse(
                            body,
                            at,
                            $crate::md::cme::group::Dimension::$dim,
                            version,
                            Self::TEMPLATE,
                            $gname,
                        )?;
                        at = next;
                        Some(group)
                    } else {
                        None
                    };
                )*
                Ok($name {
                    message,
                    root: $root::new($crate::md::cme::block::Block::new(root, version)),
                    $($gacc,)*
                    known_end: at,
                })
            }

            /// Bytes after the last group this view knows, up to `MsgSize`: groups
            /// of a newer schema, skipped (0 on every real capture so far).
            #[inline]
            pub fn trailing_len(&self) -> usize {
                self.message.body().len().saturating_sub(self.known_end)
            }

            /// The framed message under the view.
            #[inline]
            pub fn message(&self) -> $crate::md::cme::packet::SbeMessage<'a> {
                self.message
            }

            /// The root block.
            #[inline]
            pub fn root(&self) -> $root<'a> {
                self.root
            }

            $(
                #[doc = concat!("The `", $gname, "` group; `None` when this message's version predates it.")]
                $(#[$gdoc])*
                #[inline]
                pub fn $gacc(&self) -> Option<$crate::md::cme::group::Group<'a, $entry<'a>>> {
                    self.$gacc
                }
            )*
        }

        impl<'a> $crate::md::cme::visit::Visit<'a> for $name<'a> {
            fn visit<V: $crate::md::cme::visit::FieldVisitor<'a>>(&self, v: &mut V) {
                $crate::md::cme::visit::Visit::visit(&self.root, v);
                $(
                    if let Some(group) = self.$gacc {
                        group.visit($gname, v);
                    }
                )*
            }
        }
    };
}

pub(super) use sbe_message;
