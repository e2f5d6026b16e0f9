//! Interned symbols: `Symbol` is a `Copy` id for a string that lives for the whole process.
//!
//! The interner is global (behind a mutex) so that symbols can be created and printed anywhere
//! without threading a table through every API. Interned strings are leaked on purpose: the set
//! of distinct names in a compilation is small and they are needed until the process exits.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, OnceLock};

/// An interned string, compared and hashed by id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Symbol(u32);

#[derive(Default)]
struct Interner {
    ids: HashMap<&'static str, Symbol>,
    names: Vec<&'static str>,
}

fn interner() -> &'static Mutex<Interner> {
    static INTERNER: OnceLock<Mutex<Interner>> = OnceLock::new();
    INTERNER.get_or_init(Default::default)
}

impl Symbol {
    /// The symbol named `name`, creating it on first use.
    pub fn intern(name: &str) -> Symbol {
        let mut table = interner()
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(&sym) = table.ids.get(name) {
            return sym;
        }
        let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
        let sym = Symbol(table.names.len() as u32);
        table.names.push(name);
        table.ids.insert(name, sym);
        sym
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
}
