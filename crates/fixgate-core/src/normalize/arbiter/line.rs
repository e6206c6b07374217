//! The two redundant lines of a feed.

use std::fmt;

/// One of a channel's two redundant feeds, which carry the same packets.
///
/// A closed enum (fixgate's own concept, not a wire value): CME, ICE and most
/// venues publish each channel twice, on lines A and B.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Line {
    /// The first feed (CME "incremental feed A").
    A,
    /// The second feed (CME "incremental feed B").
    B,
}

impl Line {
    /// Both lines, in index order.
    pub const ALL: [Line; 2] = [Line::A, Line::B];

    /// 0 for A, 1 for B (an index into per-line arrays).
    #[inline]
    pub const fn index(self) -> usize {
        match self {
            Line::A => 0,
            Line::B => 1,
        }
    }

    /// The other line.
    #[inline]
    pub const fn other(self) -> Line {
        match self {
            Line::A => Line::B,
            Line::B => Line::A,
        }
    }
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Line::A => "A",
            Line::B => "B",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_and_names() {
        assert_eq!(Line::ALL.map(Line::index), [0, 1]);
        assert_eq!(Line::A.other(), Line::B);
        assert_eq!(Line::B.other(), Line::A);
        assert_eq!(format!("{}{}", Line::A, Line::B), "AB");
    }
}
