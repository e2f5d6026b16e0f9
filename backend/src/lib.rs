//! loko's amd64 backend.
//!
//! For now this crate holds the transport layer between machine code and a
//! running program (DESIGN.md decisions 1 and 2):
//!
//! * [`codegen`] generates code per unit and [`link`] joins the units into one
//!   [`Image`].
//! * [`image`]: [`Image`], the generated code and data of a program, with the
//!   fixed layout that lets code address its data RIP-relatively, symbols for
//!   the compiled procedures, and absolute-address relocations.
//! * [`elf`]: [`link_executable`] appends an image to the runtime [`STUB`] and
//!   patches the stub's [`runtime::ImageTable`], giving a static executable.
//! * [`loader`]: [`run_image`] maps an image into loko's own process (never
//!   writable and executable at once) and runs it with host-built
//!   [`runtime::Services`], whose `exit` returns to loko through the private
//!   `trampoline` module.
//!
//! Generated code reaches the runtime only through the services table whose
//! address its entry receives in `rdi`; see the `runtime` crate.

pub mod args;
pub mod codegen;
pub mod elf;
pub mod image;
pub mod link;
pub mod loader;
pub mod machine;
pub mod stub;
mod trampoline;

pub use elf::{LinkError, link_executable};
pub use image::{Image, ImageError, Location, Reloc, Section, Symbol, code_offset};
pub use loader::{LoadError, LoadedImage, Outcome, run_image};
pub use stub::STUB;
