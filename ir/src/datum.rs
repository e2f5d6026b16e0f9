//! Datums: Scheme values as they appear in source text and as constants in the IR.
//!
//! Datums live in an arena ([`Datums`]) and are referred to by `Copy` ids ([`DatumId`]), so
//! cyclic data (datum labels `#0=`/`#0#`) needs no reference counting, deep lists drop without
//! recursion, and the IR can name a constant with a small id. Every datum read from a file has
//! its [`Span`] in a side table.

use crate::number::Number;
use crate::source::{FileId, Span};
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
    /// Each datum's span without its file, which is kept in `files` instead: this makes the
    /// side table 16 bytes a datum rather than 24, which matters when reading large files.
    spans: Vec<PackedSpan>,
    /// Runs of datums from the same file: `(first datum index, file)`, sorted by index. Datums
    /// are read one file at a time, so there are few runs.
    files: Vec<(u32, FileId)>,
}

/// A [`Span`] without its file; `line == 0` (never a real line) means "no span".
#[derive(Clone, Copy, Default, Debug)]
struct PackedSpan {
    start: u32,
    end: u32,
    line: u32,
    column: u32,
}

impl PackedSpan {
    fn new(span: Option<Span>) -> PackedSpan {
        match span {
            Some(span) => PackedSpan {
                start: span.start,
                end: span.end,
                line: span.line.max(1),
                column: span.column,
            },
            None => PackedSpan::default(),
        }
    }
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
    #[inline]
    pub fn add_at(&mut self, datum: Datum, span: Option<Span>) -> DatumId {
        let id = DatumId(self.data.len() as u32);
        self.data.push(datum);
        self.spans.push(PackedSpan::new(span));
        // `id` is the newest datum, so a change of file just starts a new run at the end.
        if let Some(span) = span
            && self.files.last().is_none_or(|&(_, file)| file != span.file)
        {
            self.files.push((id.0, span.file));
        }
        id
    }

    /// Records that datum `id`, which has a span, is from `file`.
    fn note_file(&mut self, id: DatumId, file: FileId) {
        if self.file_of(id) == Some(file) {
            return;
        }
        // Split the run covering `id` (if any) so only `id` changes file.
        let mut at = self.files.partition_point(|&(first, _)| first <= id.0);
        let after = self.file_of(DatumId(id.0 + 1));
        if at > 0 && self.files[at - 1].0 == id.0 {
            at -= 1;
            self.files[at].1 = file;
        } else {
            self.files.insert(at, (id.0, file));
        }
        if let Some(after) = after
            && self
                .files
                .get(at + 1)
                .is_none_or(|&(first, _)| first != id.0 + 1)
            && id.index() + 1 < self.data.len()
        {
            self.files.insert(at + 1, (id.0 + 1, after));
        }
    }

    /// The file of the run covering `id`.
    fn file_of(&self, id: DatumId) -> Option<FileId> {
        let at = self.files.partition_point(|&(first, _)| first <= id.0);
        at.checked_sub(1).map(|at| self.files[at].1)
    }

    pub fn get(&self, id: DatumId) -> &Datum {
        &self.data[id.index()]
    }

    /// Replaces a datum in place (the reader patches datum-label placeholders this way).
    pub fn set(&mut self, id: DatumId, datum: Datum) {
        self.data[id.index()] = datum;
    }

    pub fn span(&self, id: DatumId) -> Option<Span> {
        let packed = self.spans[id.index()];
        if packed.line == 0 {
            return None;
        }
        Some(Span {
            file: self.file_of(id)?,
            start: packed.start,
            end: packed.end,
            line: packed.line,
            column: packed.column,
        })
    }

    /// Replaces a datum's source location (the reader moves a label's span to its datum).
    pub fn set_span(&mut self, id: DatumId, span: Option<Span>) {
        self.spans[id.index()] = PackedSpan::new(span);
        if let Some(span) = span {
            self.note_file(id, span.file);
        }
    }

    /// Copies the datum `root` of another arena into this one, with its sharing and cycles,
    /// and returns its id here.
    pub fn copy_from(&mut self, other: &Datums, root: DatumId) -> DatumId {
        let mut copies: std::collections::HashMap<DatumId, DatumId> = Default::default();
        let mut pending = vec![root];
        let mut order = Vec::new();
        // First a placeholder for every reachable datum, then the datums with their parts
        // renamed, so cycles need no recursion.
        while let Some(id) = pending.pop() {
            if copies.contains_key(&id) {
                continue;
            }
            copies.insert(id, self.add_at(Datum::Null, other.span(id)));
            order.push(id);
            match other.get(id) {
                Datum::Pair(car, cdr) => pending.extend([*car, *cdr]),
                Datum::Vector(items) => pending.extend(items.iter().copied()),
                _ => {}
            }
        }
        let copy = |id: &DatumId| copies.get(id).copied().unwrap_or(*id);
        let mut filled = Vec::with_capacity(order.len());
        for id in order {
            let datum = match other.get(id) {
                Datum::Pair(car, cdr) => Datum::Pair(copy(car), copy(cdr)),
                Datum::Vector(items) => Datum::Vector(items.iter().map(copy).collect()),
                datum => datum.clone(),
            };
            filled.push((copy(&id), datum));
        }
        for (id, datum) in filled {
            self.set(id, datum);
        }
        copy(&root)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn spans_keep_their_files_in_any_order() {
        let a = SourceFile::register("a.scm", "x");
        let b = SourceFile::register("b.scm", "y");
        let span = |file, start| Span {
            file,
            start,
            end: start + 1,
            line: 1,
            column: start + 1,
        };
        let mut datums = Datums::new();
        let ids: Vec<DatumId> = [Some(span(a, 0)), None, Some(span(b, 1)), Some(span(a, 2))]
            .into_iter()
            .map(|s| datums.add_at(Datum::Null, s))
            .collect();
        datums.set_span(ids[1], Some(span(b, 5)));
        datums.set_span(ids[2], Some(span(a, 6)));
        let files: Vec<Option<(FileId, u32)>> = ids
            .iter()
            .map(|&id| datums.span(id).map(|s| (s.file, s.start)))
            .collect();
        assert_eq!(
            files,
            [Some((a, 0)), Some((b, 5)), Some((a, 6)), Some((a, 2))]
        );
        datums.set_span(ids[0], None);
        assert_eq!(datums.span(ids[0]), None);
        assert_eq!(datums.span(ids[1]).map(|s| s.file), Some(b));
    }
}
