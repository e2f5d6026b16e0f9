//! Expand time: how the expander runs phase-1 code (procedural macro transformers) through a
//! [`PhaseRunner`] that someone else implements (the `loko` crate compiles the code with the
//! backend and runs it in-process; `passes` never depends on `backend`), and the values that
//! cross between them.
//!
//! **Syntax objects at run time.** A transformer sees its input as ordinary Scheme data: pairs,
//! vectors and constants, with each identifier an *identifier object*, a record of the base
//! library's opaque type `identifier` with the fields `name` (the symbol), `scopes` (a fixnum
//! naming a scope set) and `span` (a fixnum naming a source location), both handles into the
//! expander's [`Handles`]. Handles are interned, so two identifiers have the same scopes
//! exactly when their handles are equal (`bound-identifier=?`). `syntax-case` and `syntax`
//! compile to Scheme code over these (`syntax_case.rs`, `stdlib/syntax-case.scm`).
//! `free-identifier=?` needs the binding table, which only the expander has: the runtime asks
//! it through the `expand` service ([`ExpandHost`]), answered while a transformer runs.
//!
//! Hygiene: before a call, the use's fresh scope is added to every identifier of the input;
//! after it, the scope is flipped on the output (Flatt), so what the transformer introduced
//! carries the scope and what it copied from the input does not.
//!
//! **Partial:** phases are implicit (a library is available at whatever phase it is used).

use super::scopes::ScopeSet;
use super::syntax::{Ident, Syntax};
use ir::datum::Datum;
use ir::lang::core_scheme::Tree;
use ir::source::Span;
use ir::symbol::Symbol;
use std::collections::HashMap;
use std::rc::Rc;

/// A value crossing between the expander and the expand-time runtime.
#[derive(Clone, Debug)]
pub enum Value {
    Ident {
        name: Symbol,
        scopes: Handle,
        span: Handle,
    },
    /// A list `(items ... . tail)` (no tail: proper) with the handle of its span (0: none).
    List(Vec<Value>, Option<Box<Value>>, Handle),
    Vector(Vec<Value>, Handle),
    /// A symbol that is not wrapped in an identifier.
    Symbol(Symbol),
    /// Any other constant (never a pair, vector, symbol or `()`).
    Atom(Datum),
}

/// Why running phase-1 code failed.
#[derive(Clone, Debug)]
pub enum RunError {
    /// `(syntax-violation who message form [subform])`.
    Violation(Box<Violation>),
    /// Any other error (the runtime's report of it), or a value the expander cannot use.
    Error(String),
}

/// What `syntax-violation` reported.
#[derive(Clone, Debug)]
pub struct Violation {
    pub who: Option<String>,
    pub message: String,
    pub form: Option<Value>,
    pub subform: Option<Value>,
}

/// What a transformer asks the expander while it runs.
pub trait ExpandHost {
    /// `free-identifier=?`.
    fn free_identifier_eq(&self, a: (Symbol, Handle), b: (Symbol, Handle)) -> bool;
}

/// Runs phase-1 code for the expander.
pub trait PhaseRunner {
    /// Evaluates `tree`, the expression of a macro definition, in the expand-time world, and
    /// keeps its value: returns its handle. `units` are the units expanded so far; the runner
    /// instantiates those whose variables the code refers to.
    fn eval(&mut self, tree: &Tree, units: &[super::Unit]) -> Result<u32, RunError>;
    /// Calls the transformer `handle` on `input`. `assign` says the use is `(set! keyword e)`,
    /// which only a variable transformer accepts.
    fn call(
        &mut self,
        transformer: u32,
        input: &Value,
        assign: bool,
        host: &dyn ExpandHost,
    ) -> Result<Value, RunError>;
}

/// A handle: a fixnum naming a scope set or a span in [`Handles`]. The upper 32 bits are the
/// namespace of the expansion that made it, the lower a count within that expansion.
pub type Handle = u64;

/// The scope sets and spans that identifiers at run time name by fixnum handles.
///
/// Handles appear in units' code (compiled `syntax` templates) and in the values a library's
/// code builds at expand time, so an importer must know the handles of the libraries it imports:
/// each expansion makes handles in a namespace of its own ([`Handles::new`]; the driver gives
/// each library and program a different one), and [`Handles::merge`] adds another expansion's.
/// In namespace 0 the handles are 0, 1, 2, ... (spans from 1: 0 is "no span").
#[derive(Clone, Default)]
pub struct Handles {
    namespace: u64,
    scopes: HashMap<Handle, ScopeSet>,
    scope_index: HashMap<ScopeSet, Handle>,
    spans: HashMap<Handle, Span>,
    next_scopes: u64,
    next_span: u64,
}

/// The handles one expansion made in its namespace, to merge into another's table.
#[derive(Clone, Default)]
pub struct HandlesDelta {
    scopes: Vec<(Handle, ScopeSet)>,
    spans: Vec<(Handle, Span)>,
}

impl Handles {
    /// The handles of an expansion in `namespace` (below 2^28, so handles stay fixnums), plus
    /// those of `self` (the base library's state, say).
    pub fn in_namespace(&self, namespace: u32) -> Handles {
        let mut handles = self.clone();
        if u64::from(namespace) != handles.namespace {
            handles.namespace = u64::from(namespace);
            handles.next_scopes = 0;
            handles.next_span = 0;
        }
        handles
    }

