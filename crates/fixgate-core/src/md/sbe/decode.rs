//! Decoding one message with a [`Schema`] into an owned tree.

use thiserror::Error;

use super::schema::{
    CompositeType, EncodedType, FieldDef, GroupDef, Presence, Primitive, Schema, SchemaError,
    TypeDef,
};

/// One decoded value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A signed integer.
    Int(i64),
    /// An unsigned integer.
    UInt(u64),
    /// An optional value holding its null.
    Null,
    /// A single `char`.
    Char(u8),
    /// A `char` array, up to its first NUL.
    Chars(Vec<u8>),
    /// A decimal composite (mantissa and constant exponent).
    Decimal {
        /// The mantissa.
        mantissa: i64,
        /// The exponent.
        exponent: i8,
    },
    /// Another composite, member by member.
    Composite(Vec<(String, Value)>),
    /// An enum value with its `validValue` name when defined.
    Enum {
        /// The wire value.
        raw: i128,
        /// The name.
        name: Option<String>,
    },
    /// A set with the names of its set, defined bits.
    Set {
        /// The wire value.
        raw: u64,
        /// Names of the set bits that are choices.
        choices: Vec<String>,
    },
}

/// A field and its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedField {
    /// The schema name.
    pub name: String,
    /// The value.
    pub value: Value,
}

/// One group entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedEntry {
    /// Fields on the wire.
    pub fields: Vec<DecodedField>,
    /// Nested groups.
    pub groups: Vec<DecodedGroup>,
}

/// A group on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedGroup {
    /// The schema name.
    pub name: String,
    /// The wire entry length.
    pub block_length: u16,
    /// The entries.
    pub entries: Vec<DecodedEntry>,
}

/// A decoded message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedMessage {
    /// The schema's message name.
    pub name: String,
    /// `templateId`.
    pub template_id: u16,
    /// `schemaId`.
    pub schema_id: u16,
    /// `version`.
    pub version: u16,
    /// Wire root `blockLength`.
    pub block_length: u16,
    /// Root fields on the wire.
    pub fields: Vec<DecodedField>,
    /// Groups on the wire.
    pub groups: Vec<DecodedGroup>,
    /// Bytes after the SBE header taken by the root block and known groups.
    pub known_len: usize,
}

/// What decoding a message gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeOutcome {
    /// A message of the schema.
    Message(DecodedMessage),
    /// Another schema's message.
    UnknownSchema {
        /// `schemaId`.
        schema_id: u16,
    },
    /// A template the schema does not define.
    UnknownTemplate {
        /// `templateId`.
        template_id: u16,
    },
}

/// A message the interpreter cannot decode.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum InterpretError {
    /// Fewer bytes than the message header.
    #[error("message header needs {need} bytes, {have} there")]
    HeaderTooShort {
        /// Header size.
        need: usize,
        /// Bytes there.
        have: usize,
    },
    /// The root block runs past the message.
    #[error("root blockLength {block_length}, {have} body bytes")]
    RootTooLong {
        /// Wire `blockLength`.
        block_length: u16,
        /// Bytes after the header.
        have: usize,
    },
    /// A group's dimension header runs past the message.
    #[error("group {group}: header at {offset} truncated")]
    GroupHeaderTruncated {
        /// The group.
        group: String,
        /// Body offset.
        offset: usize,
    },
    /// A group's entries run past the message.
    #[error("group {group}: {count} entries of {block_length} bytes at {offset} do not fit")]
    GroupTooLong {
        /// The group.
        group: String,
        /// Body offset of the entries.
        offset: usize,
        /// `numInGroup`.
        count: u64,
        /// Wire entry length.
        block_length: u64,
    },
    /// A group of zero-length entries counts more than [`MAX_EMPTY_ENTRIES`]:
    /// such entries take no bytes, so the message's length cannot bound them.
    #[error("group {group}: {count} entries of 0 bytes (at most {MAX_EMPTY_ENTRIES})")]
    TooManyEmptyEntries {
        /// The group.
        group: String,
        /// `numInGroup`.
        count: u64,
    },
    /// The schema lacks something decoding needs.
    #[error(transparent)]
    Schema(#[from] SchemaError),
}

/// The most entries a group whose wire `blockLength` is 0 may count: the
/// largest `numInGroup` of SBE's standard `groupSizeEncoding` (`uint16`). Every
/// other entry takes at least one byte, so the message length bounds it; a
/// schema whose `numInGroup` is `uint32` or `uint64` would otherwise let a
/// 12-byte message ask for billions of empty entries.
pub const MAX_EMPTY_ENTRIES: u64 = u16::MAX as u64;

