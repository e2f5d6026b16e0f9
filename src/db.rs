//! The compiler as a salsa database (DESIGN.md decision 9): source files are inputs, and each
//! stage of compiling a program is a tracked query, so a library is compiled once per process
//! and an edit recompiles only what depends on it.
//!
//! The queries, from a program's [`Source`] to its [`backend::Image`]:
//! * [`read`]: the datums of one file.
//! * [`expand_library`]: one library expanded on its own ([`passes::expand::delta`]): the
//!   expander starts from a copy of its state after installing the base library ([`BaseState`],
//!   made once per thread), merges the expansions of the library's imports (asked for through
//!   this same query, so each is expanded once per database and again only when it or one of
//!   its own imports changes), and expands the library alone. Its result is the library's unit
//!   in canonical form and its delta (what importers merge).
//! * [`expand_program`]: the program expanded the same way, giving one [`ExpandedUnit`] per
//!   library (the base library first, the program last). An edit of a library re-runs
//!   `expand_library` for it and for the libraries importing it (directly or not), and the
//!   program's expansion; never for an unrelated library. Library and included files are
//!   looked up through the database ([`DbLibraries`]), so reading one is a tracked dependency.
//! * [`units`]: the expanded units as interned [`UnitKey`]s. A unit that expands to the same text
//!   as before gets the same key, which is what lets an edit of one library leave the others'
//!   compiled units alone.
//! * [`compile_unit`]: the pass pipeline on one unit, memoized per unit content (so the base
//!   library, part of every program, is lowered once per process).
//! * [`codegen_unit`]: code generation for one unit, memoized per unit like [`compile_unit`]:
//!   machine code with symbolic references to what lies outside the unit.
//! * [`image`]: links the units' code into an image (`backend::link`): the shared stubs and
//!   the entry, global cells and symbols laid out once, references resolved.
//!
//! Not tracked: a library file that did not exist when it was looked for (creating it later is
//! not noticed), and `LOKO_LIBRARY_PATH` (read once, when the database is made).

use ir::datum::{DatumId, Datums};
use ir::lang::core_scheme;
use ir::nanopass::Ir;
use ir::source::{Diagnostic, SourceFile};
use ir::symbol::Symbol;
use passes::expand::LibrarySource;
use passes::expand::base_state::BaseState;
use passes::expand::delta::{ImportError, LibraryDelta};
use passes::expand::library::show_name;
use passes::pipeline::{self, PipelineError, Quiet, Run};
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use thread_bound::ThreadBound;

/// A source file the compiler was given: its path (as the user wrote it) and its text.
#[salsa::input]
pub struct Source {
    #[returns(ref)]
    pub path: String,
    #[returns(ref)]
    pub text: String,
}

/// What the queries need from the database besides salsa's storage: files by path.
#[salsa::db]
pub trait Db: salsa::Database {
    /// The input for the file at `path`: the one made when it was first asked for, or a new one
    /// holding the file's text; the error (no such file, not UTF-8) is the message to print.
    fn load(&self, path: &str) -> Result<Source, String>;

    /// The directories libraries are looked up in, in order.
    fn library_roots(&self) -> &[PathBuf];
}

/// The datums of a file, in an arena shared by every later stage.
#[derive(Clone, Debug)]
pub struct Read {
    pub datums: Arc<Datums>,
    pub top_level: Vec<DatumId>,
}

