//! The expander: the pipeline's `expand` stage, from the datums read to CoreScheme.
//!
//! Hygiene follows Flatt's "sets of scopes" model ([`scopes`], [`syntax`], [`binding`]);
//! `syntax-rules` is implemented natively ([`syntax_rules`]); bodies follow R6RS's two-pass
//! rules ([`body`]); expressions and core forms are in [`expr`]; libraries and programs
//! ([`library`], [`r7rs`]) each become a unit of their own, a CoreScheme program whose top-level
//! variables are globals (`foo/bar::baz`). The built-in base library ([`base`]) holds the core
//! forms, the primitives and the derived forms written as `syntax-rules` in `stdlib/base.scm`.
//!
//! Core forms: `define`, `define-syntax`, `lambda`, `case-lambda`, `if`, `set!`, `quote`,
//! `begin`, `let-syntax`, `letrec-syntax`, `letrec`, `letrec*`, `syntax-rules`,
//! `identifier-syntax`, and R7RS `include`, `include-ci`, `cond-expand`, `syntax-error`.
//!
//! Procedural (`syntax-case`) macros: a transformer expression is evaluated at expand time
//! through a [`PhaseRunner`] ([`phase`]); `syntax-case`, `syntax` and `quasisyntax` compile to
//! Scheme over run-time syntax objects ([`syntax_case`]). Without a runner such a macro can be
//! defined and its use is reported. Not yet: separate phases (every import is visible at every
//! phase).
//!
//! A few base-library macros need more than `syntax-rules` (making names from names, telling
//! R6RS from R7RS `define-record-type`): [`records`] does that part in Rust, as a
//! [`syntax_rules::Native`] transformer, and hands a fixed shape to `syntax-rules`.

pub mod base;
pub mod base_state;
pub mod binding;
pub mod body;
pub mod delta;
pub mod expander;
pub mod expr;
pub mod library;
pub mod loader;
pub mod phase;
pub mod r7rs;
pub mod records;
pub mod scopes;
pub mod standard_libraries;
pub mod syntax;
pub mod syntax_case;
pub mod syntax_rules;
#[cfg(test)]
mod tests;

use ir::datum::{DatumId, Datums};
use ir::lang::core_scheme::Tree;
use ir::source::Diagnostic;
pub use loader::{FileSystem, LibrarySource};
pub use phase::PhaseRunner;

/// The stage's name in the pipeline and on the command line.
pub const NAME: &str = "expand";
/// What the stage does, for `loko --passes`.
pub const DOC: &str = "Expands macros and resolves every identifier; each library becomes a unit.";

/// One separately compiled part of a program: a library or the program itself.
#[derive(Clone)]
pub struct Unit {
    /// `(foo bar)` for a library, `program` for the program.
    pub name: String,
    pub tree: Tree,
}

/// Expands the program or libraries in `forms` (read from the file `path`) and every library
/// they import, found through `loader`. Returns the units in dependency order: a unit comes
/// after every unit it refers to, and the program is last.
pub fn expand(
    path: &str,
    datums: &Datums,
    forms: &[DatumId],
    loader: &mut dyn LibrarySource,
) -> Result<Vec<Unit>, Diagnostic> {
    expand_with(path, datums, forms, loader, None)
}

/// [`expand`] with a way to run procedural macros' transformers (without one, using such a
/// macro is reported as unsupported).
pub fn expand_with<'l>(
    path: &str,
    datums: &Datums,
    forms: &[DatumId],
    loader: &'l mut dyn LibrarySource,
    runner: Option<&'l mut dyn PhaseRunner>,
) -> Result<Vec<Unit>, Diagnostic> {
    let mut expander = expander::Expander::new(loader, runner)?;
    expander.expand_file(path, datums, forms)?;
    Ok(expander.units)
}

/// [`expand_with`] starting from `base`, the expander's state with the base library installed
/// (made once with [`base_state::BaseState::new`]), instead of installing it again: the units
/// are the same, without the cost of expanding the base library.
///
/// Handles are made in `namespace` (see [`base_state::BaseState::expander`]).
pub fn expand_from<'l>(
    base: &base_state::BaseState,
    namespace: u32,
    path: &str,
    datums: &Datums,
    forms: &[DatumId],
    loader: &'l mut dyn LibrarySource,
    runner: Option<&'l mut dyn PhaseRunner>,
) -> Result<Expansion, Diagnostic> {
    let mut expander = base.expander(namespace, loader, runner);
    expander.expand_file(path, datums, forms)?;
    Ok(Expansion {
        units: expander.units,
        libraries: expander.merged,
    })
}

/// What [`expand_from`] gives: the units, and which of them are libraries the loader expanded
/// separately.
pub struct Expansion {
    /// All units in dependency order, the program last.
    pub units: Vec<Unit>,
    /// The separately expanded libraries merged in (their units are among `units`).
    pub libraries: Vec<std::rc::Rc<delta::LibraryDelta>>,
}
