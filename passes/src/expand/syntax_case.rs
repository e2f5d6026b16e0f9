//! Procedural macros: evaluating a transformer expression at expand time, calling it on a
//! use, and the forms transformers are written with — `syntax-case`, `syntax`, `quasisyntax`
//! — compiled to ordinary CoreScheme over the run-time syntax objects described in
//! [`super::phase`].
//!
//! `(syntax-case e (literal ...) clause ...)` becomes a chain of clauses, each
//! `($syntax-dispatch x 'pattern literals)` (in `stdlib/syntax-case.scm`) returning the pattern
//! variables' values as a list, or `#f`, and `(apply (lambda (pvar ...) body) values)`. A
//! pattern is encoded as a constant: `any`, `_`, `()`, `#(lit k)`, `#(pair p q)`,
//! `#(each p vars rest min)` (`p ...` followed by a pattern of at least `min` pairs),
//! `#(vec p)`, `#(atom datum)`. Pattern variables are bound to [`Binding::PatternVar`]s: a
//! variable holding the value, nested in lists `depth` deep. `(syntax template)` becomes code
//! building the output: `cons`/`append` for lists, `map` for ellipses, and
//! `($make-identifier 'name scopes span)` for each identifier of the template.

use super::binding::{Binding, CoreForm};
use super::expander::Expander;
use super::phase::{ExpandHost, Handle, RunError, Value, Violation, show_value};
use super::syntax::{Ident, Scope, ScopeSet, Syntax};
use super::syntax_rules::Transformer;
use ir::datum::{Datum, DatumId};
use ir::lang::core_scheme::{ExprId, Tree};
use ir::number::Number;
use ir::source::{Diagnostic, Span};
use ir::symbol::Symbol;
use ir::var::Var;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The next procedural transformer's id (unique in the process).
static NEXT_PROCEDURE: AtomicU64 = AtomicU64::new(0);

/// A pattern variable's current variable and remaining depth inside a template's ellipses.
type Subst = HashMap<Var, (Var, usize)>;

/// A compiled pattern (see the module documentation for its encoding).
enum Pat {
    Any,
    Underscore,
    Null,
    Literal(usize),
    Pair(Box<Pat>, Box<Pat>),
    Each {
        item: Box<Pat>,
        vars: usize,
        rest: Box<Pat>,
        min: usize,
    },
    Vector(Box<Pat>),
    Atom(Rc<Datum>),
}

