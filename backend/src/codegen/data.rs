//! The image's static data: the context block (at offset 0, so generated code reaches it
//! through `r15`), one cell per global variable, and the quoted constants laid out as heap
//! objects would be. Pointers between static objects are relocations.

use super::CompileError;
use crate::image::{Location, Reloc, Section};
use ir::datum::{Datum, DatumId, Datums};
use ir::number::Number;
use ir::symbol::Symbol;
use num_bigint::{BigInt, Sign};
use runtime::value::*;
use std::collections::{HashMap, HashSet};

/// How an image *attached* to a running world (loko's expand-time runtime) is compiled: its
/// data will sit `bias` bytes after the world's context block, which `r15` points at, so its
/// statics and global cells are reached at `r15 + bias + offset`; the globals and symbols of
/// the images attached before it are reached through `globals` (offsets from `r15`) and
/// `symbols` (their values: absolute tagged addresses), so a global or a symbol is one object
/// in the whole world.
#[derive(Clone, Debug, Default)]
pub struct Attach {
    /// The address of the world's context block.
    pub context: u64,
    pub bias: u64,
    pub globals: HashMap<Symbol, u64>,
    pub symbols: HashMap<Symbol, u64>,
}

/// Names with offsets, as [`Data::exports`] gives them.
pub type Exported = Vec<(Symbol, u64)>;

/// A value as the code generator knows it: an immediate, or a static object at a data offset
/// (the value is the object's address plus its tag).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    Immediate(u64),
    Static { offset: u64, tag: u64 },
}

#[derive(Default)]
pub struct Data {
    pub bytes: Vec<u8>,
    pub relocs: Vec<Reloc>,
    globals: HashMap<Symbol, u64>,
    symbols: HashMap<Symbol, u64>,
    symbol_order: Vec<u64>,
    /// How an attached image reaches what other images of its world hold ([`Attach`]).
    pub attach: Option<Attach>,
    /// The constants being converted, to detect cycles.
    in_progress: HashSet<DatumId>,
}

fn cyclic() -> CompileError {
    CompileError::new("cyclic constants (datum labels) are not supported yet")
}

impl Data {
    /// Data with the context block reserved at offset 0.
    pub fn new() -> Data {
        let mut data = Data::default();
        data.words(runtime::context::SIZE / 8);
        data
    }

    /// Reserves `n` zeroed words; returns their offset.
    fn words(&mut self, n: usize) -> u64 {
        let offset = self.bytes.len() as u64;
        self.bytes.resize(self.bytes.len() + 8 * n, 0);
        offset
    }

    fn set(&mut self, offset: u64, value: Value) {
        match value {
            Value::Immediate(v) => self.set_word(offset, v),
            Value::Static {
                offset: target,
                tag,
            } => self.relocs.push(Reloc {
                at: Location {
                    section: Section::Data,
                    offset,
                },
                target: Location {
                    section: Section::Data,
                    offset: target + tag,
                },
            }),
        }
    }

    fn set_word(&mut self, offset: u64, word: u64) {
        let at = offset as usize;
        self.bytes[at..at + 8].copy_from_slice(&word.to_le_bytes());
    }

    /// Makes the cells of the global variables `names`, one after the other, so that they
    /// form the image's static roots; returns their range. Called before any other data is
    /// made.
    pub fn reserve_globals(&mut self, names: &[Symbol]) -> std::ops::Range<u64> {
        let start = self.bytes.len() as u64;
        for &name in names {
            self.global(name);
        }
        start..self.bytes.len() as u64
    }

    /// A static closure without free variables: its header; the code address is a relocation
    /// the caller adds once the code is assembled (at the returned offset + 8).
    pub fn closure_without_free_variables(&mut self) -> u64 {
        let offset = self.words(2);
        self.set_word(offset, header(HEADER_CLOSURE, 0));
        offset
    }

    /// The offset of the cell of global variable `name` (made on first use, unbound).
    ///
    /// The offset is from `r15`: the image's own data for a standalone image, the world's
    /// context for an attached one.
    pub fn global(&mut self, name: Symbol) -> u64 {
        if let Some(offset) = self.attach.as_ref().and_then(|a| a.globals.get(&name)) {
            return *offset;
        }
        if let Some(&offset) = self.globals.get(&name) {
            return offset + self.bias();
        }
        let offset = self.words(1);
        self.set_word(offset, UNBOUND);
        self.globals.insert(name, offset);
        offset + self.bias()
    }

