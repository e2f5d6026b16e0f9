//! R6RS libraries and top-level programs: finding and expanding imported libraries, import
//! sets (`only`, `except`, `prefix`, `rename`, `for`, versions), exports, and turning each
//! library into a unit of its own.
//!
//! Every top-level variable of a unit becomes a global named `prefix::name`, where the prefix is
//! the library name with `/` between its parts (`(foo bar)` gives `foo/bar::baz`) or `program`
//! for the program; a name defined twice in one unit (by different macro uses) gets a `.N`
//! suffix. Other units refer to it with `(global foo/bar::baz)`.

use super::Unit;
use super::binding::{Binding, BindingId};
use super::body::BodyKind;
use super::delta::ImportError;
use super::expander::{Expander, LibraryState};
use super::syntax::{Ident, Scope, ScopeSet, Syntax, from_datum};
use ir::datum::{DatumId, Datums};
use ir::lang::core_scheme::Tree;
use ir::source::{Diagnostic, SourceFile, Span};
use ir::symbol::Symbol;
use std::rc::Rc;

/// What a library exports: external names and their bindings.
#[derive(Default, Debug)]
pub struct Exports {
    pub names: Vec<(Symbol, BindingId)>,
}

impl Exports {
    pub fn get(&self, name: Symbol) -> Option<BindingId> {
        self.names.iter().find(|(n, _)| *n == name).map(|&(_, b)| b)
    }
}

/// A library or program, taken apart.
pub struct Parts {
    pub name: Vec<Symbol>,
    /// The export specs.
    pub exports: Vec<Syntax>,
    /// The import sets.
    pub imports: Vec<Syntax>,
    pub body: Vec<Syntax>,
    pub span: Option<Span>,
}

/// `(foo bar)` as text.
pub fn show_name(name: &[Symbol]) -> String {
    let parts: Vec<&str> = name.iter().map(|p| p.as_str()).collect();
    format!("({})", parts.join(" "))
}

fn symbol_head(stx: &Syntax) -> Option<&'static str> {
    stx.head_id().map(|id| id.name.as_str())
}

/// Whether `stx` is a `library` or `define-library` form.
pub fn is_library_form(stx: &Syntax) -> bool {
    matches!(symbol_head(stx), Some("library" | "define-library"))
}

