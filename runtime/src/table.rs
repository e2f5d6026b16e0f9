//! The image table: what `loko --compile` tells the stub about the generated code.
//!
//! The stub exports one [`ImageTable`] under the symbol [`SYMBOL`]. Its initial
//! value is non-zero ([`MAGIC`]) so that the linker places it in `.data`, which
//! is backed by file bytes the ELF writer can patch; a zero-initialized static
//! would land in `.bss`, which has no bytes in the file. The ELF writer finds
//! the symbol, checks the magic and overwrites the other fields with absolute
//! addresses. An unpatched stub has `entry == 0` and refuses to run.
//!
//! All fields are `u64` in a fixed order, so the layout is the same for the
//! writer (which sees bytes) and the runtime (which sees the struct).

use core::mem::offset_of;

/// The symbol under which the stub exports its table.
pub const SYMBOL: &str = "loko_image_table";

/// The stub's placeholder section that the ELF writer deletes to make room for
/// the program headers it adds (see `start::PHDR_RESERVE`, built with the
/// `stub` feature).
pub const PHDR_RESERVE_SECTION: &str = ".note.loko.reserve";

/// "lokoimg1", little-endian: identifies the table and its layout version.
pub const MAGIC: u64 = u64::from_le_bytes(*b"lokoimg1");

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageTable {
    /// [`MAGIC`]; the writer refuses a stub whose table does not start with it.
    pub magic: u64,
    /// Absolute address of the generated entry point ([`crate::EntryFn`]).
    pub entry: u64,
    /// Bounds `[start, end)` of the generated code (mapped R+X).
    pub code_start: u64,
    pub code_end: u64,
    /// Bounds `[start, end)` of the generated data (mapped R+W).
    pub data_start: u64,
    pub data_end: u64,
    /// Bounds `[start, end)` of the static GC roots, inside the data area.
    /// Reserved for the collector; zero until the backend emits roots.
    pub roots_start: u64,
    pub roots_end: u64,
}

impl ImageTable {
    /// The value the stub is built with: only the magic is set.
    pub const UNPATCHED: ImageTable = ImageTable {
        magic: MAGIC,
        entry: 0,
        code_start: 0,
        code_end: 0,
        data_start: 0,
        data_end: 0,
        roots_start: 0,
        roots_end: 0,
    };

    /// The table as the ELF writer stores it: little-endian `u64`s in field order.
    pub fn to_bytes(&self) -> [u8; SIZE] {
        let fields = [
            self.magic,
            self.entry,
            self.code_start,
            self.code_end,
            self.data_start,
            self.data_end,
            self.roots_start,
            self.roots_end,
        ];
        let mut out = [0; SIZE];
        for (chunk, field) in out.chunks_exact_mut(8).zip(fields) {
            chunk.copy_from_slice(&field.to_le_bytes());
        }
        out
    }
}

/// Size in bytes of the table.
pub const SIZE: usize = core::mem::size_of::<ImageTable>();

// The byte layout written by `to_bytes` must match the struct's.
const _: () = {
    assert!(SIZE == 64);
    assert!(offset_of!(ImageTable, entry) == 8);
    assert!(offset_of!(ImageTable, roots_end) == 56);
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_match_the_struct_layout() {
        let table = ImageTable {
            entry: 0x1122,
            roots_end: 0x99,
            ..ImageTable::UNPATCHED
        };
        let bytes = table.to_bytes();
        let raw: [u8; SIZE] = unsafe { core::mem::transmute(table) };
        assert_eq!(bytes, raw);
        assert_eq!(&bytes[..8], b"lokoimg1");
    }
}
