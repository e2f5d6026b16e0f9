//! The lexer: splits source text into tokens, skipping whitespace, comments and directives.
//!
//! Tokens carry byte offsets; [`Positions`] turns them into spans on demand. Atoms (numbers,
//! booleans, characters, strings, symbols) are decoded here into datums, so the parser above
//! only deals with structure. Every malformed token becomes a [`Diagnostic`] at its position.

use crate::datum::{Datum, DatumId, Datums};
use crate::source::{Diagnostic, FileId, Span};
use crate::symbol::Symbol;

use super::identifiers::{check_identifier, is_delimiter, is_ordinary_ascii};
use super::numbers;
use super::position::Positions;
use super::symbol_cache::SymbolCache;
use super::text::{Escape, char_from_name, escape, scalar_from_hex};

/// A reader error. Boxed so that the results passed around for every token stay small.
pub(super) type Error = Box<Diagnostic>;

/// One token of Scheme source.
pub(super) enum Token {
    /// `(` or `[`, holding the closing byte that matches it.
    Open(u8),
    /// `)` or `]`.
    Close(u8),
    /// `#(`.
    VectorOpen,
    /// `#vu8(` or `#u8(`.
    BytevectorOpen,
    /// A lone `.` in a list.
    Dot,
    /// `'`, `` ` ``, `,`, `,@`, `#'`, `` #` ``, `#,`, `#,@`: the symbol they abbreviate.
    Abbrev(Symbol),
    /// `#;`, which comments out the next datum.
    DatumComment,
    /// `#N=`; the number is [`Lexer::label`] (kept out of the token so that tokens stay 8 bytes
    /// and a `Result<Token, Error>` is returned in registers).
    LabelDef,
    /// `#N#`; the number is [`Lexer::label`].
    LabelRef,
    /// A complete simple datum, already added to the arena (so tokens stay small to pass).
    Atom(DatumId),
    Eof,
}

pub(super) struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    fold_case: bool,
    positions: Positions<'a>,
    symbols: SymbolCache<'a>,
    /// Where the token being lexed (or last lexed) starts; it ends at `pos`.
    token_start: usize,
    /// The number of the last `#N=` or `#N#`.
    pub(super) label: u64,
}