impl Expander<'_> {
    /// Evaluates the transformer expression `spec` at expand time.
    ///
    /// The transformer keeps the expression, for importers to evaluate in their own worlds
    /// ([`Expander::procedure_handle`]); it is evaluated here too, so that an error in it is
    /// reported at its definition.
    pub fn eval_procedure(&mut self, spec: &Syntax) -> Result<Transformer, Diagnostic> {
        let id = NEXT_PROCEDURE.fetch_add(1, Ordering::Relaxed);
        if self.runner.is_none() {
            return Ok(Transformer::Procedure {
                id,
                expression: None,
            });
        }
        let saved_arena = std::mem::take(&mut self.arena);
        self.phase_marks.push(super::binding::BindingId::next());
        let expr = self.expr(spec);
        self.phase_marks.pop();
        let mut arena = std::mem::replace(&mut self.arena, saved_arena);
        let expr = expr?;
        let root = arena.program_program(expr);
        let tree = Tree { arena, root };
        let Some(runner) = self.runner.as_mut() else {
            return Ok(Transformer::Procedure {
                id,
                expression: None,
            });
        };
        match runner.eval(&tree, &self.units) {
            Ok(handle) => {
                self.procedures.insert(id, handle);
                Ok(Transformer::Procedure {
                    id,
                    expression: Some(Rc::new(tree)),
                })
            }
            Err(error) => Err(self.run_error(error, spec.span(), "evaluating a macro transformer")),
        }
    }

    /// The runner's handle of the procedural transformer `id` with code `expression`:
    /// evaluated on first use in this expansion (a macro imported from a library expanded
    /// separately, whose value lives in that expansion's world).
    pub fn procedure_handle(
        &mut self,
        id: u64,
        expression: &Tree,
        span: Option<Span>,
    ) -> Result<u32, Diagnostic> {
        if let Some(&handle) = self.procedures.get(&id) {
            return Ok(handle);
        }
        let Some(runner) = self.runner.as_mut() else {
            return Err(self.error(span, "no expand-time runtime to run the transformer"));
        };
        match runner.eval(expression, &self.units) {
            Ok(handle) => {
                self.procedures.insert(id, handle);
                Ok(handle)
            }
            Err(error) => Err(self.run_error(error, span, "evaluating a macro transformer")),
        }
    }

    /// Calls the procedural transformer `handle` on `form`, a use of `name`: the use's fresh
    /// `scope` is added to the input and flipped on the output.
    pub fn apply_procedure(
        &mut self,
        handle: u32,
        name: &Ident,
        form: &Syntax,
        scope: Scope,
        span: Option<Span>,
    ) -> Result<Syntax, Diagnostic> {
        let assign = form
            .head_id()
            .is_some_and(|head| self.bindings.core(head) == Some(CoreForm::Set))
            && !matches!(form, Syntax::Id(_));
        let input = self.handles.to_value(form, &mut |s| s.add(scope));
        let Some(runner) = self.runner.as_mut() else {
            return Err(self.error(span, "no expand-time runtime to run the transformer"));
        };
        let host = Host {
            bindings: &self.bindings,
            handles: &self.handles,
        };
        match runner.call(handle, &input, assign, &host) {
            Ok(output) => Ok(self
                .handles
                .to_syntax(&output, span, &mut |s| flip(s, scope))),
            Err(error) => {
                Err(self.run_error(error, span, &format!("expanding `{}`", name.name.as_str())))
            }
        }
    }

    fn run_error(&self, error: RunError, span: Option<Span>, doing: &str) -> Diagnostic {
        match error {
            RunError::Error(text) => {
                self.error(span, format!("error while {doing}: {}", text.trim_end()))
            }
            RunError::Violation(violation) => {
                let Violation {
                    who,
                    message,
                    form,
                    subform,
                } = *violation;
                let at = subform
                    .as_ref()
                    .or(form.as_ref())
                    .and_then(|v| self.value_span(v))
                    .or(span);
                let mut text = match who {
                    Some(who) => format!("{who}: {message}"),
                    None => message,
                };
                if let Some(form) = &form {
                    text.push_str(&format!(" in `{}`", show_value(&self.handles, form)));
                }
                if let Some(subform) = &subform {
                    text.push_str(&format!(" (at `{}`)", show_value(&self.handles, subform)));
                }
                self.error(at, text)
            }
        }
    }

    fn value_span(&self, value: &Value) -> Option<Span> {
        match value {
            Value::Ident { span, .. } | Value::List(_, _, span) | Value::Vector(_, span) => {
                self.handles.span_of(*span)
            }
            _ => None,
        }
    }

    /// An expression that refers to `name` as the base library binds it.
    fn base_ref(&mut self, name: &str) -> Result<ExprId, Diagnostic> {
        let id = Ident {
            name: Symbol::intern(name),
            scopes: self.base_scopes.clone(),
            span: None,
        };
        match self
            .bindings
            .lookup(&id)
            .map(|b| self.bindings.get(b).clone())
        {
            Some(Binding::Global { name, .. }) => Ok(self.arena.expr_global_ref(name)),
            Some(Binding::Primitive(name)) => Ok(self.arena.expr_primitive(name)),
            _ => Err(self.error(
                None,
                format!("internal error: the base library has no `{name}`"),
            )),
        }
    }

    fn call_base(&mut self, name: &str, args: Vec<ExprId>) -> Result<ExprId, Diagnostic> {
        let f = self.base_ref(name)?;
        Ok(self.arena.expr_call(f, args))
    }

    fn constant(&mut self, datum: Datum) -> ExprId {
        let id = self.arena.cx.datums.add(datum);
        self.arena.expr_quote(id)
    }

    fn fixnum(&mut self, n: u64) -> ExprId {
        self.constant(Datum::Number(Number::Fixnum(n as i64)))
    }

    // ---- syntax-case ------------------------------------------------------------------------

    /// `(syntax-case expr (literal ...) clause ...)`.
    pub fn syntax_case(&mut self, keyword: &Ident, stx: &Syntax) -> Result<ExprId, Diagnostic> {
        let expected = "(syntax-case expression (literal ...) [pattern [fender] output] ...)";
        let args = self.form_args(keyword, stx)?;
        let [input, literals, clauses @ ..] = args else {
            return Err(self.bad_form(stx, keyword, expected));
        };
        let Some(literals) = literals.as_list() else {
            return Err(self.bad_form(literals, keyword, expected));
        };
        let mut lits = Vec::with_capacity(literals.len());
        for literal in literals {
            match literal.as_id() {
                Some(id) if self.is_ellipsis(id) || self.is_underscore(id) => {
                    return Err(self.error(
                        id.span,
                        format!("`{}` cannot be a literal", id.name.as_str()),
                    ));
                }
                Some(id) => lits.push(id.clone()),
                None => {
                    return Err(self.error(
                        literal.span(),
                        "a syntax-case literal must be an identifier",
                    ));
                }
            }
        }
        let input = self.expr(input)?;
        let x = self.arena.cx.vars.fresh(Symbol::intern("x"));
        // The fallback when no clause matches.
        let who = self.constant(Datum::Bool(false));
        let message = self.constant(Datum::String(
            "invalid syntax: no syntax-case clause matches".to_owned(),
        ));
        let x_ref = self.arena.expr_ref(x);
        let mut chain = self.call_base("syntax-violation", vec![who, message, x_ref])?;
        for clause in clauses.iter().rev() {
            chain = self.syntax_case_clause(keyword, clause, x, &lits, chain)?;
        }
        let body = self.arena.expr_lambda(vec![x], None, chain);
        Ok(self.arena.expr_call(body, vec![input]))
    }

    /// One clause, with `otherwise` the code of the clauses after it.
    fn syntax_case_clause(
        &mut self,
        keyword: &Ident,
        clause: &Syntax,
        x: Var,
        lits: &[Ident],
        otherwise: ExprId,
    ) -> Result<ExprId, Diagnostic> {
        let (pattern, fender, output) = match clause.as_list() {
            Some([pattern, output]) => (pattern, None, output),
            Some([pattern, fender, output]) => (pattern, Some(fender), output),
            _ => return Err(self.bad_form(clause, keyword, "[pattern [fender] output] clauses")),
        };
        let mut vars: Vec<(Ident, usize)> = Vec::new();
        let pat = self.pattern(pattern, lits, 0, &mut vars)?;
        for (i, (id, _)) in vars.iter().enumerate() {
            if vars[..i].iter().any(|(other, _)| other.same(id)) {
                return Err(self.error(
                    id.span,
                    format!("duplicate pattern variable `{}`", id.name.as_str()),
                ));
            }
        }
        let scope = self.fresh_scope();
        let mut params = Vec::with_capacity(vars.len());
        for (id, depth) in &vars {
            let var = self.arena.cx.vars.fresh(id.name);
            let binding = self
                .bindings
                .add(Binding::PatternVar { var, depth: *depth });
            let id = id.with_scope(scope);
            self.bindings.bind(id.name, id.scopes.clone(), binding);
            params.push(var);
        }
        // (lambda (next) ((lambda (m) (if m (apply (lambda (pvar ...) body) m) (next))) match))
        let next = self.arena.cx.vars.fresh(Symbol::intern("next"));
        let call_next = |ex: &mut Self| {
            let f = ex.arena.expr_ref(next);
            ex.arena.expr_call(f, Vec::new())
        };
        let output = self.expr(&output.add_scope(scope))?;
        let body = match fender {
            Some(fender) => {
                let test = self.expr(&fender.add_scope(scope))?;
                let no = call_next(self);
                self.arena.expr_if(test, output, no)
            }
            None => output,
        };
        let receiver = self.arena.expr_lambda(params, None, body);
        let m = self.arena.cx.vars.fresh(Symbol::intern("m"));
        let apply = self.arena.expr_primitive(Symbol::intern("apply"));
        let m_ref = self.arena.expr_ref(m);
        let matched = self.arena.expr_call(apply, vec![receiver, m_ref]);
        let no = call_next(self);
        let m_ref = self.arena.expr_ref(m);
        let test = self.arena.expr_if(m_ref, matched, no);
        let on_match = self.arena.expr_lambda(vec![m], None, test);
        let x_ref = self.arena.expr_ref(x);
        let encoded = self.encode_pattern(&pat);
        let pattern_const = self.arena.expr_quote(encoded);
        let mut lit_codes = Vec::with_capacity(lits.len());
        for lit in lits {
            lit_codes.push(self.identifier_code(lit));
        }
        let vector = self.arena.expr_primitive(Symbol::intern("vector"));
        let lits_vector = self.arena.expr_call(vector, lit_codes);
        let dispatch =
            self.call_base("$syntax-dispatch", vec![x_ref, pattern_const, lits_vector])?;
        let inner = self.arena.expr_call(on_match, vec![dispatch]);
        let with_next = self.arena.expr_lambda(vec![next], None, inner);
        let thunk = self.arena.expr_lambda(Vec::new(), None, otherwise);
        Ok(self.arena.expr_call(with_next, vec![thunk]))
    }

    fn is_ellipsis(&self, id: &Ident) -> bool {
        self.bindings.lookup(id) == Some(self.ellipsis)
    }

    fn is_underscore(&self, id: &Ident) -> bool {
        self.bindings.lookup(id) == Some(self.underscore)
    }

    /// Compiles a pattern, collecting its variables (left to right) with their depths. The
    /// keyword position is an ordinary pattern, as R6RS has it.
    fn pattern(
        &self,
        stx: &Syntax,
        lits: &[Ident],
        depth: usize,
        vars: &mut Vec<(Ident, usize)>,
    ) -> Result<Pat, Diagnostic> {
        ir::nanopass::grow(|| match stx.forced() {
            Syntax::Id(id) => {
                if let Some(k) = lits.iter().position(|lit| lit.same(id)) {
                    return Ok(Pat::Literal(k));
                }
                if self.is_underscore(id) {
                    return Ok(Pat::Underscore);
                }
                if self.is_ellipsis(id) {
                    return Err(self.error(id.span, "misplaced ellipsis in a syntax-case pattern"));
                }
                vars.push((id.clone(), depth));
                Ok(Pat::Any)
            }
            Syntax::Atom(datum, _) => Ok(Pat::Atom(datum.clone())),
            Syntax::Vector(items, span) => {
                let list = Syntax::List(items.clone(), None, *span);
                Ok(Pat::Vector(Box::new(
                    self.pattern(&list, lits, depth, vars)?,
                )))
            }
            Syntax::List(items, tail, _) => {
                self.list_pattern(items, tail.as_deref(), lits, depth, vars)
            }
            Syntax::Pending(_) => unreachable!("forced syntax is never pending"),
        })
    }

    fn list_pattern(
        &self,
        items: &[Syntax],
        tail: Option<&Syntax>,
        lits: &[Ident],
        depth: usize,
        vars: &mut Vec<(Ident, usize)>,
    ) -> Result<Pat, Diagnostic> {
        let Some((first, rest)) = items.split_first() else {
            return match tail {
                Some(tail) => self.pattern(tail, lits, depth, vars),
                None => Ok(Pat::Null),
            };
        };
        if let Some(Syntax::Id(e)) = rest.first()
            && self.is_ellipsis(e)
        {
            let before = vars.len();
            let item = self.pattern(first, lits, depth + 1, vars)?;
            let item_vars = vars.len() - before;
            let after = &rest[1..];
            if let Some(second) = after
                .iter()
                .find(|s| s.as_id().is_some_and(|id| self.is_ellipsis(id)))
            {
                return Err(self.error(
                    second.span(),
                    "two ellipses in one list of a syntax-case pattern",
                ));
            }
            let min = after.len();
            let rest = self.list_pattern(after, tail, lits, depth, vars)?;
            return Ok(Pat::Each {
                item: Box::new(item),
                vars: item_vars,
                rest: Box::new(rest),
                min,
            });
        }
        let car = self.pattern(first, lits, depth, vars)?;
        let cdr = self.list_pattern(rest, tail, lits, depth, vars)?;
        Ok(Pat::Pair(Box::new(car), Box::new(cdr)))
    }

    fn encode_pattern(&mut self, pat: &Pat) -> DatumId {
        let sym = |ex: &mut Self, s: &str| ex.arena.cx.datums.add(Datum::Symbol(Symbol::intern(s)));
        let num = |ex: &mut Self, n: usize| {
            ex.arena
                .cx
                .datums
                .add(Datum::Number(Number::Fixnum(n as i64)))
        };
        let parts = match pat {
            Pat::Any => return sym(self, "any"),
            Pat::Underscore => return sym(self, "_"),
            Pat::Null => return self.arena.cx.datums.add(Datum::Null),
            Pat::Literal(k) => vec![sym(self, "lit"), num(self, *k)],
            Pat::Pair(a, b) => {
                let a = self.encode_pattern(a);
                let b = self.encode_pattern(b);
                vec![sym(self, "pair"), a, b]
            }
            Pat::Each {
                item,
                vars,
                rest,
                min,
            } => {
                let item = self.encode_pattern(item);
                let rest = self.encode_pattern(rest);
                vec![
                    sym(self, "each"),
                    item,
                    num(self, *vars),
                    rest,
                    num(self, *min),
                ]
            }
            Pat::Vector(p) => {
                let p = self.encode_pattern(p);
                vec![sym(self, "vec"), p]
            }
            Pat::Atom(d) => {
                let d = self.arena.cx.datums.add((**d).clone());
                vec![sym(self, "atom"), d]
            }
        };
        self.arena.cx.datums.add(Datum::Vector(parts))
    }

    // ---- syntax templates --------------------------------------------------------------------

    /// `(syntax template)`.
    pub fn syntax_template(&mut self, keyword: &Ident, stx: &Syntax) -> Result<ExprId, Diagnostic> {
        let args = self.form_args(keyword, stx)?;
        let [template] = args else {
            return Err(self.bad_form(stx, keyword, "(syntax template)"));
        };
        self.template(template, &Subst::new(), false)
    }

    /// The pattern variable `id` names, with its depth, if it names one.
    fn pattern_var(&self, id: &Ident) -> Option<(Var, usize)> {
        match self.bindings.lookup(id).map(|b| self.bindings.get(b)) {
            Some(Binding::PatternVar { var, depth }) => Some((*var, *depth)),
            _ => None,
        }
    }

    /// Code that makes the identifier `id` at run time.
    fn identifier_code(&mut self, id: &Ident) -> ExprId {
        let name = self.constant(Datum::Symbol(id.name));
        let scopes = self.handles.scopes(&id.scopes);
        let span = self.handles.span(id.span);
        let scopes = self.fixnum(scopes);
        let span = self.fixnum(span);
        self.call_base("$make-identifier", vec![name, scopes, span])
            .unwrap_or(name)
    }

    fn template(&mut self, t: &Syntax, subst: &Subst, escaped: bool) -> Result<ExprId, Diagnostic> {
        ir::nanopass::grow(|| match t.forced() {
            Syntax::Id(id) => {
                if let Some((var, depth)) = self.pattern_var(id) {
                    let (current, left) = subst.get(&var).copied().unwrap_or((var, depth));
                    if left > 0 {
                        return Err(self.error(
                            id.span,
                            format!(
                                "pattern variable `{}` used without an ellipsis",
                                id.name.as_str()
                            ),
                        ));
                    }
                    return Ok(self.arena.expr_ref(current));
                }
                if !escaped && self.is_ellipsis(id) {
                    return Err(self.error(id.span, "misplaced ellipsis in a syntax template"));
                }
                Ok(self.identifier_code(id))
            }
            Syntax::Atom(..) => Ok(self.quote(t)),
            Syntax::Vector(items, span) => {
                let list =
                    self.template(&Syntax::List(items.clone(), None, *span), subst, escaped)?;
                self.call_base("list->vector", vec![list])
            }
            Syntax::List(items, tail, _) => {
                if !escaped
                    && tail.is_none()
                    && let [Syntax::Id(e), inner] = &items[..]
                    && self.is_ellipsis(e)
                {
                    return self.template(inner, subst, true);
                }
                let mut acc = match tail {
                    Some(tail) => self.template(tail, subst, escaped)?,
                    None => self.constant(Datum::Null),
                };
                // Group each element with the ellipses after it, then build from the right.
                let mut groups: Vec<(&Syntax, usize)> = Vec::new();
                for item in items.iter() {
                    let is_ellipsis =
                        !escaped && item.as_id().is_some_and(|id| self.is_ellipsis(id));
                    match (is_ellipsis, groups.last_mut()) {
                        (true, Some(last)) => last.1 += 1,
                        (true, None) => {
                            return Err(
                                self.error(item.span(), "misplaced ellipsis in a syntax template")
                            );
                        }
                        (false, _) => groups.push((item, 0)),
                    }
                }
                for (item, ellipses) in groups.into_iter().rev() {
                    if ellipses == 0 {
                        let car = self.template(item, subst, escaped)?;
                        acc = self.call_base("cons", vec![car, acc])?;
                    } else {
                        let list = self.ellipsis_template(item, ellipses, subst)?;
                        acc = self.call_base("append", vec![list, acc])?;
                    }
                }
                Ok(acc)
            }
            Syntax::Pending(_) => unreachable!("forced syntax is never pending"),
        })
    }

    /// `item` followed by `ellipses` ellipses: a list.
    fn ellipsis_template(
        &mut self,
        item: &Syntax,
        ellipses: usize,
        subst: &Subst,
    ) -> Result<ExprId, Diagnostic> {
        let mut ids = Vec::new();
        collect_ids(item, &mut ids);
        let mut iterated: Vec<(Var, Var, usize)> = Vec::new();
        for id in ids {
            if let Some((var, depth)) = self.pattern_var(&id) {
                let (current, left) = subst.get(&var).copied().unwrap_or((var, depth));
                if left > 0 && !iterated.iter().any(|(v, _, _)| *v == var) {
                    iterated.push((var, current, left));
                }
            }
        }
        if iterated.is_empty() {
            return Err(self.error(
                item.span(),
                "no pattern variable before this ellipsis in the syntax template",
            ));
        }
        let mut inner = subst.clone();
        let mut params = Vec::with_capacity(iterated.len());
        let mut lists = Vec::with_capacity(iterated.len());
        for &(var, current, left) in &iterated {
            let param = self.arena.cx.vars.fresh(self.arena.cx.vars.name(current));
            inner.insert(var, (param, left - 1));
            params.push(param);
            lists.push(self.arena.expr_ref(current));
        }
        let body = if ellipses == 1 {
            self.template(item, &inner, false)?
        } else {
            self.ellipsis_template(item, ellipses - 1, &inner)?
        };
        let f = self.arena.expr_lambda(params, None, body);
        let mut args = vec![f];
        args.extend(lists);
        let mapped = self.call_base("map", args)?;
        if ellipses == 1 {
            Ok(mapped)
        } else {
            let apply = self.arena.expr_primitive(Symbol::intern("apply"));
            let append = self.base_ref("append")?;
            Ok(self.arena.expr_call(apply, vec![append, mapped]))
        }
    }

    /// `(quasisyntax template)`: each `(unsyntax e)` (`(unsyntax-splicing e)`) at depth one
    /// becomes a fresh pattern variable bound to `e` (a list of them, followed by an
    /// ellipsis), and the whole a `with-syntax` around a `syntax` template. Nested
    /// `quasisyntax` forms keep their own `unsyntax` forms (R6RS's depth rule).
    pub fn quasisyntax(&mut self, keyword: &Ident, stx: &Syntax) -> Result<ExprId, Diagnostic> {
        let args = self.form_args(keyword, stx)?;
        let [template] = args else {
            return Err(self.bad_form(stx, keyword, "(quasisyntax template)"));
        };
        let scope = self.fresh_scope();
        let mut bindings: Vec<Syntax> = Vec::new();
        let template = self.unsyntax(template, 1, scope, &mut bindings)?;
        let span = stx.span();
        let base = |name: &str| {
            Syntax::Id(Ident {
                name: Symbol::intern(name),
                scopes: self.base_scopes.clone(),
                span,
            })
        };
        let body = Syntax::list(vec![base("syntax"), template], None, span);
        let form = Syntax::list(
            vec![
                base("with-syntax"),
                Syntax::list(bindings, None, span),
                body,
            ],
            None,
            span,
        );
        self.expr(&form)
    }

    /// Replaces the `unsyntax` and `unsyntax-splicing` forms of `t` that belong to the
    /// outermost `quasisyntax` (nested `quasisyntax` forms raise `depth`, `unsyntax` forms
    /// lower it) by fresh pattern variables, whose bindings go to `bindings`.
    fn unsyntax(
        &mut self,
        t: &Syntax,
        depth: usize,
        scope: Scope,
        bindings: &mut Vec<Syntax>,
    ) -> Result<Syntax, Diagnostic> {
        ir::nanopass::grow(|| match t.forced() {
            Syntax::List(items, tail, span) => {
                let form = self.quasi_form(t);
                if form == Some(CoreForm::Unsyntax) && items.len() == 2 && tail.is_none() {
                    if depth == 1 {
                        let temp = self.temporary(scope, bindings.len());
                        bindings.push(Syntax::list(
                            vec![temp.clone(), items[1].clone()],
                            None,
                            *span,
                        ));
                        return Ok(temp);
                    }
                    let inner = self.unsyntax(&items[1], depth - 1, scope, bindings)?;
                    return Ok(Syntax::list(vec![items[0].clone(), inner], None, *span));
                }
                let depth = if form == Some(CoreForm::Quasisyntax) {
                    depth + 1
                } else {
                    depth
                };
                let mut out = Vec::with_capacity(items.len());
                for item in items.iter() {
                    if self.quasi_form(item) == Some(CoreForm::UnsyntaxSplicing)
                        && let Some([keyword, e]) = item.as_list()
                    {
                        if depth > 1 {
                            let inner = self.unsyntax(e, depth - 1, scope, bindings)?;
                            out.push(Syntax::list(
                                vec![keyword.clone(), inner],
                                None,
                                item.span(),
                            ));
                            continue;
                        }
                        let temp = self.temporary(scope, bindings.len());
                        let ellipsis = Syntax::Id(Ident {
                            name: Symbol::intern("..."),
                            scopes: self.base_scopes.clone(),
                            span: *span,
                        });
                        let pattern =
                            Syntax::list(vec![temp.clone(), ellipsis.clone()], None, *span);
                        bindings.push(Syntax::list(vec![pattern, e.clone()], None, *span));
                        out.push(temp);
                        out.push(ellipsis);
                        continue;
                    }
                    out.push(self.unsyntax(item, depth, scope, bindings)?);
                }
                let tail = match tail {
                    Some(tail) => Some(self.unsyntax(tail, depth, scope, bindings)?),
                    None => None,
                };
                Ok(Syntax::list(out, tail, *span))
            }
            Syntax::Vector(items, span) => {
                // As a list, so that unsyntax-splicing works among the elements.
                let list = Syntax::List(items.clone(), None, *span);
                match &self.unsyntax(&list, depth, scope, bindings)? {
                    Syntax::List(out, None, _) => Ok(Syntax::Vector(out.clone(), *span)),
                    _ => Ok(t.clone()),
                }
            }
            _ => Ok(t.clone()),
        })
    }

    /// The quasisyntax-related core form `stx` is a use of, if any.
    fn quasi_form(&self, stx: &Syntax) -> Option<CoreForm> {
        stx.head_id().and_then(|h| self.bindings.core(h))
    }

    fn temporary(&self, scope: Scope, n: usize) -> Syntax {
        Syntax::Id(Ident {
            name: Symbol::intern(&format!("unsyntax.{n}")),
            scopes: ScopeSet::of(scope),
            span: None,
        })
    }

    /// The error for a pattern variable used outside a template.
    pub fn pattern_var_misuse(&self, id: &Ident) -> Diagnostic {
        self.error(
            id.span,
            format!(
                "pattern variable `{}` used outside of a syntax template",
                id.name.as_str()
            ),
        )
    }

    /// The error for a top-level variable of the unit being expanded used by code that runs at
    /// expand time: the unit has not run yet (it runs after its expansion).
    pub fn phase_check_global(&self, unit: Symbol, id: &Ident) -> Result<(), Diagnostic> {
        if !self.phase_marks.is_empty() && unit == self.unit {
            return Err(self.error(
                id.span,
                format!(
                    "`{}` is defined by the code being expanded, which has not run yet: expand-time code cannot use it (define it in a library)",
                    id.name.as_str()
                ),
            ));
        }
        Ok(())
    }

    /// The error for a variable of the program used by code that runs at expand time.
    pub fn phase_check(
        &self,
        binding: super::binding::BindingId,
        id: &Ident,
    ) -> Result<(), Diagnostic> {
        match self.phase_marks.last() {
            Some(&mark) if binding < mark => Err(self.error(
                id.span,
                format!(
                    "`{}` is a variable of the program, not available to expand-time code",
                    id.name.as_str()
                ),
            )),
            _ => Ok(()),
        }
    }
}