impl Expander<'_> {
    /// Expands the forms of a file: a program, or one or more libraries.
    pub fn expand_file(
        &mut self,
        path: &str,
        datums: &Datums,
        forms: &[DatumId],
    ) -> Result<(), Diagnostic> {
        let scope = self.fresh_scope();
        let mut syntax = Vec::with_capacity(forms.len());
        for &form in forms {
            syntax.push(from_datum(datums, form, &ScopeSet::of(scope), false)?);
        }
        if syntax.first().is_some_and(is_library_form) {
            // Each library gets a scope of its own: they share nothing but the file.
            let mut separate = Vec::with_capacity(forms.len());
            for &form in forms {
                let scope = self.fresh_scope();
                separate.push((
                    scope,
                    from_datum(datums, form, &ScopeSet::of(scope), false)?,
                ));
            }
            for (scope, form) in &separate {
                let (scope, form) = (*scope, form);
                if !is_library_form(form) {
                    return Err(
                        self.error(form.span(), "a library file may contain only libraries")
                    );
                }
                let parts = self.library_parts(path, form)?;
                self.mark_loading(&parts.name, form.span())?;
                let result = self.finish(parts, scope, form.span());
                self.loading.pop();
                let (name, exports) = result?;
                self.libraries.insert(name, LibraryState::Done(exports));
            }
            return Ok(());
        }
        let parts = self.program_parts(path, syntax)?;
        let span = parts.span;
        self.finish(parts, scope, span)?;
        Ok(())
    }

    /// Whether library `name` has been expanded or is being expanded.
    pub fn knows_library(&self, name: &[Symbol]) -> bool {
        self.libraries.contains_key(name)
    }

    /// Records that library `name` is being expanded; an error if it already is (a cycle).
    pub(super) fn mark_loading(
        &mut self,
        name: &[Symbol],
        span: Option<Span>,
    ) -> Result<(), Diagnostic> {
        if let Some(at) = self.loading.iter().position(|n| n == name) {
            let mut cycle: Vec<String> = self.loading[at..].iter().map(|n| show_name(n)).collect();
            cycle.push(show_name(name));
            return Err(self.error(span, format!("cyclic import: {}", cycle.join(" imports "))));
        }
        if matches!(self.libraries.get(name), Some(LibraryState::Done(_))) {
            return Err(self.error(
                span,
                format!("library {} is defined twice", show_name(name)),
            ));
        }
        self.loading.push(name.to_vec());
        self.libraries.insert(name.to_vec(), LibraryState::Loading);
        Ok(())
    }

    /// A program: import forms, then the body.
    fn program_parts(&mut self, path: &str, forms: Vec<Syntax>) -> Result<Parts, Diagnostic> {
        let span = forms.first().and_then(Syntax::span);
        let mut imports = Vec::new();
        let mut at = 0;
        while let Some(form) = forms.get(at) {
            if symbol_head(form) != Some("import") {
                break;
            }
            let Some(items) = form.as_list() else {
                return Err(self.error(form.span(), "invalid import form"));
            };
            imports.extend(items[1..].iter().cloned());
            at += 1;
        }
        if at == 0 {
            return Err(self.error(
                span,
                if span.is_some() {
                    "a program must start with an import form, such as (import (rnrs))".to_owned()
                } else {
                    format!("{path} is empty: a program must start with an import form")
                },
            ));
        }
        Ok(Parts {
            name: Vec::new(),
            exports: Vec::new(),
            imports,
            body: forms[at..].to_vec(),
            span,
        })
    }

    /// An R6RS `(library name (export ...) (import ...) body ...)` or R7RS `define-library`.
    pub(super) fn library_parts(&mut self, path: &str, form: &Syntax) -> Result<Parts, Diagnostic> {
        if symbol_head(form) == Some("define-library") {
            return self.define_library_parts(path, form);
        }
        let expected = "invalid library form; expected (library (name ...) (export ...) (import ...) body ...)";
        let Some([_, name, export, import, body @ ..]) = form.as_list() else {
            return Err(self.error(form.span(), expected));
        };
        let name = self.library_name(name)?;
        if symbol_head(export) != Some("export") || symbol_head(import) != Some("import") {
            return Err(self.error(form.span(), expected));
        }
        let (Some(exports), Some(imports)) = (export.as_list(), import.as_list()) else {
            return Err(self.error(form.span(), expected));
        };
        Ok(Parts {
            name,
            exports: exports[1..].to_vec(),
            imports: imports[1..].to_vec(),
            body: body.to_vec(),
            span: form.span(),
        })
    }

    /// A library name `(part ... [version])`, without the version.
    pub fn library_name(&self, stx: &Syntax) -> Result<Vec<Symbol>, Diagnostic> {
        let Some(items) = stx.as_list() else {
            return Err(self.error(
                stx.span(),
                "a library name must be a list such as (foo bar)",
            ));
        };
        let mut name = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.forced() {
                Syntax::Id(id) => name.push(id.name),
                // A version (in a definition) or a version reference (in an import).
                Syntax::List(..) if i + 1 == items.len() && i > 0 => {}
                // R7RS allows exact integers as parts.
                Syntax::Atom(datum, _) if matches!(**datum, ir::datum::Datum::Number(_)) => {
                    name.push(Symbol::intern(&super::syntax::show(item)));
                }
                _ => return Err(self.error(item.span(), "invalid part of a library name")),
            }
        }
        if name.is_empty() {
            return Err(self.error(stx.span(), "a library name cannot be empty"));
        }
        Ok(name)
    }

    /// Expands a library or program as a unit of its own: imports, body, exports.
    pub fn finish(
        &mut self,
        parts: Parts,
        scope: Scope,
        span: Option<Span>,
    ) -> Result<(Vec<Symbol>, Rc<Exports>), Diagnostic> {
        let saved_arena = std::mem::take(&mut self.arena);
        let saved_unit = self.unit;
        let saved_chain = self.chain.take();
        self.unit = Symbol::intern(&if parts.name.is_empty() {
            "program".to_owned()
        } else {
            show_name(&parts.name)
        });
        let result = self.finish_unit(parts, scope, span);
        self.arena = saved_arena;
        self.unit = saved_unit;
        self.restore_chain(saved_chain);
        result
    }

    fn finish_unit(
        &mut self,
        parts: Parts,
        scope: Scope,
        span: Option<Span>,
    ) -> Result<(Vec<Symbol>, Rc<Exports>), Diagnostic> {
        let scopes = ScopeSet::of(scope);
        for import in &parts.imports {
            let names = self.import_set(import)?;
            for (name, binding, at) in names {
                let id = Ident {
                    name,
                    scopes: scopes.clone(),
                    span: at,
                };
                match self.bindings.exact(&id) {
                    Some(existing) if existing != binding => {
                        return Err(self.error(
                            at,
                            format!(
                                "`{}` is imported twice with different bindings",
                                name.as_str()
                            ),
                        ));
                    }
                    _ => self.bindings.bind(name, scopes.clone(), binding),
                }
            }
        }
        let prefix = if parts.name.is_empty() {
            "program".to_owned()
        } else {
            let parts: Vec<&str> = parts.name.iter().map(|p| p.as_str()).collect();
            parts.join("/")
        };
        let body = self.expand_body(parts.body, BodyKind::TopLevel { prefix: &prefix }, span)?;
        let exports = self.exports(&parts.exports)?;
        for (name, binding) in &exports.names {
            if let Some(&at) = self.assigned.get(binding) {
                return Err(self.error(
                    at,
                    format!("exported variable `{}` cannot be assigned", name.as_str()),
                ));
            }
        }
        self.exported
            .extend(exports.names.iter().map(|&(_, binding)| binding));
        let root = self.arena.program_program(body);
        let unit_name = if parts.name.is_empty() {
            "program".to_owned()
        } else {
            show_name(&parts.name)
        };
        self.units.push(Unit {
            name: unit_name,
            tree: Tree {
                arena: std::mem::take(&mut self.arena),
                root,
            },
        });
        Ok((parts.name, Rc::new(exports)))
    }

    /// Resolves the export specs in the library's scope.
    fn exports(&mut self, specs: &[Syntax]) -> Result<Exports, Diagnostic> {
        let mut pairs: Vec<(Ident, Symbol)> = Vec::new();
        for spec in specs {
            match spec.forced() {
                Syntax::Id(id) => pairs.push((id.clone(), id.name)),
                Syntax::List(items, None, _) if symbol_head(spec) == Some("rename") => {
                    match &items[1..] {
                        // R7RS: (rename internal external).
                        [Syntax::Id(internal), Syntax::Id(external)] => {
                            pairs.push((internal.clone(), external.name))
                        }
                        renames => {
                            for rename in renames {
                                let Some([Syntax::Id(internal), Syntax::Id(external)]) =
                                    rename.as_list()
                                else {
                                    return Err(self.error(
                                        rename.span(),
                                        "invalid export rename; expected (internal external)",
                                    ));
                                };
                                pairs.push((internal.clone(), external.name));
                            }
                        }
                    }
                }
                _ => return Err(self.error(spec.span(), "invalid export spec")),
            }
        }
        let mut exports = Exports::default();
        for (internal, external) in pairs {
            let binding = match self.bindings.lookup(&internal) {
                Some(b) => b,
                None => {
                    return Err(self.error(
                        internal.span,
                        format!(
                            "cannot export unbound identifier `{}`",
                            internal.name.as_str()
                        ),
                    ));
                }
            };
            if let Binding::Lexical(_) = self.bindings.get(binding) {
                return Err(self.error(internal.span, "internal error: exporting a local variable"));
            }
            match exports.get(external) {
                Some(other) if other != binding => {
                    return Err(self.error(
                        internal.span,
                        format!(
                            "`{}` is exported twice with different bindings",
                            external.as_str()
                        ),
                    ));
                }
                Some(_) => {}
                None => exports.names.push((external, binding)),
            }
        }
        Ok(exports)
    }

    /// The names an import set brings in, with their bindings and where they were named.
    fn import_set(
        &mut self,
        spec: &Syntax,
    ) -> Result<Vec<(Symbol, BindingId, Option<Span>)>, Diagnostic> {
        let Some(items) = spec.as_list() else {
            return Err(self.error(spec.span(), "invalid import set"));
        };
        let ids = |stxs: &[Syntax]| -> Option<Vec<Ident>> {
            stxs.iter().map(|s| s.as_id().cloned()).collect()
        };
        let missing = |this: &Self, id: &Ident| {
            this.error(
                id.span,
                format!("`{}` is not in the import set", id.name.as_str()),
            )
        };
        match (symbol_head(spec), items) {
            (Some("only"), [_, set, names @ ..]) => {
                let set = self.import_set(set)?;
                let Some(names) = ids(names) else {
                    return Err(self.error(spec.span(), "invalid `only` import set"));
                };
                for name in &names {
                    if !set.iter().any(|(n, _, _)| *n == name.name) {
                        return Err(missing(self, name));
                    }
                }
                Ok(set
                    .into_iter()
                    .filter(|(n, _, _)| names.iter().any(|i| i.name == *n))
                    .collect())
            }
            (Some("except"), [_, set, names @ ..]) => {
                let set = self.import_set(set)?;
                let Some(names) = ids(names) else {
                    return Err(self.error(spec.span(), "invalid `except` import set"));
                };
                for name in &names {
                    if !set.iter().any(|(n, _, _)| *n == name.name) {
                        return Err(missing(self, name));
                    }
                }
                Ok(set
                    .into_iter()
                    .filter(|(n, _, _)| !names.iter().any(|i| i.name == *n))
                    .collect())
            }
            (Some("prefix"), [_, set, Syntax::Id(prefix)]) => {
                let set = self.import_set(set)?;
                Ok(set
                    .into_iter()
                    .map(|(n, b, s)| {
                        (
                            Symbol::intern(&format!("{}{}", prefix.name.as_str(), n.as_str())),
                            b,
                            s,
                        )
                    })
                    .collect())
            }
            (Some("rename"), [_, set, renames @ ..]) => {
                let mut set = self.import_set(set)?;
                for rename in renames {
                    let Some([Syntax::Id(from), Syntax::Id(to)]) = rename.as_list() else {
                        return Err(self.error(rename.span(), "invalid rename; expected (old new)"));
                    };
                    match set.iter_mut().find(|(n, _, _)| *n == from.name) {
                        Some(entry) => {
                            entry.0 = to.name;
                            entry.2 = to.span;
                        }
                        None => return Err(missing(self, from)),
                    }
                }
                Ok(set)
            }
            // Phases are not separated yet: every import is available at every phase.
            (Some("for"), [_, set, ..]) => self.import_set(set),
            (Some("library"), [_, reference]) => self.import_library(reference),
            _ => self.import_library(spec),
        }
    }

    fn import_library(
        &mut self,
        reference: &Syntax,
    ) -> Result<Vec<(Symbol, BindingId, Option<Span>)>, Diagnostic> {
        let name = self.library_name(reference)?;
        let exports = self.library(&name, reference.span())?;
        Ok(exports
            .names
            .iter()
            .map(|&(n, b)| (n, b, reference.span()))
            .collect())
    }

    /// The exports of library `name`, expanding it first if needed.
    pub fn library(
        &mut self,
        name: &[Symbol],
        span: Option<Span>,
    ) -> Result<Rc<Exports>, Diagnostic> {
        if let Some(exports) = self.standard.get(name) {
            return Ok(Rc::clone(exports));
        }
        match self.libraries.get(name) {
            Some(LibraryState::Done(exports)) => return Ok(Rc::clone(exports)),
            Some(LibraryState::Loading) => {
                self.mark_loading(name, span)?;
            }
            None => {}
        }
        // A library the loader has expanded on its own: merged, not expanded again.
        match self.loader.expanded_library(name) {
            Some(Ok(delta)) => {
                self.merge_library(&delta)
                    .map_err(|message| self.error(span, message))?;
                self.imported.push(Rc::clone(&delta));
                return Ok(Rc::clone(&delta.exports));
            }
            Some(Err(error)) => return Err(self.import_error(name, span, error)),
            None => {}
        }
        let Some((path, text)) = self.loader.find_library(name) else {
            return Err(self.error(span, format!("unknown library {}", show_name(name))));
        };
        // An error in the library's file also says which import led there.
        self.load_library(name, span, path, text)
            .map_err(|diagnostic| self.import_error(name, span, ImportError::Failed(diagnostic)))
    }

    fn load_library(
        &mut self,
        name: &[Symbol],
        span: Option<Span>,
        path: String,
        text: String,
    ) -> Result<Rc<Exports>, Diagnostic> {
        let file = SourceFile::register(path.clone(), text);
        let mut datums = Datums::new();
        let forms = ir::reader::read_file(file, &mut datums)?;
        let scope = self.fresh_scope();
        for &form in &forms {
            let stx = from_datum(&datums, form, &ScopeSet::of(scope), false)?;
            if !is_library_form(&stx) {
                continue;
            }
            let parts = self.library_parts(&path, &stx)?;
            if parts.name != name {
                continue;
            }
            self.mark_loading(name, span)?;
            let result = self.finish(parts, scope, stx.span());
            self.loading.pop();
            let (_, exports) = result?;
            self.libraries
                .insert(name.to_vec(), LibraryState::Done(Rc::clone(&exports)));
            return Ok(exports);
        }
        Err(self.error(
            span,
            format!("{path} does not define library {}", show_name(name)),
        ))
    }
}