/// Reads a source file's datums.
#[salsa::tracked(returns(ref), no_eq)]
pub fn read(db: &dyn Db, source: Source) -> Result<Read, Diagnostic> {
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
pub fn compile_ir(db: &dyn Db, source: Source) -> Result<String, String> {
    let input = pipeline::Input::parse(source.text(db)).map_err(|e| e.to_string())?;
    let output = pipeline::run(input, &mut Run::new(&mut Quiet)).map_err(|e| e.to_string())?;
    Ok(output.print())
}

/// One library (or the program) as the expander produced it, in canonical form
/// ([`passes::merge_units::canonical_unit`]). Two units are equal when their names and IR text
/// (on one line: laying it out would cost more than expanding some libraries) are: the text
/// determines everything later stages use.
#[derive(Clone, Debug)]
pub struct ExpandedUnit {
    /// `(foo bar)` for a library, `program` for the program, the base library's own name.
    pub name: String,
    pub text: Arc<str>,
    pub tree: Arc<core_scheme::Tree>,
}

impl PartialEq for ExpandedUnit {
    fn eq(&self, other: &ExpandedUnit) -> bool {
        self.name == other.name && self.text == other.text
    }
}

impl Eq for ExpandedUnit {}

impl Hash for ExpandedUnit {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.text.hash(state);
    }
}

impl ExpandedUnit {
    fn new(name: String, tree: &core_scheme::Tree) -> ExpandedUnit {
        let tree = passes::merge_units::canonical_unit(tree);
        ExpandedUnit {
            name,
            text: tree.to_sexp().flat().into(),
            tree: Arc::new(tree),
        }
    }
}

/// Expands a program (or a `.sexp` file of CoreScheme IR text, one unit) into its units in
/// dependency order, the program last; the error is the message to print.
#[salsa::tracked(returns(ref), no_eq)]
pub fn expand_program(db: &dyn Db, program: Source) -> Result<Vec<ExpandedUnit>, String> {
    let path = program.path(db);
    if path.ends_with(".sexp") {
        let text = program.text(db);
        let tree = core_scheme::Tree::parse(text).map_err(|e| {
            format!(
                "{path}:{}:{}: error: {}",
                e.pos.line.max(1),
                e.pos.column.max(1),
                e.message
            )
        })?;
        // The user's IR is checked here, since the pipeline checks its passes' outputs only.
        tree.verify().map_err(|errors| {
            let error = PipelineError {
                stage: pipeline::READ,
                errors,
            };
            format!("{path}: {error}")
        })?;
        return Ok(vec![ExpandedUnit::new("program".to_owned(), &tree)]);
    }
    let read = read(db, program).as_ref().map_err(|d| d.to_string())?;
    let (base, base_unit) = base_state()?;
    let namespace = namespace(&format!("program {path}"))?;
    let mut libraries = DbLibraries { db };
    let mut world = crate::expand_time::World::new();
    let expansion = passes::expand::expand_from(
        &base,
        namespace,
        path,
        &read.datums,
        &read.top_level,
        &mut libraries,
        Some(&mut world),
    )
    .map_err(|d| d.to_string())?;
    // The separately expanded libraries' units are in canonical form already.
    let mut canonical: HashMap<String, ExpandedUnit> = HashMap::new();
    for library in &expansion.libraries {
        let key = LibraryName::new(db, library_parts(&library.name));
        if let Some(Ok(expanded)) = expand_library(db, key) {
            canonical.insert(expanded.unit.name.clone(), expanded.unit.clone());
        }
    }
    let end = core_scheme::Tree::parse(passes::expand::base::PROGRAM_END_UNIT)
        .map_err(|e| format!("the program-end unit: {}", e.message))?;
    let end = ExpandedUnit::new(passes::expand::base::PROGRAM_END_UNIT_NAME.to_owned(), &end);
    Ok(expansion
        .units
        .into_iter()
        .enumerate()
        .map(|(index, unit)| match canonical.remove(&unit.name) {
            Some(expanded) => expanded,
            None if index == 0 && unit.name == base_unit.name => base_unit.clone(),
            None => ExpandedUnit::new(unit.name, &unit.tree),
        })
        .chain(std::iter::once(end))
        .collect())
}

/// A library's name, `(foo bar)` as `["foo", "bar"]`: the key of its expansion.
#[salsa::interned]
pub struct LibraryName<'db> {
    #[returns(ref)]
    pub parts: Vec<String>,
}

fn library_parts(name: &[Symbol]) -> Vec<String> {
    name.iter().map(|part| part.as_str().to_owned()).collect()
}

