//! The binding table: which binding each identifier refers to.
//!
//! A binding is recorded for a symbol and a scope set; an identifier refers to the binding of
//! its symbol whose scope set is the largest subset of the identifier's scopes (Flatt, "Binding
//! as Sets of Scopes"). One table serves an expansion: the bindings it makes, the base
//! library's, and those of the libraries it imports (merged from their own expansions,
//! [`super::delta`]), which is what lets a macro exported by one library refer to that library's
//! unexported helpers: the template's identifiers keep the library's scopes.
//!
//! Binding ids come from one counter for the whole process, so the bindings of separately
//! expanded libraries never collide and their tables merge by union.

use super::syntax::{Ident, Scope, ScopeSet};
use super::syntax_rules::Transformer;
use ir::source::Span;
use ir::symbol::Symbol;
use ir::var::Var;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A binding's id, unique in the process (see the module documentation).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct BindingId(pub u64);

/// The next binding id of the process.
static NEXT_BINDING: AtomicU64 = AtomicU64::new(0);

impl BindingId {
    /// The id the next binding made anywhere in the process will get: every binding made
    /// later has a larger one.
    pub fn next() -> BindingId {
        BindingId(NEXT_BINDING.load(Ordering::Relaxed))
    }
}

/// The forms the expander implements directly.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CoreForm {
    Define,
    DefineSyntax,
    Lambda,
    CaseLambda,
    If,
    Set,
    Quote,
    Begin,
    LetSyntax,
    LetrecSyntax,
    Letrec,
    LetrecStar,
    SyntaxRules,
    IdentifierSyntax,
    /// `syntax`, `syntax-case`, `quasisyntax` (`syntax_case.rs`), and the auxiliary keywords
    /// `unsyntax`, `unsyntax-splicing`.
    Syntax,
    SyntaxCase,
    Quasisyntax,
    Unsyntax,
    UnsyntaxSplicing,
    /// R7RS `include`, `include-ci` and `cond-expand` in a body or expression: they splice in
    /// forms (read from files, or chosen by features).
    Include,
    IncludeCi,
    CondExpand,
    /// R7RS `(syntax-error "message" form ...)`: reports the message where it is expanded.
    SyntaxError,
    /// Keywords that only mean something inside other forms: `else`, `=>`, `...`, `_`,
    /// `unquote`, `unquote-splicing`.
    Auxiliary,
}

/// What an identifier can be bound to.
#[derive(Clone, Debug)]
pub enum Binding {
    Core(CoreForm),
    Macro(Rc<Transformer>),
    /// A variable local to the unit being expanded.
    Lexical(Var),
    /// A top-level variable of a library or the program.
    Global {
        /// Its globally unique name, `lib/name::var` (see the module documentation of `expand`).
        name: Symbol,
        /// The name of the unit (library) that defines it: `(foo bar)`, `program`.
        unit: Symbol,
    },
    Primitive(Symbol),
    /// A `syntax-case` pattern variable: `var` holds its value, in lists nested `depth` deep.
    PatternVar {
        var: Var,
        depth: usize,
    },
}

/// A `bind`: a name, a scope set and the binding filed under them.
pub type Filed = (Symbol, ScopeSet, BindingId);

/// The binding table.
///
/// Each binding is filed under its name and the newest scope of its scope set (as Racket files
/// bindings in their scopes): an identifier can only refer to bindings filed under one of its
/// own scopes, so resolving looks at a few short lists instead of every binding of a common
/// name like `x` or `loop`.
#[derive(Clone)]
pub struct Bindings {
    by_key: HashMap<(Symbol, Scope), Vec<(ScopeSet, BindingId)>>,
    /// For each name, the scopes its bindings are filed under: resolving an identifier with
    /// more scopes than that (deep inside nested binding forms) looks only there.
    key_scopes: HashMap<Symbol, Vec<Scope>>,
    bindings: HashMap<BindingId, Binding>,
    /// The bindings this table made itself (not merged from another expansion), in order.
    own: Vec<BindingId>,
    /// The `bind`s this table made itself, in order.
    own_binds: Vec<(Symbol, ScopeSet, BindingId)>,
    /// What [`Bindings::get`] answers for an id it does not know.
    missing: Binding,
}

impl Default for Bindings {
    fn default() -> Bindings {
        Bindings {
            by_key: HashMap::new(),
            key_scopes: HashMap::new(),
            bindings: HashMap::new(),
            own: Vec::new(),
            own_binds: Vec::new(),
            missing: Binding::Core(CoreForm::Auxiliary),
        }
    }
}

/// The scope a binding with `scopes` is filed under.
fn key_scope(scopes: &ScopeSet) -> Scope {
    scopes.newest().unwrap_or(Scope(0))
}

/// How resolving an identifier went.
pub enum Resolved {
    Bound(BindingId),
    Unbound,
    /// Two bindings fit equally well: neither scope set contains the other.
    Ambiguous,
}

impl Bindings {
    /// Records a new binding.
    pub fn add(&mut self, binding: Binding) -> BindingId {
        let id = BindingId(NEXT_BINDING.fetch_add(1, Ordering::Relaxed));
        self.bindings.insert(id, binding);
        self.own.push(id);
        id
    }

    /// How many bindings there are.
    pub fn len(&self) -> usize {
        self.bindings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bindings.is_empty()
    }

    /// The binding `id`; an id this table does not know (which the expander never asks for)
    /// reads as an auxiliary keyword rather than panicking.
    pub fn get(&self, id: BindingId) -> &Binding {
        self.bindings.get(&id).unwrap_or(&self.missing)
    }

