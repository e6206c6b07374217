//! Reading QuickFIX-format XML dictionaries (`FIX44.xml`, `FIXT11.xml`, ...).
//!
//! The file is read into a small element tree with quick-xml, then resolved: field
//! names become tags, components are flattened into the messages and groups that
//! use them (a component field is required only when both the component and the
//! field are), and every group gets its own layout. Loading allocates freely; it
//! happens once, before any message flows.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::field_type::FieldType;
use super::model::{Dictionary, DictionaryError, FieldDef, GroupDef, Layout, Member, MessageDef};
use crate::fix::msg_type::MsgType;
use crate::fix::tag::Tag;

/// The most members flattening may visit: about twelve times what QuickFIX's
/// FIX50SP2.xml (the largest dictionary in use, about 344,000) needs. Components
/// that include each other many times over expand exponentially without a
/// cycle; the component depth limit alone does not bound that.
pub(super) const MAX_EXPANDED_MEMBERS: usize = 4_000_000;

/// The deepest element nesting read. QuickFIX's dictionaries nest groups about
/// ten deep; the element tree is dropped recursively, so an unbounded depth
/// would let a crafted file overflow the stack.
const MAX_XML_DEPTH: usize = 64;

/// An XML element: name, attributes, children (text is not used by the format).
#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Element>,
}

impl Element {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    fn required(&self) -> bool {
        matches!(self.attr("required"), Some("Y" | "y"))
    }
}

fn element(start: &BytesStart<'_>) -> Result<Element, DictionaryError> {
    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for a in start.attributes() {
        let a = a.map_err(|e| DictionaryError::Xml(e.to_string()))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a
            .unescape_value()
            .map_err(|e| DictionaryError::Xml(e.to_string()))?
            .into_owned();
        attrs.push((key, value));
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
    })
}

fn parse_tree(xml: &str) -> Result<Element, DictionaryError> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        match reader
            .read_event()
            .map_err(|e| DictionaryError::Xml(e.to_string()))?
        {
            Event::Start(s) => {
                if stack.len() > MAX_XML_DEPTH {
                    return Err(DictionaryError::NestsTooDeep {
                        limit: MAX_XML_DEPTH,
                    });
                }
                stack.push(element(&s)?);
            }
            Event::Empty(s) => {
                let e = element(&s)?;
                stack
                    .last_mut()
                    .ok_or(DictionaryError::Xml("unbalanced".into()))?
                    .children
                    .push(e);
            }
            Event::End(_) => {
                let done = stack
                    .pop()
                    .ok_or(DictionaryError::Xml("unbalanced".into()))?;
                stack
                    .last_mut()
                    .ok_or(DictionaryError::Xml("unbalanced".into()))?
                    .children
                    .push(done);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut root = stack
        .pop()
        .ok_or(DictionaryError::Xml("empty document".into()))?;
    if !stack.is_empty() {
        return Err(DictionaryError::Xml("unclosed element".into()));
    }
    let fix = root.children.drain(..).find(|c| c.name == "fix");
    fix.ok_or(DictionaryError::Xml("no <fix> root element".into()))
}

struct Resolver<'x> {
    fields: Vec<FieldDef>,
    by_name: HashMap<String, usize>,
    components: HashMap<&'x str, &'x Element>,
    groups: Vec<GroupDef>,
    /// Members visited so far, against [`MAX_EXPANDED_MEMBERS`].
    expanded: usize,
}

impl<'x> Resolver<'x> {
    fn field_tag(&self, name: &str) -> Result<Tag, DictionaryError> {
        self.by_name
            .get(name)
            .map(|&i| self.fields[i].tag)
            .ok_or_else(|| DictionaryError::UnknownField(name.to_string()))
    }

