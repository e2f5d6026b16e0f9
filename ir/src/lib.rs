//! Datums, symbols, source locations, the reader and writer, and every intermediate language of
//! the compiler (declared with `nanopass-macros`), with the support code those languages share.
//!
//! **Architecture invariant:** `ir` depends on no other loko crate except `nanopass-macros`.

// Generated code names this crate `::ir`, inside it as well as outside.
extern crate self as ir;

pub mod datum;
pub mod lang;
pub mod nanopass;
pub mod number;
pub mod primitive;
pub mod reader;
pub mod source;
pub mod symbol;
pub mod var;
pub mod writer;
