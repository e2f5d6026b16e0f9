//! Values between the expander and the world's heap: [`Converter::write`] writes a
//! transformer's input into the heap (bump allocation; the world never collects yet) and
//! remembers where each list's first pair went, so [`from_heap`] gives the output's lists that
//! are the input's own their source locations back.

use ir::datum::Datum;
use ir::number::Number;
use ir::symbol::Symbol;
use passes::expand::phase::{Handle, RunError, Value, Violation};
use runtime::context::Context;
use runtime::value::*;
use std::collections::HashMap;

/// How many nodes an output may have: a cyclic value is not syntax.
const MAX_NODES: usize = 10_000_000;

pub struct Converter<'a> {
    ctx: *mut Context,
    tag: u64,
    symbols: &'a mut HashMap<Symbol, u64>,
    spans: HashMap<u64, Handle>,
}

fn word(address: u64) -> u64 {
    // SAFETY: callers pass addresses inside heap objects or static data of the world.
    unsafe { *(address as *const u64) }
}

impl<'a> Converter<'a> {
    pub fn new(ctx: *mut Context, tag: u64, symbols: &'a mut HashMap<Symbol, u64>) -> Self {
        Converter {
            ctx,
            tag,
            symbols,
            spans: HashMap::new(),
        }
    }

    pub fn into_spans(self) -> HashMap<u64, Handle> {
        self.spans
    }

    fn alloc(&mut self, words: usize) -> Result<*mut u64, RunError> {
        // SAFETY: the context is the world's, initialized.
        unsafe {
            let at = (*self.ctx).heap_ptr;
            let end = at + 8 * words as u64;
            if end > (*self.ctx).heap_limit {
                return Err(RunError::Error("out of memory at expand time".to_owned()));
            }
            (*self.ctx).heap_ptr = end;
            Ok(at as *mut u64)
        }
    }

    fn object(&mut self, kind: u64, length: usize, words: usize) -> Result<*mut u64, RunError> {
        let p = self.alloc(1 + words)?;
        // SAFETY: just allocated.
        unsafe { *p = (length as u64) << HEADER_SHIFT | kind };
        Ok(p)
    }

    fn pair(&mut self, car: u64, cdr: u64) -> Result<u64, RunError> {
        let p = self.alloc(2)?;
        // SAFETY: just allocated.
        unsafe {
            *p = car;
            *p.add(1) = cdr;
        }
        Ok(p as u64 + TAG_PAIR)
    }

    fn vector(&mut self, items: &[u64]) -> Result<u64, RunError> {
        let p = self.object(HEADER_VECTOR, items.len(), items.len())?;
        for (i, &item) in items.iter().enumerate() {
            // SAFETY: inside the object just allocated.
            unsafe { *p.add(1 + i) = item };
        }
        Ok(p as u64 + TAG_OBJECT)
    }

    fn string(&mut self, text: &str) -> Result<u64, RunError> {
        let chars: Vec<u32> = text.chars().map(u32::from).collect();
        let p = self.object(HEADER_STRING, chars.len(), (4 * chars.len()).div_ceil(8))?;
        let units = (p as u64 + 8) as *mut u32;
        for (i, &c) in chars.iter().enumerate() {
            // SAFETY: inside the object just allocated.
            unsafe { *units.add(i) = c };
        }
        Ok(p as u64 + TAG_OBJECT)
    }

    fn symbol(&mut self, name: Symbol) -> Result<u64, RunError> {
        if let Some(&symbol) = self.symbols.get(&name) {
            return Ok(symbol);
        }
        let string = self.string(name.as_str())?;
        let p = self.object(HEADER_SYMBOL, 1, 1)?;
        // SAFETY: inside the object just allocated; the context's list is the world's.
        let symbol = unsafe {
            *p.add(1) = string;
            p as u64 + TAG_OBJECT
        };
        let list = unsafe { (*self.ctx).symbols };
        let list = self.pair(symbol, list)?;
        unsafe { (*self.ctx).symbols = list };
        self.symbols.insert(name, symbol);
        Ok(symbol)
    }

