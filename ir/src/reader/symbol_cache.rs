//! A per-file cache from identifier text to interned [`Symbol`], in front of the global
//! interner.
//!
//! The global interner takes a lock and hashes with SipHash on every call; source files repeat
//! the same few hundred identifiers, so remembering them per read avoids both, and lets the
//! reader skip re-validating identifiers it has already accepted.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};

use crate::symbol::Symbol;

pub(super) struct SymbolCache<'a> {
    symbols: HashMap<&'a str, Symbol, BuildHasherDefault<NameHasher>>,
}

impl<'a> SymbolCache<'a> {
    /// A cache sized for a source text of `text_len` bytes.
    pub(super) fn for_text(text_len: usize) -> SymbolCache<'a> {
        // About one distinct identifier per 128 bytes of source; growing past that is fine.
        let capacity = (text_len / 128).min(1 << 20);
        SymbolCache {
            symbols: HashMap::with_capacity_and_hasher(capacity, Default::default()),
        }
    }

    /// The symbol named `text`. The first time a name is seen, `check` must accept it (it is
    /// then interned and remembered); later lookups skip the check.
    pub(super) fn intern_checked(
        &mut self,
        text: &'a str,
        check: impl FnOnce() -> Result<(), String>,
    ) -> Result<Symbol, String> {
        match self.symbols.entry(text) {
            Entry::Occupied(entry) => Ok(*entry.get()),
            Entry::Vacant(entry) => {
                check()?;
                Ok(*entry.insert(Symbol::intern(text)))
            }
        }
    }
}

/// A multiplicative hash over 8-byte words: fast for short names. Not resistant to
/// deliberately colliding input, which only costs time on a file crafted to be slow to read.
#[derive(Default)]
struct NameHasher(u64);

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(byte)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
