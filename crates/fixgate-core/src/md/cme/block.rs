//! A root block or group entry as it is on the wire, and the macro that turns a
//! template's field table into a view.
//!
//! A [`Block`] is exactly the wire `blockLength` bytes (never the schema's
//! length) and the message's schema `version`. [`Block::at`] is the only gate:
//! a field whose `sinceVersion` is above the version is absent, and each
//! encoding kind reads only when the field fits before the block's end. So a
//! v5 template 35 entry, 24 bytes like v9's, has no `MDEntrySize` (since 8),
//! and a v5 template 27 root of 214 bytes has no `TradingReferenceDate` (offset
//! 214, since 6).

/// One root block or group entry: its wire bytes and the message's version.
#[derive(Clone, Copy, Debug)]
pub struct Block<'a> {
    bytes: &'a [u8],
    version: u16,
}

impl<'a> Block<'a> {
    /// A block of exactly `bytes` (the wire `blockLength`), in a message of
    /// schema `version`.
    #[inline]
    pub const fn new(bytes: &'a [u8], version: u16) -> Self {
        Block { bytes, version }
    }

    /// The block's bytes.
    #[inline]
    pub const fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The message's schema version.
    #[inline]
    pub const fn version(&self) -> u16 {
        self.version
    }

    /// The bytes from `offset` to the block's end, when a field of `since` is in
    /// this version and `offset` is inside the block (an empty tail at the very
    /// end, which is what constants need).
    #[inline]
    pub fn at(&self, offset: usize, since: u16) -> Option<&'a [u8]> {
        if since <= self.version {
            self.bytes.get(offset..)
        } else {
            None
        }
    }
}

/// Whether something of `since` is in a message of `version` (a function, so
/// that `since 0` does not read as a useless comparison).
#[inline]
pub(super) const fn in_version(since: u16, version: u16) -> bool {
    since <= version
}

/// Defines a block view: offsets as associated constants, one accessor per
/// field, and the field walk in schema order.
///
/// ```text
/// sbe_block! {
///     /// doc
///     pub struct Name, schema block length 32 {
///         accessor [OFFSET_CONST @ 0]: Kind = "SchemaName", since 0;
///         constant_accessor: ConstKind = "SchemaName", since 0;   // not on the wire
///     }
/// }
/// ```
macro_rules! sbe_block {
    (
        $(#[$doc:meta])*
        pub struct $name:ident, schema block length $schema_len:literal {
            $(
                $(#[$fdoc:meta])*
                $acc:ident $([$konst:ident @ $off:literal])?: $kind:ty = $sname:literal, since $since:literal;
            )*
        }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug)]
        pub struct $name<'a> {
            block: $crate::md::cme::block::Block<'a>,
        }

        impl<'a> $name<'a> {
            /// The block length in the v9 schema (the wire's may differ).
            pub const SCHEMA_BLOCK_LENGTH: u16 = $schema_len;
            $($(
                #[doc = concat!("Offset of `", $sname, "`.")]
                pub const $konst: usize = $off;
            )?)*

            /// A view of `block`.
            #[inline]
            pub const fn new(block: $crate::md::cme::block::Block<'a>) -> Self {
                $name { block }
            }

            /// The wire block under the view.
            #[inline]
            pub const fn block(&self) -> $crate::md::cme::block::Block<'a> {
                self.block
            }

            $(
                #[doc = concat!("`", $sname, "`; `None` when not on the wire in this block.")]
                $(#[$fdoc])*
                #[inline]
                pub fn $acc(&self) -> <$kind as $crate::md::cme::encoding::Encoding>::Value<'a> {
                    <$kind as $crate::md::cme::encoding::Encoding>::decode(
                        self.block.at(0 $(+ $off)?, $since),
                    )
                }
            )*
        }

        impl<'a> $crate::md::cme::block::FromBlock<'a> for $name<'a> {
            #[inline]
            fn from_block(block: $crate::md::cme::block::Block<'a>) -> Self {
                $name { block }
            }
        }

        impl<'a> $crate::md::cme::visit::Visit<'a> for $name<'a> {
            #[allow(unused_variables, reason = "blocks without fields visit nothing")]
            fn visit<V: $crate::md::cme::visit::FieldVisitor<'a>>(&self, v: &mut V) {
                $(
                    if let Some(tail) = self.block.at(0 $(+ $off)?, $since) {
                        if let Some(value) =
                            <$kind as $crate::md::cme::encoding::Encoding>::field_value(tail)
                        {
                            v.field($sname, value);
                        }
                    }
                )*
            }
        }
    };
}

pub(super) use sbe_block;

/// A view built over a [`Block`] (group entries).
pub trait FromBlock<'a> {
    /// The view of `block`.
    fn from_block(block: Block<'a>) -> Self;
}
