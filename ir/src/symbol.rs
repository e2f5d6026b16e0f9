//! Interned symbols: `Symbol` is a `Copy` id for a string that lives for the whole process.
//!
//! The interner is global (behind a mutex) so that symbols can be created and printed anywhere
//! without threading a table through every API. Interned strings are leaked on purpose: the set
//! of distinct names in a compilation is small and they are needed until the process exits.
//!
//! Reading a large file interns hundreds of thousands of names, so the table is built for that:
//! a fast multiplicative hash instead of SipHash (names are not attacker-chosen keys that could
//! make it degrade), slots of 8 bytes holding a hash and an id so that a probe rarely touches
//! anything but the slot array, and names copied into large leaked chunks rather than one
//! allocation each.

use std::fmt;
use std::sync::{Mutex, OnceLock};

/// An interned string, compared and hashed by id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Symbol(u32);

/// Names are copied into chunks of this many bytes (longer names get a chunk of their own).
const CHUNK_BYTES: usize = 64 * 1024;

#[derive(Default)]
struct Interner {
    /// Open addressing with linear probing over a power-of-two number of slots, at most half
    /// full. A slot is `(hash << 32) | (id + 1)`, and 0 when empty; keeping the hash lets a probe
    /// skip other names and lets the table grow without rehashing any text.
    slots: Vec<u64>,
    names: Vec<&'static str>,
    /// The unused rest of the current chunk of leaked name storage.
    free: &'static mut [u8],
}

fn interner() -> &'static Mutex<Interner> {
    static INTERNER: OnceLock<Mutex<Interner>> = OnceLock::new();
    INTERNER.get_or_init(Default::default)
}

impl Symbol {
    /// The symbol named `name`, creating it on first use.
    pub fn intern(name: &str) -> Symbol {
        Symbol::intern_hashed(name, hash(name))
    }

    /// [`Symbol::intern`] for a caller that already has `hash(name)` (the reader's cache).
    pub(crate) fn intern_hashed(name: &str, hash: u32) -> Symbol {
        interner()
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .intern(name, hash)
    }

    /// The symbol's name.
    pub fn as_str(self) -> &'static str {
        let table = interner()
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        table.names[self.0 as usize]
    }

    /// The raw id, stable for the life of the process.
    pub fn index(self) -> u32 {
        self.0
    }
}

impl Interner {
    fn intern(&mut self, name: &str, hash: u32) -> Symbol {
        if self.names.len() * 2 >= self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            let slot = self.slots[at];
            if slot == 0 {
                break;
            }
            if (slot >> 32) as u32 == hash {
                let id = (slot as u32 - 1) as usize;
                if self.names[id] == name {
                    return Symbol(id as u32);
                }
            }
            at = (at + 1) & mask;
        }
        let id = self.names.len() as u32;
        let name = self.store(name);
        self.names.push(name);
        self.slots[at] = (u64::from(hash) << 32) | u64::from(id + 1);
        Symbol(id)
    }

    /// Doubles the table (starting at 1024 slots), re-placing slots by their stored hashes.
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(1024);
        let mut slots = vec![0u64; size];
        for &slot in self.slots.iter().filter(|&&slot| slot != 0) {
            let mut at = (slot >> 32) as usize & (size - 1);
            while slots[at] != 0 {
                at = (at + 1) & (size - 1);
            }
            slots[at] = slot;
        }
        self.slots = slots;
    }

    /// A copy of `name` that lives for the rest of the process.
    fn store(&mut self, name: &str) -> &'static str {
        let len = name.len();
        if self.free.len() < len {
            let chunk = vec![0u8; CHUNK_BYTES.max(len)].into_boxed_slice();
            self.free = Box::leak(chunk);
        }
        let (head, tail) = std::mem::take(&mut self.free).split_at_mut(len);
        self.free = tail;
        head.copy_from_slice(name.as_bytes());
        // The bytes were copied from a `str`, so they are valid UTF-8; the fallback is only there
        // to avoid a panic path.
        match std::str::from_utf8(head) {
            Ok(name) => name,
            Err(_) => Box::leak(name.to_owned().into_boxed_str()),
        }
    }
}

/// The interner's hash of a name: a multiplicative hash over 8-byte words, fast for the short
/// names that make up nearly all symbols.
pub(crate) fn hash(name: &str) -> u32 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let bytes = name.as_bytes();
    let n = bytes.len();
    let word = |at: usize| {
        let b = &bytes[at..at + 8];
        u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
    };
    let half = |at: usize| {
        let b = &bytes[at..at + 4];
        u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let mut h = n as u64;
    let mut at = 0;
    while at + 8 <= n {
        h = (h.rotate_left(5) ^ word(at)).wrapping_mul(K);
        at += 8;
    }
    // The last partial word is read with fixed-size loads that may overlap bytes already hashed
    // (the length, hashed first, keeps that unambiguous): a variable-length copy into a buffer
    // would compile to a call to `memcpy`, which costs more than hashing a short name.
    let tail = match n - at {
        0 => None,
        _ if n >= 8 => Some(word(n - 8)),
        4.. => Some(half(0) | (half(n - 4) << 32)),
        _ => {
            Some(u64::from(bytes[0]) | u64::from(bytes[n / 2]) << 8 | u64::from(bytes[n - 1]) << 16)
        }
    };
    if let Some(tail) = tail {
        h = (h.rotate_left(5) ^ tail).wrapping_mul(K);
    }
    // A product's high bits depend on all of its input's low bits but its low bits on none of
    // its high ones, so fold the high half down and multiply again: otherwise names differing
    // only in their last bytes (`proc-1`, `proc-2`) would agree in the low bits used as index.
    let h = (h ^ (h >> 32)).wrapping_mul(K);
    (h >> 32) as u32
}

impl fmt::Debug for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.as_str())
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Symbol;

    #[test]
    fn interning_is_idempotent_and_names_round_trip() {
        let a = Symbol::intern("lambda");
        let b = Symbol::intern("lambda");
        let c = Symbol::intern("lambda*");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.as_str(), "lambda");
        assert_eq!(c.to_string(), "lambda*");
    }

    #[test]
    fn many_names_survive_the_table_growing() {
        // Names that differ only in their last bytes, of every length class the hash reads
        // differently, some longer than a chunk of name storage.
        let long = "x".repeat(70_000);
        let names: Vec<String> = (0..40_000)
            .map(|i| match i % 5 {
                0 => format!("{i}"),
                1 => format!("n-{i}"),
                2 => format!("growing-name-{i}"),
                3 => format!("λ{i}"),
                _ if i % 1000 == 4 => format!("{long}{i}"),
                _ => format!("{i}-a-name-longer-than-sixteen-bytes"),
            })
            .collect();
        let symbols: Vec<Symbol> = names.iter().map(|n| Symbol::intern(n)).collect();
        for (name, &symbol) in names.iter().zip(&symbols) {
            assert_eq!(Symbol::intern(name), symbol);
            assert_eq!(symbol.as_str(), name);
        }
        let distinct: std::collections::HashSet<Symbol> = symbols.iter().copied().collect();
        assert_eq!(distinct.len(), names.len());
    }
}
