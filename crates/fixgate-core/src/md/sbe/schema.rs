//! The schema model the interpreter decodes with.

use std::collections::{BTreeMap, HashMap};

use thiserror::Error;

/// A schema that cannot be loaded.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum SchemaError {
    /// The XML itself is malformed.
    #[error("schema XML: {0}")]
    Xml(String),
    /// An element lacks an attribute it needs.
    #[error("<{element} name={name:?}> lacks {attribute}")]
    MissingAttribute {
        /// The element.
        element: String,
        /// Its `name`, if any.
        name: String,
        /// The missing attribute.
        attribute: &'static str,
    },
    /// An attribute's value does not parse.
    #[error("<{element} name={name:?}>: bad {attribute} {value:?}")]
    BadAttribute {
        /// The element.
        element: String,
        /// Its `name`.
        name: String,
        /// The attribute.
        attribute: &'static str,
        /// The value.
        value: String,
    },
    /// A field, enum or set names a type the schema does not define.
    #[error("unknown type {0:?}")]
    UnknownType(String),
    /// Something this interpreter does not support (see the module doc).
    #[error("unsupported: {0}")]
    Unsupported(String),
}

/// An SBE primitive type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Primitive {
    /// `char` (one byte).
    Char,
    /// `int8`.
    Int8,
    /// `int16`.
    Int16,
    /// `int32`.
    Int32,
    /// `int64`.
    Int64,
    /// `uint8`.
    UInt8,
    /// `uint16`.
    UInt16,
    /// `uint32`.
    UInt32,
    /// `uint64`.
    UInt64,
}

impl Primitive {
    /// The primitive named `s` (`"uint8"`, ...); `None` for others.
    pub fn parse(s: &str) -> Option<Primitive> {
        Some(match s {
            "char" => Primitive::Char,
            "int8" => Primitive::Int8,
            "int16" => Primitive::Int16,
            "int32" => Primitive::Int32,
            "int64" => Primitive::Int64,
            "uint8" => Primitive::UInt8,
            "uint16" => Primitive::UInt16,
            "uint32" => Primitive::UInt32,
            "uint64" => Primitive::UInt64,
            _ => return None,
        })
    }

    /// Size in bytes.
    pub fn size(self) -> usize {
        match self {
            Primitive::Char | Primitive::Int8 | Primitive::UInt8 => 1,
            Primitive::Int16 | Primitive::UInt16 => 2,
            Primitive::Int32 | Primitive::UInt32 => 4,
            Primitive::Int64 | Primitive::UInt64 => 8,
        }
    }

    /// Whether the primitive is signed.
    pub fn signed(self) -> bool {
        matches!(
            self,
            Primitive::Int8 | Primitive::Int16 | Primitive::Int32 | Primitive::Int64
        )
    }

    /// SBE's default null value for an optional field of this primitive, as the
    /// raw bits (sign-extended for signed types).
    pub fn default_null(self) -> i128 {
        match self {
            Primitive::Char => 0,
            Primitive::Int8 => i128::from(i8::MIN),
            Primitive::Int16 => i128::from(i16::MIN),
            Primitive::Int32 => i128::from(i32::MIN),
            Primitive::Int64 => i128::from(i64::MIN),
            Primitive::UInt8 => i128::from(u8::MAX),
            Primitive::UInt16 => i128::from(u16::MAX),
            Primitive::UInt32 => i128::from(u32::MAX),
            Primitive::UInt64 => i128::from(u64::MAX),
        }
    }
}

/// `presence` of a type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// Always a value.
    Required,
    /// May hold the null value.
    Optional,
    /// Not on the wire; the value is in the schema.
    Constant,
}

/// A `<type>`, or a member of a composite.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodedType {
    /// Its name.
    pub name: String,
    /// The primitive.
    pub primitive: Primitive,
    /// `length` (1 unless a `char` array).
    pub length: usize,
    /// `presence`.
    pub presence: Presence,
    /// The null value for optional types (explicit or SBE's default).
    pub null_value: Option<i128>,
    /// The constant's text, for constants.
    pub constant: Option<String>,
    /// `offset` inside a composite, resolved.
    pub offset: usize,
}

