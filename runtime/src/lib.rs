//! loko's runtime: the code that compiled Scheme programs call into.
//!
//! The crate is built twice (DESIGN.md decisions 1 and 2):
//!
//! * as an ordinary rlib linked into `loko`, which runs compiled code
//!   in-process (`--program`, the REPL, `eval`); and
//! * with the `stub` feature, as the static executable `loko-stub` (no libc,
//!   no start files) that `loko --compile` turns into a program by appending
//!   the generated code and data.
//!
//! Two small `#[repr(C)]` structures form the contract between generated code
//! and the runtime:
//!
//! * [`ImageTable`] ([`table`]) is a patchable table in the stub's `.data`
//!   that the ELF writer fills in: the entry address of the generated code
//!   and the bounds of its code, data and static-roots areas. The stub reads
//!   it at start-up.
//! * [`Services`] ([`services`]) is a table of `extern "sysv64"` function
//!   pointers that the runtime passes to the generated entry. Generated code
//!   calls the runtime only through this table (`call [reg+offset]`), never
//!   with a direct `call rel32`: in-process, generated code lives more than
//!   2 GiB away from loko's own code, and iced-x86 would silently rewrite a
//!   far direct call.
//!
//! Everything but the `start` module (`_start`, the exported table, the panic
//! handler) is shared by both builds; [`mem`] is exported under the C names
//! only in the stub.
#![cfg_attr(not(test), no_std)]

pub mod context;
pub mod continuation;
pub mod error;
pub mod gc;
pub mod io;
pub mod number;
pub mod object;
pub mod print;
pub mod services;
pub mod support;
pub mod sys;
pub mod table;
pub mod unicode;
pub mod value;

pub mod mem;
#[cfg(feature = "stub")]
pub mod start;

pub use services::{EntryFn, Services};
pub use table::ImageTable;
