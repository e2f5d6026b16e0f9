//! Syntax objects: S-expressions whose identifiers carry a set of scopes (Flatt's "sets of
//! scopes" hygiene) and whose nodes carry source locations.
//!
//! Scopes are added lazily: adding a scope to a list or vector wraps it in a
//! [`Syntax::Pending`] node that records the scopes still to be added, and they are pushed down
//! one level the first time someone looks inside ([`Syntax::forced`], cached), so a binding
//! form costs time for what the expander visits, not for the size of its whole body (nested
//! binding forms would otherwise cost time quadratic in their depth). Code that takes syntax
//! apart matches on `stx.forced()`. Only identifiers have scopes, so lists can be flattened
//! freely (a template `(a . rest)` with `rest` bound to a list becomes one list).

use ir::datum::{Datum, DatumId, Datums};
use ir::source::{Diagnostic, Span};
use ir::symbol::Symbol;
use std::cell::OnceCell;
use std::collections::HashSet;
use std::rc::Rc;

pub use super::scopes::{Scope, ScopeSet};

/// An identifier: a symbol with scopes.
#[derive(Clone, Debug)]
pub struct Ident {
    pub name: Symbol,
    pub scopes: ScopeSet,
    pub span: Option<Span>,
}

impl Ident {
    /// This identifier with `scope` added.
    pub fn with_scope(&self, scope: Scope) -> Ident {
        Ident {
            name: self.name,
            scopes: self.scopes.add(scope),
            span: self.span,
        }
    }

    /// This identifier without the scopes in `remove`.
    pub fn without(&self, remove: &[Scope]) -> Ident {
        Ident {
            name: self.name,
            scopes: self.scopes.without(remove),
            span: self.span,
        }
    }
    /// Whether the two identifiers would be bound by the same binding form (`bound-identifier=?`).
    pub fn same(&self, other: &Ident) -> bool {
        self.name == other.name && self.scopes == other.scopes
    }
}

/// A syntax object.
#[derive(Clone, Debug)]
pub enum Syntax {
    Id(Ident),
    /// A constant other than a pair, vector, symbol or the empty list.
    Atom(Rc<Datum>, Option<Span>),
    /// A list `(items ... . tail)`; `tail` is `None` for a proper list, and is never itself a
    /// list. `()` is an empty proper list.
    List(Rc<[Syntax]>, Option<Rc<Syntax>>, Option<Span>),
    Vector(Rc<[Syntax]>, Option<Span>),
    /// A list or vector whose identifiers are still to get some scopes (see the module
    /// documentation); never seen by code that matches on [`Syntax::forced`].
    Pending(Rc<PendingScopes>),
}

/// A list or vector and the scopes still to be added to its identifiers.
#[derive(Debug)]
pub struct PendingScopes {
    /// A `List` or `Vector`, never `Pending`.
    inner: Syntax,
    adding: ScopeSet,
    /// `inner` with `adding` pushed down one level, once someone has looked.
    forced: OnceCell<Syntax>,
}

impl Syntax {
    /// The list `(items ... . tail)`, flattening a tail that is itself a list.
    pub fn list(mut items: Vec<Syntax>, tail: Option<Syntax>, span: Option<Span>) -> Syntax {
        // A tail with pending scopes is looked into, so that a list tail is flattened.
        let tail = tail.map(|tail| match tail {
            Syntax::Pending(_) => tail.forced().clone(),
            tail => tail,
        });
        match tail {
            // `( . tail)` is just `tail`.
            Some(tail) if items.is_empty() => tail,
            None => Syntax::List(items.into(), None, span),
            Some(Syntax::List(ref more, ref tail, _)) => {
                items.extend(more.iter().cloned());
                Syntax::List(items.into(), tail.clone(), span)
            }
            Some(tail) => Syntax::List(items.into(), Some(Rc::new(tail)), span),
        }
    }

    pub fn span(&self) -> Option<Span> {
        match self {
            Syntax::Id(id) => id.span,
            Syntax::Atom(_, span) | Syntax::List(_, _, span) | Syntax::Vector(_, span) => *span,
            Syntax::Pending(pending) => pending.inner.span(),
        }
    }

    pub fn as_id(&self) -> Option<&Ident> {
        match self {
            Syntax::Id(id) => Some(id),
            _ => None,
        }
    }

    /// The items of a proper list.
    pub fn as_list(&self) -> Option<&[Syntax]> {
        match self.forced() {
            Syntax::List(items, None, _) => Some(items),
            _ => None,
        }
    }

