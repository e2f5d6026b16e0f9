//! The expander's state right after the base library is installed, kept so that a driver
//! expanding many programs (or one program again after an edit) installs the base library once.
//!
//! Installing the base library expands every derived form and procedure of `stdlib/`, which is
//! most of the time of expanding a small program. The state it leaves is the same for every
//! expansion, so [`BaseState::expander`] starts an expansion from a copy of it; the copy
//! carries the counters too (scopes, units), so the units it produces are exactly those of a
//! fresh expansion.

use super::Unit;
use super::binding::{BindingId, Bindings};
use super::expander::{Expander, LibraryState};
use super::loader::LibrarySource;
use super::phase::{Handles, PhaseRunner};
use super::standard_libraries::StandardLibraries;
use super::syntax::ScopeSet;
use ir::lang::core_scheme::Arena;
use ir::source::{Diagnostic, Span};
use ir::symbol::Symbol;
use std::collections::{HashMap, HashSet};

/// Every field of an [`Expander`] except the borrowed loader and runner, as installing the base
/// library leaves them.
#[derive(Clone)]
pub struct BaseState {
    bindings: Bindings,
    arena: Arena,
    unit: Symbol,
    libraries: HashMap<Vec<Symbol>, LibraryState>,
    units: Vec<Unit>,
    standard: StandardLibraries,
    ellipsis: BindingId,
    underscore: BindingId,
    global_names: HashSet<Symbol>,
    assigned: HashMap<BindingId, Option<Span>>,
    exported: HashSet<BindingId>,
    handles: Handles,
    base_scopes: ScopeSet,
}

/// Installing the base library reads no files.
struct NoFiles;

impl LibrarySource for NoFiles {
    fn find_library(&mut self, _: &[Symbol]) -> Option<(String, String)> {
        None
    }

    fn read_included(&mut self, _: &str, path: &str) -> Result<(String, String), String> {
        Err(format!("cannot read {path}"))
    }
}

impl BaseState {
    /// Installs the base library (without a runner: its installation runs no transformer).
    pub fn new() -> Result<BaseState, Diagnostic> {
        let mut no_files = NoFiles;
        let Expander {
            bindings,
            arena,
            unit,
            chain: _,
            chain_depth: _,
            loader: _,
            libraries,
            loading: _,
            units,
            standard,
            ellipsis,
            underscore,
            global_names,
            assigned,
            exported,
            runner: _,
            handles,
            base_scopes,
            phase_marks: _,
            last_use_site: _,
            procedures: _,
            own_global_names: _,
            imported: _,
            merged: _,
        } = Expander::new(&mut no_files, None)?;
        // What the base made is no expansion's own.
        let mut bindings = bindings;
        bindings.forget_own();
        Ok(BaseState {
            bindings,
            arena,
            unit,
            libraries,
            units,
            standard,
            ellipsis,
            underscore,
            global_names,
            assigned,
            exported,
            handles,
            base_scopes,
        })
    }

    /// The base library's unit.
    pub fn base_unit(&self) -> Option<&Unit> {
        self.units.first()
    }

    /// An expander starting from a copy of this state, as [`Expander::new`] would have made it,
    /// making run-time handles in `namespace` (0, the base's own, gives the handles of a fresh
    /// expansion; a driver expanding libraries separately gives each its own).
    pub fn expander<'l>(
        &self,
        namespace: u32,
        loader: &'l mut dyn LibrarySource,
        runner: Option<&'l mut dyn PhaseRunner>,
    ) -> Expander<'l> {
        let state = self.clone();
        Expander {
            bindings: state.bindings,
            arena: state.arena,
            unit: state.unit,
            chain: None,
            chain_depth: 0,
            loader,
            libraries: state.libraries,
            loading: Vec::new(),
            units: state.units,
            standard: state.standard,
            ellipsis: state.ellipsis,
            underscore: state.underscore,
            global_names: state.global_names,
            assigned: state.assigned,
            exported: state.exported,
            runner,
            handles: state.handles.in_namespace(namespace),
            base_scopes: state.base_scopes,
            phase_marks: Vec::new(),
            last_use_site: None,
            procedures: HashMap::new(),
            own_global_names: Vec::new(),
            imported: Vec::new(),
            merged: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BaseState;
    use crate::expand::{FileSystem, Unit, expand, expand_from};
    use ir::datum::Datums;
    use ir::nanopass::Ir;

    fn texts(units: &[Unit]) -> Vec<(String, String)> {
        units
            .iter()
            .map(|unit| (unit.name.clone(), unit.tree.print()))
            .collect()
    }

    #[test]
    fn expanding_from_the_base_state_gives_the_units_of_a_fresh_expansion() {
        let base = BaseState::new().expect("the base library installs");
        let programs = [
            "(import (rnrs)) (define (f x) (let loop ((i x)) (if (> i 0) (loop (- i 1)) 'done)))
             (display (f 3))",
            "(import (rnrs)) (define-record-type point (fields x y)) (display (point-x (make-point 1 2)))",
        ];
        for text in programs {
            let mut datums = Datums::new();
            let forms = ir::reader::read_str("p.sps", text, &mut datums).expect("reads");
            let fresh = expand("p.sps", &datums, &forms, &mut FileSystem::from_env())
                .unwrap_or_else(|d| panic!("{d}"));
            // Twice from the same state: the first expansion leaves it as it was.
            for _ in 0..2 {
                let mut loader = FileSystem::from_env();
                let reused = expand_from(&base, 0, "p.sps", &datums, &forms, &mut loader, None)
                    .unwrap_or_else(|d| panic!("{d}"))
                    .units;
                assert_eq!(texts(&reused), texts(&fresh));
            }
        }
    }
}
