//! Applications wired onto sessions by the binary, and the recorder of the
//! normalized event stream (DBN files).

pub mod echo;
pub mod recorder;
