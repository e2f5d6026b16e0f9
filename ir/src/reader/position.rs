//! Byte offsets to spans: line and column numbers for the reader's tokens.
//!
//! Lines and columns are computed lazily from byte offsets instead of being counted as each byte
//! is consumed, so the lexer's inner loops stay simple. The reader asks for positions in
//! increasing order almost always, so a cursor remembers the last answer and only scans forward;
//! an earlier offset (an error pointing back at an unclosed `(`) rescans from the start once.

use crate::source::{FileId, Span};

pub(super) struct Positions<'a> {
    file: FileId,
    text: &'a [u8],
    /// The offset the cursor stands at, with its line and column (1-based, in characters).
    offset: usize,
    line: u32,
    column: u32,
}

impl<'a> Positions<'a> {
    pub(super) fn new(file: FileId, text: &'a str) -> Positions<'a> {
        Positions {
            file,
            text: text.as_bytes(),
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    /// The span from byte `start` to byte `end`, with the line and column of `start`.
    pub(super) fn span(&mut self, start: usize, end: usize) -> Span {
        let start = start.min(self.text.len());
        if start < self.offset {
            self.offset = 0;
            self.line = 1;
            self.column = 1;
        }
        let mut column = self.column;
        for &byte in &self.text[self.offset..start] {
            if byte == b'\n' {
                self.line += 1;
                column = 1;
            } else if byte & 0xC0 != 0x80 {
                // Count characters, not bytes: skip UTF-8 continuation bytes.
                column += 1;
            }
        }
        self.offset = start;
        self.column = column;
        Span {
            file: self.file,
            start: start as u32,
            end: end.max(start) as u32,
            line: self.line,
            column,
        }
    }
}
