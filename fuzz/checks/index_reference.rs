//! A reference field indexer, written for clarity and nothing else: the fast
//! indexer (`fixgate_core::fix::index_fields`) must give exactly its answer,
//! fields and errors alike, on any input.
//!
//! Used by the `fix_index_validate` fuzz check and by fixgate-core's
//! `fix_index_reference_prop` proptest. It walks the message one byte at a
//! time and follows the rules of `fixgate_core::fix::index` as documented:
//!
//! - a tag is an optional `-` and 1 to 9 digits, then `=`: no digit or a
//!   non-digit is `BadTag`, more than 9 digits is `BadTag`, SOH or the end
//!   before `=` is `MissingEquals` (all at the field's first byte);
//! - a data tag's value is as long as the value of the field just before it,
//!   which must be its length tag and a number, and must end on SOH, else
//!   `DataLength`; any other value ends at the first SOH, else `Unterminated`;
//! - a field past `capacity` is `TooManyFields`, once its value is known.

use fixgate_core::fix::value::parse_uint;
use fixgate_core::fix::{DataTags, FieldRef, IndexError, Tag, SOH};

/// The fields of `msg` as the reference reads them, into at most `capacity`
/// slots.
pub fn reference_index(
    msg: &[u8],
    data_tags: &DataTags,
    capacity: usize,
) -> Result<Vec<FieldRef>, IndexError> {
    let mut fields: Vec<FieldRef> = Vec::new();
    let mut pos = 0;
    while pos < msg.len() {
        let offset = pos as u32;
        let negative = msg[pos] == b'-';
        if negative {
            pos += 1;
        }
        let mut digits = 0;
        let mut number: u32 = 0;
        loop {
            match msg.get(pos) {
                None | Some(&SOH) => return Err(IndexError::MissingEquals { offset }),
                Some(&b'=') => break,
                Some(b) if b.is_ascii_digit() => {
                    digits += 1;
                    if digits > 9 {
                        return Err(IndexError::BadTag { offset });
                    }
                    number = number * 10 + u32::from(b - b'0');
                    pos += 1;
                }
                Some(_) => return Err(IndexError::BadTag { offset }),
            }
        }
        if digits == 0 {
            return Err(IndexError::BadTag { offset });
        }
        let tag = if negative {
            Tag::from_wire(-(number as i32))
        } else {
            Tag(number)
        };
        let value_start = pos + 1;
        let value_end = if data_tags.contains(tag) {
            let declared = fields
                .last()
                .filter(|prev| prev.tag == DataTags::length_tag(tag))
                .and_then(|prev| parse_uint(&msg[prev.value_range()]).ok())
                .and_then(|len| usize::try_from(len).ok())
                .and_then(|len| value_start.checked_add(len));
            match declared {
                Some(end) if msg.get(end) == Some(&SOH) => end,
                _ => return Err(IndexError::DataLength { tag, offset }),
            }
        } else {
            match msg
                .get(value_start..)
                .and_then(|v| v.iter().position(|&b| b == SOH))
            {
                Some(p) => value_start + p,
                None => return Err(IndexError::Unterminated { offset }),
            }
        };
        if fields.len() == capacity {
            return Err(IndexError::TooManyFields {
                max: capacity as u32,
            });
        }
        fields.push(FieldRef {
            tag,
            start: value_start as u32,
            end: value_end as u32,
        });
        pos = value_end + 1;
    }
    Ok(fields)
}
