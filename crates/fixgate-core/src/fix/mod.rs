//! The FIX tag=value codec.
