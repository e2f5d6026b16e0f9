//! A per-file cache from identifier text to interned [`Symbol`], in front of the global
//! interner.
//!
//! The global interner takes a lock and hashes with SipHash on every call; source files repeat
//! the same few hundred identifiers, so remembering them per read avoids both, and lets the
//! reader skip re-validating identifiers it has already accepted.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::symbol::Symbol;

#[derive(Default)]
pub(super) struct SymbolCache<'a> {
    symbols: HashMap<&'a str, Symbol, BuildHasherDefault<NameHasher>>,
}

impl<'a> SymbolCache<'a> {
    /// The symbol for `text` if it was cached (so it is a valid identifier).
    pub(super) fn get(&self, text: &str) -> Option<Symbol> {
        self.symbols.get(text).copied()
    }

    /// Interns `text`, a valid identifier, and remembers it.
    pub(super) fn insert(&mut self, text: &'a str) -> Symbol {
        let symbol = Symbol::intern(text);
        self.symbols.insert(text, symbol);
        symbol
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
