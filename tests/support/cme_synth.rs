//! Synthetic MDP 3.0 messages encoded from the schema: root block and groups
//! laid out by the schema's (or a chosen) block lengths, field bytes random or
//! set by name at the schema's offsets.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use fixgate_core::md::sbe::{GroupDef, MessageDef, Schema, TypeDef};

/// xorshift64*: deterministic bytes for the synthetic fields.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// `n` random bytes, with nulls and extremes mixed in now and then.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n)
            .map(|_| match self.next() % 8 {
                0 => 0xff,
                1 => 0x7f,
                2 => 0,
                _ => self.next() as u8,
            })
            .collect()
    }
}

/// How to lay out a synthetic message.
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    /// Schema version in the header.
    pub version: u16,
    /// Added to every schema block length (negative: shorter blocks).
    pub block_delta: i32,
    /// Entries per group (capped by the group's `numInGroup` width).
    pub entries: u8,
    /// Unknown bytes appended after the known groups.
    pub trailing: usize,
}

fn adjust(len: usize, delta: i32) -> usize {
    (len as i64 + i64::from(delta)).max(0) as usize
}

/// One block: `len` random bytes with named fields overwritten.
pub fn block(
    schema: &Schema,
    fields: &[fixgate_core::md::sbe::FieldDef],
    len: usize,
    set: &[(&str, Vec<u8>)],
    rng: &mut Rng,
) -> Vec<u8> {
    let mut b = rng.bytes(len);
    for (name, bytes) in set {
        let f = fields
            .iter()
            .find(|f| f.name == *name)
            .unwrap_or_else(|| panic!("no field {name}"));
        let end = (f.offset + bytes.len()).min(b.len());
        if f.offset < end {
            b[f.offset..end].copy_from_slice(&bytes[..end - f.offset]);
        }
        let _ = schema;
    }
    b
}

fn dimension(schema: &Schema, g: &GroupDef, block_length: usize, count: u8) -> Vec<u8> {
    let TypeDef::Composite(c) = schema.type_def(&g.dimension_type).unwrap() else {
        panic!("dimension type")
    };
    let mut h = vec![0u8; c.size];
    let bl = c.member("blockLength").unwrap();
    h[bl.offset..bl.offset + 2].copy_from_slice(&(block_length as u16).to_le_bytes());
    let n = c.member("numInGroup").unwrap();
    h[n.offset] = count;
    h
}

/// The message (from `MsgSize` on) of template `def` laid out as `layout`,
/// root fields from `root_set`, every group entry's fields from `entry_set`
/// (by group name).
pub fn message(
    schema: &Schema,
    def: &MessageDef,
    layout: Layout,
    root_set: &[(&str, Vec<u8>)],
    entry_set: &[(&str, &str, Vec<u8>)],
    rng: &mut Rng,
) -> Vec<u8> {
    let root_len = adjust(def.block_length, layout.block_delta);
    let mut body = block(schema, &def.fields, root_len, root_set, rng);
    for g in def.groups.iter().filter(|g| g.since <= layout.version) {
        let bl = adjust(g.block_length, layout.block_delta);
        body.extend(dimension(schema, g, bl, layout.entries));
        let sets: Vec<(&str, Vec<u8>)> = entry_set
            .iter()
            .filter(|(group, _, _)| *group == g.name)
            .map(|(_, f, v)| (*f, v.clone()))
            .collect();
        for _ in 0..layout.entries {
            body.extend(block(schema, &g.fields, bl, &sets, rng));
        }
    }
    body.extend(rng.bytes(layout.trailing));
    let mut m = Vec::new();
    m.extend_from_slice(&((10 + body.len()) as u16).to_le_bytes());
    m.extend_from_slice(&(root_len as u16).to_le_bytes());
    m.extend_from_slice(&def.id.to_le_bytes());
    m.extend_from_slice(&schema.id.to_le_bytes());
    m.extend_from_slice(&layout.version.to_le_bytes());
    m.extend(body);
    m
}

/// A packet holding `messages`.
pub fn packet(seq: u32, messages: &[Vec<u8>]) -> Vec<u8> {
    let mut p = seq.to_le_bytes().to_vec();
    p.extend_from_slice(&1_700_000_000_000_000_000u64.to_le_bytes());
    for m in messages {
        p.extend_from_slice(m);
    }
    p
}
