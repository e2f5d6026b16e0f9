//! The compiler as a salsa database (DESIGN.md decision 9): source files are inputs, and each
//! stage of compiling a file is a tracked query, so a file is processed once per process and an
//! edit recomputes only what depends on it.
//!
//! Today the queries are reading (datums) and, for IR text, parsing and running the pass
//! pipeline; expansion of libraries and code generation join as they land, each as a query per
//! library so editing one library recompiles only its dependents.

use ir::datum::{DatumId, Datums};
use ir::nanopass::Ir;
use ir::source::{Diagnostic, SourceFile};
use std::sync::{Arc, Mutex};

/// A source file the compiler was given: its path (as the user wrote it) and its text.
#[salsa::input]
pub struct Source {
    #[returns(ref)]
    pub path: String,
    #[returns(ref)]
    pub text: String,
}

/// The datums of a file, in an arena shared by every later stage.
#[derive(Clone, Debug)]
pub struct Read {
    pub datums: Arc<Datums>,
    pub top_level: Vec<DatumId>,
}

/// Reads a source file's datums.
#[salsa::tracked(returns(ref), no_eq)]
pub fn read(db: &dyn salsa::Database, source: Source) -> Result<Read, Diagnostic> {
    let file = SourceFile::register(source.path(db).clone(), source.text(db).clone());
    let mut datums = Datums::new();
    let top_level = ir::reader::read_file(file, &mut datums)?;
    Ok(Read {
        datums: Arc::new(datums),
        top_level,
    })
}

/// Parses IR text of the pipeline's first language and runs every pass on it; the result is
/// the last language's program as text, or the error.
#[salsa::tracked(returns(ref))]
pub fn compile_ir(db: &dyn salsa::Database, source: Source) -> Result<String, String> {
    let input = passes::pipeline::Input::parse(source.text(db)).map_err(|e| e.to_string())?;
    let mut quiet = passes::pipeline::Quiet;
    let output = passes::pipeline::run(input, &mut passes::pipeline::Run::new(&mut quiet))
        .map_err(|e| e.to_string())?;
    Ok(output.print())
}

/// The database: salsa's storage, plus a log of which queries ran (for tests and `-v`).
#[salsa::db]
#[derive(Clone)]
pub struct Database {
    storage: salsa::Storage<Self>,
    executed: Arc<Mutex<Vec<String>>>,
}

impl Default for Database {
    fn default() -> Database {
        let executed: Arc<Mutex<Vec<String>>> = Arc::default();
        let log = Arc::clone(&executed);
        let storage = salsa::Storage::new(Some(Box::new(move |event: salsa::Event| {
            if let salsa::EventKind::WillExecute { database_key } = event.kind
                && let Ok(mut log) = log.lock()
            {
                log.push(format!("{database_key:?}"));
            }
        })));
        Database { storage, executed }
    }
}

#[salsa::db]
impl salsa::Database for Database {}

impl Database {
    /// The queries that ran since the last call, as `query(input)` descriptions.
    pub fn take_executed(&self) -> Vec<String> {
        self.executed
            .lock()
            .map(|mut log| std::mem::take(&mut *log))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use salsa::Setter;

    fn ran(db: &Database, query: &str) -> usize {
        db.take_executed()
            .iter()
            .filter(|e| e.starts_with(query))
            .count()
    }

    #[test]
    fn editing_one_file_rereads_only_that_file() {
        let mut db = Database::default();
        let a = Source::new(&db, "a.sls".into(), "(define x 1)".into());
        let b = Source::new(&db, "b.sls".into(), "(define y 2)".into());
        assert!(read(&db, a).is_ok() && read(&db, b).is_ok());
        assert_eq!(ran(&db, "read("), 2);

        // Asking again costs nothing.
        assert!(read(&db, a).is_ok() && read(&db, b).is_ok());
        assert_eq!(ran(&db, "read("), 0);

        a.set_text(&mut db).to("(define x 10)".into());
        let a_read = read(&db, a).as_ref().map(|r| r.top_level.len());
        assert!(read(&db, b).is_ok());
        assert_eq!(a_read, Ok(1));
        let executed = db.take_executed();
        assert_eq!(
            executed.iter().filter(|e| e.starts_with("read(")).count(),
            1,
            "{executed:?}"
        );
    }

    #[test]
    fn diagnostics_come_back_from_queries() {
        let db = Database::default();
        let bad = Source::new(&db, "bad.sps".into(), "(display \"unterminated)".into());
        let message = read(&db, bad)
            .as_ref()
            .err()
            .map(|d| d.to_string())
            .unwrap_or_default();
        assert!(message.starts_with("bad.sps:1:10: error:"), "{message}");
    }

    #[test]
    fn ir_compiles_once_per_text() {
        let mut db = Database::default();
        let ir = Source::new(
            &db,
            "p.sexp".into(),
            "(program (if (quote #t) (quote 1)))".into(),
        );
        let first = compile_ir(&db, ir).clone();
        assert_eq!(
            first.as_deref(),
            Ok("(program () (if (quote #t) (quote 1) (tail-call (primitive void))))")
        );
        assert_eq!(ran(&db, "compile_ir("), 1);
        assert_eq!(compile_ir(&db, ir), &first);
        assert_eq!(ran(&db, "compile_ir("), 0);
        ir.set_text(&mut db).to("(program (quote 2))".into());
        assert_eq!(compile_ir(&db, ir).as_deref(), Ok("(program () (quote 2))"));
        assert_eq!(ran(&db, "compile_ir("), 1);
    }
}
