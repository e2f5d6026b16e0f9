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

    /// Makes room for `additional` more datums.
    pub fn reserve(&mut self, additional: usize) {
        self.data.reserve(additional);
        self.spans.reserve(additional);
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

    /// Replaces a datum's source location (the reader moves a label's span to its datum).
    pub fn set_span(&mut self, id: DatumId, span: Option<Span>) {
        self.spans[id.index()] = span;
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

/// `equal?` across arenas: whether datum `x` of `a` and datum `y` of `b` have the same structure
/// and contents. Numbers compare with `eqv?` (so `-0.0` differs from `0.0` and NaN equals NaN),
/// and cyclic data compares as the infinite trees it unfolds to. Iterative, so deep data is fine.
pub fn equal(a: &Datums, x: DatumId, b: &Datums, y: DatumId) -> bool {
    // Pairs of nodes already assumed equal: revisiting one (through a cycle or shared structure)
    // adds no new obligation.
    let mut assumed = std::collections::HashSet::new();
    let mut work = vec![(x, y)];
    while let Some((x, y)) = work.pop() {
        if !assumed.insert((x, y)) {
            continue;
        }
        match (a.get(x), b.get(y)) {
            (Datum::Null, Datum::Null) => {}
            (Datum::Bool(p), Datum::Bool(q)) if p == q => {}
            (Datum::Number(p), Datum::Number(q)) if p.eqv(q) => {}
            (Datum::Char(p), Datum::Char(q)) if p == q => {}
            (Datum::String(p), Datum::String(q)) if p == q => {}
            (Datum::Symbol(p), Datum::Symbol(q)) if p == q => {}
            (Datum::Bytevector(p), Datum::Bytevector(q)) if p == q => {}
            (Datum::Pair(p1, p2), Datum::Pair(q1, q2)) => {
                work.push((*p2, *q2));
                work.push((*p1, *q1));
            }
            (Datum::Vector(p), Datum::Vector(q)) if p.len() == q.len() => {
                work.extend(p.iter().copied().zip(q.iter().copied()).rev());
            }
            _ => return false,
        }
    }
    true
}

impl std::ops::Index<DatumId> for Datums {
    type Output = Datum;
    fn index(&self, id: DatumId) -> &Datum {
        self.get(id)
    }
}