impl<'a> Lexer<'a> {
    pub(super) fn new(file: FileId, text: &'a str) -> Lexer<'a> {
        Lexer {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            fold_case: false,
            positions: Positions::new(file, text),
            symbols: SymbolCache::for_text(text.len()),
            token_start: 0,
            label: 0,
        }
    }

    /// The span from byte `start` to byte `end`.
    pub(super) fn span(&mut self, start: usize, end: usize) -> Span {
        self.positions.span(start, end)
    }

    /// An error at bytes `start..end`.
    pub(super) fn error(&mut self, start: usize, end: usize, message: impl Into<String>) -> Error {
        let span = self.span(start, end);
        Box::new(Diagnostic::error(Some(span), message))
    }

    /// The span of the token last returned by [`Lexer::next`].
    pub(super) fn token_span(&mut self) -> Span {
        self.positions.span(self.token_start, self.pos)
    }

    /// The next token; [`Lexer::token_span`] gives its span.
    #[inline]
    pub(super) fn next(&mut self, datums: &mut Datums) -> Result<Token, Error> {
        self.skip_atmosphere()?;
        let start = self.pos;
        self.token_start = start;
        let Some(&byte) = self.bytes.get(start) else {
            return Ok(Token::Eof);
        };
        let token = match byte {
            b'(' | b'[' => {
                self.pos += 1;
                Token::Open(if byte == b'(' { b')' } else { b']' })
            }
            b')' | b']' => {
                self.pos += 1;
                Token::Close(byte)
            }
            b'\'' => self.abbrev(1, "quote"),
            b'`' => self.abbrev(1, "quasiquote"),
            b',' if self.bytes.get(start + 1) == Some(&b'@') => self.abbrev(2, "unquote-splicing"),
            b',' => self.abbrev(1, "unquote"),
            b'"' => {
                let string = self.string()?;
                self.add(datums, Datum::String(string))
            }
            b'|' => {
                let name = self.bar_symbol()?;
                self.add(datums, Datum::Symbol(Symbol::intern(&name)))
            }
            b'#' => self.hash(datums)?,
            _ => self.atom(datums)?,
        };
        Ok(token)
    }

    /// Adds an atom's datum, spanning the current token, to the arena.
    #[inline]
    fn add(&mut self, datums: &mut Datums, datum: Datum) -> Token {
        let span = self.span(self.token_start, self.pos);
        Token::Atom(datums.add_at(datum, Some(span)))
    }

    fn abbrev(&mut self, len: usize, name: &'static str) -> Token {
        self.pos += len;
        let symbol = self.symbols.intern_checked(name, || Ok(()));
        Token::Abbrev(symbol.unwrap_or_else(|_| Symbol::intern(name)))
    }

    /// Skips whitespace, `;` and `#|...|#` comments, and `#!` directives (applying them).
    fn skip_atmosphere(&mut self) -> Result<(), Error> {
        loop {
            let Some(&byte) = self.bytes.get(self.pos) else {
                return Ok(());
            };
            match byte {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => self.pos += 1,
                b';' => {
                    self.pos = match self.bytes[self.pos..].iter().position(|&b| b == b'\n') {
                        Some(i) => self.pos + i + 1,
                        None => self.bytes.len(),
                    }
                }
                b'#' => match self.bytes.get(self.pos + 1) {
                    Some(b'|') => self.block_comment()?,
                    Some(b'!') => self.directive()?,
                    _ => return Ok(()),
                },
                0x80.. => {
                    let c = self.text[self.pos..].chars().next().unwrap_or(' ');
                    if !c.is_whitespace() {
                        return Ok(());
                    }
                    self.pos += c.len_utf8();
                }
                _ => return Ok(()),
            }
        }
    }

    /// Skips a `#| ... |#` comment, which may nest.
    fn block_comment(&mut self) -> Result<(), Error> {
        let start = self.pos;
        let mut depth = 0usize;
        let mut i = self.pos;
        while i + 1 < self.bytes.len() {
            match (self.bytes[i], self.bytes[i + 1]) {
                (b'#', b'|') => {
                    depth += 1;
                    i += 2;
                }
                (b'|', b'#') => {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        self.pos = i;
                        return Ok(());
                    }
                }
                _ => i += 1,
            }
        }
        Err(self.error(
            start,
            start + 2,
            "unterminated block comment: `#|` has no matching `|#`",
        ))
    }

    /// Applies a `#!` directive, or skips a script's `#!/usr/bin/env` line at the start of a
    /// file.
    fn directive(&mut self) -> Result<(), Error> {
        let start = self.pos;
        if start == 0 && matches!(self.bytes.get(2), Some(b'/' | b' ')) {
            self.pos = self.text.find('\n').map_or(self.text.len(), |i| i + 1);
            return Ok(());
        }
        self.pos += 2;
        let name = self.scan_atom();
        match name {
            "r6rs" | "r7rs" => {}
            "fold-case" => self.fold_case = true,
            "no-fold-case" => self.fold_case = false,
            _ => {
                let end = self.pos;
                return Err(self.error(start, end, format!("unknown directive `#!{name}`")));
            }
        }
        Ok(())
    }

