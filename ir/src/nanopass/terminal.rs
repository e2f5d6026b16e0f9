//! Terminals: the `Copy` leaves of the intermediate languages (variables, constants, symbols),
//! how they print and parse, and the [`Context`] of tables they index into.

use super::{ParseError, Sexp};
use crate::datum::{DatumId, Datums};
use crate::symbol::Symbol;
use crate::var::{Var, Vars};
use std::collections::HashMap;
use std::fmt;

/// The tables shared by every language of one compilation unit. Each language's arena owns one;
/// a translation moves it from the input arena to the output arena.
#[derive(Clone, Default, Debug)]
pub struct Context {
    pub vars: Vars,
    pub datums: Datums,
}

/// State while parsing IR text: the context being filled and the variables seen so far, by
/// their printed name (so `x.3` in two places is one variable).
pub struct ParseCx<'t> {
    pub cx: Context,
    pub text: &'t str,
    pub vars_by_name: HashMap<String, Var>,
}

impl<'t> ParseCx<'t> {
    pub fn new(text: &'t str) -> ParseCx<'t> {
        ParseCx {
            cx: Context::default(),
            text,
            vars_by_name: HashMap::new(),
        }
    }
}

/// A leaf type of the intermediate languages.
pub trait Terminal: Copy + fmt::Debug {
    fn print(self, cx: &Context) -> Sexp;

    /// Whether `sexp` has this terminal's syntax; decides which production a text matches.
    fn accepts(sexp: &Sexp) -> bool {
        sexp.as_atom().is_some()
    }

    fn parse(sexp: &Sexp, p: &mut ParseCx<'_>) -> Result<Self, ParseError>;
}

impl Terminal for Var {
    fn print(self, cx: &Context) -> Sexp {
        Sexp::atom(cx.vars.display(self))
    }

    /// An identifier: not a number, string, character, boolean or other `#` syntax. The
    /// printed form of a variable whose name is a peculiar identifier (`+.3`, `....6`) looks
    /// like a number, so those are recognized by their `.N` suffix.
    fn accepts(sexp: &Sexp) -> bool {
        let Some(text) = sexp.as_atom() else {
            return false;
        };
        if text == "." || text.starts_with(['#', '"']) {
            return false;
        }
        let mut chars = text.chars();
        let starts_like_number = match chars.next() {
            Some(c) if c.is_ascii_digit() => true,
            Some('+' | '-' | '.') => chars.next().is_some_and(|c| c.is_ascii_digit() || c == '.'),
            _ => false,
        };
        !starts_like_number || split_number(text).is_some_and(|(name, _)| is_peculiar(name))
    }

    fn parse(sexp: &Sexp, p: &mut ParseCx<'_>) -> Result<Var, ParseError> {
        let Some(text) = sexp.as_atom() else {
            return Err(ParseError::at(sexp, "expected a variable"));
        };
        if let Some(&var) = p.vars_by_name.get(text) {
            return Ok(var);
        }
        // `x.3` names the variable `x`; the number only distinguishes it in the text.
        let name = split_number(text).map_or(text, |(name, _)| name);
        let var = p.cx.vars.fresh(Symbol::intern(name));
        p.vars_by_name.insert(text.to_owned(), var);
        Ok(var)
    }
}

/// `x.3` → (`x`, `3`): a printed variable's name and number.
fn split_number(text: &str) -> Option<(&str, &str)> {
    let (name, number) = text.rsplit_once('.')?;
    let numeric = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit());
    (!name.is_empty() && numeric).then_some((name, number))
}

/// R6RS's peculiar identifiers: `+`, `-`, `...` and those starting with `->`.
fn is_peculiar(name: &str) -> bool {
    matches!(name, "+" | "-" | "...") || name.starts_with("->")
}

/// A symbol, written as `write` writes it (`|(lib)::name|` when it needs bars).
impl Terminal for Symbol {
    fn print(self, _cx: &Context) -> Sexp {
        Sexp::atom(crate::writer::write_symbol(self))
    }

    fn parse(sexp: &Sexp, p: &mut ParseCx<'_>) -> Result<Symbol, ParseError> {
        let Some(text) = sexp.as_atom() else {
            return Err(ParseError::at(sexp, "expected a symbol"));
        };
        if !text.starts_with('|') {
            return Ok(Symbol::intern(text));
        }
        let datum = DatumId::parse(sexp, p)?;
        match p.cx.datums.get(datum) {
            crate::datum::Datum::Symbol(symbol) => Ok(*symbol),
            _ => Err(ParseError::at(sexp, "expected a symbol")),
        }
    }
}

/// A constant: a datum in the context's arena, written as Scheme `write` writes it and read
/// back by the Scheme reader.
impl Terminal for DatumId {
    fn print(self, cx: &Context) -> Sexp {
        Sexp::atom(crate::writer::write(&cx.datums, self))
    }

    fn accepts(_sexp: &Sexp) -> bool {
        true
    }

    fn parse(sexp: &Sexp, p: &mut ParseCx<'_>) -> Result<DatumId, ParseError> {
        let pos = sexp.pos();
        let text = p
            .text
            .get(pos.offset as usize..pos.end as usize)
            .unwrap_or_default();
        let read = crate::reader::read_str("<IR constant>", text, &mut p.cx.datums)
            .map_err(|diagnostic| ParseError::at(sexp, diagnostic.message))?;
        match read.as_slice() {
            [datum] => Ok(*datum),
            _ => Err(ParseError::at(sexp, "expected one datum")),
        }
    }
}
