//! A small per-file cache from identifier text to interned [`Symbol`], in front of the global
//! interner.
//!
//! The global interner takes a lock and hashes with SipHash on every call; source files repeat
//! the same few hundred identifiers, so remembering recent ones avoids both, and lets the reader
//! skip re-validating them. The cache is direct-mapped and fixed-size so it stays in the CPU
//! cache however large the file: a name that collides or has not been seen falls through to
//! the global interner.

use crate::symbol::Symbol;

/// The most slots a cache has (a power of two); about 100 KB.
const MAX_SLOTS: usize = 4096;

pub(super) struct SymbolCache<'a> {
    /// A power-of-two number of slots.
    slots: Vec<Option<(&'a str, Symbol)>>,
}

impl<'a> SymbolCache<'a> {
    /// A cache for a text of `text_len` bytes: small texts (a REPL line) get a small cache, so
    /// that setting it up costs nothing noticeable.
    pub(super) fn for_text(text_len: usize) -> SymbolCache<'a> {
        let slots = (text_len / 16).next_power_of_two().clamp(16, MAX_SLOTS);
        SymbolCache {
            slots: vec![None; slots],
        }
    }

    /// The symbol named `text`. Unless the name is cached, `check` must accept it first.
    pub(super) fn intern_checked(
        &mut self,
        text: &'a str,
        check: impl FnOnce() -> Result<(), String>,
    ) -> Result<Symbol, String> {
        let slot = hash(text) & (self.slots.len() - 1);
        if let Some((name, symbol)) = self.slots[slot]
            && name == text
        {
            return Ok(symbol);
        }
        check()?;
        let symbol = Symbol::intern(text);
        self.slots[slot] = Some((text, symbol));
        Ok(symbol)
    }
}

/// A multiplicative hash over 8-byte words: fast for short names.
fn hash(text: &str) -> usize {
    let mut h: u64 = text.len() as u64;
    for chunk in text.as_bytes().chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    (h >> 32) as usize
}
