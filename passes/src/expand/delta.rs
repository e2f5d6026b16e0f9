//! A library expanded on its own: what its expansion added to the expander's state, as a
//! self-contained delta that an importer's expander merges instead of expanding the library
//! again (so a driver can expand each library once, and again only when it or one of its
//! imports changes).
//!
//! A library's expansion starts from the base library's state ([`super::base_state`]), merges
//! the deltas of the libraries it imports (asked for through
//! [`LibrarySource::expanded_library`], each merged after its own imports, so units stay in
//! dependency order), then expands the library alone. Its delta holds what an importer can
//! reach: the bindings it made other than local and pattern variables (filed under its scopes,
//! which is what its exported macros' templates resolve to), its exports, the run-time handles
//! it made, its global names, its unit, and its direct imports' deltas. Ids never collide
//! between separately expanded libraries: scopes and binding ids come from counters of the
//! process, handles from the expansion's namespace ([`super::phase::Handles`]), so merging is
//! a union. A procedural macro's transformer carries its expression, which the importer's
//! world evaluates on first use ([`super::syntax_rules::Transformer::Procedure`]).

use super::Unit;
use super::binding::{Binding, BindingId};
use super::expander::{Expander, LibraryState};
use super::library::{Exports, show_name};
use super::loader::LibrarySource;
use super::phase::{HandlesDelta, PhaseRunner};
use super::syntax::{ScopeSet, from_datum};
use ir::datum::{DatumId, Datums};
use ir::source::{Diagnostic, Span};
use ir::symbol::Symbol;
use std::collections::HashSet;
use std::rc::Rc;

/// One library's expansion (see the module documentation).
pub struct LibraryDelta {
    pub name: Vec<Symbol>,
    pub exports: Rc<Exports>,
    /// The bindings the library's expansion made, except local and pattern variables.
    pub bindings: Vec<(BindingId, Binding)>,
    /// Where those bindings are filed: names and scope sets.
    pub binds: Vec<(Symbol, ScopeSet, BindingId)>,
    pub handles: HandlesDelta,
    /// The global names the library's unit defines.
    pub global_names: Vec<Symbol>,
    /// The bindings it exports (imported variables are immutable).
    pub exported: Vec<BindingId>,
    /// The library's unit, as expanded (not in canonical form).
    pub unit: Unit,
    /// The deltas of the libraries it imports directly (not the standard libraries).
    pub imports: Vec<Rc<LibraryDelta>>,
}

/// Why a library could not be expanded for an importer.
#[derive(Clone, Debug)]
pub enum ImportError {
    /// The library is already being expanded: these libraries, outermost first, import each
    /// other in a cycle that ends with the library asked for.
    Cycle(Vec<Vec<Symbol>>),
    /// The file found for the library (this path) does not define it.
    NotDefined(String),
    /// The library's expansion failed with this diagnostic (in the library's file).
    Failed(Diagnostic),
}

impl Expander<'_> {
    /// Merges `delta` (after the libraries it imports) into this expansion, unless it is
    /// already there. The error is a message for the import that led here.
    pub fn merge_library(&mut self, delta: &Rc<LibraryDelta>) -> Result<(), String> {
        if self.libraries.contains_key(&delta.name) {
            return Ok(());
        }
        for import in &delta.imports {
            self.merge_library(import)?;
        }
        if let Some(clash) = delta
            .global_names
            .iter()
            .find(|name| self.global_names.contains(name))
        {
            return Err(format!(
                "library {} defines the global `{}`, which another library of the program defines too (library names that differ only in `/`?)",
                show_name(&delta.name),
                clash.as_str()
            ));
        }
        self.global_names.extend(delta.global_names.iter().copied());
        self.bindings.merge(&delta.bindings, &delta.binds);
        self.handles.merge(&delta.handles);
        self.exported.extend(delta.exported.iter().copied());
        self.units.push(delta.unit.clone());
        self.libraries.insert(
            delta.name.clone(),
            LibraryState::Done(Rc::clone(&delta.exports)),
        );
        self.merged.push(Rc::clone(delta));
        Ok(())
    }

    /// The error for an import of `name` at `span` that `error` prevented.
    pub fn import_error(
        &self,
        name: &[Symbol],
        span: Option<Span>,
        error: ImportError,
    ) -> Diagnostic {
        match error {
            ImportError::Cycle(mut cycle) => {
                cycle.push(name.to_vec());
                let cycle: Vec<String> = cycle.iter().map(|n| show_name(n)).collect();
                self.error(span, format!("cyclic import: {}", cycle.join(" imports ")))
            }
            ImportError::NotDefined(path) => self.error(
                span,
                format!("{path} does not define library {}", show_name(name)),
            ),
            ImportError::Failed(diagnostic) => {
                if diagnostic.span == span {
                    diagnostic
                } else {
                    diagnostic.with_note(
                        span,
                        format!("in library {}, imported here", show_name(name)),
                    )
                }
            }
        }
    }
}

/// Expands library `name`, found in the file `path` (read into `datums`, its top-level
/// `forms`), on its own, starting from `base`: handles are made in `namespace`, imported
/// libraries come from `loader` (already expanded, or expanded in this expansion if the loader
/// does not keep expansions).
#[allow(clippy::too_many_arguments)]
pub fn expand_library<'l>(
    base: &super::base_state::BaseState,
    namespace: u32,
    name: &[Symbol],
    path: &str,
    datums: &Datums,
    forms: &[DatumId],
    loader: &'l mut dyn LibrarySource,
    runner: Option<&'l mut dyn PhaseRunner>,
) -> Result<LibraryDelta, ImportError> {
    let mut ex = base.expander(namespace, loader, runner);
    let scope = ex.fresh_scope();
    for &form in forms {
        let stx =
            from_datum(datums, form, &ScopeSet::of(scope), false).map_err(ImportError::Failed)?;
        if !super::library::is_library_form(&stx) {
            continue;
        }
        let parts = ex.library_parts(path, &stx).map_err(ImportError::Failed)?;
        if parts.name != name {
            continue;
        }
        let span = stx.span();
        ex.mark_loading(name, span).map_err(ImportError::Failed)?;
        let (_, exports) = ex.finish(parts, scope, span).map_err(ImportError::Failed)?;
        let Some(unit) = ex.units.pop() else {
            return Err(ImportError::Failed(Diagnostic::error(
                span,
                "internal error: a library expanded to no unit",
            )));
        };
        let (bindings, binds) = ex.bindings.own_globals();
        let own: HashSet<Symbol> = ex.own_global_names.iter().copied().collect();
        let mut global_names: Vec<Symbol> = own.into_iter().collect();
        global_names.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        return Ok(LibraryDelta {
            name: name.to_vec(),
            exported: exports.names.iter().map(|&(_, b)| b).collect(),
            exports,
            bindings,
            binds,
            handles: ex.handles.own(),
            global_names,
            unit,
            imports: std::mem::take(&mut ex.imported),
        });
    }
    Err(ImportError::NotDefined(path.to_owned()))
}
