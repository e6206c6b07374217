//! Loading a schema XML (`templates_FixBinary.xml`) into a [`Schema`].
//!
//! The file is read into a small element tree with quick-xml (namespace
//! prefixes dropped), then resolved in two passes over `<types>`: `<type>` and
//! `<composite>` first, then `<enum>` and `<set>` (whose `encodingType` may name
//! a type), then the messages with their field offsets.

use std::collections::{BTreeMap, HashMap};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::schema::{
    CompositeType, EncodedType, EnumType, FieldDef, GroupDef, MessageDef, Presence, Primitive,
    Schema, SchemaError, SetType, TypeDef,
};

#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn name_attr(&self) -> String {
        self.attr("name").unwrap_or("").to_owned()
    }

    fn required(&self, key: &'static str) -> Result<&str, SchemaError> {
        self.attr(key).ok_or_else(|| SchemaError::MissingAttribute {
            element: self.name.clone(),
            name: self.name_attr(),
            attribute: key,
        })
    }

    fn number<T: std::str::FromStr>(&self, key: &'static str) -> Result<Option<T>, SchemaError> {
        match self.attr(key) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| SchemaError::BadAttribute {
                    element: self.name.clone(),
                    name: self.name_attr(),
                    attribute: key,
                    value: v.to_owned(),
                }),
        }
    }
}

/// The deepest element nesting read. Schemas nest groups a few levels; the
/// element tree is dropped recursively, so an unbounded depth would let a
/// crafted file overflow the stack.
pub(super) const MAX_XML_DEPTH: usize = 64;

/// The largest offset, length or block length a schema may give: SBE block
/// lengths are `uint16` on the wire, so nothing past this can be decoded, and
/// bounding them keeps every offset + size sum far from overflowing.
const MAX_WIRE_NUMBER: usize = u16::MAX as usize;

/// A byte offset, array length or block length attribute, at most
/// [`MAX_WIRE_NUMBER`].
fn wire_number(el: &Element, key: &'static str) -> Result<Option<usize>, SchemaError> {
    match el.number::<usize>(key)? {
        Some(n) if n > MAX_WIRE_NUMBER => Err(SchemaError::BadAttribute {
            element: el.name.clone(),
            name: el.name_attr(),
            attribute: key,
            value: n.to_string(),
        }),
        n => Ok(n),
    }
}

fn xml_err(e: impl std::fmt::Display) -> SchemaError {
    SchemaError::Xml(e.to_string())
}

fn element(start: &BytesStart<'_>) -> Result<Element, SchemaError> {
    let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for a in start.attributes() {
        let a = a.map_err(xml_err)?;
        let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
        let value = a.unescape_value().map_err(xml_err)?.into_owned();
        attrs.push((key, value));
    }
    Ok(Element {
        name,
        attrs,
        ..Element::default()
    })
}

