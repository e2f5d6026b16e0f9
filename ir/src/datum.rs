//! Datums: Scheme values as they appear in source text and as constants in the IR.
//!
//! Datums live in an arena ([`Datums`]) and are referred to by `Copy` ids ([`DatumId`]), so
//! cyclic data (datum labels `#0=`/`#0#`) needs no reference counting, deep lists drop without
//! recursion, and the IR can name a constant with a small id. Every datum read from a file has
//! its [`Span`] in a side table.

use crate::number::Number;
use crate::source::Span;
use crate::symbol::Symbol;

/// A datum in a [`Datums`] arena.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct DatumId(u32);

impl DatumId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One Scheme value. Compound values refer to their parts by id.
#[derive(Clone, PartialEq, Debug)]
pub enum Datum {
    Null,
    Bool(bool),
    Number(Number),
    Char(char),
    String(String),
    Symbol(Symbol),
    Pair(DatumId, DatumId),
    Vector(Vec<DatumId>),
    Bytevector(Vec<u8>),
}

/// An arena of datums with their source locations.
#[derive(Clone, Default, Debug)]
pub struct Datums {
    data: Vec<Datum>,
    spans: Vec<Option<Span>>,
}

impl Datums {
    pub fn new() -> Datums {
        Datums::default()
    }

    /// Adds a datum with no source location.
    pub fn add(&mut self, datum: Datum) -> DatumId {
        self.add_at(datum, None)
    }

    /// Adds a datum read from `span`.
    pub fn add_at(&mut self, datum: Datum, span: Option<Span>) -> DatumId {
        let id = DatumId(self.data.len() as u32);
        self.data.push(datum);
        self.spans.push(span);
        id
    }

    pub fn get(&self, id: DatumId) -> &Datum {
        &self.data[id.index()]
    }

    /// Replaces a datum in place (the reader patches datum-label placeholders this way).
    pub fn set(&mut self, id: DatumId, datum: Datum) {
        self.data[id.index()] = datum;
    }

    pub fn span(&self, id: DatumId) -> Option<Span> {
        self.spans[id.index()]
    }

    pub fn len(&self) -> usize {
        self.data.len()
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Builds a proper list of `items`.
    pub fn list(&mut self, items: &[DatumId]) -> DatumId {
        let mut tail = self.add(Datum::Null);
        for &item in items.iter().rev() {
            tail = self.add(Datum::Pair(item, tail));
        }
        tail
    }

    pub fn symbol(&mut self, name: &str) -> DatumId {
        self.add(Datum::Symbol(Symbol::intern(name)))
    }

    /// The elements of a proper list, or `None` for an improper or cyclic list.
    pub fn list_items(&self, mut id: DatumId) -> Option<Vec<DatumId>> {
        let mut items = Vec::new();
        loop {
            match self.get(id) {
                Datum::Null => return Some(items),
                Datum::Pair(car, cdr) => {
                    items.push(*car);
                    id = *cdr;
                    if items.len() > self.data.len() {
                        return None;
                    }
                }
                _ => return None,
            }
        }
    }
}

impl std::ops::Index<DatumId> for Datums {
    type Output = Datum;
    fn index(&self, id: DatumId) -> &Datum {
        self.get(id)
    }
}