/// A library expanded on its own: its unit, and what importers merge.
pub struct LibraryExpansion {
    pub unit: ExpandedUnit,
    pub delta: ThreadBound<Rc<LibraryDelta>>,
}

/// Expands library `name` on its own (see the module documentation); `None` if no file holds
/// it.
#[salsa::tracked(returns(ref), no_eq, cycle_result = library_cycle)]
pub fn expand_library<'db>(
    db: &'db dyn Db,
    name: LibraryName<'db>,
) -> Option<Result<Arc<LibraryExpansion>, ImportError>> {
    let symbols: Vec<Symbol> = name.parts(db).iter().map(|p| Symbol::intern(p)).collect();
    let source = library_source(db, &symbols)?;
    let failed = |message: String| ImportError::Failed(Diagnostic::error(None, message));
    let read = match read(db, source) {
        Ok(read) => read,
        Err(diagnostic) => return Some(Err(ImportError::Failed(diagnostic.clone()))),
    };
    let base = match base_state() {
        Ok((base, _)) => base,
        Err(message) => return Some(Err(failed(message))),
    };
    let namespace = match namespace(&format!("library {}", show_name(&symbols))) {
        Ok(namespace) => namespace,
        Err(message) => return Some(Err(failed(message))),
    };
    let mut libraries = DbLibraries { db };
    let mut world = crate::expand_time::World::new();
    EXPANDING.with(|stack| stack.borrow_mut().push(symbols.clone()));
    let delta = passes::expand::delta::expand_library(
        &base,
        namespace,
        &symbols,
        source.path(db),
        &read.datums,
        &read.top_level,
        &mut libraries,
        Some(&mut world),
    );
    EXPANDING.with(|stack| stack.borrow_mut().pop());
    Some(delta.map(|delta| {
        Arc::new(LibraryExpansion {
            unit: ExpandedUnit::new(show_name(&symbols), &delta.unit.tree),
            delta: ThreadBound::new(Rc::new(delta)),
        })
    }))
}

/// What [`expand_library`] answers when salsa finds it in a cycle (a library importing itself
/// through others, met while salsa re-validates a result rather than through
/// [`DbLibraries::expanded_library`], which reports cycles itself).
fn library_cycle<'db>(
    db: &'db dyn Db,
    _: salsa::Id,
    name: LibraryName<'db>,
) -> Option<Result<Arc<LibraryExpansion>, ImportError>> {
    let symbols: Vec<Symbol> = name.parts(db).iter().map(|p| Symbol::intern(p)).collect();
    Some(Err(ImportError::Cycle(vec![symbols])))
}

/// The file holding library `name`, if there is one.
fn library_source(db: &dyn Db, name: &[Symbol]) -> Option<Source> {
    passes::expand::loader::library_paths(db.library_roots(), name)
        .into_iter()
        .find_map(|path| db.load(&path.display().to_string()).ok())
}

/// The handle namespace of the expansion `key` (a library or program): a small number, the
/// same for the same key in the whole process (0 is the base library's).
fn namespace(key: &str) -> Result<u32, String> {
    static NAMESPACES: Mutex<Option<HashMap<String, u32>>> = Mutex::new(None);
    let mut table = NAMESPACES
        .lock()
        .map_err(|_| "internal error: the namespace table is poisoned".to_owned())?;
    let table = table.get_or_insert_with(HashMap::new);
    let next = table.len() as u32 + 1;
    if next >= 1 << 28 {
        return Err("too many libraries and programs expanded in one process".to_owned());
    }
    Ok(*table.entry(key.to_owned()).or_insert(next))
}

thread_local! {
    /// The expander's state with the base library installed, and the base library's unit: the
    /// same for every expansion (they depend on nothing but the compiler), so they are made
    /// once per thread rather than tracked.
    static BASE_STATE: OnceCell<Result<(Rc<BaseState>, ExpandedUnit), String>> =
        const { OnceCell::new() };
    /// The libraries [`expand_library`] is expanding on this thread, outermost first.
    static EXPANDING: RefCell<Vec<Vec<Symbol>>> = const { RefCell::new(Vec::new()) };
}

