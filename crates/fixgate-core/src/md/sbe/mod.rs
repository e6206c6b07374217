//! A generic SBE interpreter: loads a schema XML at run time and decodes any
//! message of it into an owned tree ([`DecodedMessage`]).
//!
//! It exists as an independent check of the hand-written views in
//! [`md::cme`](super::cme): tests and the fuzz target decode every message both
//! ways and compare every field. It shares no code with them (only the
//! [`Price`](crate::types::Price) type, used by the comparison). It allocates
//! freely; it is not for the hot path.
//!
//! Supported (all that CME's MDP 3.0 v9 schema uses): `<type>` of the integer
//! primitives and `char` (length 1, or a `char` array), with `presence`
//! required, optional (`nullValue`, or SBE's default null) and constant;
//! `<composite>` of such types with optional `offset`s (decimals — `mantissa`
//! plus a constant `exponent` — decode as [`Value::Decimal`]); `<enum>` and
//! `<set>` over an integer or `char` encoding given as a primitive or a type
//! name; messages and groups (nested too) with `blockLength`, explicit or
//! implicit field offsets, `sinceVersion`, and the group's `dimensionType`
//! composite (`blockLength` and `numInGroup` members, at their offsets).
//! Not supported (load error): `float`/`double`, non-`char` arrays, `<ref>` in
//! composites, `<data>` (variable-length) fields, `valueRef` constants.
//!
//! Decoding follows the rules of `../shared/venues/cme-mdp3.md` section 3: the
//! wire `blockLength` of the root and of each group entry, a field only when
//! `offset + size` fits in its block and its own `sinceVersion` is at most the
//! message's `version` (type, message, enum-value and choice `sinceVersion`s are
//! not applied), a group only when its `sinceVersion` is, constants always
//! (0 bytes) under the same `sinceVersion` rule, and unknown trailing bytes
//! ignored.

mod decode;
mod schema;
mod xml;

pub use decode::{
    DecodeOutcome, DecodedEntry, DecodedField, DecodedGroup, DecodedMessage, InterpretError, Value,
    MAX_EMPTY_ENTRIES,
};
pub use schema::{
    CompositeType, EncodedType, EnumType, FieldDef, GroupDef, MessageDef, Presence, Primitive,
    Schema, SchemaError, SetType, TypeDef,
};

#[cfg(test)]
mod tests;
