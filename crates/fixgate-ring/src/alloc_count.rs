//! A global allocator that counts the allocations made by the current thread.
//!
//! Hot paths (parse, validate, encode, decode, publish) must not allocate. A test
//! proves it by installing [`CountingAllocator`] as its `#[global_allocator]` and
//! wrapping the code under test in [`count_allocations`]:
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOC: fixgate_ring::alloc_count::CountingAllocator =
//!     fixgate_ring::alloc_count::CountingAllocator;
//!
//! let (allocs, _) = fixgate_ring::alloc_count::count_allocations(|| parse(bytes));
//! assert_eq!(allocs, 0);
//! ```
//!
//! Counting is per thread, so the test harness's other threads do not disturb it.
//! Reallocations count as allocations; frees are not counted.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

/// The system allocator plus a per-thread count of allocations and reallocations.
#[derive(Debug, Clone, Copy, Default)]
pub struct CountingAllocator;

fn bump() {
    // `try_with` because the allocator also runs while thread-locals are being torn
    // down at thread exit; such allocations are simply not counted.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every method forwards to `System` with the caller's layout and pointer
// unchanged, so `System`'s guarantees hold; the only extra work is a thread-local
// counter bump, which never allocates (a `const` initialised `Cell`).
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        bump();
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract (non-zero size).
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        bump();
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was returned by `System` (through us) with this `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        bump();
        // SAFETY: `ptr` came from `System` with `layout`; the caller upholds
        // `realloc`'s contract for `new_size`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Allocations (and reallocations) made so far by the current thread.
pub fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

/// Runs `f` and returns how many allocations the current thread made during it,
/// with `f`'s result.
pub fn count_allocations<R>(f: impl FnOnce() -> R) -> (u64, R) {
    let before = allocations();
    let result = f();
    (allocations() - before, result)
}
