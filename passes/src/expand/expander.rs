//! The expander's state and the helpers every form uses: fresh scopes, resolving identifiers,
//! applying macros, and diagnostics that carry the macro-use chain.

use super::Unit;
use super::binding::{Binding, BindingId, Bindings, CoreForm, MacroUse, Resolved};
use super::delta::LibraryDelta;
use super::library::{Exports, show_name};
use super::loader::LibrarySource;
use super::phase::{Handles, PhaseRunner};
use super::standard_libraries::StandardLibraries;
use super::syntax::{Ident, Scope, ScopeSet, Syntax, show};
use super::syntax_rules::{Keywords, Transformer};
use ir::lang::core_scheme::Arena;
use ir::source::{Diagnostic, Span};
use ir::symbol::Symbol;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// Macro uses nested deeper than this are reported rather than followed: a macro that expands
/// into a use of itself without end would otherwise never stop.
const MAX_MACRO_DEPTH: usize = 10_000;

/// A library's state while expanding.
#[derive(Clone)]
pub enum LibraryState {
    /// Being expanded (its imports are being loaded): importing it again is a cycle.
    Loading,
    Done(Rc<Exports>),
}

/// The expander: one per expansion of a program (or library) and everything it imports.
pub struct Expander<'l> {
    pub bindings: Bindings,
    /// The arena of the unit being expanded.
    pub arena: Arena,
    /// The name of the unit being expanded (`(foo bar)`, `program`).
    pub unit: Symbol,
    /// The macro uses that produced the syntax being expanded, innermost first.
    pub chain: Option<Rc<MacroUse>>,
    pub(super) chain_depth: usize,
    pub loader: &'l mut dyn LibrarySource,
    pub libraries: HashMap<Vec<Symbol>, LibraryState>,
    /// The libraries being expanded, outermost first (to report cyclic imports).
    pub loading: Vec<Vec<Symbol>>,
    /// The finished units, in dependency order.
    pub units: Vec<Unit>,
    /// The standard libraries, each a view of the built-in base library.
    pub standard: StandardLibraries,
    pub ellipsis: BindingId,
    pub underscore: BindingId,
    /// Global names given out so far, to keep them unique.
    pub global_names: HashSet<Symbol>,
    /// Where each global variable was first assigned (exported variables must not be).
    pub assigned: HashMap<BindingId, Option<Span>>,
    /// The variables exported by the libraries expanded so far: immutable everywhere.
    pub exported: HashSet<BindingId>,
    /// Runs procedural macros' transformers, if there is a way to ([`super::phase`]).
    pub runner: Option<&'l mut dyn PhaseRunner>,
    /// The scope sets and spans run-time identifiers name.
    pub handles: Handles,
    /// The base library's scopes: identifiers with them refer to its bindings.
    pub base_scopes: ScopeSet,
    /// The use-site scope the last macro use got, if it got one ([`Expander::apply_macro`]).
    pub last_use_site: Option<Scope>,
    /// While expanding expand-time code: the next binding id when it started (innermost
    /// last); a variable bound before that belongs to the program and cannot be used.
    pub phase_marks: Vec<BindingId>,
    /// The procedural transformers evaluated in this expansion's runner, by id: their handles.
    pub procedures: HashMap<u64, u32>,
    /// The global names this expansion gave out itself.
    pub own_global_names: Vec<Symbol>,
    /// The separately expanded libraries the unit being expanded imports directly.
    pub imported: Vec<Rc<LibraryDelta>>,
    /// Every separately expanded library merged into this expansion, in dependency order.
    pub merged: Vec<Rc<LibraryDelta>>,
}

