//! [`RingPayload`]: the types the ring and the seqlock cells may carry, and
//! [`ring_payload!`](crate::ring_payload), the checked way to declare one.
//!
//! The ring stores and copies values as relaxed atomic `u64` words (and `u8`
//! tail bytes): see the [crate docs, "Element types"](crate#element-types) for
//! why.
//! Reading a value's bytes as integers is only defined when every byte is
//! initialised, and turning integers back into a value only gives a usable
//! value when none of its bytes is a pointer (an integer carries no
//! provenance). A `T` with padding, a `MaybeUninit`, a union with a hole or a
//! reference inside would make the safe API undefined behaviour, so the ring
//! accepts only `T: RingPayload`.
//!
//! Supported: the integers, `bool`, `char`, `f32`, `f64`, arrays of payloads,
//! and your own structs (named or tuple fields, every field a payload) and
//! fieldless enums declared with [`ring_payload!`](crate::ring_payload), which
//! proves the contract at compile time. Not supported: references, raw
//! pointers, function pointers, `Option<_>` and other niche-optimised or
//! generic types, tuples (they may have padding), types with `UnsafeCell`
//! (they are not `Copy` anyway).
//!
//! # Why a macro, and why it is sound
//!
//! fixgate-core forbids `unsafe_code`, so it cannot write `unsafe impl
//! RingPayload`. The macro writes it, from this crate, only after three checks
//! the compiler performs on every expansion:
//!
//! 1. every field is named with its type: a pattern `Name { a: _, b: _ }`
//!    without `..` fails to compile unless it lists all the fields, and `let _:
//!    Ty = value.a;` fails unless field `a` has exactly type `Ty` (a value of a
//!    non-reference type cannot be coerced into another payload type);
//! 2. every field type is itself a [`RingPayload`] (a trait-bound check), so its
//!    bytes are initialised and pointer-free;
//! 3. `size_of::<Name>()` equals the sum of the field sizes: the fields do not
//!    overlap, so any byte not covered by a field would be padding, and there
//!    is none (a `const` assertion: a padded struct fails to compile).
//!
//! For an enum, `value as Int` compiles only for an enum without fields, and
//! `size_of::<Name>() == size_of::<Int>()` makes the whole value its
//! discriminant, which is always initialised.
//!
//! Validity of bit patterns is not needed: the ring only ever hands out a
//! value all of whose bytes were stored from one value of the same type (a
//! torn copy is detected by the stamps and thrown away, never turned into a
//! `T`), so a type's invariants (a `bool` being 0 or 1, a private field's range)
//! carry over. Zero bytes fill the slots before the first store and are never
//! read as a `T`.
//!
//! ```
//! #[derive(Clone, Copy)]
//! #[repr(C)]
//! struct Quote { price_e9: i64, qty: u32, side: Side, _zero: [u8; 3] }
//!
//! #[derive(Clone, Copy)]
//! #[repr(u8)]
//! enum Side { Bid = b'B', Ask = b'A' }
//!
//! fixgate_ring::ring_payload!(enum Side as u8);
//! fixgate_ring::ring_payload!(struct Quote { price_e9: i64, qty: u32, side: Side, _zero: [u8; 3] });
//!
//! let (mut tx, subs) = fixgate_ring::channel::<Quote>(fixgate_ring::RingConfig::with_capacity(8)).unwrap();
//! let mut rx = subs.lossy(fixgate_ring::WaitStrategy::Spin);
//! tx.publish(Quote { price_e9: 1, qty: 2, side: Side::Bid, _zero: [0; 3] });
//! assert!(matches!(rx.try_recv(), fixgate_ring::Received::Event { .. }));
//! ```
//!
//! A struct with padding (a `u8` before a `u64` leaves seven uninitialised
//! bytes) is rejected at compile time:
//!
//! ```compile_fail,E0080
//! #[derive(Clone, Copy)]
//! #[repr(C)]
//! struct Padded { tag: u8, value: u64 }
//! fixgate_ring::ring_payload!(struct Padded { tag: u8, value: u64 });
//! ```
//!
//! So is one that leaves a field out (the pattern is not exhaustive):
//!
//! ```compile_fail
//! #[derive(Clone, Copy)]
//! #[repr(C)]
//! struct Pair { a: u64, b: u64 }
//! fixgate_ring::ring_payload!(struct Pair { a: u64 });
//! ```
//!
//! and a type that is not a payload cannot be put in a ring at all:
//!
//! ```compile_fail,E0277
//! #[derive(Clone, Copy)]
//! #[repr(C)]
//! struct Padded { tag: u8, value: u64 }
//! let _ = fixgate_ring::channel::<Padded>(fixgate_ring::RingConfig::with_capacity(8));
//! ```

/// A type the ring and the seqlock cells can copy as integer words.
///
/// # Safety
///
/// Implementing it promises, for every value of the type:
/// - every byte is initialised: no padding, no `MaybeUninit`, no union with
///   uninitialised bytes;
/// - no byte belongs to a pointer, reference or anything else whose meaning
///   depends on provenance (function pointers included);
/// - it is `Copy` (no `Drop`, no `UnsafeCell`), `Send` and `Sync`.
///
/// Prefer [`ring_payload!`](crate::ring_payload), which checks all of this at
/// compile time; implement it by hand only for a layout the macro cannot
/// express, with a `// SAFETY:` comment.
pub unsafe trait RingPayload: Copy + Send + Sync + 'static {}