    /// Appends the members of `el` (a message, group or component body) to
    /// `layout`; `required` is false inside an optional component.
    fn members(
        &mut self,
        el: &'x Element,
        required: bool,
        layout: &mut Layout,
        depth: usize,
    ) -> Result<(), DictionaryError> {
        if depth > 32 {
            return Err(DictionaryError::TooDeep(
                el.attr("name").unwrap_or("?").to_string(),
            ));
        }
        for c in &el.children {
            self.expanded += 1;
            if self.expanded > MAX_EXPANDED_MEMBERS {
                return Err(DictionaryError::TooLarge {
                    limit: MAX_EXPANDED_MEMBERS,
                });
            }
            let name = c.attr("name").unwrap_or_default();
            match c.name.as_str() {
                "field" => {
                    let tag = self.field_tag(name)?;
                    layout.push(Member::Field {
                        tag,
                        required: required && c.required(),
                    });
                }
                "group" => {
                    let count_tag = self.field_tag(name)?;
                    let mut inner = Layout::default();
                    self.members(c, true, &mut inner, depth + 1)?;
                    let delimiter = inner
                        .members()
                        .first()
                        .map(Member::tag)
                        .ok_or_else(|| DictionaryError::EmptyGroup(name.to_string()))?;
                    let id = self.groups.len();
                    self.groups.push(GroupDef {
                        count_tag,
                        delimiter,
                        layout: inner,
                    });
                    layout.push(Member::Group {
                        count_tag,
                        group: id as u32,
                        required: required && c.required(),
                    });
                }
                "component" => {
                    let comp = *self
                        .components
                        .get(name)
                        .ok_or_else(|| DictionaryError::UnknownComponent(name.to_string()))?;
                    self.members(comp, required && c.required(), layout, depth + 1)?;
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// Loads a dictionary from the text of a QuickFIX-format XML file.
///
/// # Errors
/// [`DictionaryError`] for malformed XML (or XML nested past 64 elements),
/// unknown field or component names, empty groups, component cycles, components
/// that expand past [`MAX_EXPANDED_MEMBERS`] members, and more than 128 data
/// tags of 2048 or more.
pub fn load_str(xml: &str) -> Result<Dictionary, DictionaryError> {
    let root = parse_tree(xml)?;
    let kind = root.attr("type").unwrap_or("FIX").to_string();
    let major = root.attr("major").unwrap_or("4").to_string();
    let minor = root.attr("minor").unwrap_or("4").to_string();
    let sp = root.attr("servicepack").unwrap_or("0").to_string();
    let begin_string = if kind == "FIXT" || sp == "0" || sp.is_empty() {
        format!("{kind}.{major}.{minor}")
    } else {
        format!("{kind}.{major}.{minor}SP{sp}")
    };

    let mut fields = Vec::new();
    let mut by_name = HashMap::new();
    if let Some(fs) = root.child("fields") {
        for f in fs.children.iter().filter(|c| c.name == "field") {
            let name = f.attr("name").unwrap_or_default().to_string();
            let number = f.attr("number").unwrap_or_default();
            let tag: u32 = number
                .parse()
                .map_err(|_| DictionaryError::BadFieldNumber {
                    name: name.clone(),
                    number: number.to_string(),
                })?;
            let ty_name = f.attr("type").unwrap_or("STRING").to_string();
            let mut values: Vec<Box<[u8]>> = f
                .children
                .iter()
                .filter(|v| v.name == "value")
                .filter_map(|v| v.attr("enum"))
                .map(|e| e.as_bytes().to_vec().into_boxed_slice())
                .collect();
            values.sort();
            values.dedup();
            by_name.insert(name.clone(), fields.len());
            fields.push(FieldDef {
                tag: Tag(tag),
                name,
                ty: FieldType::from_xml(&ty_name),
                type_name: ty_name,
                values,
            });
        }
    }
    let components = root
        .child("components")
        .map(|cs| {
            cs.children
                .iter()
                .filter(|c| c.name == "component")
                .map(|c| (c.attr("name").unwrap_or_default(), c))
                .collect()
        })
        .unwrap_or_default();
    let mut r = Resolver {
        fields,
        by_name,
        components,
        groups: Vec::new(),
        expanded: 0,
    };

    let mut header = Layout::default();
    if let Some(h) = root.child("header") {
        r.members(h, true, &mut header, 0)?;
    }
    let mut trailer = Layout::default();
    if let Some(t) = root.child("trailer") {
        r.members(t, true, &mut trailer, 0)?;
    }
    let mut messages = Vec::new();
    if let Some(ms) = root.child("messages") {
        for m in ms.children.iter().filter(|c| c.name == "message") {
            let raw_type = m.attr("msgtype").unwrap_or_default();
            let msg_type = MsgType::from_bytes(raw_type.as_bytes())
                .ok_or_else(|| DictionaryError::BadMsgType(raw_type.to_string()))?;
            let mut layout = Layout::default();
            r.members(m, true, &mut layout, 0)?;
            messages.push(MessageDef {
                msg_type,
                name: m.attr("name").unwrap_or_default().to_string(),
                admin: m.attr("msgcat") == Some("admin"),
                layout,
            });
        }
    }
    Dictionary::new(begin_string, r.fields, header, trailer, messages, r.groups)
}

#[cfg(test)]
mod tests;
