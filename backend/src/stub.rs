//! The runtime stub executable, embedded at build time (see `build.rs`).

/// The bytes of `loko-stub`: a static, non-PIE amd64 ELF executable with an
/// unpatched [`runtime::ImageTable`]. [`crate::elf::link_executable`] turns it
/// into a program.
pub static STUB: &[u8] = include_bytes!(env!("LOKO_STUB"));