    pub fn write(&mut self, value: &Value) -> Result<u64, RunError> {
        ir::nanopass::grow(|| match value {
            Value::Ident { name, scopes, span } => {
                let name = self.symbol(*name)?;
                let p = self.object(HEADER_RECORD, 4, 4)?;
                let fields = [self.tag, name, fixnum(*scopes as i64), fixnum(*span as i64)];
                for (i, field) in fields.into_iter().enumerate() {
                    // SAFETY: inside the object just allocated.
                    unsafe { *p.add(1 + i) = field };
                }
                Ok(p as u64 + TAG_OBJECT)
            }
            Value::Symbol(name) => self.symbol(*name),
            Value::List(items, tail, span) => {
                let mut list = match tail {
                    Some(tail) => self.write(tail)?,
                    None => NULL,
                };
                for item in items.iter().rev() {
                    let car = self.write(item)?;
                    list = self.pair(car, list)?;
                }
                if *span != 0 && list & TAG_MASK == TAG_PAIR {
                    self.spans.insert(list, *span);
                }
                Ok(list)
            }
            Value::Vector(items, span) => {
                let mut words = Vec::with_capacity(items.len());
                for item in items {
                    words.push(self.write(item)?);
                }
                let v = self.vector(&words)?;
                if *span != 0 {
                    self.spans.insert(v, *span);
                }
                Ok(v)
            }
            Value::Atom(datum) => self.atom(datum),
        })
    }

    fn atom(&mut self, datum: &Datum) -> Result<u64, RunError> {
        match datum {
            Datum::Null => Ok(NULL),
            Datum::Bool(b) => Ok(if *b { TRUE } else { FALSE }),
            Datum::Char(c) => Ok(u64::from(*c) << CHAR_SHIFT | CHAR_TAG),
            Datum::String(s) => self.string(s),
            Datum::Symbol(name) => self.symbol(*name),
            Datum::Number(Number::Fixnum(n)) if (FIXNUM_MIN..=FIXNUM_MAX).contains(n) => {
                Ok(fixnum(*n))
            }
            Datum::Number(Number::Flonum(x)) => {
                let p = self.object(HEADER_FLONUM, 1, 1)?;
                // SAFETY: inside the object just allocated.
                unsafe { *p.add(1) = x.to_bits() };
                Ok(p as u64 + TAG_OBJECT)
            }
            Datum::Bytevector(bytes) => {
                let p = self.object(HEADER_BYTEVECTOR, bytes.len(), bytes.len().div_ceil(8))?;
                // SAFETY: inside the object just allocated.
                unsafe {
                    std::ptr::copy_nonoverlapping(bytes.as_ptr(), p.add(1) as *mut u8, bytes.len())
                };
                Ok(p as u64 + TAG_OBJECT)
            }
            other => Err(RunError::Error(format!(
                "a constant a transformer cannot receive yet: {other:?}"
            ))),
        }
    }
}

fn header(v: u64) -> u64 {
    word(v - TAG_OBJECT)
}

fn kind(v: u64) -> u64 {
    header(v) & HEADER_TYPE_MASK
}

fn length(v: u64) -> usize {
    (header(v) >> HEADER_SHIFT) as usize
}

/// The name of a symbol object, or `None` if `v` is not one.
pub fn symbol_name(v: u64) -> Option<Symbol> {
    if v & TAG_MASK != TAG_OBJECT || kind(v) != HEADER_SYMBOL {
        return None;
    }
    string_text(word(v + OBJECT_DATA as u64)).map(|s| Symbol::intern(&s))
}

fn string_text(v: u64) -> Option<String> {
    if v & TAG_MASK != TAG_OBJECT || kind(v) != HEADER_STRING {
        return None;
    }
    let units = (v - TAG_OBJECT + 8) as *const u32;
    // SAFETY: a string object holds `length` UTF-32 units after its header.
    let units = unsafe { std::slice::from_raw_parts(units, length(v)) };
    Some(
        units
            .iter()
            .map(|&u| char::from_u32(u).unwrap_or('\u{fffd}'))
            .collect(),
    )
}

/// An identifier's name, scopes handle and span handle, if `v` is an identifier (a record
/// whose type is `tag`).
pub fn identifier(v: u64, tag: u64) -> Option<(Symbol, Handle, Handle)> {
    if v & TAG_MASK != TAG_OBJECT || kind(v) != HEADER_RECORD || length(v) != 4 {
        return None;
    }
    let field = |i: u64| word(v + OBJECT_DATA as u64 + 8 * i);
    if field(0) != tag {
        return None;
    }
    let name = symbol_name(field(1))?;
    let (scopes, span) = (field(2), field(3));
    if scopes & TAG_MASK != TAG_FIXNUM || span & TAG_MASK != TAG_FIXNUM {
        return None;
    }
    Some((name, scopes >> FIXNUM_SHIFT, span >> FIXNUM_SHIFT))
}

/// The output of a transformer as a value the expander takes.
pub fn from_heap(v: u64, tag: u64, spans: &HashMap<u64, Handle>) -> Result<Value, RunError> {
    let mut budget = MAX_NODES;
    read_value(v, tag, spans, &mut budget)
}

