//! S-expressions: the text form of every intermediate language.
//!
//! The IR printer builds an [`Sexp`] and lays it out with [`pretty`]; the IR parser reads text
//! into [`Sexp`]s with [`parse`] and matches them against production templates. Atoms keep the
//! byte span of their text so a terminal (a quoted datum, say) can re-read its own source.
//! Everything here is iterative or grows the stack on demand: IR trees can be very deep.

use std::fmt;

/// How a list is bracketed; both read the same, the printer keeps the declared shape.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Bracket {
    Round,
    Square,
}

/// An S-expression with the position it was read from (zero for built ones).
#[derive(Clone, PartialEq, Debug)]
pub enum Sexp {
    /// A symbol, number or other token printed as is.
    Atom(String, Pos),
    List(Vec<Sexp>, Bracket, Pos),
}

/// A position in IR text: byte offset, 1-based line and column.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Pos {
    pub offset: u32,
    pub end: u32,
    pub line: u32,
    pub column: u32,
}

impl Sexp {
    pub fn atom(text: impl Into<String>) -> Sexp {
        Sexp::Atom(text.into(), Pos::default())
    }

    pub fn list(items: Vec<Sexp>) -> Sexp {
        Sexp::List(items, Bracket::Round, Pos::default())
    }

    pub fn pos(&self) -> Pos {
        match self {
            Sexp::Atom(_, pos) | Sexp::List(_, _, pos) => *pos,
        }
    }

    pub fn as_atom(&self) -> Option<&str> {
        match self {
            Sexp::Atom(text, _) => Some(text),
            Sexp::List(..) => None,
        }
    }

    /// The text this S-expression prints as on one line.
    pub fn flat(&self) -> String {
        let mut out = String::new();
        write_flat(self, &mut out);
        out
    }
}

impl Drop for Sexp {
    /// Drops children iteratively so a 100,000-deep tree does not overflow the stack.
    fn drop(&mut self) {
        let Sexp::List(items, ..) = self else { return };
        let mut pending = std::mem::take(items);
        while let Some(mut item) = pending.pop() {
            if let Sexp::List(children, ..) = &mut item {
                pending.append(children);
            }
        }
    }
}

impl fmt::Display for Sexp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&pretty(self, 100))
    }
}

/// An error in IR text.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SexpError {
    pub pos: Pos,
    pub message: String,
}

impl fmt::Display for SexpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.pos.line, self.pos.column, self.message)
    }
}

/// Reads every S-expression in `text`. Strings (`"..."`), characters (`#\x`) and `|...|`
/// symbols are single atoms; `;` starts a comment.
pub fn parse(text: &str) -> Result<Vec<Sexp>, SexpError> {
    let mut lexer = Lexer {
        text,
        offset: 0,
        line: 1,
        column: 1,
    };
    // Each open list: its items, bracket and start position.
    let mut open: Vec<(Vec<Sexp>, Bracket, Pos)> = Vec::new();
    let mut top = Vec::new();
    while let Some((token, pos)) = lexer.next_token()? {
        let finished = match token {
            Token::Open(bracket) => {
                open.push((Vec::new(), bracket, pos));
                continue;
            }
            Token::Close(bracket) => {
                let Some((items, opened, mut start)) = open.pop() else {
                    return Err(SexpError {
                        pos,
                        message: "unexpected closing bracket".into(),
                    });
                };
                if opened != bracket {
                    return Err(SexpError {
                        pos,
                        message: "mismatched closing bracket".into(),
                    });
                }
                start.end = pos.end;
                Sexp::List(items, bracket, start)
            }
            Token::Atom => Sexp::Atom(text[pos.offset as usize..pos.end as usize].to_owned(), pos),
        };
        match open.last_mut() {
            Some((items, ..)) => items.push(finished),
            None => top.push(finished),
        }
    }
    if let Some((_, _, pos)) = open.pop() {
        return Err(SexpError {
            pos,
            message: "list is never closed".into(),
        });
    }
    Ok(top)
}

enum Token {
    Open(Bracket),
    Close(Bracket),
    Atom,
}