    /// The identifier at the head of a list, if any.
    pub fn head_id(&self) -> Option<&Ident> {
        match self.forced() {
            Syntax::List(items, _, _) => items.first().and_then(Syntax::as_id),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.forced(), Syntax::List(items, None, _) if items.is_empty())
    }

    /// This syntax with `scope` added to every identifier (lazily, below the top).
    pub fn add_scope(&self, scope: Scope) -> Syntax {
        match self {
            Syntax::Id(id) => Syntax::Id(id.with_scope(scope)),
            Syntax::Atom(..) => self.clone(),
            Syntax::Pending(pending) => Syntax::pending(&pending.inner, pending.adding.add(scope)),
            Syntax::List(..) | Syntax::Vector(..) => Syntax::pending(self, ScopeSet::of(scope)),
        }
    }

    /// This syntax with the scopes `adding` added to every identifier (lazily, below the top).
    fn add_scopes(&self, adding: &ScopeSet) -> Syntax {
        match self {
            Syntax::Id(id) => Syntax::Id(Ident {
                name: id.name,
                scopes: id.scopes.union(adding),
                span: id.span,
            }),
            Syntax::Atom(..) => self.clone(),
            Syntax::Pending(pending) => {
                Syntax::pending(&pending.inner, pending.adding.union(adding))
            }
            Syntax::List(..) | Syntax::Vector(..) => Syntax::pending(self, adding.clone()),
        }
    }

    /// `inner` (a list or vector) with `adding` pending; the empty list has nothing to add to.
    fn pending(inner: &Syntax, adding: ScopeSet) -> Syntax {
        if matches!(inner, Syntax::List(items, None, _) if items.is_empty()) {
            return inner.clone();
        }
        Syntax::Pending(Rc::new(PendingScopes {
            inner: inner.clone(),
            adding,
            forced: OnceCell::new(),
        }))
    }

    /// This syntax with its pending scopes pushed down one level: an identifier, constant, list
    /// or vector, never `Pending` (its children may be).
    pub fn forced(&self) -> &Syntax {
        let Syntax::Pending(pending) = self else {
            return self;
        };
        pending.forced.get_or_init(|| match &pending.inner {
            Syntax::List(items, tail, span) => Syntax::List(
                items
                    .iter()
                    .map(|item| item.add_scopes(&pending.adding))
                    .collect(),
                tail.as_ref()
                    .map(|tail| Rc::new(tail.add_scopes(&pending.adding))),
                *span,
            ),
            Syntax::Vector(items, span) => Syntax::Vector(
                items
                    .iter()
                    .map(|item| item.add_scopes(&pending.adding))
                    .collect(),
                *span,
            ),
            other => other.add_scopes(&pending.adding),
        })
    }

    /// Rebuilds the syntax with `f` applied to each identifier.
    pub fn map_ids(&self, f: &mut dyn FnMut(&Ident) -> Ident) -> Syntax {
        ir::nanopass::grow(|| match self.forced() {
            Syntax::Id(id) => Syntax::Id(f(id)),
            Syntax::Atom(..) => self.clone(),
            Syntax::List(items, tail, span) => Syntax::List(
                items.iter().map(|item| item.map_ids(f)).collect(),
                tail.as_ref().map(|tail| Rc::new(tail.map_ids(f))),
                *span,
            ),
            Syntax::Vector(items, span) => {
                Syntax::Vector(items.iter().map(|item| item.map_ids(f)).collect(), *span)
            }
            Syntax::Pending(_) => unreachable!("forced syntax is never pending"),
        })
    }

    /// The datum this syntax stands for (`syntax->datum`), added to `datums`.
    pub fn to_datum(&self, datums: &mut Datums) -> DatumId {
        ir::nanopass::grow(|| match self.forced() {
            Syntax::Id(id) => datums.add_at(Datum::Symbol(id.name), id.span),
            Syntax::Atom(datum, span) => datums.add_at((**datum).clone(), *span),
            Syntax::List(items, tail, span) => {
                let mut list = match tail {
                    Some(tail) => tail.to_datum(datums),
                    None => datums.add(Datum::Null),
                };
                for (i, item) in items.iter().enumerate().rev() {
                    let car = item.to_datum(datums);
                    let pair_span = if i == 0 { *span } else { item.span() };
                    list = datums.add_at(Datum::Pair(car, list), pair_span);
                }
                if items.is_empty() {
                    datums.set_span(list, *span);
                }
                list
            }
            Syntax::Vector(items, span) => {
                let items = items.iter().map(|item| item.to_datum(datums)).collect();
                datums.add_at(Datum::Vector(items), *span)
            }
            Syntax::Pending(_) => unreachable!("forced syntax is never pending"),
        })
    }
}