    /// Binds `name` with exactly `scopes` to `binding`, replacing a binding with the same scopes.
    pub fn bind(&mut self, name: Symbol, scopes: ScopeSet, binding: BindingId) {
        self.own_binds.push((name, scopes.clone(), binding));
        self.file(name, scopes, binding);
    }

    /// Forgets which bindings and `bind`s this table made itself: from now on, only those made
    /// after this call count as its own.
    pub fn forget_own(&mut self) {
        self.own.clear();
        self.own_binds.clear();
    }

    /// The bindings this table made itself, except local variables and pattern variables
    /// (which no other unit can refer to), and the `bind`s of those.
    pub fn own_globals(&self) -> (Vec<(BindingId, Binding)>, Vec<Filed>) {
        let is_local = |b: &Binding| matches!(b, Binding::Lexical(_) | Binding::PatternVar { .. });
        let bindings = self
            .own
            .iter()
            .filter_map(|id| Some((*id, self.bindings.get(id)?.clone())))
            .filter(|(_, b)| !is_local(b))
            .collect();
        let binds = self
            .own_binds
            .iter()
            .filter(|(_, _, id)| !is_local(self.get(*id)))
            .cloned()
            .collect();
        (bindings, binds)
    }

    /// Adds bindings made by another table (another library's expansion), not as its own.
    pub fn merge(
        &mut self,
        bindings: &[(BindingId, Binding)],
        binds: &[(Symbol, ScopeSet, BindingId)],
    ) {
        for (id, binding) in bindings {
            self.bindings.insert(*id, binding.clone());
        }
        for (name, scopes, id) in binds {
            self.file(*name, scopes.clone(), *id);
        }
    }

    fn file(&mut self, name: Symbol, scopes: ScopeSet, binding: BindingId) {
        let key = key_scope(&scopes);
        let entries = self.by_key.entry((name, key)).or_default();
        if entries.is_empty() {
            self.key_scopes.entry(name).or_default().push(key);
        }
        match entries.iter_mut().find(|(s, _)| *s == scopes) {
            Some(entry) => entry.1 = binding,
            None => entries.push((scopes, binding)),
        }
    }

    /// Every name bound with exactly `scopes`, sorted by name.
    pub fn bound_with(&self, scopes: &ScopeSet) -> Vec<(Symbol, BindingId)> {
        let mut out: Vec<(Symbol, BindingId)> = self
            .by_key
            .iter()
            .filter_map(|((name, _), entries)| {
                entries
                    .iter()
                    .find(|(s, _)| s == scopes)
                    .map(|&(_, b)| (*name, b))
            })
            .collect();
        out.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        out
    }

    /// The binding recorded for exactly this identifier's scopes, if any.
    pub fn exact(&self, id: &Ident) -> Option<BindingId> {
        let entries = self.by_key.get(&(id.name, key_scope(&id.scopes)))?;
        entries
            .iter()
            .find(|(s, _)| *s == id.scopes)
            .map(|&(_, b)| b)
    }

    pub fn resolve(&self, id: &Ident) -> Resolved {
        // The candidates: bindings filed under one of the identifier's scopes whose scope set
        // is a subset of the identifier's.
        let mut candidates: Vec<&(ScopeSet, BindingId)> = Vec::new();
        let Some(keys) = self.key_scopes.get(&id.name) else {
            return Resolved::Unbound;
        };
        let mut look_under = |scope: Scope| {
            if let Some(entries) = self.by_key.get(&(id.name, scope)) {
                candidates.extend(entries.iter().filter(|e| e.0.is_subset_of(&id.scopes)));
            }
        };
        if keys.len() < id.scopes.len() {
            keys.iter().for_each(|&scope| look_under(scope));
        } else {
            id.scopes.iter().for_each(look_under);
        }
        let Some(best) = candidates.iter().copied().max_by_key(|e| e.0.len()) else {
            return Resolved::Unbound;
        };
        // The best candidate must contain every other candidate, or the reference is ambiguous.
        let ambiguous = candidates
            .iter()
            .any(|e| e.1 != best.1 && !e.0.is_subset_of(&best.0));
        if ambiguous {
            Resolved::Ambiguous
        } else {
            Resolved::Bound(best.1)
        }
    }

    /// The binding of `id`, or `None` if it is unbound or ambiguous.
    pub fn lookup(&self, id: &Ident) -> Option<BindingId> {
        match self.resolve(id) {
            Resolved::Bound(b) => Some(b),
            _ => None,
        }
    }

    /// `free-identifier=?`: both refer to the same binding, or both are unbound with one name.
    pub fn free_eq(&self, a: &Ident, b: &Ident) -> bool {
        match (self.lookup(a), self.lookup(b)) {
            (Some(x), Some(y)) => x == y,
            (None, None) => a.name == b.name,
            _ => false,
        }
    }

    /// The core form `id` names, if it names one.
    pub fn core(&self, id: &Ident) -> Option<CoreForm> {
        match self.lookup(id).map(|b| self.get(b)) {
            Some(Binding::Core(form)) => Some(*form),
            _ => None,
        }
    }
}

/// Where a use of a macro happened: the chain of uses that produced the syntax being expanded,
/// innermost first, shown as notes on diagnostics.
#[derive(Debug)]
pub struct MacroUse {
    pub name: Symbol,
    pub span: Option<Span>,
    pub outer: Option<Rc<MacroUse>>,
    /// How many uses the chain holds, this one included.
    pub depth: usize,
}
