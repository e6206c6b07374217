//! One value of `T` that one thread stores while others copy it out, without a
//! data race: every store and every copy goes through word-sized atomics.
//!
//! Why atomics and not `ptr::read_volatile`: a seqlock reader copies a value that
//! the writer may be overwriting at that moment and throws the copy away when the
//! stamp says so. With plain (or volatile) copies that overlap is a data race,
//! which Rust's memory model makes undefined behaviour even if the result is
//! discarded (the case crossbeam's `AtomicCell` documents). Relaxed atomic loads
//! and stores of `u64` words are race-free by definition and compile to the same
//! `mov`s on x86_64 and aarch64, so the copy costs nothing extra. It also lets
//! Miri and loom check the overlapping case instead of reporting it.
//!
//! Requirement: `T:` [`RingPayload`]: every byte
//! initialised and none part of a pointer. The store reads `T`'s bytes as
//! words, and padding bytes are uninitialised; reading them as integers is
//! undefined behaviour in the abstract machine (real hardware just copies
//! whatever bytes are there, but the crate does not rely on that). Without it
//! there is no sound way to copy an arbitrary `T` atomically in today's Rust
//! (bytewise atomic memcpy, RFC 3301, is not stable). The trait is `unsafe`
//! and [`ring_payload!`](crate::ring_payload) implements it only after
//! proving the layout at compile time (see [`crate::element`]).
//!
//! Under `--cfg loom` the storage is a boxed slice of loom `AtomicU64` words (loom
//! cannot point an atomic at foreign memory), `size_of::<T>()` must be a multiple
//! of 8, and an in-place read copies the words out first. A loom `UnsafeCell<()>`
//! beside the words stands for the in-place reference: stores "write" it and
//! in-place reads "read" it, so loom reports any in-place read that is not
//! ordered (happens-before) against every store, which is the blocking
//! subscriber's whole safety argument. Copies (lossy reads) do not touch it:
//! they are allowed to overlap stores.

use std::mem::MaybeUninit;

#[cfg(not(loom))]
pub(crate) use std_payload::Payload;

#[cfg(loom)]
pub(crate) use loom_payload::Payload;

/// Whole `u64` words in `T`, then the bytes after them.
const fn split<T>() -> (usize, usize) {
    let size = std::mem::size_of::<T>();
    (size / 8, size % 8)
}

/// Word `i` of `value`'s bytes.
///
/// # Safety
/// `i < size_of::<T>() / 8`, and `T` has no padding in those bytes.
#[inline(always)]
unsafe fn word_of<T>(value: &T, i: usize) -> u64 {
    // SAFETY: the caller keeps `i` inside `value`'s whole words, so the eight
    // bytes read lie inside `*value`, which is live for the borrow; `T:
    // RingPayload` has no padding, so they are initialised. Unaligned read
    // because `T` may be less aligned than `u64`.
    unsafe {
        std::ptr::from_ref(value)
            .cast::<u8>()
            .add(i * 8)
            .cast::<u64>()
            .read_unaligned()
    }
}

/// Writes word `i` into `out`.
///
/// # Safety
/// `i < size_of::<T>() / 8`.
#[inline(always)]
unsafe fn put_word<T>(out: &mut MaybeUninit<T>, i: usize, word: u64) {
    // SAFETY: eight bytes at `i * 8` lie inside `out` (caller's bound); writing
    // initialised bytes into a `MaybeUninit` is always allowed.
    unsafe {
        out.as_mut_ptr()
            .cast::<u8>()
            .add(i * 8)
            .cast::<u64>()
            .write_unaligned(word)
    }
}