impl<'l> Expander<'l> {
    /// A new expander with the base library installed.
    pub fn new(
        loader: &'l mut dyn LibrarySource,
        runner: Option<&'l mut dyn PhaseRunner>,
    ) -> Result<Expander<'l>, Diagnostic> {
        let mut bindings = Bindings::default();
        let ellipsis = bindings.add(Binding::Core(CoreForm::Auxiliary));
        let underscore = bindings.add(Binding::Core(CoreForm::Auxiliary));
        let mut expander = Expander {
            bindings,
            arena: Arena::default(),
            unit: Symbol::intern("program"),
            chain: None,
            chain_depth: 0,
            loader,
            libraries: HashMap::new(),
            loading: Vec::new(),
            units: Vec::new(),
            standard: StandardLibraries::default(),
            ellipsis,
            underscore,
            global_names: HashSet::new(),
            assigned: HashMap::new(),
            exported: HashSet::new(),
            runner,
            handles: Handles::default(),
            base_scopes: ScopeSet::default(),
            phase_marks: Vec::new(),
            last_use_site: None,
            procedures: HashMap::new(),
            own_global_names: Vec::new(),
            imported: Vec::new(),
            merged: Vec::new(),
        };
        let base = super::base::install(&mut expander)?;
        expander.standard = StandardLibraries::read(&base)?;
        Ok(expander)
    }

    pub fn fresh_scope(&mut self) -> Scope {
        Scope::fresh()
    }

    /// An error at `span`, with the chain of macro uses that led here as notes. A span inside
    /// the base library's source is replaced by the innermost use in the user's code.
    pub fn error(&self, span: Option<Span>, message: impl Into<String>) -> Diagnostic {
        let span = span.or_else(|| self.chain.as_ref().and_then(|u| u.span));
        let mut diagnostic = Diagnostic::error(span, message);
        // Consecutive uses of one macro at one place (a recursive macro) make one note.
        let mut uses: Vec<(Symbol, Option<Span>, usize)> = Vec::new();
        let mut at = self.chain.as_deref();
        while let Some(use_) = at {
            match uses.last_mut() {
                Some(last) if last.0 == use_.name && last.1 == use_.span => last.2 += 1,
                _ => uses.push((use_.name, use_.span, 1)),
            }
            at = use_.outer.as_deref();
        }
        for (shown, (name, span, times)) in uses.iter().enumerate() {
            if shown == 8 {
                diagnostic = diagnostic.with_note(None, "... and further macro uses");
                break;
            }
            let message = if *times == 1 {
                format!("in the expansion of `{}`", name.as_str())
            } else {
                format!("in {times} nested expansions of `{}`", name.as_str())
            };
            diagnostic = diagnostic.with_note(*span, message);
        }
        diagnostic
    }

    /// The binding `id` refers to, or an error saying it is unbound or ambiguous.
    pub fn resolve(&self, id: &Ident) -> Result<BindingId, Diagnostic> {
        match self.bindings.resolve(id) {
            Resolved::Bound(b) => Ok(b),
            Resolved::Unbound => {
                let diagnostic = self.error(
                    id.span,
                    format!("unbound identifier `{}`", id.name.as_str()),
                );
                let exporters = self.standard.exporters(id.name);
                if exporters.is_empty() {
                    return Err(diagnostic);
                }
                let shown: Vec<String> = exporters.iter().take(3).map(|l| show_name(l)).collect();
                Err(diagnostic.with_note(
                    None,
                    format!("`{}` is exported by {}", id.name.as_str(), shown.join(", ")),
                ))
            }
            Resolved::Ambiguous => Err(self.error(
                id.span,
                format!("identifier `{}` is ambiguous", id.name.as_str()),
            )),
        }
    }

    /// What the head of `stx` (an identifier, or a list starting with one) is bound to, if it
    /// is bound to syntax: a core form or a macro.
    pub fn syntax_head(&self, stx: &Syntax) -> Option<(Ident, Binding)> {
        let id = match stx {
            Syntax::Id(id) => id,
            _ => stx.head_id()?,
        };
        let binding = self.bindings.get(self.bindings.lookup(id)?);
        match binding {
            Binding::Core(_) | Binding::Macro(_) => Some((id.clone(), binding.clone())),
            _ => None,
        }
    }

    /// The `syntax-rules` keywords as bound in this expansion.
    pub fn keywords(&self, custom_ellipsis: Option<Ident>) -> Keywords<'_> {
        Keywords {
            bindings: &self.bindings,
            custom_ellipsis,
            ellipsis: self.ellipsis,
            underscore: self.underscore,
        }
    }

    /// Applies macro `name` (bound to `transformer`) to the use `form`, entering the use in the
    /// chain. The caller restores `chain` after expanding the result.
    ///
    /// A use in the context the macro is defined in (its keyword has exactly the scopes of the
    /// binding) gets a use-site scope on its input (Flatt 2016): there the macro's templates
    /// carry the same scopes as the input, and without it an identifier the input binds and one
    /// the macro introduces could both fit a reference (an ambiguity). The scope is left in
    /// [`Expander::last_use_site`] for a body to remove from what the use defines.
    pub fn apply_macro(
        &mut self,
        transformer: &Transformer,
        name: &Ident,
        form: &Syntax,
    ) -> Result<Syntax, Diagnostic> {
        self.last_use_site = None;
        let with_use_site;
        let form = if self.bindings.exact(name).is_some() {
            let use_site = self.fresh_scope();
            self.last_use_site = Some(use_site);
            with_use_site = form.add_scope(use_site);
            &with_use_site
        } else {
            form
        };
        let span = form.span().or(name.span);
        if self.chain_depth >= MAX_MACRO_DEPTH {
            return Err(self.error(
                span,
                format!(
                    "macro uses nested more than {MAX_MACRO_DEPTH} deep (a macro that never stops expanding?)"
                ),
            ));
        }
        // Diagnostics about the use itself (no clause matches) belong to the use's context.
        let scope = self.fresh_scope();
        let output = match transformer {
            Transformer::SyntaxRules(rules) => {
                let mut result = None;
                for clause in &rules.clauses {
                    if let Some(r) = clause.apply(&self.bindings, form, scope, span) {
                        result = Some(r);
                        break;
                    }
                }
                match result {
                    Some(r) => r.map_err(|d| self.error(d.span, d.message))?,
                    None => {
                        return Err(self.error(
                            span,
                            format!(
                                "invalid use of `{}`: no syntax-rules clause matches `{}`",
                                name.name.as_str(),
                                show(form)
                            ),
                        ));
                    }
                }
            }
            Transformer::IdentifierSyntax { reference, assign } => {
                self.apply_identifier_syntax(reference, assign.as_deref(), name, form, scope, span)?
            }
            Transformer::Native(native) => native
                .apply(form)
                .map_err(|d| self.error(d.span.or(span), d.message))?,
            Transformer::Procedure {
                id,
                expression: Some(expression),
            } => {
                let handle = self.procedure_handle(*id, expression, span)?;
                self.apply_procedure(handle, name, form, scope, span)?
            }
            Transformer::Procedure {
                expression: None, ..
            } => {
                return Err(self.error(
                    span,
                    format!(
                        "`{}` is a procedural (syntax-case) macro; running them is not supported yet",
                        name.name.as_str()
                    ),
                ));
            }
        };
        self.chain = Some(Rc::new(MacroUse {
            name: name.name,
            span,
            outer: self.chain.take(),
            depth: self.chain_depth + 1,
        }));
        self.chain_depth += 1;
        Ok(output)
    }

    fn apply_identifier_syntax(
        &self,
        reference: &super::syntax_rules::Compiled,
        assign: Option<&super::syntax_rules::Compiled>,
        name: &Ident,
        form: &Syntax,
        scope: Scope,
        span: Option<Span>,
    ) -> Result<Syntax, Diagnostic> {
        let is_set = form
            .head_id()
            .is_some_and(|head| self.bindings.core(head) == Some(CoreForm::Set));
        let fail = |d: Diagnostic| self.error(d.span, d.message);
        if is_set {
            return match assign.and_then(|a| a.apply(&self.bindings, form, scope, span)) {
                Some(result) => result.map_err(fail),
                None => {
                    Err(self.error(span, format!("`{}` cannot be assigned", name.name.as_str())))
                }
            };
        }
        let expansion = reference
            .apply_whole(&self.bindings, form, scope, span)
            .unwrap_or_else(|| Err(Diagnostic::error(span, "identifier-syntax does not match")))
            .map_err(fail)?;
        match form.forced() {
            Syntax::List(items, tail, s) => {
                let mut call = vec![expansion];
                call.extend(items[1..].iter().cloned());
                Ok(Syntax::list(call, tail.as_deref().cloned(), *s))
            }
            _ => Ok(expansion),
        }
    }

    /// Restores the macro-use chain saved before a macro was applied.
    pub fn restore_chain(&mut self, saved: Option<Rc<MacroUse>>) {
        self.chain_depth = saved.as_ref().map_or(0, |u| u.depth);
        self.chain = saved;
    }

    /// A unique global name `prefix::name` (with a `.N` suffix if taken).
    pub fn global_name(&mut self, prefix: &str, name: Symbol) -> Symbol {
        let base = format!("{prefix}::{}", name.as_str());
        let mut candidate = Symbol::intern(&base);
        let mut n = 1;
        while !self.global_names.insert(candidate) {
            candidate = Symbol::intern(&format!("{base}.{n}"));
            n += 1;
        }
        self.own_global_names.push(candidate);
        candidate
    }
}