struct Lexer<'t> {
    text: &'t str,
    offset: usize,
    line: u32,
    column: u32,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.offset..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.offset += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn pos(&self) -> Pos {
        let offset = self.offset as u32;
        Pos {
            offset,
            end: offset,
            line: self.line,
            column: self.column,
        }
    }

    fn next_token(&mut self) -> Result<Option<(Token, Pos)>, SexpError> {
        loop {
            match self.peek() {
                None => return Ok(None),
                Some(c) if c.is_whitespace() => {
                    self.bump();
                }
                Some(';') => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                Some(_) => break,
            }
        }
        let mut pos = self.pos();
        let token = match self.bump() {
            Some('(') => Token::Open(Bracket::Round),
            Some('[') => Token::Open(Bracket::Square),
            Some(')') => Token::Close(Bracket::Round),
            Some(']') => Token::Close(Bracket::Square),
            Some(_) => {
                // Back up: the atom starts at the character just read.
                self.offset = pos.offset as usize;
                self.line = pos.line;
                self.column = pos.column;
                self.skip_datum(pos)?;
                Token::Atom
            }
            None => return Ok(None),
        };
        pos.end = self.offset as u32;
        Ok(Some((token, pos)))
    }

    /// Skips one atom, or one Scheme datum written as a single atom inside IR text: a string,
    /// a `|symbol|`, a character, a vector or bytevector (`#(...)`, `#vu8(...)`), or a quoted
    /// datum (`'x`, `` `x``, `,x`, `#'x`, ...). Quoted constants reach the Scheme reader whole.
    fn skip_datum(&mut self, start: Pos) -> Result<(), SexpError> {
        let rest = &self.text[self.offset..];
        let prefix = ["#vu8(", "#u8(", "#("]
            .iter()
            .find(|p| rest.starts_with(**p));
        if let Some(prefix) = prefix {
            for _ in 0..prefix.len() - 1 {
                self.bump();
            }
            return self.skip_balanced(start);
        }
        let quote = [",@", "#,@", "#'", "#`", "#,", "'", "`", ","]
            .iter()
            .find(|p| rest.starts_with(**p));
        if let Some(quote) = quote {
            for _ in 0..quote.len() {
                self.bump();
            }
            return match self.peek() {
                Some('(' | '[') => self.skip_balanced(start),
                Some(c) if !c.is_whitespace() && !")]".contains(c) => self.skip_datum(start),
                _ => Err(SexpError {
                    pos: start,
                    message: "nothing after a quote".into(),
                }),
            };
        }
        match self.bump() {
            Some(quote @ ('"' | '|')) => loop {
                match self.bump() {
                    None => {
                        return Err(SexpError {
                            pos: start,
                            message: format!("missing closing {quote}"),
                        });
                    }
                    Some('\\') => {
                        self.bump();
                    }
                    Some(c) if c == quote => return Ok(()),
                    Some(_) => {}
                }
            },
            Some('#') if self.peek() == Some('\\') => {
                self.bump();
                self.bump();
                self.skip_atom_chars();
                Ok(())
            }
            _ => {
                self.skip_atom_chars();
                Ok(())
            }
        }
    }

    /// Skips a bracketed datum up to its matching close bracket.
    fn skip_balanced(&mut self, start: Pos) -> Result<(), SexpError> {
        let mut depth = 0usize;
        loop {
            match self.peek() {
                None => {
                    return Err(SexpError {
                        pos: start,
                        message: "list is never closed".into(),
                    });
                }
                Some('(' | '[') => {
                    depth += 1;
                    self.bump();
                }
                Some(')' | ']') => {
                    self.bump();
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                Some(c) if c.is_whitespace() => {
                    self.bump();
                }
                Some(_) => {
                    let here = self.pos();
                    self.skip_datum(here)?;
                }
            }
        }
    }

    fn skip_atom_chars(&mut self) {
        while self
            .peek()
            .is_some_and(|c| !c.is_whitespace() && !"()[]\";".contains(c))
        {
            self.bump();
        }
    }
}

/// Lays `sexp` out in at most `width` columns where it can: a list that fits stays on one line;
/// otherwise its head (and first argument, if that fits) stay on the first line and the other
/// elements go on their own lines, indented by two.
pub fn pretty(sexp: &Sexp, width: usize) -> String {
    let mut out = String::new();
    write_pretty(sexp, width, 0, &mut out);
    out
}