    /// Advances over the text of a number or identifier (up to a delimiter) and returns it.
    /// `\x41;` escapes are taken whole, since their `;` is not a comment.
    fn scan_atom(&mut self) -> &'a str {
        let start = self.pos;
        let mut i = start;
        while let Some(&b) = self.bytes.get(i) {
            match ATOM_BYTES[b as usize] {
                AtomByte::Constituent => i += 1,
                AtomByte::Delimiter => break,
                AtomByte::Backslash => {
                    if matches!(self.bytes.get(i + 1), Some(b'x' | b'X')) {
                        let hex_end = self.bytes[i + 2..]
                            .iter()
                            .position(|b| !b.is_ascii_hexdigit())
                            .map_or(self.bytes.len(), |n| i + 2 + n);
                        i = if self.bytes.get(hex_end) == Some(&b';') {
                            hex_end + 1
                        } else {
                            hex_end
                        };
                    } else {
                        i += 1;
                    }
                }
                AtomByte::NonAscii => {
                    let c = self.text[i..].chars().next().unwrap_or(' ');
                    if is_delimiter(c) {
                        break;
                    }
                    i += c.len_utf8();
                }
            }
        }
        self.pos = i;
        &self.text[start..i]
    }

    /// A number, identifier or `.`.
    fn atom(&mut self, datums: &mut Datums) -> Result<Token, Error> {
        let start = self.pos;
        let text = self.scan_atom();
        let end = self.pos;
        if text.is_empty() {
            // Only a stray character such as `{` or `\` can end up here.
            let c = self.text[start..].chars().next().unwrap_or(' ');
            return Err(self.error(start, start + c.len_utf8(), format!("unexpected `{c}`")));
        }
        if text == "." {
            return Ok(Token::Dot);
        }
        let first = text.as_bytes()[0];
        if first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.') {
            match numbers::parse(text) {
                Ok(Some(n)) => return Ok(self.add(datums, Datum::Number(n))),
                Ok(None) => {}
                Err(message) => return Err(self.error(start, end, message)),
            }
            if looks_numeric(text.as_bytes()) {
                return Err(self.error(start, end, format!("bad number syntax `{text}`")));
            }
        }
        let name = self.identifier(text, start)?;
        Ok(self.add(datums, Datum::Symbol(name)))
    }

    /// Checks and decodes (escapes, case folding) an identifier's text.
    fn identifier(&mut self, text: &'a str, start: usize) -> Result<Symbol, Error> {
        let end = start + text.len();
        if !text.contains('\\') {
            let check = || {
                if is_ordinary_ascii(text.as_bytes()) {
                    return Ok(());
                }
                check_identifier(text.chars().map(|c| (c, false)))
            };
            return if self.fold_case {
                check().map(|()| Symbol::intern(&text.to_lowercase()))
            } else {
                self.symbols.intern_checked(text, check)
            }
            .map_err(|message| self.error(start, end, message));
        }
        let mut chars = Vec::new();
        let mut i = 0;
        while i < text.len() {
            let rest = &text[i..];
            if let Some(after) = rest.strip_prefix("\\") {
                let Some(hex) = after.strip_prefix(['x', 'X']) else {
                    return Err(self.error(
                        start + i,
                        end,
                        "only `\\x` escapes are allowed in identifiers",
                    ));
                };
                let Some(semicolon) = hex.find(';') else {
                    return Err(self.error(start + i, end, "hex escape `\\x` must end with `;`"));
                };
                match scalar_from_hex(&hex[..semicolon]) {
                    Ok(c) => chars.push((c, true)),
                    Err(message) => return Err(self.error(start + i, end, message)),
                }
                i += 2 + semicolon + 1;
            } else {
                let c = rest.chars().next().unwrap_or(' ');
                let folded = if self.fold_case {
                    c.to_lowercase().next().unwrap_or(c)
                } else {
                    c
                };
                chars.push((folded, false));
                i += c.len_utf8();
            }
        }
        if let Err(message) = check_identifier(chars.iter().copied()) {
            return Err(self.error(start, end, message));
        }
        Ok(Symbol::intern(
            &chars.iter().map(|c| c.0).collect::<String>(),
        ))
    }

    /// Everything that starts with `#` (comments and directives were handled already).
    fn hash(&mut self, datums: &mut Datums) -> Result<Token, Error> {
        let start = self.pos;
        let Some(&next) = self.bytes.get(start + 1) else {
            return Err(self.error(start, start + 1, "`#` at end of input"));
        };
        let rest = &self.bytes[start + 1..];
        let token = match next {
            b'(' => {
                self.pos += 2;
                Token::VectorOpen
            }
            b';' => {
                self.pos += 2;
                Token::DatumComment
            }
            b'\'' => self.abbrev(2, "syntax"),
            b'`' => self.abbrev(2, "quasisyntax"),
            b',' if rest.get(1) == Some(&b'@') => self.abbrev(3, "unsyntax-splicing"),
            b',' => self.abbrev(2, "unsyntax"),
            b'\\' => {
                let c = self.character()?;
                self.add(datums, Datum::Char(c))
            }
            b'v' if rest.starts_with(b"vu8(") => {
                self.pos += 5;
                Token::BytevectorOpen
            }
            b'u' if rest.starts_with(b"u8(") => {
                self.pos += 4;
                Token::BytevectorOpen
            }
            b'0'..=b'9' => self.label()?,
            _ => {
                let text = self.scan_atom();
                let end = self.pos;
                match text[1..].to_ascii_lowercase().as_str() {
                    "t" | "true" => self.add(datums, Datum::Bool(true)),
                    "f" | "false" => self.add(datums, Datum::Bool(false)),
                    _ if matches!(
                        next.to_ascii_lowercase(),
                        b'x' | b'o' | b'b' | b'd' | b'e' | b'i'
                    ) =>
                    {
                        match numbers::parse(text) {
                            Ok(Some(n)) => self.add(datums, Datum::Number(n)),
                            Ok(None) => {
                                return Err(self.error(
                                    start,
                                    end,
                                    format!("bad number syntax `{text}`"),
                                ));
                            }
                            Err(message) => return Err(self.error(start, end, message)),
                        }
                    }
                    _ => {
                        let shown = if text.len() > 1 { text } else { "#" };
                        return Err(self.error(
                            start,
                            end.max(start + 2),
                            format!("unknown `#` syntax `{shown}`"),
                        ));
                    }
                }
            }
        };
        Ok(token)
    }

    /// `#N=` or `#N#`.
    fn label(&mut self) -> Result<Token, Error> {
        let start = self.pos;
        let digits = self.bytes[start + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let end = start + 1 + digits;
        let number = self.text[start + 1..end].parse::<u64>();
        let kind = self.bytes.get(end).copied();
        let Ok(number) = number else {
            return Err(self.error(start, end, "datum label number is too large"));
        };
        self.pos = end + 1;
        self.label = number;
        match kind {
            Some(b'=') => Ok(Token::LabelDef),
            Some(b'#') => Ok(Token::LabelRef),
            _ => Err(self.error(
                start,
                end,
                format!("datum label `#{number}` must be followed by `=` or `#`"),
            )),
        }
    }

    /// `#\a`, `#\space`, `#\x41`.
    fn character(&mut self) -> Result<char, Error> {
        let start = self.pos;
        self.pos += 2;
        let Some(first) = self.text[self.pos..].chars().next() else {
            return Err(self.error(start, self.pos, "`#\\` at end of input"));
        };
        // The first character is taken even if it is a delimiter: `#\(` and `#\ ` are chars.
        self.pos += first.len_utf8();
        let rest = self.scan_atom();
        let end = self.pos;
        if rest.is_empty() {
            return Ok(first);
        }
        let name = &self.text[start + 2..end];
        if matches!(first, 'x' | 'X') && rest.bytes().all(|b| b.is_ascii_hexdigit()) {
            return scalar_from_hex(rest).map_err(|message| self.error(start, end, message));
        }
        let folded;
        let lookup = if self.fold_case {
            folded = name.to_lowercase();
            folded.as_str()
        } else {
            name
        };
        char_from_name(lookup)
            .ok_or_else(|| self.error(start, end, format!("unknown character name `#\\{name}`")))
    }

    /// A string literal; the lexer stands on its opening `"`.
    fn string(&mut self) -> Result<String, Error> {
        let start = self.pos;
        // Escapes never decode to more bytes than they are written with, so the text up to the
        // closing quote bounds the string's length: allocating that once avoids regrowing.
        let mut out = String::with_capacity(literal_len(&self.bytes[start + 1..], b'"'));
        let mut i = start + 1;
        loop {
            // Copy the run of ordinary bytes at once; only `"`, `\` and `\r` need attention.
            let run = self.bytes[i..]
                .iter()
                .position(|&b| matches!(b, b'"' | b'\\' | b'\r'));
            let Some(run) = run else {
                return Err(self.error(start, start + 1, "unterminated string"));
            };
            out.push_str(&self.text[i..i + run]);
            i += run;
            match self.bytes[i] {
                b'"' => {
                    self.pos = i + 1;
                    return Ok(out);
                }
                b'\r' => {
                    // A line ending in a string reads as a linefeed (R6RS).
                    out.push('\n');
                    i += if self.bytes.get(i + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    };
                }
                _ => match escape(&self.text[i + 1..]) {
                    Ok(Escape::Char(c, len)) => {
                        out.push(c);
                        i += 1 + len;
                    }
                    Ok(Escape::Continuation(len)) => i += 1 + len,
                    Err(message) => {
                        let c_len = self.text[i + 1..].chars().next().map_or(0, char::len_utf8);
                        return Err(self.error(i, i + 1 + c_len, format!("{message} in string")));
                    }
                },
            }
        }
    }

    /// A `|...|` symbol; the lexer stands on its opening `|`.
    fn bar_symbol(&mut self) -> Result<String, Error> {
        let start = self.pos;
        let mut out = String::with_capacity(literal_len(&self.bytes[start + 1..], b'|'));
        let mut i = start + 1;
        loop {
            let run = self.bytes[i..]
                .iter()
                .position(|&b| matches!(b, b'|' | b'\\'));
            let Some(run) = run else {
                return Err(self.error(start, start + 1, "unterminated `|` symbol"));
            };
            out.push_str(&self.text[i..i + run]);
            i += run;
            if self.bytes[i] == b'|' {
                self.pos = i + 1;
                return Ok(out);
            }
            match escape(&self.text[i + 1..]) {
                Ok(Escape::Char(c, len)) => {
                    out.push(c);
                    i += 1 + len;
                }
                Ok(Escape::Continuation(len)) => i += 1 + len,
                Err(message) => {
                    let c_len = self.text[i + 1..].chars().next().map_or(0, char::len_utf8);
                    return Err(self.error(i, i + 1 + c_len, format!("{message} in symbol")));
                }
            }
        }
    }
}

