//! Terminals: the `Copy` leaves of the intermediate languages (variables, constants, symbols),
//! how they print and parse, and the [`Context`] of tables they index into.

use super::{ParseError, Sexp};
use crate::datum::{Datum, DatumId, Datums};
use crate::number::Number;
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

    /// An identifier: not a number, string, character, boolean or other `#` syntax.
    fn accepts(sexp: &Sexp) -> bool {
        let Some(text) = sexp.as_atom() else {
            return false;
        };
        let mut chars = text.chars();
        let starts_like_number = match chars.next() {
            Some(c) if c.is_ascii_digit() => true,
            Some('+' | '-' | '.') => chars.next().is_some_and(|c| c.is_ascii_digit() || c == '.'),
            _ => false,
        };
        !starts_like_number && !text.starts_with(['#', '"']) && text != "."
    }

    fn parse(sexp: &Sexp, p: &mut ParseCx<'_>) -> Result<Var, ParseError> {
        let Some(text) = sexp.as_atom() else {
            return Err(ParseError::at(sexp, "expected a variable"));
        };
        if let Some(&var) = p.vars_by_name.get(text) {
            return Ok(var);
        }
        // `x.3` names the variable `x`; the number only distinguishes it in the text.
        let name = match text.rsplit_once('.') {
            Some((name, number))
                if !name.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) =>
            {
                name
            }
            _ => text,
        };
        let var = p.cx.vars.fresh(Symbol::intern(name));
        p.vars_by_name.insert(text.to_owned(), var);
        Ok(var)
    }
}

impl Terminal for Symbol {
    fn print(self, _cx: &Context) -> Sexp {
        Sexp::atom(self.as_str())
    }

    fn parse(sexp: &Sexp, _p: &mut ParseCx<'_>) -> Result<Symbol, ParseError> {
        match sexp.as_atom() {
            Some(text) => Ok(Symbol::intern(text)),
            None => Err(ParseError::at(sexp, "expected a symbol")),
        }
    }
}

/// A constant: a datum in the context's arena, written as Scheme `write` would.
impl Terminal for DatumId {
    fn print(self, cx: &Context) -> Sexp {
        Sexp::atom(datum_text(&cx.datums, self))
    }

    fn accepts(_sexp: &Sexp) -> bool {
        true
    }

    fn parse(sexp: &Sexp, p: &mut ParseCx<'_>) -> Result<DatumId, ParseError> {
        datum_from_sexp(sexp, &mut p.cx.datums)
    }
}

// Interim datum conversion covering the constants IR tests use (numbers, booleans, characters,
// strings, symbols, lists); it gives way to the full reader and writer of `crate::reader` and
// `crate::writer` when those land.
fn datum_text(datums: &Datums, id: DatumId) -> String {
    match datums.get(id) {
        Datum::Null => "()".into(),
        Datum::Bool(b) => if *b { "#t" } else { "#f" }.into(),
        Datum::Number(n) => n.to_string(),
        Datum::Char(c) => format!("#\\{c}"),
        Datum::String(s) => format!("{s:?}"),
        Datum::Symbol(s) => s.as_str().into(),
        Datum::Pair(..) => match datums.list_items(id) {
            Some(items) => {
                let items: Vec<String> =
                    items.iter().map(|&item| datum_text(datums, item)).collect();
                format!("({})", items.join(" "))
            }
            None => "#<improper list>".into(),
        },
        Datum::Vector(items) => {
            let items: Vec<String> = items.iter().map(|&item| datum_text(datums, item)).collect();
            format!("#({})", items.join(" "))
        }
        Datum::Bytevector(bytes) => {
            let items: Vec<String> = bytes.iter().map(u8::to_string).collect();
            format!("#vu8({})", items.join(" "))
        }
    }
}

fn datum_from_sexp(sexp: &Sexp, datums: &mut Datums) -> Result<DatumId, ParseError> {
    let datum = match sexp {
        Sexp::List(items, ..) => {
            let items = items
                .iter()
                .map(|item| datum_from_sexp(item, datums))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(datums.list(&items));
        }
        Sexp::Atom(text, _) => match text.as_str() {
            "#t" | "#true" => Datum::Bool(true),
            "#f" | "#false" => Datum::Bool(false),
            _ if text.starts_with("#\\") && text.chars().count() == 3 => {
                Datum::Char(text.chars().nth(2).unwrap_or(' '))
            }
            _ if text.starts_with('"') && text.ends_with('"') && text.len() >= 2 => {
                Datum::String(text[1..text.len() - 1].to_owned())
            }
            _ => match text.parse::<i64>() {
                Ok(n) => Datum::Number(Number::Fixnum(n)),
                Err(_) if text.starts_with('#') => {
                    return Err(ParseError::at(sexp, format!("unsupported constant {text}")));
                }
                Err(_) => Datum::Symbol(Symbol::intern(text)),
            },
        },
    };
    Ok(datums.add(datum))
}