/// The expander's state with the base library installed and the base unit, made on first use.
fn base_state() -> Result<(Rc<BaseState>, ExpandedUnit), String> {
    BASE_STATE.with(|cell| {
        cell.get_or_init(|| {
            let base = BaseState::new().map_err(|d| d.to_string())?;
            let unit = base
                .base_unit()
                .map(|unit| ExpandedUnit::new(unit.name.clone(), &unit.tree))
                .ok_or_else(|| "internal error: the base library has no unit".to_owned())?;
            Ok((Rc::new(base), unit))
        })
        .clone()
    })
}

/// An expanded unit, identified by its content.
#[salsa::interned]
pub struct UnitKey<'db> {
    #[returns(ref)]
    pub unit: ExpandedUnit,
}

/// The program's units as keys, in dependency order. Unchanged units keep their keys, so an
/// edit leaves their [`compile_unit`] results valid.
#[salsa::tracked(returns(ref))]
pub fn units<'db>(db: &'db dyn Db, program: Source) -> Result<Vec<UnitKey<'db>>, String> {
    let expanded = expand_program(db, program).as_ref().map_err(Clone::clone)?;
    Ok(expanded
        .iter()
        .map(|unit| UnitKey::new(db, unit.clone()))
        .collect())
}

/// Runs the pass pipeline on one unit; the error is the message to print.
#[salsa::tracked(returns(ref), no_eq)]
pub fn compile_unit<'db>(
    db: &'db dyn Db,
    unit: UnitKey<'db>,
) -> Result<Arc<pipeline::Output>, String> {
    let expanded = unit.unit(db);
    let tree = (*expanded.tree).clone();
    let lowered = pipeline::run_expanded(tree, &mut Run::new(&mut Quiet))
        .map_err(|e| format!("{}: {e}", expanded.name))?;
    Ok(Arc::new(lowered))
}

/// Generates one unit's machine code from its lowered tree, leaving what lies outside the unit
/// (other units' globals, symbols, the shared stubs) for the link step; the error is the
/// message to print.
#[salsa::tracked(returns(ref), no_eq)]
pub fn codegen_unit<'db>(
    db: &'db dyn Db,
    unit: UnitKey<'db>,
) -> Result<Arc<backend::link::UnitCode>, String> {
    let lowered = compile_unit(db, unit).as_ref().map_err(Clone::clone)?;
    let name = &unit.unit(db).name;
    let code = backend::codegen::compile_unit(lowered, name, None)
        .map_err(|e| format!("{name}: error: {e}"))?;
    Ok(Arc::new(code))
}

/// Compiles a program: the code of each unit (memoized per unit), linked into an image.
#[salsa::tracked(returns(ref), no_eq)]
pub fn image(db: &dyn Db, program: Source) -> Result<Arc<backend::Image>, String> {
    let path = program.path(db);
    let keys = units(db, program).as_ref().map_err(Clone::clone)?;
    let mut compiled = Vec::with_capacity(keys.len());
    for &key in keys {
        let unit = codegen_unit(db, key)
            .as_ref()
            .map_err(|message| format!("{path}: {message}"))?;
        compiled.push(Arc::clone(unit));
    }
    let units: Vec<&backend::link::UnitCode> = compiled.iter().map(|unit| &**unit).collect();
    let linked =
        backend::codegen::link_program(&units).map_err(|e| format!("{path}: error: {e}"))?;
    Ok(Arc::new(linked.image))
}

/// The expander's view of library and included files: through the database, so that each
/// file read is a dependency of the expansion.
pub struct DbLibraries<'db> {
    pub db: &'db dyn Db,
}