    /// What to add to a data offset to reach it from `r15` (see [`Attach`]).
    pub fn bias(&self) -> u64 {
        self.attach.as_ref().map_or(0, |a| a.bias)
    }

    /// The image's own global cells and static symbols, as an attached image exports them to
    /// the images after it: cells as offsets from `r15`, symbols as data offsets of their
    /// tagged values.
    pub fn exports(&self) -> (Exported, Exported) {
        let bias = self.bias();
        let globals = self.globals.iter().map(|(&n, &o)| (n, o + bias)).collect();
        let symbols = self
            .symbols
            .iter()
            .map(|(&n, &o)| (n, o + TAG_OBJECT))
            .collect();
        (globals, symbols)
    }

    /// The static symbol `name`, interned within the image.
    pub fn symbol(&mut self, name: Symbol) -> Value {
        if let Some(&value) = self.attach.as_ref().and_then(|a| a.symbols.get(&name)) {
            return Value::Immediate(value);
        }
        if let Some(&offset) = self.symbols.get(&name) {
            return Value::Static {
                offset,
                tag: TAG_OBJECT,
            };
        }
        let string = self.string(name.as_str());
        let offset = self.words(2);
        self.set_word(offset, header(HEADER_SYMBOL, 1));
        self.set(offset + 8, string);
        self.symbols.insert(name, offset);
        self.symbol_order.push(offset);
        Value::Static {
            offset,
            tag: TAG_OBJECT,
        }
    }

    fn string(&mut self, text: &str) -> Value {
        let chars: Vec<u32> = text.chars().map(u32::from).collect();
        let offset = self.words(1 + (4 * chars.len()).div_ceil(8));
        self.set_word(offset, header(HEADER_STRING, chars.len() as u64));
        for (i, c) in chars.iter().enumerate() {
            let at = offset as usize + 8 + 4 * i;
            self.bytes[at..at + 4].copy_from_slice(&c.to_le_bytes());
        }
        Value::Static {
            offset,
            tag: TAG_OBJECT,
        }
    }

    /// A number constant: a fixnum, or a static bignum, ratnum or flonum laid out as the
    /// runtime's (`runtime::value`).
    fn number(&mut self, n: &Number) -> Value {
        match n {
            Number::Fixnum(n) if (FIXNUM_MIN..=FIXNUM_MAX).contains(n) => {
                Value::Immediate(fixnum(*n))
            }
            Number::Fixnum(n) => self.bignum(&BigInt::from(*n)),
            Number::Bignum(n) => self.bignum(n),
            Number::Ratnum(r) => {
                let numerator = self.number(&Number::integer(r.numer().clone()));
                let denominator = self.number(&Number::integer(r.denom().clone()));
                let offset = self.words(3);
                self.set_word(offset, header(HEADER_RATNUM, 2));
                self.set(offset + 8, numerator);
                self.set(offset + 16, denominator);
                Value::Static {
                    offset,
                    tag: TAG_OBJECT,
                }
            }
            Number::Flonum(x) => {
                let offset = self.words(2);
                self.set_word(offset, header(HEADER_FLONUM, 1));
                self.set_word(offset + 8, x.to_bits());
                Value::Static {
                    offset,
                    tag: TAG_OBJECT,
                }
            }
        }
    }

    /// A static bignum (its value is outside the fixnum range).
    fn bignum(&mut self, n: &BigInt) -> Value {
        let limbs = n.magnitude().to_u64_digits();
        let offset = self.words(2 + limbs.len());
        self.set_word(offset, header(HEADER_BIGNUM, 1 + limbs.len() as u64));
        self.set_word(offset + 8, u64::from(n.sign() == Sign::Minus));
        for (i, limb) in limbs.iter().enumerate() {
            self.set_word(offset + 16 + 8 * i as u64, *limb);
        }
        Value::Static {
            offset,
            tag: TAG_OBJECT,
        }
    }

    fn pair(&mut self, car: Value, cdr: Value) -> Value {
        let offset = self.words(2);
        self.set(offset, car);
        self.set(offset + 8, cdr);
        Value::Static {
            offset,
            tag: TAG_PAIR,
        }
    }