/// Flips `scope` in `set`: adds it if absent, removes it if present.
fn flip(set: &ScopeSet, scope: Scope) -> ScopeSet {
    if set.iter().any(|s| s == scope) {
        set.without(&[scope])
    } else {
        set.add(scope)
    }
}

fn collect_ids(stx: &Syntax, out: &mut Vec<Ident>) {
    match stx.forced() {
        Syntax::Id(id) => out.push(id.clone()),
        Syntax::Atom(..) => {}
        Syntax::List(items, tail, _) => {
            for item in items.iter() {
                collect_ids(item, out);
            }
            if let Some(tail) = tail {
                collect_ids(tail, out);
            }
        }
        Syntax::Vector(items, _) => {
            for item in items.iter() {
                collect_ids(item, out);
            }
        }
        Syntax::Pending(_) => unreachable!("forced syntax is never pending"),
    }
}

/// The expander's answers to a running transformer.
struct Host<'a> {
    bindings: &'a super::binding::Bindings,
    handles: &'a super::phase::Handles,
}

impl ExpandHost for Host<'_> {
    fn free_identifier_eq(&self, a: (Symbol, Handle), b: (Symbol, Handle)) -> bool {
        let ident = |(name, scopes): (Symbol, Handle)| Ident {
            name,
            scopes: self.handles.scope_set(scopes).cloned().unwrap_or_default(),
            span: None,
        };
        self.bindings.free_eq(&ident(a), &ident(b))
    }
}
