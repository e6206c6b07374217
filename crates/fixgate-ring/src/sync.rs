//! The atomics, `Arc` and thread hints the crate uses, from `std` normally and from
//! `loom` under `--cfg loom`, so that the loom models exercise the same code.
//!
//! Only this module (and [`crate::payload`], whose storage differs) knows which
//! one is in use.

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{fence, AtomicBool, AtomicU64, Ordering};
#[cfg(loom)]
pub(crate) use loom::sync::Arc;

#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{fence, AtomicBool, AtomicU64, Ordering};
#[cfg(not(loom))]
pub(crate) use std::sync::Arc;

/// A busy-wait hint. Under loom it yields to the model's scheduler, which needs
/// every spin loop to yield so that it can explore the other threads.
#[inline]
pub(crate) fn spin_hint() {
    #[cfg(loom)]
    loom::thread::yield_now();
    #[cfg(not(loom))]
    std::hint::spin_loop();
}

/// Gives the rest of the time slice to another thread.
#[inline]
pub(crate) fn yield_now() {
    #[cfg(loom)]
    loom::thread::yield_now();
    #[cfg(not(loom))]
    std::thread::yield_now();
}

/// Sleeps up to `nanos` or until unparked (the ring never unparks: see
/// [`crate::wait`]). Under loom, a yield.
#[inline]
pub(crate) fn park_timeout_ns(nanos: u64) {
    #[cfg(loom)]
    {
        let _ = nanos;
        loom::thread::yield_now();
    }
    #[cfg(not(loom))]
    std::thread::park_timeout(std::time::Duration::from_nanos(nanos));
}
