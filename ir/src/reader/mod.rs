//! The reader: Scheme source text to datums, with a source span on every datum.
//!
//! Covers the lexical syntax of R6RS and R7RS-small (see the submodules). Nesting is handled
//! with an explicit stack of open frames rather than recursion, so a million nested parentheses
//! read without growing the native stack. The first malformed token ends reading with a
//! [`Diagnostic`] at its position; the reader never panics on any input.

mod identifiers;
mod lexer;
mod numbers;
mod position;
mod symbol_cache;
#[cfg(test)]
mod tests;
mod text;

use std::collections::HashMap;

use crate::datum::{Datum, DatumId, Datums};
use crate::source::{Diagnostic, FileId, SourceFile, Span};
use crate::symbol::Symbol;

use lexer::{Error, Lexer, Token};

pub(crate) use identifiers::is_plain_symbol;
pub(crate) use text::char_name;

/// Reads every datum of a registered source file.
pub fn read_file(file: FileId, datums: &mut Datums) -> Result<Vec<DatumId>, Diagnostic> {
    let source = SourceFile::get(file);
    // Typical source has a datum every four or five bytes; reserving that many up front avoids
    // copying the arena as it grows (untouched reserved memory costs nothing).
    datums.reserve(source.text.len() / 4);
    Parser::new(file, &source.text, datums)
        .read_all()
        .map_err(|error| *error)
}

/// Registers `text` as a source file called `name` and reads every datum in it.
pub fn read_str(name: &str, text: &str, datums: &mut Datums) -> Result<Vec<DatumId>, Diagnostic> {
    let file = SourceFile::register(name, text);
    read_file(file, datums)
}

/// Reads source given as bytes; invalid UTF-8 is reported at the first invalid byte.
pub fn read_bytes(
    name: &str,
    bytes: &[u8],
    datums: &mut Datums,
) -> Result<Vec<DatumId>, Diagnostic> {
    match std::str::from_utf8(bytes) {
        Ok(text) => read_str(name, text, datums),
        Err(error) => {
            // Register the valid prefix (plus the rest of its line, lossily) so the diagnostic
            // can show the offending line.
            let bad = error.valid_up_to();
            let line_end = bytes[bad..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |i| bad + i);
            let shown = String::from_utf8_lossy(&bytes[..line_end]).into_owned();
            let prefix = std::str::from_utf8(&bytes[..bad]).unwrap_or("");
            let line = 1 + prefix.matches('\n').count() as u32;
            let column = 1 + prefix.rsplit('\n').next().unwrap_or("").chars().count() as u32;
            let file = SourceFile::register(name, shown);
            let span = Span {
                file,
                start: bad as u32,
                end: bad as u32 + 1,
                line,
                column,
            };
            Err(Diagnostic::error(
                Some(span),
                format!("invalid UTF-8 (byte 0x{:02x})", bytes[bad]),
            ))
        }
    }
}

/// A datum that has been opened but not yet closed.
enum Frame {
    /// A list: its first element's index in `Parser::items`, the span of its opening bracket
    /// and the byte that must close it.
    List {
        base: usize,
        start: Span,
        close: u8,
        dot: Dot,
    },
    Vector {
        base: usize,
        start: Span,
    },
    Bytevector {
        base: usize,
        start: Span,
    },
    /// An abbreviation (`'x`) waiting for its datum.
    Abbrev {
        symbol: Symbol,
        start: Span,
    },
    /// `#;` waiting for the datum it discards.
    DatumComment {
        start: Span,
    },
    /// `#N=` waiting for the datum it labels; `placeholder` stands for it meanwhile.
    Label {
        number: u64,
        placeholder: DatumId,
        start: Span,
    },
}

/// Where a list is relative to a `.`.
#[derive(Clone, Copy, PartialEq)]
enum Dot {
    /// No `.` yet.
    None,
    /// Just after `.`: the tail datum must come next.
    Before(Span),
    /// After the tail datum: only `)` may come.
    After(DatumId),
}

struct Parser<'a, 'd> {
    lexer: Lexer<'a>,
    datums: &'d mut Datums,
    frames: Vec<Frame>,
    /// The finished elements of every open list, vector and bytevector, innermost last.
    items: Vec<DatumId>,
    /// Datum labels of the current top-level datum, each with the datum that stands for it.
    labels: HashMap<u64, DatumId>,
    null: Option<DatumId>,
}

impl<'a, 'd> Parser<'a, 'd> {
    fn new(file: FileId, text: &'a str, datums: &'d mut Datums) -> Parser<'a, 'd> {
        Parser {
            lexer: Lexer::new(file, text),
            datums,
            frames: Vec::new(),
            items: Vec::new(),
            labels: HashMap::new(),
            null: None,
        }
    }