fn read_value(
    v: u64,
    tag: u64,
    spans: &HashMap<u64, Handle>,
    budget: &mut usize,
) -> Result<Value, RunError> {
    ir::nanopass::grow(|| {
        if *budget == 0 {
            return Err(RunError::Error(
                "the transformer's output is too large or cyclic".to_owned(),
            ));
        }
        *budget -= 1;
        match v & TAG_MASK {
            TAG_FIXNUM => Ok(Value::Atom(Datum::Number(Number::Fixnum(
                (v as i64) >> FIXNUM_SHIFT,
            )))),
            TAG_PAIR => {
                let span = spans.get(&v).copied().unwrap_or(0);
                let mut items = Vec::new();
                let mut at = v;
                while at & TAG_MASK == TAG_PAIR {
                    if *budget == 0 {
                        return Err(RunError::Error(
                            "the transformer's output is too large or cyclic".to_owned(),
                        ));
                    }
                    *budget -= 1;
                    items.push(read_value(word(at - 1), tag, spans, budget)?);
                    at = word(at + 7);
                }
                let tail = if at == NULL {
                    None
                } else {
                    Some(Box::new(read_value(at, tag, spans, budget)?))
                };
                Ok(Value::List(items, tail, span))
            }
            TAG_OBJECT => match kind(v) {
                HEADER_RECORD => match identifier(v, tag) {
                    Some((name, scopes, span)) => Ok(Value::Ident { name, scopes, span }),
                    None => Err(not_syntax("a record")),
                },
                HEADER_VECTOR => {
                    let n = length(v);
                    let element = |i: usize| word(v + OBJECT_DATA as u64 + 8 * i as u64);
                    let mut items = Vec::with_capacity(n);
                    for i in 0..n {
                        items.push(read_value(element(i), tag, spans, budget)?);
                    }
                    Ok(Value::Vector(items, spans.get(&v).copied().unwrap_or(0)))
                }
                HEADER_STRING => Ok(Value::Atom(Datum::String(
                    string_text(v).unwrap_or_default(),
                ))),
                HEADER_SYMBOL => symbol_name(v)
                    .map(Value::Symbol)
                    .ok_or_else(|| not_syntax("a malformed symbol")),
                HEADER_FLONUM => Ok(Value::Atom(Datum::Number(Number::Flonum(f64::from_bits(
                    word(v + OBJECT_DATA as u64),
                ))))),
                HEADER_BYTEVECTOR => {
                    let bytes = (v + OBJECT_DATA as u64) as *const u8;
                    // SAFETY: a bytevector holds `length` bytes after its header.
                    let bytes = unsafe { std::slice::from_raw_parts(bytes, length(v)) };
                    Ok(Value::Atom(Datum::Bytevector(bytes.to_vec())))
                }
                _ => Err(not_syntax(
                    "an object (a number, box or procedure-like value)",
                )),
            },
            TAG_CLOSURE => Err(not_syntax("a procedure")),
            _ => match v {
                TRUE => Ok(Value::Atom(Datum::Bool(true))),
                FALSE => Ok(Value::Atom(Datum::Bool(false))),
                NULL => Ok(Value::List(Vec::new(), None, 0)),
                _ if v & IMMEDIATE_MASK == CHAR_TAG => Ok(Value::Atom(Datum::Char(
                    char::from_u32((v >> CHAR_SHIFT) as u32).unwrap_or('\u{fffd}'),
                ))),
                _ => Err(not_syntax("an unspecified or end-of-file value")),
            },
        }
    })
}

fn not_syntax(what: &str) -> RunError {
    RunError::Error(format!(
        "the transformer returned {what}, which is not syntax"
    ))
}

/// The `syntax-violation` a transformer reported: the list (who message form subform).
pub fn violation(list: u64, tag: u64, spans: &HashMap<u64, Handle>) -> RunError {
    let mut parts = Vec::new();
    let mut at = list;
    while at & TAG_MASK == TAG_PAIR && parts.len() < 4 {
        parts.push(word(at - 1));
        at = word(at + 7);
    }
    let get = |i: usize| parts.get(i).copied().unwrap_or(FALSE);
    let who = match get(0) {
        FALSE => None,
        v => symbol_name(v)
            .map(|s| s.as_str().to_owned())
            .or_else(|| string_text(v))
            .or_else(|| identifier(v, tag).map(|(n, _, _)| n.as_str().to_owned())),
    };
    let message = string_text(get(1)).unwrap_or_else(|| "syntax violation".to_owned());
    let form = from_heap(get(2), tag, spans).ok();
    let subform = match get(3) {
        FALSE => None,
        v => from_heap(v, tag, spans).ok(),
    };
    RunError::Violation(Box::new(Violation {
        who,
        message,
        form,
        subform,
    }))
}
