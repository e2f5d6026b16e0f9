//! [`Image`]: a program's generated machine code and data, before it is placed anywhere.
//!
//! The same image is written into an executable ([`crate::elf`]) or mapped
//! into loko's own process ([`crate::loader`]). Both place it the same way:
//!
//! ```text
//! base (page-aligned)               base + code_offset (page-aligned)
//! | data (R+W) ... zero padding ... | code (R+X) ...
//! ```
//!
//! Data comes first so that the distance from code to data depends only on
//! the data's size, which the code generator knows before it assembles any
//! code. It therefore assembles as if the image were loaded at address 0:
//! the data byte at offset `d` is at address `d`, and the code starts at
//! [`code_offset`]`(data.len())` (pass that as the IP to iced-x86). A
//! RIP-relative reference then holds wherever the image ends up.
//!
//! Absolute addresses (a code pointer stored in a static closure, a pointer
//! between static data objects, a `mov r64, imm64`) cannot be known in
//! advance; the image lists them as [`Reloc`]s, and whoever places the image
//! stores the final 64-bit address there.

use std::fmt;
use std::ops::Range;

/// The page size of amd64 Linux: the granularity of segment permissions.
pub const PAGE_SIZE: u64 = 4096;

/// Where the code starts, relative to the data, for `data_len` bytes of data.
pub fn code_offset(data_len: usize) -> u64 {
    align_up(data_len as u64, PAGE_SIZE)
}

pub(crate) fn align_up(value: u64, align: u64) -> u64 {
    value.div_ceil(align) * align
}

/// A program's generated code and data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Image {
    /// Machine code, assembled for address [`code_offset`]`(data.len())`.
    pub code: Vec<u8>,
    /// Static data, at address 0 in the image's own address space.
    pub data: Vec<u8>,
    /// Offset in `code` of the entry point, which follows
    /// [`runtime::EntryFn`]: it receives the services table in `rdi`.
    pub entry: u64,
    /// Names for ranges of code and data: the compiled procedures. They go
    /// into the executable's symbol table for debuggers and profilers.
    pub symbols: Vec<Symbol>,
    /// Absolute addresses to store once the image is placed.
    pub relocs: Vec<Reloc>,
    /// The static GC roots: a range of offsets in `data` (empty for none).
    pub roots: Range<u64>,
}

/// Which part of an [`Image`] an offset refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    Code,
    Data,
}

/// A byte position inside an [`Image`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    pub section: Section,
    pub offset: u64,
}

/// "Store the absolute address of `target`, as a little-endian u64, at `at`."
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reloc {
    pub at: Location,
    pub target: Location,
}

/// A named range of the image, e.g. `scheme:fib` for a compiled procedure.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Symbol {
    pub name: String,
    pub section: Section,
    pub offset: u64,
    pub size: u64,
}

/// Why an [`Image`] cannot be placed: each is a bug in the code generator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageError {
    EmptyCode,
    EntryOutOfRange { entry: u64 },
    SymbolOutOfRange { name: String },
    RelocOutOfRange { reloc: Reloc },
    RootsOutOfRange { roots: Range<u64> },
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageError::EmptyCode => write!(f, "the image has no code"),
            ImageError::EntryOutOfRange { entry } => {
                write!(f, "entry offset {entry:#x} is outside the code")
            }
            ImageError::SymbolOutOfRange { name } => {
                write!(f, "symbol `{name}` extends past its section")
            }
            ImageError::RelocOutOfRange { reloc } => {
                write!(f, "relocation {reloc:?} is outside its section")
            }
            ImageError::RootsOutOfRange { roots } => {
                write!(f, "static roots {roots:?} are outside the data")
            }
        }
    }
}

impl std::error::Error for ImageError {}

impl Image {
    /// Where the code starts, relative to the data (and to the image's base).
    pub fn code_offset(&self) -> u64 {
        code_offset(self.data.len())
    }

    /// The bytes the image occupies once placed, padding included.
    pub fn placed_size(&self) -> u64 {
        self.code_offset() + align_up(self.code.len() as u64, PAGE_SIZE)
    }