#[cfg(not(loom))]
mod std_payload {
    use std::cell::UnsafeCell;
    use std::mem::MaybeUninit;
    use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};

    use super::{put_word, split, word_of};
    use crate::element::RingPayload;

    /// Storage for one `T`, aligned to at least 8 so that its words can be atomics.
    #[repr(C, align(8))]
    pub(crate) struct Payload<T> {
        cell: UnsafeCell<MaybeUninit<T>>,
    }

    impl<T: RingPayload> Payload<T> {
        /// Storage holding `init`.
        pub(crate) fn new(init: T) -> Payload<T> {
            Payload {
                cell: UnsafeCell::new(MaybeUninit::new(init)),
            }
        }

        /// Storage holding zero bytes: a `T` is never read from it before
        /// one has been stored (the stamps say so).
        pub(crate) fn zeroed() -> Payload<T> {
            Payload {
                cell: UnsafeCell::new(MaybeUninit::zeroed()),
            }
        }

        fn word(&self, i: usize) -> &AtomicU64 {
            // SAFETY: `cell` starts the `align(8)` struct, so byte `i * 8` of it is
            // 8-aligned, and for `i < words` the eight bytes lie inside the cell,
            // which lives as long as `&self`. All concurrent accesses to these
            // bytes are atomic `u64` accesses of this same word (stores and
            // copies), or non-atomic reads through `with_ref` that never overlap a
            // store (its caller's contract): no data race, no mixed-size access.
            unsafe { AtomicU64::from_ptr(self.cell.get().cast::<u64>().add(i)) }
        }

        fn byte(&self, j: usize) -> &AtomicU8 {
            // SAFETY: as for `word`, for the tail bytes `j` in `words * 8..size`,
            // always accessed as `u8` atomics.
            unsafe { AtomicU8::from_ptr(self.cell.get().cast::<u8>().add(j)) }
        }

        /// Stores `value`, word by word (relaxed: the caller's stamp orders it).
        #[inline]
        pub(crate) fn store(&self, value: &T) {
            let (words, tail) = split::<T>();
            for i in 0..words {
                // SAFETY: `i < words`; `T: RingPayload` has no padding.
                let w = unsafe { word_of(value, i) };
                self.word(i).store(w, Ordering::Relaxed);
            }
            for j in words * 8..words * 8 + tail {
                // SAFETY: `j < size_of::<T>()`, inside `*value`; `T: RingPayload`
                // has no padding.
                let b = unsafe { std::ptr::from_ref(value).cast::<u8>().add(j).read() };
                self.byte(j).store(b, Ordering::Relaxed);
            }
        }

        /// A copy of the stored bytes (relaxed). It may mix two stores; the
        /// caller's stamp check decides whether it is one value.
        #[inline]
        pub(crate) fn load(&self) -> MaybeUninit<T> {
            let (words, tail) = split::<T>();
            let mut out = MaybeUninit::<T>::uninit();
            for i in 0..words {
                let w = self.word(i).load(Ordering::Relaxed);
                // SAFETY: `i < words`.
                unsafe { put_word(&mut out, i, w) };
            }
            for j in words * 8..words * 8 + tail {
                let b = self.byte(j).load(Ordering::Relaxed);
                // SAFETY: `j < size_of::<T>()`, inside `out`.
                unsafe { out.as_mut_ptr().cast::<u8>().add(j).write(b) };
            }
            out
        }

        /// Calls `f` with the stored value in place.
        ///
        /// # Safety
        /// A `T` has been stored (or the storage was built with [`Payload::new`]),
        /// that store happens-before this call, and no store starts until `f`
        /// returns.
        #[inline]
        pub(crate) unsafe fn with_ref<R>(&self, f: impl FnOnce(&T) -> R) -> R {
            // SAFETY: initialised by the caller's contract; no store overlaps the
            // borrow (caller's contract), and concurrent atomic copies only read,
            // so the shared reference's memory stays unchanged while it lives.
            f(unsafe { (*self.cell.get()).assume_init_ref() })
        }
    }

    // SAFETY: all shared access goes through atomics or through `with_ref`, whose
    // contract excludes concurrent stores; values cross threads by copy (`Send`)
    // and are lent by reference to other threads (`Sync`).
    unsafe impl<T: Send + Sync> Sync for Payload<T> {}
}

#[cfg(loom)]
mod loom_payload {
    use std::marker::PhantomData;
    use std::mem::MaybeUninit;

    use loom::cell::UnsafeCell;
    use loom::sync::atomic::{AtomicU64, Ordering};

    use super::{put_word, split, word_of};
    use crate::element::RingPayload;

    /// Storage for one `T` as loom atomics (loom models see every access).
    pub(crate) struct Payload<T> {
        words: Box<[AtomicU64]>,
        /// Tracks stores against in-place reads (see the module docs).
        in_place: UnsafeCell<()>,
        _value: PhantomData<T>,
    }

    impl<T: RingPayload> Payload<T> {
        pub(crate) fn new(init: T) -> Payload<T> {
            let p = Payload::zeroed();
            p.store(&init);
            p
        }

        pub(crate) fn zeroed() -> Payload<T> {
            let (words, tail) = split::<T>();
            assert_eq!(tail, 0, "loom payloads are whole u64 words");
            Payload {
                words: (0..words).map(|_| AtomicU64::new(0)).collect(),
                in_place: UnsafeCell::new(()),
                _value: PhantomData,
            }
        }

        pub(crate) fn store(&self, value: &T) {
            self.in_place.with_mut(|_| ());
            for (i, w) in self.words.iter().enumerate() {
                // SAFETY: `i` is below the word count of `T`; `T: RingPayload`
                // has no padding.
                w.store(unsafe { word_of(value, i) }, Ordering::Relaxed);
            }
        }

        pub(crate) fn load(&self) -> MaybeUninit<T> {
            let mut out = MaybeUninit::<T>::uninit();
            for (i, w) in self.words.iter().enumerate() {
                // SAFETY: `i` is below the word count of `T`.
                unsafe { put_word(&mut out, i, w.load(Ordering::Relaxed)) };
            }
            out
        }

        /// # Safety
        /// As for the std version: a `T` was stored before and none is being stored.
        pub(crate) unsafe fn with_ref<R>(&self, f: impl FnOnce(&T) -> R) -> R {
            // The reference's lifetime, as loom sees it: no store may overlap.
            self.in_place.with(|_| {
                // SAFETY: every word was stored from one `T` (caller's contract),
                // so the copy is that `T`.
                let value = unsafe { self.load().assume_init() };
                f(&value)
            })
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::Payload;

    #[test]
    fn round_trips_whole_words_and_a_tail() {
        // 13 bytes, alignment 1: one unaligned-source word and a 5-byte tail.
        let p = Payload::new([0u8; 13]);
        let v: [u8; 13] = std::array::from_fn(|i| i as u8 + 1);
        p.store(&v);
        // SAFETY: a whole value was just stored on this thread.
        assert_eq!(unsafe { p.load().assume_init() }, v);
        // SAFETY: stored above on this thread, nothing stores concurrently.
        assert_eq!(unsafe { p.with_ref(|x| *x) }, v);
    }

    #[test]
    fn round_trips_a_cache_line_aligned_value() {
        #[derive(Clone, Copy, Debug, PartialEq)]
        #[repr(C, align(64))]
        struct Line([u64; 8]);
        crate::ring_payload!(struct Line { 0: [u64; 8] });
        let p = Payload::<Line>::zeroed();
        let v = Line([1, 2, 3, 4, 5, 6, 7, u64::MAX]);
        p.store(&v);
        // SAFETY: stored above on this thread.
        assert_eq!(unsafe { p.load().assume_init() }, v);
    }
}