    /// The value of a quoted datum. Lists are built along their cdrs without recursion.
    /// Cyclic data (from datum labels) is reported rather than followed forever.
    pub fn constant(&mut self, datums: &Datums, id: DatumId) -> Result<Value, CompileError> {
        if !self.in_progress.insert(id) {
            return Err(cyclic());
        }
        let value = self.constant_inner(datums, id);
        self.in_progress.remove(&id);
        value
    }

    fn constant_inner(&mut self, datums: &Datums, id: DatumId) -> Result<Value, CompileError> {
        let mut items = Vec::new();
        let mut tail = id;
        while let Datum::Pair(car, cdr) = datums.get(tail) {
            items.push(*car);
            tail = *cdr;
            if tail == id || items.len() > datums.len() {
                return Err(cyclic());
            }
        }
        if !items.is_empty() {
            let mut value = self.constant(datums, tail)?;
            for &item in items.iter().rev() {
                let car = ir::nanopass::grow(|| self.constant(datums, item))?;
                value = self.pair(car, value);
            }
            return Ok(value);
        }
        Ok(match datums.get(id) {
            Datum::Null => Value::Immediate(NULL),
            Datum::Bool(false) => Value::Immediate(FALSE),
            Datum::Bool(true) => Value::Immediate(TRUE),
            Datum::Char(c) => Value::Immediate(character(*c)),
            Datum::Number(Number::Fixnum(n)) if (FIXNUM_MIN..=FIXNUM_MAX).contains(n) => {
                Value::Immediate(fixnum(*n))
            }
            Datum::Number(n) => self.number(n),
            Datum::String(s) => self.string(s),
            Datum::Symbol(name) => self.symbol(*name),
            Datum::Vector(items) => {
                let items = items.clone();
                let values = items
                    .iter()
                    .map(|&item| ir::nanopass::grow(|| self.constant(datums, item)))
                    .collect::<Result<Vec<_>, _>>()?;
                let offset = self.words(1 + values.len());
                self.set_word(offset, header(HEADER_VECTOR, values.len() as u64));
                for (i, value) in values.into_iter().enumerate() {
                    self.set(offset + 8 + 8 * i as u64, value);
                }
                Value::Static {
                    offset,
                    tag: TAG_OBJECT,
                }
            }
            Datum::Bytevector(bytes) => {
                let offset = self.words(1 + bytes.len().div_ceil(8));
                self.set_word(offset, header(HEADER_BYTEVECTOR, bytes.len() as u64));
                let at = offset as usize + 8;
                self.bytes[at..at + bytes.len()].copy_from_slice(bytes);
                Value::Static {
                    offset,
                    tag: TAG_OBJECT,
                }
            }
            Datum::Pair(..) => unreachable!("pairs are handled above"),
        })
    }

    /// A static vector indexed by error kind number (`runtime::error::ErrorKind`): for each
    /// kind, the pair `(message . has-irritant?)`, for `$raise-runtime-error`; `#f` at the
    /// unused numbers. Returns the vector's offset.
    pub fn error_table(&mut self) -> u64 {
        use runtime::error::ErrorKind;
        let len = ErrorKind::ALL
            .iter()
            .map(|&k| k as usize)
            .max()
            .unwrap_or(0)
            + 1;
        let mut entries = vec![Value::Immediate(FALSE); len];
        for kind in ErrorKind::ALL {
            let message = self.string(kind.message());
            let flag = Value::Immediate(if kind.has_irritant() { TRUE } else { FALSE });
            entries[kind as usize] = self.pair(message, flag);
        }
        let offset = self.words(1 + len);
        self.set_word(offset, header(HEADER_VECTOR, len as u64));
        for (i, entry) in entries.into_iter().enumerate() {
            self.set(offset + 8 + 8 * i as u64, entry);
        }
        offset
    }

    /// Finishes the data: the list of the image's symbols goes into the context block, so
    /// `string->symbol` at run time finds them.
    pub fn finish(mut self) -> (Vec<u8>, Vec<Reloc>) {
        let mut list = Value::Immediate(NULL);
        for offset in std::mem::take(&mut self.symbol_order) {
            let symbol = Value::Static {
                offset,
                tag: TAG_OBJECT,
            };
            list = self.pair(symbol, list);
        }
        self.set(runtime::context::SYMBOLS as u64, list);
        (self.bytes, self.relocs)
    }
}