/// The raw value of `primitive` at the start of `b`, sign-extended.
fn raw(b: &[u8], primitive: Primitive) -> Option<i128> {
    let n = primitive.size();
    let b = b.get(..n)?;
    let mut buf = [0u8; 8];
    buf.get_mut(..n)?.copy_from_slice(b);
    let u = u64::from_le_bytes(buf);
    Some(match primitive {
        Primitive::Int8 => i128::from(u as u8 as i8),
        Primitive::Int16 => i128::from(u as u16 as i16),
        Primitive::Int32 => i128::from(u as u32 as i32),
        Primitive::Int64 => i128::from(u as i64),
        _ => i128::from(u),
    })
}

fn int_value(v: i128, primitive: Primitive) -> Value {
    if primitive == Primitive::Char {
        Value::Char(v as u8)
    } else if primitive.signed() {
        Value::Int(v as i64)
    } else {
        Value::UInt(v as u64)
    }
}

fn constant_value(t: &EncodedType) -> Value {
    let text = t.constant.as_deref().unwrap_or("");
    if t.primitive == Primitive::Char {
        if t.length == 1 {
            Value::Char(*text.as_bytes().first().unwrap_or(&0))
        } else {
            Value::Chars(text.as_bytes().to_vec())
        }
    } else {
        match text.parse::<i128>() {
            Ok(v) => int_value(v, t.primitive),
            Err(_) => Value::Null,
        }
    }
}

fn encoded_value(t: &EncodedType, b: &[u8]) -> Option<Value> {
    if t.presence == Presence::Constant {
        return Some(constant_value(t));
    }
    if t.primitive == Primitive::Char && t.length > 1 {
        let s = b.get(..t.length)?;
        let end = s.iter().position(|&c| c == 0).unwrap_or(s.len());
        return Some(Value::Chars(s.get(..end)?.to_vec()));
    }
    let v = raw(b, t.primitive)?;
    if t.null_value == Some(v) {
        return Some(Value::Null);
    }
    Some(int_value(v, t.primitive))
}

fn composite_value(c: &CompositeType, b: &[u8]) -> Option<Value> {
    if c.is_decimal() {
        let m = c.member("mantissa")?;
        let e = c.member("exponent")?;
        let exponent = e.constant.as_deref()?.trim().parse::<i8>().ok()?;
        return Some(match encoded_value(m, b.get(m.offset..)?)? {
            Value::Int(mantissa) => Value::Decimal { mantissa, exponent },
            Value::UInt(u) => Value::Decimal {
                mantissa: u as i64,
                exponent,
            },
            other => other,
        });
    }
    let mut members = Vec::new();
    for m in &c.members {
        members.push((m.name.clone(), encoded_value(m, b.get(m.offset..)?)?));
    }
    Some(Value::Composite(members))
}

impl Schema {
    fn value(&self, ty: &TypeDef, b: &[u8]) -> Option<Value> {
        match ty {
            TypeDef::Encoded(t) => encoded_value(t, b),
            TypeDef::Composite(c) => composite_value(c, b),
            TypeDef::Enum(e) => {
                let v = raw(b, e.encoding.primitive)?;
                if e.encoding.null_value == Some(v) {
                    return Some(Value::Null);
                }
                let name = e
                    .values
                    .iter()
                    .find(|(_, r)| *r == v)
                    .map(|(n, _)| n.clone());
                Some(Value::Enum { raw: v, name })
            }
            TypeDef::Set(s) => {
                let v = raw(b, s.encoding.primitive)? as u64;
                let choices = s
                    .choices
                    .iter()
                    .filter(|(_, bit)| *bit < 64 && v & (1u64 << bit) != 0)
                    .map(|(n, _)| n.clone())
                    .collect();
                Some(Value::Set { raw: v, choices })
            }
        }
    }

    fn block_fields(
        &self,
        fields: &[FieldDef],
        block: &[u8],
        version: u16,
    ) -> Result<Vec<DecodedField>, InterpretError> {
        let mut out = Vec::new();
        for f in fields {
            if f.since > version {
                continue;
            }
            let ty = self.type_def(&f.type_name)?;
            let size = ty.size();
            let Some(bytes) = block.get(f.offset..f.offset + size) else {
                continue;
            };
            if let Some(value) = self.value(ty, bytes) {
                out.push(DecodedField {
                    name: f.name.clone(),
                    value,
                });
            }
        }
        Ok(out)
    }