    fn read_all(mut self) -> Result<Vec<DatumId>, Error> {
        let mut results = Vec::new();
        loop {
            let token = self.lexer.next(self.datums)?;
            let span = self.lexer.token_span();
            if starts_datum(&token)
                && let Some(Frame::List {
                    dot: Dot::After(_), ..
                }) = self.frames.last()
            {
                return Err(error(
                    Some(span),
                    "expected `)` after the datum following `.`",
                ));
            }
            match token {
                Token::Eof => return self.end_of_input().map(|()| results),
                Token::Open(close) => self.frames.push(Frame::List {
                    base: self.items.len(),
                    start: span,
                    close,
                    dot: Dot::None,
                }),
                Token::VectorOpen => self.frames.push(Frame::Vector {
                    base: self.items.len(),
                    start: span,
                }),
                Token::BytevectorOpen => self.frames.push(Frame::Bytevector {
                    base: self.items.len(),
                    start: span,
                }),
                Token::Close(byte) => {
                    let id = self.close(byte, span)?;
                    self.complete(id, &mut results)?;
                }
                Token::Dot => self.dot(span)?,
                Token::Abbrev(symbol) => self.frames.push(Frame::Abbrev {
                    symbol,
                    start: span,
                }),
                Token::DatumComment => self.frames.push(Frame::DatumComment { start: span }),
                Token::LabelDef => {
                    let number = self.lexer.label;
                    if self.labels.contains_key(&number) {
                        return Err(error(
                            Some(span),
                            format!("datum label #{number}= is defined twice"),
                        ));
                    }
                    let placeholder = self.datums.add_at(Datum::Null, Some(span));
                    self.labels.insert(number, placeholder);
                    self.frames.push(Frame::Label {
                        number,
                        placeholder,
                        start: span,
                    });
                }
                Token::LabelRef => {
                    let number = self.lexer.label;
                    let Some(&id) = self.labels.get(&number) else {
                        return Err(error(
                            Some(span),
                            format!("datum label #{number}# is not defined"),
                        ));
                    };
                    self.complete(id, &mut results)?;
                }
                Token::Atom(id) => self.complete(id, &mut results)?,
            }
        }
    }

    /// At end of input every frame must be closed; report the innermost one that is not.
    fn end_of_input(&self) -> Result<(), Error> {
        let Some(frame) = self.frames.last() else {
            return Ok(());
        };
        let (start, message) = match frame {
            Frame::List { start, close, .. } => {
                let open = if *close == b')' { '(' } else { '[' };
                (
                    *start,
                    format!(
                        "unterminated list: `{open}` has no matching `{}`",
                        *close as char
                    ),
                )
            }
            Frame::Vector { start, .. } => (
                *start,
                "unterminated vector: `#(` has no matching `)`".to_owned(),
            ),
            Frame::Bytevector { start, .. } => (
                *start,
                "unterminated bytevector: no matching `)`".to_owned(),
            ),
            Frame::Abbrev { symbol, start } => (
                *start,
                format!(
                    "expected a datum after `{}`",
                    abbreviation_prefix(symbol.as_str()).unwrap_or("'")
                ),
            ),
            Frame::DatumComment { start } => (*start, "expected a datum after `#;`".to_owned()),
            Frame::Label { number, start, .. } => {
                (*start, format!("expected a datum after `#{number}=`"))
            }
        };
        Err(error(Some(start), message))
    }

    /// Closes the innermost frame at a `)` or `]` and builds its datum.
    fn close(&mut self, byte: u8, span: Span) -> Result<DatumId, Error> {
        let Some(frame) = self.frames.pop() else {
            return Err(error(
                Some(span),
                format!(
                    "unexpected `{}` without a matching opening bracket",
                    byte as char
                ),
            ));
        };
        let whole = |start: Span| Span {
            end: span.end,
            ..start
        };
        match frame {
            Frame::List {
                base,
                start,
                close,
                dot,
            } => {
                if close != byte {
                    let open = if close == b')' { '(' } else { '[' };
                    return Err(error(
                        Some(span),
                        format!("`{}` does not match `{open}`", byte as char),
                    )
                    .with_note(Some(start), "the list opened here")
                    .into());
                }
                let mut tail = match dot {
                    // A written `()` is a datum of its own, with its span.
                    Dot::None if self.items.len() == base => {
                        self.datums.add_at(Datum::Null, Some(whole(start)))
                    }
                    Dot::None => self.null(),
                    Dot::Before(dot_span) => {
                        return Err(error(Some(dot_span), "expected a datum after `.`"));
                    }
                    Dot::After(tail) => tail,
                };
                let list_span = whole(start);
                for &item in self.items[base..].iter().rev() {
                    tail = self.datums.add_at(Datum::Pair(item, tail), Some(list_span));
                }
                self.items.truncate(base);
                Ok(tail)
            }
            Frame::Vector { start, .. } if byte == b']' => {
                Err(error(Some(span), "`]` does not match `#(`")
                    .with_note(Some(start), "the vector opened here")
                    .into())
            }
            Frame::Bytevector { start, .. } if byte == b']' => {
                Err(error(Some(span), "`]` does not match `#vu8(`")
                    .with_note(Some(start), "the bytevector opened here")
                    .into())
            }
            Frame::Vector { base, start } => {
                let items = self.items.split_off(base);
                Ok(self.datums.add_at(Datum::Vector(items), Some(whole(start))))
            }
            Frame::Bytevector { base, start } => {
                let bytes = self
                    .items
                    .split_off(base)
                    .into_iter()
                    .map(|id| self.byte_value(id).unwrap_or(0))
                    .collect();
                Ok(self
                    .datums
                    .add_at(Datum::Bytevector(bytes), Some(whole(start))))
            }
            Frame::Abbrev { .. } | Frame::DatumComment { .. } | Frame::Label { .. } => Err(error(
                Some(span),
                format!("expected a datum before `{}`", byte as char),
            )),
        }
    }

