//! Static data: a unit's quoted constants and static closures, laid out as heap objects
//! would be, and (for the link step, [`crate::link`]) the image's own part: the context block
//! (at offset 0, so generated code reaches it through `r15`), one cell per global variable,
//! one object per symbol and the list of them. Pointers between static objects are
//! relocations.
//!
//! A unit refers to global cells and symbols by name: [`Data::global`] and [`Data::symbol`]
//! give placeholders ([`crate::link::placeholder`]) that the link step resolves, so every
//! unit of an image shares one cell per global and one object per symbol.

use super::CompileError;
use crate::image::{Location, Reloc, Section};
use crate::link::placeholder;
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

/// A value as the code generator knows it: an immediate, a static object at an offset in the
/// unit's data (the value is the object's address plus its tag), or an interned symbol (the
/// `n`th the unit names; the link step gives each name one object per image).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    Immediate(u64),
    Static { offset: u64, tag: u64 },
    Symbol(u32),
}

#[derive(Default)]
pub struct Data {
    pub bytes: Vec<u8>,
    pub relocs: Vec<Reloc>,
    /// The global cells the unit refers to, in order, and their numbers.
    pub globals: Vec<Symbol>,
    global_numbers: HashMap<Symbol, u32>,
    /// The symbols the unit refers to, in order, and their numbers.
    pub symbols: Vec<Symbol>,
    symbol_numbers: HashMap<Symbol, u32>,
    /// Data words holding a symbol: (offset, name).
    pub symbol_words: Vec<(u64, Symbol)>,
    /// How an attached image reaches what other images of its world hold ([`Attach`]).
    pub attach: Option<Attach>,
    /// The constants being converted, to detect cycles.
    in_progress: HashSet<DatumId>,
}

fn cyclic() -> CompileError {
    CompileError::new("cyclic constants (datum labels) are not supported yet")
}

impl Data {
    /// An image's data, with the context block reserved at offset 0 (for the link step).
    pub fn new() -> Data {
        let mut data = Data::default();
        data.words(runtime::context::SIZE / 8);
        data
    }

    /// A unit's data, from offset 0.
    pub fn unit(attach: Option<Attach>) -> Data {
        Data {
            attach,
            ..Data::default()
        }
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
            Value::Symbol(n) => {
                let name = self.symbols[n as usize];
                self.symbol_words.push((offset, name));
            }
        }
    }

    fn set_word(&mut self, offset: u64, word: u64) {
        let at = offset as usize;
        self.bytes[at..at + 8].copy_from_slice(&word.to_le_bytes());
    }

    /// The displacement from `r15` of the unit's data at `offset` (a placeholder the link
    /// step resolves).
    pub fn displacement(&self, offset: u64) -> Result<i32, CompileError> {
        let disp = placeholder::UNIT_DATA + offset;
        if disp >= placeholder::GLOBALS {
            return Err(CompileError::new("a unit's constants exceed 512 MiB"));
        }
        Ok(disp as i32)
    }

    /// A static closure without free variables: its header; the code address is a relocation
    /// the caller adds once the code is assembled (at the returned offset + 8).
    pub fn closure_without_free_variables(&mut self) -> u64 {
        let offset = self.words(2);
        self.set_word(offset, header(HEADER_CLOSURE, 0));
        offset
    }

    /// The displacement from `r15` of the cell of global variable `name`: the world's cell
    /// for an attached image that has one, otherwise a placeholder the link step resolves.
    pub fn global(&mut self, name: Symbol) -> u64 {
        if let Some(offset) = self.attach.as_ref().and_then(|a| a.globals.get(&name)) {
            return *offset;
        }
        let next = self.globals.len() as u32;
        let n = *self.global_numbers.entry(name).or_insert(next);
        if n == next {
            self.globals.push(name);
        }
        placeholder::GLOBALS + 8 * u64::from(n)
    }

    /// The static symbol `name`: the world's symbol for an attached image that has one,
    /// otherwise the image's one object of that name.
    pub fn symbol(&mut self, name: Symbol) -> Value {
        if let Some(&value) = self.attach.as_ref().and_then(|a| a.symbols.get(&name)) {
            return Value::Immediate(value);
        }
        let next = self.symbols.len() as u32;
        let n = *self.symbol_numbers.entry(name).or_insert(next);
        if n == next {
            self.symbols.push(name);
        }
        Value::Symbol(n)
    }

    /// The displacement from `r15` of the unit's `n`th symbol (tagged): a placeholder.
    pub fn symbol_displacement(n: u32) -> i32 {
        (placeholder::SYMBOLS + 16 * u64::from(n) + TAG_OBJECT) as i32
    }

    /// A global cell, unbound (for the link step); returns its offset.
    pub fn unbound_cell(&mut self) -> u64 {
        let offset = self.words(1);
        self.set_word(offset, UNBOUND);
        offset
    }

    /// A symbol object and its name string (for the link step); returns its offset.
    pub fn symbol_object(&mut self, name: Symbol) -> u64 {
        let string = self.string(name.as_str());
        let offset = self.words(2);
        self.set_word(offset, header(HEADER_SYMBOL, 1));
        self.set(offset + 8, string);
        offset
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

    /// The list of the image's symbols (objects at `offsets`) goes into the context block, so
    /// `string->symbol` at run time finds them.
    pub fn symbol_list(&mut self, offsets: &[u64]) {
        let mut list = Value::Immediate(NULL);
        for &offset in offsets {
            let symbol = Value::Static {
                offset,
                tag: TAG_OBJECT,
            };
            list = self.pair(symbol, list);
        }
        self.set(runtime::context::SYMBOLS as u64, list);
    }

    /// The bytes and the relocations.
    pub fn finish(self) -> (Vec<u8>, Vec<Reloc>) {
        (self.bytes, self.relocs)
    }
}