/// How [`Lexer::scan_atom`] treats a byte.
#[derive(Clone, Copy)]
enum AtomByte {
    Constituent,
    /// ASCII whitespace, `(`, `)`, `[`, `]`, `"`, `;` and `|`: ends the atom.
    Delimiter,
    /// May start a `\x41;` escape, whose `;` does not end the atom.
    Backslash,
    /// Starts a multi-byte character, which ends the atom only if it is whitespace.
    NonAscii,
}

/// The class of every byte, looked up once per byte: identifiers and numbers are most of a
/// source file, and a table is cheaper than a chain of comparisons in that loop.
static ATOM_BYTES: [AtomByte; 256] = {
    let mut table = [AtomByte::Constituent; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'(' | b')' | b'[' | b']' | b'"' | b';' | b'|' | b' ' | b'\t' | b'\n' | b'\r'
            | 0x0B | 0x0C => AtomByte::Delimiter,
            b'\\' => AtomByte::Backslash,
            0x80.. => AtomByte::NonAscii,
            _ => AtomByte::Constituent,
        };
        b += 1;
    }
    table
};

/// Whether text that is neither a number nor an identifier was meant as a number (it starts
/// with a digit, or a sign or `.` followed by a digit), so the error should say so.
fn looks_numeric(text: &[u8]) -> bool {
    match text {
        [d, ..] if d.is_ascii_digit() => true,
        [b'+' | b'-', b'.', d, ..] | [b'+' | b'-' | b'.', d, ..] => d.is_ascii_digit(),
        _ => false,
    }
}

/// The number of bytes before the `quote` that ends a string or `|symbol|` whose text is
/// `bytes`, skipping backslash escapes; 0 if it is unterminated (the caller reports that).
fn literal_len(bytes: &[u8], quote: u8) -> usize {
    let mut i = 0;
    while let Some(n) = bytes[i..].iter().position(|&b| b == quote || b == b'\\') {
        if bytes[i + n] == quote {
            return i + n;
        }
        i += n + 2;
        if i >= bytes.len() {
            break;
        }
    }
    0
}