impl EncodedType {
    /// Bytes on the wire (0 for a constant).
    pub fn size(&self) -> usize {
        if self.presence == Presence::Constant {
            0
        } else {
            self.primitive.size() * self.length
        }
    }
}

/// A `<composite>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompositeType {
    /// Its name.
    pub name: String,
    /// Members with resolved offsets.
    pub members: Vec<EncodedType>,
    /// Bytes on the wire (the end of its last member).
    pub size: usize,
}

impl CompositeType {
    /// The member called `name`.
    pub fn member(&self, name: &str) -> Option<&EncodedType> {
        self.members.iter().find(|m| m.name == name)
    }

    /// Whether it is a decimal: a `mantissa` and a constant `exponent`.
    pub fn is_decimal(&self) -> bool {
        self.members.len() == 2
            && self.member("mantissa").is_some()
            && self
                .member("exponent")
                .is_some_and(|e| e.presence == Presence::Constant)
    }
}

/// An `<enum>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumType {
    /// Its name.
    pub name: String,
    /// The encoding (a primitive or a named type).
    pub encoding: EncodedType,
    /// `(name, raw value)` of each `validValue`.
    pub values: Vec<(String, i128)>,
}

/// A `<set>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetType {
    /// Its name.
    pub name: String,
    /// The encoding.
    pub encoding: EncodedType,
    /// `(name, bit index)` of each `choice`.
    pub choices: Vec<(String, u32)>,
}

/// Any named type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeDef {
    /// `<type>`.
    Encoded(EncodedType),
    /// `<composite>`.
    Composite(CompositeType),
    /// `<enum>`.
    Enum(EnumType),
    /// `<set>`.
    Set(SetType),
}

impl TypeDef {
    /// Bytes on the wire.
    pub fn size(&self) -> usize {
        match self {
            TypeDef::Encoded(t) => t.size(),
            TypeDef::Composite(c) => c.size,
            TypeDef::Enum(e) => e.encoding.size(),
            TypeDef::Set(s) => s.encoding.size(),
        }
    }

    /// Whether it is a constant (0 bytes on the wire).
    pub fn is_constant(&self) -> bool {
        matches!(self, TypeDef::Encoded(t) if t.presence == Presence::Constant)
    }
}

/// A field of a message or group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldDef {
    /// Its name.
    pub name: String,
    /// Its FIX tag.
    pub id: u32,
    /// The type's name.
    pub type_name: String,
    /// Offset in its block, resolved (0 for constants).
    pub offset: usize,
    /// `sinceVersion` (0 when absent).
    pub since: u16,
}

/// A repeating group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupDef {
    /// Its name.
    pub name: String,
    /// Its FIX tag.
    pub id: u32,
    /// `blockLength` in the schema.
    pub block_length: usize,
    /// The dimension composite's name.
    pub dimension_type: String,
    /// `sinceVersion` (0 when absent).
    pub since: u16,
    /// Fields of each entry.
    pub fields: Vec<FieldDef>,
    /// Groups nested in each entry.
    pub groups: Vec<GroupDef>,
}

/// A message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageDef {
    /// Its name.
    pub name: String,
    /// The template id.
    pub id: u16,
    /// `blockLength` in the schema.
    pub block_length: usize,
    /// `sinceVersion` (0 when absent).
    pub since: u16,
    /// Root fields.
    pub fields: Vec<FieldDef>,
    /// Groups.
    pub groups: Vec<GroupDef>,
}

/// A loaded schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schema {
    /// `id`.
    pub id: u16,
    /// `version`.
    pub version: u16,
    /// Named types.
    pub types: HashMap<String, TypeDef>,
    /// Messages by template id.
    pub messages: BTreeMap<u16, MessageDef>,
}

impl Schema {
    /// The message with template id `id`.
    pub fn message(&self, id: u16) -> Option<&MessageDef> {
        self.messages.get(&id)
    }

    /// The type called `name`.
    ///
    /// # Errors
    /// [`SchemaError::UnknownType`].
    pub fn type_def(&self, name: &str) -> Result<&TypeDef, SchemaError> {
        self.types
            .get(name)
            .ok_or_else(|| SchemaError::UnknownType(name.to_owned()))
    }
}
