//! Source files, locations and diagnostics.
//!
//! Every datum read and every diagnostic carries a [`Span`]: a file, a byte range, and the line
//! and column of its start. Diagnostics render as `file:line:col: error: message` followed by the
//! offending source line and a caret, the format every part of the compiler reports errors in.

use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

/// A source file registered with [`SourceFile::register`]; cheap to copy.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct FileId(u32);

/// A region of a source file. Lines and columns are 1-based; columns count characters.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
    pub line: u32,
    pub column: u32,
}

/// The name and text of a source file.
#[derive(Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

fn files() -> &'static Mutex<Vec<Arc<SourceFile>>> {
    static FILES: OnceLock<Mutex<Vec<Arc<SourceFile>>>> = OnceLock::new();
    FILES.get_or_init(Default::default)
}

impl SourceFile {
    /// Registers a file so spans can refer to it by id and diagnostics can quote it.
    pub fn register(name: impl Into<String>, text: impl Into<String>) -> FileId {
        let mut table = files()
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        table.push(Arc::new(SourceFile {
            name: name.into(),
            text: text.into(),
        }));
        FileId((table.len() - 1) as u32)
    }

    /// The file registered under `id`.
    pub fn get(id: FileId) -> Arc<SourceFile> {
        let table = files()
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Arc::clone(&table[id.0 as usize])
    }

    /// The text of 1-based line `line`, without its line terminator.
    pub fn line_text(&self, line: u32) -> &str {
        self.text
            .split('\n')
            .nth(line.saturating_sub(1) as usize)
            .unwrap_or("")
            .trim_end_matches('\r')
    }
}

/// How serious a diagnostic is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// A message about the user's program, at a place in its source when one is known.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Diagnostic {
    pub severity: Severity,
    pub span: Option<Span>,
    pub message: String,
    /// Further notes, each possibly with its own location (for example a macro-use chain).
    pub notes: Vec<Diagnostic>,
}

impl Diagnostic {
    pub fn error(span: Option<Span>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            span,
            message: message.into(),
            notes: Vec::new(),
        }
    }

    pub fn with_note(mut self, span: Option<Span>, message: impl Into<String>) -> Diagnostic {
        self.notes.push(Diagnostic {
            severity: Severity::Note,
            span,
            message: message.into(),
            notes: Vec::new(),
        });
        self
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: error: message`, then the source line and a caret under the column.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        match self.span {
            Some(span) => {
                let file = SourceFile::get(span.file);
                writeln!(
                    f,
                    "{}:{}:{}: {severity}: {}",
                    file.name, span.line, span.column, self.message
                )?;
                let line = file.line_text(span.line);
                writeln!(f, "{line}")?;
                let indent: String = line
                    .chars()
                    .take(span.column.saturating_sub(1) as usize)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                writeln!(f, "{indent}^")?;
            }
            None => writeln!(f, "{severity}: {}", self.message)?,
        }
        for note in &self.notes {
            write!(f, "{note}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn diagnostic_shows_location_line_and_caret() {
        let file = SourceFile::register("prog.sps", "(define x 1)\n(car\t\"oops)\n");
        let span = Span {
            file,
            start: 18,
            end: 19,
            line: 2,
            column: 6,
        };
        let diag = Diagnostic::error(Some(span), "unterminated string");
        expect![[r#"
            prog.sps:2:6: error: unterminated string
            (car	"oops)
                	^
        "#]]
        .assert_eq(&diag.to_string());
    }
}
