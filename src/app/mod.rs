//! Applications wired onto sessions by the binary.

pub mod echo;