impl LibrarySource for DbLibraries<'_> {
    fn find_library(&mut self, name: &[Symbol]) -> Option<(String, String)> {
        passes::expand::loader::library_paths(self.db.library_roots(), name)
            .into_iter()
            .find_map(|path| {
                let source = self.db.load(&path.display().to_string()).ok()?;
                Some((source.path(self.db).clone(), source.text(self.db).clone()))
            })
    }

    fn read_included(&mut self, from: &str, path: &str) -> Result<(String, String), String> {
        let full = passes::expand::loader::included_path(from, path);
        let full = full.display().to_string();
        let source = self.db.load(&full)?;
        Ok((full, source.text(self.db).clone()))
    }

    fn expanded_library(
        &mut self,
        name: &[Symbol],
    ) -> Option<Result<Rc<LibraryDelta>, ImportError>> {
        let cycle = EXPANDING.with(|stack| {
            let stack = stack.borrow();
            let at = stack.iter().position(|n| n == name)?;
            Some(stack[at..].to_vec())
        });
        if let Some(cycle) = cycle {
            // The error holds while the files of the libraries in the cycle are unchanged.
            for library in &cycle {
                if let Some(source) = library_source(self.db, library) {
                    source.text(self.db);
                }
            }
            return Some(Err(ImportError::Cycle(cycle)));
        }
        let key = LibraryName::new(self.db, library_parts(name));
        Some(match expand_library(self.db, key).as_ref()? {
            Ok(expansion) => expansion.delta.get().map(Rc::clone).ok_or_else(|| {
                ImportError::Failed(Diagnostic::error(
                    None,
                    format!(
                        "internal error: library {} was expanded on another thread",
                        show_name(name)
                    ),
                ))
            }),
            Err(error) => Err(error.clone()),
        })
    }
}

/// The database: salsa's storage, the files read so far, and a log of which queries ran (for
/// tests and `-v`).
#[salsa::db]
#[derive(Clone)]
pub struct Database {
    storage: salsa::Storage<Self>,
    executed: Arc<Mutex<Vec<String>>>,
    files: Arc<Mutex<HashMap<String, Source>>>,
    roots: Arc<Vec<PathBuf>>,
}

impl Default for Database {
    /// A database that looks for libraries in the current directory only.
    fn default() -> Database {
        Database::with_library_roots(vec![PathBuf::from(".")])
    }
}

#[salsa::db]
impl salsa::Database for Database {}

#[salsa::db]
impl Db for Database {
    fn load(&self, path: &str) -> Result<Source, String> {
        let mut files = self
            .files
            .lock()
            .map_err(|_| "internal error: the file table is poisoned".to_owned())?;
        if let Some(&source) = files.get(path) {
            return Ok(source);
        }
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
        let text = String::from_utf8(bytes).map_err(|_| format!("{path} is not UTF-8 text"))?;
        let source = Source::new(self, path.to_owned(), text);
        files.insert(path.to_owned(), source);
        Ok(source)
    }

    fn library_roots(&self) -> &[PathBuf] {
        &self.roots
    }
}

impl Database {
    /// A database that looks for libraries in `roots`, in order.
    pub fn with_library_roots(roots: Vec<PathBuf>) -> Database {
        let executed: Arc<Mutex<Vec<String>>> = Arc::default();
        let log = Arc::clone(&executed);
        let storage = salsa::Storage::new(Some(Box::new(move |event: salsa::Event| {
            if let salsa::EventKind::WillExecute { database_key } = event.kind
                && let Ok(mut log) = log.lock()
            {
                log.push(format!("{database_key:?}"));
            }
        })));
        Database {
            storage,
            executed,
            files: Arc::default(),
            roots: Arc::new(roots),
        }
    }

    /// A database that looks for libraries where the command line does: `LOKO_LIBRARY_PATH`,
    /// then the current directory.
    pub fn from_env() -> Database {
        Database::with_library_roots(passes::expand::FileSystem::from_env().roots)
    }

    /// The queries that ran since the last call, as `query(input)` descriptions.
    pub fn take_executed(&self) -> Vec<String> {
        self.executed
            .lock()
            .map(|mut log| std::mem::take(&mut *log))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;
mod thread_bound;
