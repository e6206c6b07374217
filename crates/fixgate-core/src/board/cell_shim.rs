//! TEMPORARY stand-in for `fixgate_ring::SeqlockCell` (removed when the ring
//! branch is merged): same calls, a mutex inside.
use std::sync::Mutex;

pub(super) struct SeqlockCell<T: Copy>(Mutex<T>);

impl<T: Copy> SeqlockCell<T> {
    pub(super) fn new(value: T) -> Self {
        SeqlockCell(Mutex::new(value))
    }
    pub(super) fn read(&self) -> T {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
    pub(super) fn write(&self, value: &T) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = *value;
    }
}