    /// Checks every offset against the section it points into.
    pub fn validate(&self) -> Result<(), ImageError> {
        if self.code.is_empty() {
            return Err(ImageError::EmptyCode);
        }
        if self.entry >= self.code.len() as u64 {
            return Err(ImageError::EntryOutOfRange { entry: self.entry });
        }
        for symbol in &self.symbols {
            let end = symbol.offset.checked_add(symbol.size);
            if end.is_none_or(|end| end > self.len(symbol.section)) {
                return Err(ImageError::SymbolOutOfRange {
                    name: symbol.name.clone(),
                });
            }
        }
        for reloc in &self.relocs {
            let fits = |loc: Location, size: u64| {
                loc.offset
                    .checked_add(size)
                    .is_some_and(|end| end <= self.len(loc.section))
            };
            // A relocation may point just past the end (e.g. an end marker).
            if !fits(reloc.at, 8) || !fits(reloc.target, 0) {
                return Err(ImageError::RelocOutOfRange { reloc: *reloc });
            }
        }
        if self.roots.start > self.roots.end || self.roots.end > self.data.len() as u64 {
            return Err(ImageError::RootsOutOfRange {
                roots: self.roots.clone(),
            });
        }
        Ok(())
    }

    /// The absolute address of `loc` when the image is placed at `base`.
    pub fn address(&self, base: u64, loc: Location) -> u64 {
        match loc.section {
            Section::Data => base + loc.offset,
            Section::Code => base + self.code_offset() + loc.offset,
        }
    }

    /// Copies of the code and data with every relocation applied for `base`.
    /// The image must be valid.
    pub(crate) fn relocated(&self, base: u64) -> (Vec<u8>, Vec<u8>) {
        let mut code = self.code.clone();
        let mut data = self.data.clone();
        for reloc in &self.relocs {
            let bytes = self.address(base, reloc.target).to_le_bytes();
            let section = match reloc.at.section {
                Section::Code => &mut code,
                Section::Data => &mut data,
            };
            let at = reloc.at.offset as usize;
            section[at..at + 8].copy_from_slice(&bytes);
        }
        (code, data)
    }

    fn len(&self, section: Section) -> u64 {
        match section {
            Section::Code => self.code.len() as u64,
            Section::Data => self.data.len() as u64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image() -> Image {
        Image {
            code: vec![0xc3; 10],
            data: vec![0; 16],
            ..Image::default()
        }
    }

    #[test]
    fn code_follows_the_data_pages() {
        assert_eq!(code_offset(0), 0);
        assert_eq!(code_offset(1), 4096);
        assert_eq!(code_offset(4096), 4096);
        assert_eq!(code_offset(4097), 8192);
        assert_eq!(image().placed_size(), 8192);
    }

    #[test]
    fn relocations_store_absolute_addresses() {
        let mut image = image();
        image.relocs = vec![
            Reloc {
                at: Location {
                    section: Section::Data,
                    offset: 8,
                },
                target: Location {
                    section: Section::Code,
                    offset: 2,
                },
            },
            Reloc {
                at: Location {
                    section: Section::Code,
                    offset: 1,
                },
                target: Location {
                    section: Section::Data,
                    offset: 16,
                },
            },
        ];
        assert_eq!(image.validate(), Ok(()));
        let (code, data) = image.relocated(0x10_0000);
        assert_eq!(data[8..16], 0x10_1002u64.to_le_bytes());
        assert_eq!(code[1..9], 0x10_0010u64.to_le_bytes());
    }

    #[test]
    fn bad_offsets_are_rejected() {
        let mut bad = image();
        bad.entry = 10;
        assert_eq!(
            bad.validate(),
            Err(ImageError::EntryOutOfRange { entry: 10 })
        );

        let mut bad = image();
        bad.relocs.push(Reloc {
            at: Location {
                section: Section::Code,
                offset: 3,
            },
            target: Location {
                section: Section::Data,
                offset: 0,
            },
        });
        assert!(matches!(
            bad.validate(),
            Err(ImageError::RelocOutOfRange { .. })
        ));

        let mut bad = image();
        bad.symbols.push(Symbol {
            name: "scheme:f".into(),
            section: Section::Code,
            offset: 8,
            size: 3,
        });
        assert!(matches!(
            bad.validate(),
            Err(ImageError::SymbolOutOfRange { .. })
        ));

        assert_eq!(Image::default().validate(), Err(ImageError::EmptyCode));
    }
}