    fn dimension(&self, g: &GroupDef) -> Result<(&EncodedType, &EncodedType, usize), SchemaError> {
        let TypeDef::Composite(c) = self.type_def(&g.dimension_type)? else {
            return Err(SchemaError::Unsupported(format!(
                "dimensionType {} is not a composite",
                g.dimension_type
            )));
        };
        let missing = |m: &str| SchemaError::Unsupported(format!("{} lacks {m}", c.name));
        Ok((
            c.member("blockLength")
                .ok_or_else(|| missing("blockLength"))?,
            c.member("numInGroup")
                .ok_or_else(|| missing("numInGroup"))?,
            c.size,
        ))
    }

    /// Decodes the groups `defs` from `body[at..]`; returns them and the offset
    /// after the last.
    fn groups(
        &self,
        defs: &[GroupDef],
        body: &[u8],
        mut at: usize,
        version: u16,
    ) -> Result<(Vec<DecodedGroup>, usize), InterpretError> {
        let mut out = Vec::new();
        for g in defs {
            if g.since > version {
                continue;
            }
            let (bl_member, n_member, header_len) = self.dimension(g)?;
            let header = body
                .get(at..)
                .and_then(|r| r.get(..header_len))
                .ok_or_else(|| InterpretError::GroupHeaderTruncated {
                    group: g.name.clone(),
                    offset: at,
                })?;
            let read = |m: &EncodedType| {
                header
                    .get(m.offset..)
                    .and_then(|b| raw(b, m.primitive))
                    .unwrap_or(0)
            };
            let block_length = read(bl_member) as u64;
            let count = read(n_member) as u64;
            at += header_len;
            let start = at;
            if block_length == 0 && count > MAX_EMPTY_ENTRIES {
                return Err(InterpretError::TooManyEmptyEntries {
                    group: g.name.clone(),
                    count,
                });
            }
            let mut entries = Vec::new();
            for _ in 0..count {
                let too_long = || InterpretError::GroupTooLong {
                    group: g.name.clone(),
                    offset: start,
                    count,
                    block_length,
                };
                let bl = usize::try_from(block_length).map_err(|_| too_long())?;
                let block = body
                    .get(at..)
                    .and_then(|r| r.get(..bl))
                    .ok_or_else(too_long)?;
                let fields = self.block_fields(&g.fields, block, version)?;
                let (groups, next) = self.groups(&g.groups, body, at + bl, version)?;
                at = next;
                entries.push(DecodedEntry { fields, groups });
            }
            out.push(DecodedGroup {
                name: g.name.clone(),
                block_length: block_length as u16,
                entries,
            });
        }
        Ok((out, at))
    }

    /// Decodes one message: `sbe` is the SBE message header and everything after
    /// it, up to the end of the message (for MDP 3.0: the `MsgSize - 2` bytes
    /// after `MsgSize`).
    ///
    /// # Errors
    /// An [`InterpretError`] when the header, root block or a group does not fit,
    /// or the schema lacks `messageHeader` or a type.
    pub fn decode(&self, sbe: &[u8]) -> Result<DecodeOutcome, InterpretError> {
        let TypeDef::Composite(header) = self.type_def("messageHeader")? else {
            return Err(SchemaError::Unsupported("messageHeader is not a composite".into()).into());
        };
        let head = sbe
            .get(..header.size)
            .ok_or(InterpretError::HeaderTooShort {
                need: header.size,
                have: sbe.len(),
            })?;
        let member = |name: &str| -> Result<u16, InterpretError> {
            let m = header
                .member(name)
                .ok_or_else(|| SchemaError::Unsupported(format!("messageHeader lacks {name}")))?;
            Ok(head
                .get(m.offset..)
                .and_then(|b| raw(b, m.primitive))
                .unwrap_or(0) as u16)
        };
        let block_length = member("blockLength")?;
        let template_id = member("templateId")?;
        let schema_id = member("schemaId")?;
        let version = member("version")?;
        if schema_id != self.id {
            return Ok(DecodeOutcome::UnknownSchema { schema_id });
        }
        let Some(def) = self.message(template_id) else {
            return Ok(DecodeOutcome::UnknownTemplate { template_id });
        };
        let body = sbe.get(header.size..).unwrap_or(&[]);
        let root = body
            .get(..usize::from(block_length))
            .ok_or(InterpretError::RootTooLong {
                block_length,
                have: body.len(),
            })?;
        let fields = self.block_fields(&def.fields, root, version)?;
        let (groups, known_len) =
            self.groups(&def.groups, body, usize::from(block_length), version)?;
        Ok(DecodeOutcome::Message(DecodedMessage {
            name: def.name.clone(),
            template_id,
            schema_id,
            version,
            block_length,
            fields,
            groups,
            known_len,
        }))
    }
}
