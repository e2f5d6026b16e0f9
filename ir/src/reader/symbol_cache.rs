//! A small per-file cache from identifier text to interned [`Symbol`], in front of the global
//! interner.
//!
//! The global interner takes a lock and probes a table that, after a large file, no longer fits
//! in the CPU cache; source files repeat the same few hundred identifiers, so remembering recent
//! ones avoids both, and lets the reader skip re-validating them. The cache is direct-mapped and
//! fixed-size so it stays in the CPU cache however large the file: a name that collides or has
//! not been seen falls through to the global interner, reusing the hash computed here.

use crate::symbol::{Symbol, hash};

/// The most slots a cache has (a power of two); about 200 KB.
const MAX_SLOTS: usize = 8192;

/// A cached name with its hash (compared first, so a collision rarely touches the text).
#[derive(Clone, Copy)]
struct Slot<'a> {
    hash: u32,
    symbol: Symbol,
    name: &'a str,
}

pub(super) struct SymbolCache<'a> {
    /// A power-of-two number of slots.
    slots: Vec<Option<Slot<'a>>>,
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
        let hash = hash(text);
        let index = hash as usize & (self.slots.len() - 1);
        if let Some(slot) = self.slots[index]
            && slot.hash == hash
            && same(slot.name, text)
        {
            return Ok(slot.symbol);
        }
        check()?;
        let symbol = Symbol::intern_hashed(text, hash);
        self.slots[index] = Some(Slot {
            hash,
            symbol,
            name: text,
        });
        Ok(symbol)
    }
}

/// `a == b` without a call to `memcmp`, whose call overhead dominates for names this short.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    for (p, q) in (&mut x).zip(&mut y) {
        if u64::from_ne_bytes([p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]])
            != u64::from_ne_bytes([q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7]])
        {
            return false;
        }
    }
    x.remainder().iter().zip(y.remainder()).all(|(p, q)| p == q)
}