macro_rules! primitive_payloads {
    ($($t:ty),*) => {$(
        // SAFETY: a primitive number, `bool` or `char`: every byte initialised,
        // no provenance, `Copy + Send + Sync`.
        unsafe impl RingPayload for $t {}
    )*};
}

primitive_payloads!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64, bool, char
);

// SAFETY: an array's elements follow each other with no gap (an element's size
// is a multiple of its alignment), so its bytes are exactly its elements'
// bytes, each initialised and pointer-free by `T`'s own contract.
unsafe impl<T: RingPayload, const N: usize> RingPayload for [T; N] {}

/// Compiles only for `T: RingPayload` (the macro's field check).
#[doc(hidden)]
pub const fn assert_payload<T: RingPayload>() {}

/// Declares a struct or a fieldless enum a [`RingPayload`], checking at
/// compile time that it has no padding and only payload fields (see the
/// [module docs](crate::element) for the argument).
///
/// Invoke it where the type is defined (it names private fields), listing
/// every field with its type, in any order; tuple structs use the field
/// numbers:
///
/// ```
/// #[derive(Clone, Copy)]
/// #[repr(transparent)]
/// pub struct VenueId(pub u16);
/// fixgate_ring::ring_payload!(struct VenueId { 0: u16 });
///
/// #[derive(Clone, Copy)]
/// #[repr(C)]
/// pub struct Level { price_e9: i64, qty: u32, venue: VenueId, _zero: [u8; 2] }
/// fixgate_ring::ring_payload!(struct Level { price_e9: i64, qty: u32, venue: VenueId, _zero: [u8; 2] });
///
/// #[derive(Clone, Copy)]
/// #[repr(u8)]
/// pub enum Side { Bid = 1, Ask = 2 }
/// fixgate_ring::ring_payload!(enum Side as u8);
/// ```
#[macro_export]
macro_rules! ring_payload {
    (struct $name:ident { $($field:tt : $fty:ty),+ $(,)? }) => {
        const _: () = {
            // Check 1: the pattern names every field (no `..`), each read
            // back with exactly the listed type. Type-checked, never called.
            #[allow(dead_code, reason = "compile-time field check, never called")]
            fn fields_are_listed_with_their_types(value: $name) {
                let $name { $($field: _),+ } = value;
                $(let _: $fty = value.$field;)+
            }
            // Check 2: every field type is a payload.
            $($crate::element::assert_payload::<$fty>();)+
            // Check 3: the fields cover every byte (no padding).
            assert!(
                ::core::mem::size_of::<$name>() == 0 $(+ ::core::mem::size_of::<$fty>())+,
                "ring_payload!: the type has padding bytes (its size exceeds the sum of its fields)"
            );
            // SAFETY: the three checks above prove the `RingPayload` contract:
            // every byte lies in a field, every field is a payload (initialised,
            // pointer-free), and the type is `Copy + Send + Sync` by the
            // trait's supertraits, which the compiler checks on this impl.
            unsafe impl $crate::RingPayload for $name {}
        };
    };
    (enum $name:ident as $int:ty) => {
        const _: () = {
            // A cast to an integer compiles only for an enum without fields.
            #[allow(dead_code, reason = "compile-time fieldless check, never called")]
            fn is_fieldless(value: $name) -> $int {
                value as $int
            }
            $crate::element::assert_payload::<$int>();
            assert!(
                ::core::mem::size_of::<$name>() == ::core::mem::size_of::<$int>(),
                "ring_payload!: the enum is not exactly its discriminant integer"
            );
            // SAFETY: a fieldless enum whose size is its discriminant's: every
            // byte is the (always initialised) discriminant, no pointer.
            unsafe impl $crate::RingPayload for $name {}
        };
    };
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::RingPayload;

    #[derive(Clone, Copy)]
    #[repr(C)]
    #[allow(dead_code, reason = "only its layout is under test")]
    struct Mixed {
        a: u64,
        b: [u16; 2],
        c: Kind,
        d: [u8; 3],
    }

    #[derive(Clone, Copy)]
    #[repr(u8)]
    enum Kind {
        One = 1,
    }

    #[derive(Clone, Copy)]
    #[allow(dead_code, reason = "only its layout is under test")]
    struct Wrapper(u32);

    crate::ring_payload!(enum Kind as u8);
    crate::ring_payload!(
        struct Mixed {
            a: u64,
            b: [u16; 2],
            c: Kind,
            d: [u8; 3],
        }
    );
    crate::ring_payload!(struct Wrapper { 0: u32 });

    fn is_payload<T: RingPayload>() -> usize {
        std::mem::size_of::<T>()
    }

    #[test]
    fn declared_types_are_payloads() {
        assert_eq!(is_payload::<Mixed>(), 16);
        assert_eq!(is_payload::<[Wrapper; 3]>(), 12);
        assert_eq!(Kind::One as u8, 1);
    }
}