fn parse_tree(xml: &str) -> Result<Element, SchemaError> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = vec![Element::default()];
    let unbalanced = || SchemaError::Xml("unbalanced elements".into());
    loop {
        match reader.read_event().map_err(xml_err)? {
            Event::Start(s) => {
                if stack.len() > MAX_XML_DEPTH {
                    return Err(SchemaError::Xml(format!(
                        "elements nest deeper than {MAX_XML_DEPTH}"
                    )));
                }
                stack.push(element(&s)?);
            }
            Event::Empty(s) => {
                let e = element(&s)?;
                stack.last_mut().ok_or_else(unbalanced)?.children.push(e);
            }
            Event::Text(t) => {
                let text = t.decode().map_err(xml_err)?;
                stack
                    .last_mut()
                    .ok_or_else(unbalanced)?
                    .text
                    .push_str(&text);
            }
            Event::End(_) => {
                let done = stack.pop().ok_or_else(unbalanced)?;
                stack.last_mut().ok_or_else(unbalanced)?.children.push(done);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut root = stack.pop().ok_or_else(unbalanced)?;
    if !stack.is_empty() {
        return Err(SchemaError::Xml("unclosed element".into()));
    }
    let schema = root.children.drain(..).find(|c| c.name == "messageSchema");
    schema.ok_or_else(|| SchemaError::Xml("no <messageSchema> root element".into()))
}

fn encoded(el: &Element) -> Result<EncodedType, SchemaError> {
    let name = el.name_attr();
    let prim_text = el.required("primitiveType")?;
    let primitive = Primitive::parse(prim_text)
        .ok_or_else(|| SchemaError::Unsupported(format!("primitiveType {prim_text} of {name}")))?;
    let length = wire_number(el, "length")?.unwrap_or(1);
    if length != 1 && primitive != Primitive::Char {
        return Err(SchemaError::Unsupported(format!(
            "array type {name} of {prim_text}"
        )));
    }
    let presence = match el.attr("presence").unwrap_or("required") {
        "required" => Presence::Required,
        "optional" => Presence::Optional,
        "constant" => Presence::Constant,
        other => {
            return Err(SchemaError::BadAttribute {
                element: el.name.clone(),
                name,
                attribute: "presence",
                value: other.to_owned(),
            })
        }
    };
    let null_value = match presence {
        Presence::Optional => Some(
            el.number::<i128>("nullValue")?
                .unwrap_or(primitive.default_null()),
        ),
        _ => None,
    };
    let constant = (presence == Presence::Constant).then(|| el.text.trim().to_owned());
    Ok(EncodedType {
        name,
        primitive,
        length,
        presence,
        null_value,
        constant,
        offset: wire_number(el, "offset")?.unwrap_or(0),
    })
}

fn composite(el: &Element) -> Result<CompositeType, SchemaError> {
    let name = el.name_attr();
    let mut members = Vec::new();
    let mut at = 0;
    for c in &el.children {
        if c.name != "type" {
            return Err(SchemaError::Unsupported(format!(
                "<{}> in composite {name}",
                c.name
            )));
        }
        let mut m = encoded(c)?;
        m.offset = wire_number(c, "offset")?.unwrap_or(at);
        at = m.offset + m.size();
        members.push(m);
    }
    let size = members
        .iter()
        .map(|m| m.offset + m.size())
        .max()
        .unwrap_or(0);
    Ok(CompositeType {
        name,
        members,
        size,
    })
}

fn encoding(types: &HashMap<String, TypeDef>, el: &Element) -> Result<EncodedType, SchemaError> {
    let enc = el.required("encodingType")?;
    if let Some(primitive) = Primitive::parse(enc) {
        return Ok(EncodedType {
            name: enc.to_owned(),
            primitive,
            length: 1,
            presence: Presence::Required,
            null_value: None,
            constant: None,
            offset: 0,
        });
    }
    match types.get(enc) {
        Some(TypeDef::Encoded(t)) if t.length == 1 && t.presence != Presence::Constant => {
            Ok(t.clone())
        }
        Some(_) => Err(SchemaError::Unsupported(format!(
            "encodingType {enc} of {}",
            el.name_attr()
        ))),
        None => Err(SchemaError::UnknownType(enc.to_owned())),
    }
}

fn enum_type(types: &HashMap<String, TypeDef>, el: &Element) -> Result<EnumType, SchemaError> {
    let encoding = encoding(types, el)?;
    let mut values = Vec::new();
    for v in el.children.iter().filter(|c| c.name == "validValue") {
        let text = v.text.trim();
        let raw = if encoding.primitive == Primitive::Char {
            i128::from(*text.as_bytes().first().unwrap_or(&0))
        } else {
            text.parse().map_err(|_| SchemaError::BadAttribute {
                element: "validValue".into(),
                name: v.name_attr(),
                attribute: "value",
                value: text.to_owned(),
            })?
        };
        values.push((v.name_attr(), raw));
    }
    Ok(EnumType {
        name: el.name_attr(),
        encoding,
        values,
    })
}

fn set_type(types: &HashMap<String, TypeDef>, el: &Element) -> Result<SetType, SchemaError> {
    let encoding = encoding(types, el)?;
    let mut choices = Vec::new();
    for c in el.children.iter().filter(|c| c.name == "choice") {
        let text = c.text.trim();
        let bit = text.parse().map_err(|_| SchemaError::BadAttribute {
            element: "choice".into(),
            name: c.name_attr(),
            attribute: "value",
            value: text.to_owned(),
        })?;
        choices.push((c.name_attr(), bit));
    }
    Ok(SetType {
        name: el.name_attr(),
        encoding,
        choices,
    })
}

fn fields_and_groups(
    types: &HashMap<String, TypeDef>,
    el: &Element,
) -> Result<(Vec<FieldDef>, Vec<GroupDef>, usize), SchemaError> {
    let mut fields = Vec::new();
    let mut groups = Vec::new();
    let mut at = 0;
    for c in &el.children {
        match c.name.as_str() {
            "field" => {
                if c.attr("presence") == Some("constant") {
                    return Err(SchemaError::Unsupported(format!(
                        "field-level constant {}",
                        c.name_attr()
                    )));
                }
                let type_name = c.required("type")?.to_owned();
                let ty = types
                    .get(&type_name)
                    .ok_or_else(|| SchemaError::UnknownType(type_name.clone()))?;
                let offset = if ty.is_constant() {
                    0
                } else {
                    let o = wire_number(c, "offset")?.unwrap_or(at);
                    at = o + ty.size();
                    o
                };
                fields.push(FieldDef {
                    name: c.name_attr(),
                    id: c.number("id")?.unwrap_or(0),
                    type_name,
                    offset,
                    since: c.number("sinceVersion")?.unwrap_or(0),
                });
            }
            "group" => {
                let (gf, gg, end) = fields_and_groups(types, c)?;
                groups.push(GroupDef {
                    name: c.name_attr(),
                    id: c.number("id")?.unwrap_or(0),
                    block_length: wire_number(c, "blockLength")?.unwrap_or(end),
                    dimension_type: c
                        .attr("dimensionType")
                        .unwrap_or("groupSizeEncoding")
                        .to_owned(),
                    since: c.number("sinceVersion")?.unwrap_or(0),
                    fields: gf,
                    groups: gg,
                });
            }
            "data" => {
                return Err(SchemaError::Unsupported(format!(
                    "<data> {}",
                    c.name_attr()
                )))
            }
            _ => {}
        }
    }
    Ok((fields, groups, at))
}

impl Schema {
    /// Loads a schema from its XML text.
    ///
    /// # Errors
    /// A [`SchemaError`] for malformed XML, missing or bad attributes, unknown
    /// types, or what the module doc lists as unsupported.
    pub fn from_xml(xml: &str) -> Result<Schema, SchemaError> {
        let root = parse_tree(xml)?;
        let mut types = HashMap::new();
        let type_blocks: Vec<&Element> =
            root.children.iter().filter(|c| c.name == "types").collect();
        for block in &type_blocks {
            for t in &block.children {
                match t.name.as_str() {
                    "type" => {
                        types.insert(t.name_attr(), TypeDef::Encoded(encoded(t)?));
                    }
                    "composite" => {
                        types.insert(t.name_attr(), TypeDef::Composite(composite(t)?));
                    }
                    _ => {}
                }
            }
        }
        for block in &type_blocks {
            for t in &block.children {
                let def = match t.name.as_str() {
                    "enum" => TypeDef::Enum(enum_type(&types, t)?),
                    "set" => TypeDef::Set(set_type(&types, t)?),
                    _ => continue,
                };
                types.insert(t.name_attr(), def);
            }
        }
        let mut messages = BTreeMap::new();
        for m in root.children.iter().filter(|c| c.name == "message") {
            let (fields, groups, end) = fields_and_groups(&types, m)?;
            let id: u16 = m
                .number("id")?
                .ok_or_else(|| SchemaError::MissingAttribute {
                    element: "message".into(),
                    name: m.name_attr(),
                    attribute: "id",
                })?;
            messages.insert(
                id,
                MessageDef {
                    name: m.name_attr(),
                    id,
                    block_length: wire_number(m, "blockLength")?.unwrap_or(end),
                    since: m.number("sinceVersion")?.unwrap_or(0),
                    fields,
                    groups,
                },
            );
        }
        Ok(Schema {
            id: root.number("id")?.unwrap_or(0),
            version: root.number("version")?.unwrap_or(0),
            types,
            messages,
        })
    }
}
