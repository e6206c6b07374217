//! [`CachePadded`]: a value alone on its cache lines.
//!
//! 128 bytes on x86_64 and aarch64 because their L2 prefetchers fetch cache lines
//! in adjacent pairs (the value crossbeam-utils also uses); 64 elsewhere. Cursors
//! written by one thread and read by others sit in one each, so that a producer
//! bumping its head does not invalidate the line a subscriber's cursor lives on
//! (false sharing).

use std::ops::Deref;

/// `T` aligned (and so padded) to its own pair of cache lines.
#[cfg_attr(any(target_arch = "x86_64", target_arch = "aarch64"), repr(align(128)))]
#[cfg_attr(
    not(any(target_arch = "x86_64", target_arch = "aarch64")),
    repr(align(64))
)]
#[derive(Debug, Default)]
pub struct CachePadded<T>(T);

impl<T> CachePadded<T> {
    /// Pads `value`.
    pub const fn new(value: T) -> CachePadded<T> {
        CachePadded(value)
    }
}

impl<T> Deref for CachePadded<T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::CachePadded;

    #[test]
    fn padded_values_do_not_share_a_line() {
        let pair = [CachePadded::new(1u64), CachePadded::new(2u64)];
        let a = std::ptr::from_ref(&*pair[0]) as usize;
        let b = std::ptr::from_ref(&*pair[1]) as usize;
        assert!(b - a >= 64, "{a:#x} and {b:#x} share a cache line");
        assert_eq!(*pair[1], 2);
    }
}