thread_local! {
    /// The empty list's items, shared, so taking a node's children apart allocates nothing.
    static NO_ITEMS: Rc<[Syntax]> = Rc::from(Vec::new());
}

/// Dropping a deeply nested syntax object must not recurse once per level: children that have
/// children of their own are moved to an explicit stack first.
impl Drop for Syntax {
    fn drop(&mut self) {
        let mut stack = Vec::new();
        take_children(self, &mut stack);
        while let Some(mut node) = stack.pop() {
            take_children(&mut node, &mut stack);
        }
    }
}

fn take_children(node: &mut Syntax, stack: &mut Vec<Syntax>) {
    let (items, tail) = match node {
        Syntax::List(items, tail, _) => (items, tail.take()),
        Syntax::Vector(items, _) => (items, None),
        Syntax::Pending(pending) => {
            if let Some(pending) = Rc::get_mut(pending) {
                let empty = || Syntax::List(NO_ITEMS.with(Rc::clone), None, None);
                stack.push(std::mem::replace(&mut pending.inner, empty()));
                if let Some(forced) = pending.forced.take() {
                    stack.push(forced);
                }
            }
            return;
        }
        _ => return,
    };
    if let Some(items) = Rc::get_mut(items) {
        for item in items.iter_mut() {
            if matches!(
                item,
                Syntax::List(..) | Syntax::Vector(..) | Syntax::Pending(..)
            ) {
                let empty = NO_ITEMS.with(Rc::clone);
                stack.push(std::mem::replace(item, Syntax::List(empty, None, None)));
            }
        }
    }
    if let Some(tail) = tail
        && let Ok(tail) = Rc::try_unwrap(tail)
    {
        stack.push(tail);
    }
}

/// Converts datums read from source to syntax whose identifiers all have `scopes`; with
/// `fold_case`, symbols are case-folded (`include-ci`). Cyclic data (datum labels) is an error:
/// a program is a tree.
pub fn from_datum(
    datums: &Datums,
    id: DatumId,
    scopes: &ScopeSet,
    fold_case: bool,
) -> Result<Syntax, Diagnostic> {
    let mut open = HashSet::new();
    convert(datums, id, scopes, fold_case, &mut open)
}

fn convert(
    datums: &Datums,
    id: DatumId,
    scopes: &ScopeSet,
    fold_case: bool,
    open: &mut HashSet<DatumId>,
) -> Result<Syntax, Diagnostic> {
    ir::nanopass::grow(|| {
        let span = datums.span(id);
        Ok(match datums.get(id) {
            Datum::Symbol(name) => Syntax::Id(Ident {
                name: if fold_case {
                    Symbol::intern(&name.as_str().to_lowercase())
                } else {
                    *name
                },
                scopes: scopes.clone(),
                span,
            }),
            Datum::Null => Syntax::List(Rc::new([]), None, span),
            Datum::Pair(..) => {
                let mut items = Vec::new();
                let mut walked = Vec::new();
                let mut at = id;
                let tail = loop {
                    match datums.get(at) {
                        Datum::Pair(car, cdr) => {
                            if !open.insert(at) {
                                return Err(cyclic(span));
                            }
                            walked.push(at);
                            items.push(convert(datums, *car, scopes, fold_case, open)?);
                            at = *cdr;
                        }
                        Datum::Null => break None,
                        _ => break Some(convert(datums, at, scopes, fold_case, open)?),
                    }
                };
                for pair in walked {
                    open.remove(&pair);
                }
                Syntax::list(items, tail, span)
            }
            Datum::Vector(elements) => {
                if !open.insert(id) {
                    return Err(cyclic(span));
                }
                let mut items = Vec::with_capacity(elements.len());
                for &element in elements {
                    items.push(convert(datums, element, scopes, fold_case, open)?);
                }
                open.remove(&id);
                Syntax::Vector(items.into(), span)
            }
            other => Syntax::Atom(Rc::new(other.clone()), span),
        })
    })
}

fn cyclic(span: Option<Span>) -> Diagnostic {
    Diagnostic::error(span, "cyclic data cannot be part of a program")
}

/// Writes syntax as Scheme text, for error messages.
pub fn show(stx: &Syntax) -> String {
    let mut datums = Datums::new();
    let id = stx.to_datum(&mut datums);
    let text = ir::writer::write(&datums, id);
    ir::nanopass::truncate(text, 60)
}
