//! fixgate: I/O shells.