    /// The empty list that ends proper lists: one shared datum per file, without a span since
    /// it is not written in the source (a `()` that is written gets its own datum and span).
    fn null(&mut self) -> DatumId {
        *self
            .null
            .get_or_insert_with(|| self.datums.add_at(Datum::Null, None))
    }

    /// A `.` inside a list: valid after at least one element and only once.
    fn dot(&mut self, span: Span) -> Result<(), Error> {
        match self.frames.last_mut() {
            Some(Frame::List {
                base,
                dot: dot @ Dot::None,
                ..
            }) if self.items.len() > *base => {
                *dot = Dot::Before(span);
                Ok(())
            }
            _ => Err(error(Some(span), "unexpected `.`")),
        }
    }

    /// The value of a bytevector element: an exact integer from 0 to 255.
    fn byte_value(&self, id: DatumId) -> Option<u8> {
        match self.datums.get(id) {
            Datum::Number(crate::number::Number::Fixnum(n)) => u8::try_from(*n).ok(),
            _ => None,
        }
    }

    /// Hands a finished datum to the innermost frame, finishing abbreviations, labels and datum
    /// comments that were waiting for it (iteratively: `''''x` nests without recursion).
    fn complete(&mut self, mut id: DatumId, results: &mut Vec<DatumId>) -> Result<(), Error> {
        loop {
            match self.frames.last_mut() {
                None => {
                    results.push(id);
                    self.labels.clear();
                    return Ok(());
                }
                Some(Frame::List { dot, .. }) => {
                    match *dot {
                        Dot::Before(_) => *dot = Dot::After(id),
                        _ => self.items.push(id),
                    }
                    return Ok(());
                }
                Some(Frame::Vector { .. }) => {
                    self.items.push(id);
                    return Ok(());
                }
                Some(Frame::Bytevector { .. }) => {
                    if self.byte_value(id).is_none() {
                        let span = self.datums.span(id);
                        return Err(error(
                            span,
                            "a bytevector element must be an exact integer from 0 to 255",
                        ));
                    }
                    self.items.push(id);
                    return Ok(());
                }
                Some(Frame::DatumComment { .. }) => {
                    self.frames.pop();
                    return Ok(());
                }
                Some(&mut Frame::Abbrev { symbol, start }) => {
                    self.frames.pop();
                    let end = self
                        .datums
                        .span(id)
                        .map_or(start.end, |s| s.end.max(start.end));
                    let span = Some(Span { end, ..start });
                    let symbol = self.datums.add_at(Datum::Symbol(symbol), Some(start));
                    let null = self.null();
                    let rest = self.datums.add_at(Datum::Pair(id, null), span);
                    id = self.datums.add_at(Datum::Pair(symbol, rest), span);
                }
                Some(&mut Frame::Label {
                    number,
                    placeholder,
                    start,
                }) => {
                    self.frames.pop();
                    if id == placeholder {
                        return Err(error(
                            Some(start),
                            format!("datum label #{number}= refers only to itself"),
                        ));
                    }
                    // The placeholder becomes the datum itself, so references to it made while
                    // the datum was being read (cycles) now see the finished datum.
                    let datum = self.datums.get(id).clone();
                    self.datums.set(placeholder, datum);
                    if let Some(span) = self.datums.span(id) {
                        self.datums.set_span(placeholder, Some(span));
                    }
                    id = placeholder;
                }
            }
        }
    }
}

/// Whether a token begins a datum (as opposed to closing one or being a comment or `.`).
fn starts_datum(token: &Token) -> bool {
    !matches!(
        token,
        Token::Close(_) | Token::Dot | Token::DatumComment | Token::Eof
    )
}

/// The prefix that abbreviates `(symbol datum)` (`'` for `quote`, ...), shared by the reader's
/// messages and the writer.
pub(crate) fn abbreviation_prefix(symbol: &str) -> Option<&'static str> {
    Some(match symbol {
        "quote" => "'",
        "quasiquote" => "`",
        "unquote" => ",",
        "unquote-splicing" => ",@",
        "syntax" => "#'",
        "quasisyntax" => "#`",
        "unsyntax" => "#,",
        "unsyntax-splicing" => "#,@",
        _ => return None,
    })
}

/// A boxed error diagnostic (see [`Error`]).
fn error(span: Option<Span>, message: impl Into<String>) -> Error {
    Box::new(Diagnostic::error(span, message))
}