    fn fresh(&self, local: u64) -> Handle {
        (self.namespace << 32) | (local & 0xffff_ffff)
    }

    pub fn scopes(&mut self, set: &ScopeSet) -> Handle {
        if let Some(&h) = self.scope_index.get(set) {
            return h;
        }
        let h = self.fresh(self.next_scopes);
        self.next_scopes += 1;
        self.scopes.insert(h, set.clone());
        self.scope_index.insert(set.clone(), h);
        h
    }

    pub fn scope_set(&self, handle: Handle) -> Option<&ScopeSet> {
        self.scopes.get(&handle)
    }

    /// The handle of `span`; 0 is "no span".
    pub fn span(&mut self, span: Option<Span>) -> Handle {
        let Some(span) = span else {
            return 0;
        };
        self.next_span += 1;
        let h = self.fresh(self.next_span);
        self.spans.insert(h, span);
        h
    }

    pub fn span_of(&self, handle: Handle) -> Option<Span> {
        self.spans.get(&handle).copied()
    }

    /// The handles made in this table's own namespace.
    pub fn own(&self) -> HandlesDelta {
        let mine = |h: &Handle| h >> 32 == self.namespace;
        let mut scopes: Vec<(Handle, ScopeSet)> = self
            .scopes
            .iter()
            .filter(|(h, _)| mine(h))
            .map(|(h, s)| (*h, s.clone()))
            .collect();
        scopes.sort_by_key(|(h, _)| *h);
        let mut spans: Vec<(Handle, Span)> = self
            .spans
            .iter()
            .filter(|(h, _)| mine(h))
            .map(|(h, s)| (*h, *s))
            .collect();
        spans.sort_by_key(|(h, _)| *h);
        HandlesDelta { scopes, spans }
    }

    /// Adds another expansion's handles. A scope set that already has a handle here keeps it
    /// for new templates (both handles name it).
    pub fn merge(&mut self, delta: &HandlesDelta) {
        for (h, set) in &delta.scopes {
            self.scopes.insert(*h, set.clone());
            self.scope_index.entry(set.clone()).or_insert(*h);
        }
        for (h, span) in &delta.spans {
            self.spans.insert(*h, *span);
        }
    }

    /// `stx` as a run-time value, with `with` applied to each identifier's scopes.
    pub fn to_value(&mut self, stx: &Syntax, with: &mut dyn FnMut(&ScopeSet) -> ScopeSet) -> Value {
        ir::nanopass::grow(|| match stx.forced() {
            Syntax::Id(id) => Value::Ident {
                name: id.name,
                scopes: self.scopes(&with(&id.scopes)),
                span: self.span(id.span),
            },
            Syntax::Atom(datum, _) => Value::Atom((**datum).clone()),
            Syntax::List(items, tail, span) => {
                let items = items.iter().map(|i| self.to_value(i, with)).collect();
                let tail = tail.as_ref().map(|t| Box::new(self.to_value(t, with)));
                Value::List(items, tail, self.span(*span))
            }
            Syntax::Vector(items, span) => {
                let items = items.iter().map(|i| self.to_value(i, with)).collect();
                Value::Vector(items, self.span(*span))
            }
            Syntax::Pending(_) => unreachable!("forced syntax is never pending"),
        })
    }

    /// The syntax a run-time value stands for, with `with` applied to each identifier's scopes;
    /// nodes without a span of their own get `default`. A bare symbol becomes an identifier
    /// with no scopes (bound to nothing).
    pub fn to_syntax(
        &self,
        value: &Value,
        default: Option<Span>,
        with: &mut dyn FnMut(&ScopeSet) -> ScopeSet,
    ) -> Syntax {
        ir::nanopass::grow(|| match value {
            Value::Ident { name, scopes, span } => Syntax::Id(Ident {
                name: *name,
                scopes: with(&self.scope_set(*scopes).cloned().unwrap_or_default()),
                span: self.span_of(*span).or(default),
            }),
            Value::Symbol(name) => Syntax::Id(Ident {
                name: *name,
                scopes: ScopeSet::default(),
                span: default,
            }),
            Value::Atom(datum) => Syntax::Atom(Rc::new(datum.clone()), default),
            Value::List(items, tail, span) => {
                let span = self.span_of(*span).or(default);
                let items = items
                    .iter()
                    .map(|i| self.to_syntax(i, span, with))
                    .collect();
                let tail = tail.as_ref().map(|t| self.to_syntax(t, span, with));
                Syntax::list(items, tail, span)
            }
            Value::Vector(items, span) => {
                let span = self.span_of(*span).or(default);
                let items = items
                    .iter()
                    .map(|i| self.to_syntax(i, span, with))
                    .collect();
                Syntax::Vector(items, span)
            }
        })
    }
}

/// Writes a run-time value as Scheme text (identifiers as their names), for messages.
pub fn show_value(handles: &Handles, value: &Value) -> String {
    super::syntax::show(&handles.to_syntax(value, None, &mut |s| s.clone()))
}
