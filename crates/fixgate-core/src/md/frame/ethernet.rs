//! Ethernet II and 802.1Q / 802.1ad tags; Linux cooked capture.
//!
//! | off | size | field |
//! |---:|---:|---|
//! | 0 | 6 | destination MAC |
//! | 6 | 6 | source MAC |
//! | 12 | 2 | ethertype, or TPID `0x8100` / `0x88a8` / `0x9100` of a tag |
//! | 14 | 2 | (tag) TCI: PCP 3 bits, DEI 1, VLAN id 12 — then the next ethertype |

use super::{FrameError, Layer};

/// Ethertypes.
pub mod ethertype {
    /// IPv4.
    pub const IPV4: u16 = 0x0800;
    /// 802.1Q VLAN tag.
    pub const VLAN: u16 = 0x8100;
    /// 802.1ad service tag (QinQ).
    pub const QINQ: u16 = 0x88a8;
    /// Pre-standard QinQ tag.
    pub const QINQ_OLD: u16 = 0x9100;
}

/// Tags read before giving up.
pub const MAX_VLAN_TAGS: usize = 2;

const HEADER_LEN: usize = 14;
const TAG_LEN: usize = 4;
const SLL_LEN: usize = 16;

fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    b.get(off..)?
        .first_chunk::<2>()
        .map(|a| u16::from_be_bytes(*a))
}

/// The IPv4 packet of an Ethernet frame and its outermost VLAN id.
pub(super) fn ipv4_payload(frame: &[u8]) -> Result<(&[u8], Option<u16>), FrameError> {
    let mut ethertype = u16_at(frame, 12).ok_or(FrameError::TooShort {
        layer: Layer::Ethernet,
        need: HEADER_LEN,
        have: frame.len(),
    })?;
    let mut at = HEADER_LEN;
    let mut vlan = None;
    let mut tags = 0;
    while matches!(
        ethertype,
        ethertype::VLAN | ethertype::QINQ | ethertype::QINQ_OLD
    ) {
        if tags == MAX_VLAN_TAGS {
            return Err(FrameError::TooManyVlanTags);
        }
        let (Some(tci), Some(next)) = (u16_at(frame, at), u16_at(frame, at + 2)) else {
            return Err(FrameError::TooShort {
                layer: Layer::Vlan,
                need: at + TAG_LEN,
                have: frame.len(),
            });
        };
        vlan = vlan.or(Some(tci & 0x0fff));
        ethertype = next;
        at += TAG_LEN;
        tags += 1;
    }
    if ethertype != ethertype::IPV4 {
        return Err(FrameError::NotIpv4 { ethertype });
    }
    Ok((frame.get(at..).unwrap_or(&[]), vlan))
}

/// The IPv4 packet of a Linux cooked (SLL v1) frame.
pub(super) fn linux_sll_payload(frame: &[u8]) -> Result<&[u8], FrameError> {
    let ethertype = u16_at(frame, 14).ok_or(FrameError::TooShort {
        layer: Layer::LinuxSll,
        need: SLL_LEN,
        have: frame.len(),
    })?;
    if ethertype != ethertype::IPV4 {
        return Err(FrameError::NotIpv4 { ethertype });
    }
    Ok(frame.get(SLL_LEN..).unwrap_or(&[]))
}