fn write_pretty(sexp: &Sexp, width: usize, indent: usize, out: &mut String) {
    crate::nanopass::grow(|| {
        let Sexp::List(items, bracket, _) = sexp else {
            write_flat(sexp, out);
            return;
        };
        // Past `MAX_INDENT` the rest goes on one line: indenting every level of a very deep
        // tree would make the text quadratic in its depth.
        if items.is_empty() || indent > MAX_INDENT || fits(sexp, width.saturating_sub(indent)) {
            write_flat(sexp, out);
            return;
        }
        let (open, close) = brackets(*bracket);
        if let [only] = items.as_slice() {
            out.push(open);
            write_pretty(only, width, indent + 1, out);
            out.push(close);
            return;
        }
        out.push(open);
        let mut rest = &items[..];
        // Elements after the first line align under the first element of a data list, or two
        // columns in for a form with a keyword or operator head.
        let mut child_indent = indent + 1;
        if let Some(head @ Sexp::Atom(text, _)) = rest.first() {
            write_flat(head, out);
            rest = &rest[1..];
            child_indent = indent + 2;
            // A short head keeps its first argument on its line: `(lambda (x)`, `(letrec ([x`.
            if text.chars().count() <= MAX_HANGING_HEAD
                && let Some(first) = rest.first()
            {
                out.push(' ');
                write_pretty(first, width, indent + 2 + text.chars().count(), out);
                rest = &rest[1..];
            }
        } else if let Some(first) = rest.first() {
            write_pretty(first, width, indent + 1, out);
            rest = &rest[1..];
        }
        for item in rest {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', child_indent));
            write_pretty(item, width, child_indent, out);
        }
        out.push(close);
    })
}

/// The deepest indentation the layout uses.
const MAX_INDENT: usize = 60;

/// The longest head after which the first argument stays on the same line.
const MAX_HANGING_HEAD: usize = 12;

/// Whether `sexp` printed flat takes at most `budget` columns. Stops as soon as it does not, so
/// laying out a deep tree costs time proportional to its size times the width.
fn fits(sexp: &Sexp, budget: usize) -> bool {
    let mut used = 0;
    let mut pending = vec![sexp];
    while let Some(next) = pending.pop() {
        match next {
            Sexp::Atom(text, _) => used += text.chars().count() + 1,
            Sexp::List(items, ..) => {
                used += 2;
                pending.extend(items.iter().rev());
            }
        }
        if used > budget + 1 {
            return false;
        }
    }
    true
}

fn brackets(bracket: Bracket) -> (char, char) {
    match bracket {
        Bracket::Round => ('(', ')'),
        Bracket::Square => ('[', ']'),
    }
}

fn write_flat(sexp: &Sexp, out: &mut String) {
    crate::nanopass::grow(|| match sexp {
        Sexp::Atom(text, _) => out.push_str(text),
        Sexp::List(items, bracket, _) => {
            let (open, close) = brackets(*bracket);
            out.push(open);
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_flat(item, out);
            }
            out.push(close);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn parses_and_prints_back() {
        let text = "(lambda (x.1) [f \"a )\" #\\) |b c|]) ; comment\n x";
        let sexps = parse(text).unwrap();
        let printed: Vec<String> = sexps.iter().map(Sexp::flat).collect();
        expect![[r#"["(lambda (x.1) [f \"a )\" #\\) |b c|])", "x"]"#]]
            .assert_eq(&format!("{printed:?}"));
    }

    #[test]
    fn reports_unbalanced_brackets_with_position() {
        expect![["1:1: list is never closed"]].assert_eq(&parse("(a (b)").unwrap_err().to_string());
        expect![["2:3: mismatched closing bracket"]]
            .assert_eq(&parse("(a\n  ]").unwrap_err().to_string());
        expect![["1:2: unexpected closing bracket"]]
            .assert_eq(&parse("a)").unwrap_err().to_string());
    }

    #[test]
    fn breaks_long_lists_with_hanging_indent() {
        let sexp =
            &parse("(define (f x) (if (pair? x) (g (car x) (cdr x)) (h x x x x)))").unwrap()[0];
        expect![[r#"
            (define (f x)
              (if (pair? x)
                (g (car x) (cdr x))
                (h x x x x)))"#]]
        .assert_eq(&pretty(sexp, 24));
    }
}
