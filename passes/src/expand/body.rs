//! Bodies: sequences of definitions and expressions (lambda bodies, library and program
//! bodies), and macro definitions.
//!
//! A body is expanded in two passes, as R6RS describes: the first expands each form only far
//! enough to see whether it is a definition (expanding macro uses at its head, splicing `begin`,
//! `let-syntax` and `letrec-syntax`) and binds what it defines, so every form of the body sees
//! every definition; the second expands the right-hand sides and expressions. An internal body
//! becomes a `letrec*`; a top-level body becomes `set-global!`s and expressions in order.

use super::binding::{Binding, CoreForm, MacroUse};
use super::expander::Expander;
use super::syntax::{Ident, Scope, ScopeSet, Syntax};
use super::syntax_rules::{Compiled, SyntaxRules, Transformer, compile_clause};
use ir::lang::core_scheme::ExprId;
use ir::source::{Diagnostic, Span};
use ir::symbol::Symbol;
use ir::var::Var;
use std::collections::{HashSet, VecDeque};
use std::rc::Rc;

/// Where a body is.
#[derive(Clone, Copy)]
pub enum BodyKind<'p> {
    /// Inside a procedure or a local binding form: definitions become a `letrec*`.
    Internal,
    /// A library's or program's body: definitions become globals named `prefix::name`.
    TopLevel { prefix: &'p str },
}

/// A form waiting for the first pass: the form, the macro uses it came from, and the scopes
/// of the splicing `let-syntax` forms around it.
type Pending = (Syntax, Option<Rc<MacroUse>>, Rc<[Scope]>);

/// A form of a body after the first pass.
enum Item {
    Define {
        target: Target,
        rhs: Rhs,
        chain: Option<Rc<MacroUse>>,
    },
    Expr {
        stx: Syntax,
        chain: Option<Rc<MacroUse>>,
    },
}

enum Target {
    Var(Var),
    Global(Symbol),
}

enum Rhs {
    Expr(Syntax),
    /// `(define (f . formals) body ...)`.
    Lambda {
        keyword: Ident,
        formals: Syntax,
        body: Vec<Syntax>,
        span: Option<Span>,
    },
    /// `(define x)`.
    Unspecified,
}

impl Expander<'_> {
    /// Expands an internal body (in a scope of its own, so its definitions may shadow the
    /// parameters of the enclosing procedure).
    pub fn body(&mut self, forms: Vec<Syntax>, span: Option<Span>) -> Result<ExprId, Diagnostic> {
        let scope = self.fresh_scope();
        let forms = forms.iter().map(|f| f.add_scope(scope)).collect();
        self.expand_body(forms, BodyKind::Internal, span)
    }

    /// Expands the forms of a body of the given kind.
    pub fn expand_body(
        &mut self,
        forms: Vec<Syntax>,
        kind: BodyKind<'_>,
        span: Option<Span>,
    ) -> Result<ExprId, Diagnostic> {
        let entry_chain = self.chain.clone();
        let items = self.scan(forms, kind)?;
        let mut lhs = Vec::new();
        let mut rhs = Vec::new();
        let mut exprs = Vec::new();
        for item in items {
            match item {
                Item::Define {
                    target,
                    rhs: value,
                    chain,
                } => {
                    self.restore_chain(chain);
                    let value = self.rhs(value)?;
                    match target {
                        Target::Var(var) => {
                            lhs.push(var);
                            rhs.push(value);
                        }
                        Target::Global(name) => exprs.push(self.arena.expr_global_set(name, value)),
                    }
                }
                Item::Expr { stx, chain } => {
                    self.restore_chain(chain);
                    exprs.push(self.expr(&stx)?);
                }
            }
        }
        self.restore_chain(entry_chain);
        match kind {
            BodyKind::TopLevel { .. } => Ok(self.seq(exprs)),
            BodyKind::Internal => {
                if exprs.is_empty() {
                    return Err(self.error(span, "a body must end with an expression"));
                }
                let body = self.seq(exprs);
                Ok(if lhs.is_empty() {
                    body
                } else {
                    self.arena.expr_letrec_star(lhs, rhs, body)
                })
            }
        }
    }

    fn rhs(&mut self, rhs: Rhs) -> Result<ExprId, Diagnostic> {
        match rhs {
            Rhs::Expr(stx) => self.expr(&stx),
            Rhs::Lambda {
                keyword,
                formals,
                body,
                span,
            } => {
                let (params, rest, body) = self.lambda(&keyword, &formals, &body, span)?;
                Ok(self.arena.expr_lambda(params, rest, body))
            }
            Rhs::Unspecified => Ok(self.seq(Vec::new())),
        }
    }

    /// The first pass: finds and binds the definitions.
    fn scan(&mut self, forms: Vec<Syntax>, kind: BodyKind<'_>) -> Result<Vec<Item>, Diagnostic> {
        // Each form carries the scopes of the splicing `let-syntax`/`letrec-syntax` forms it
        // came out of: they are removed from what it defines, so the definitions are visible
        // in the whole body, as R6RS asks.
        let none: Rc<[Scope]> = Rc::from(Vec::new());
        let mut work: VecDeque<Pending> = forms
            .into_iter()
            .map(|f| (f, self.chain.clone(), none.clone()))
            .collect();
        let mut items = Vec::new();
        let mut defined: HashSet<(Symbol, ScopeSet)> = HashSet::new();
        let mut seen_expression = false;
        // The use-site scopes of the macro uses expanded here ([`Expander::apply_macro`]) are
        // removed from the identifiers the body defines, so a macro can define a name its user
        // gave it for the whole body.
        let mut use_sites: HashSet<Scope> = HashSet::new();
        while let Some((mut stx, chain, splice)) = work.pop_front() {
            self.restore_chain(chain);
            loop {
                let head = match stx.forced() {
                    Syntax::List(..) => self.syntax_head(&stx),
                    Syntax::Id(_) => self
                        .syntax_head(&stx)
                        .filter(|(_, b)| matches!(b, Binding::Macro(_))),
                    _ => None,
                };
                match head {
                    Some((id, Binding::Macro(transformer))) => {
                        stx = self.apply_macro(&transformer, &id, &stx)?;
                        use_sites.extend(self.last_use_site.take());
                    }
                    Some((
                        keyword,
                        Binding::Core(form @ (CoreForm::Define | CoreForm::DefineSyntax)),
                    )) => {
                        if matches!(kind, BodyKind::Internal) && seen_expression {
                            return Err(self.error(
                                stx.span(),
                                format!(
                                    "invalid `{}` placement: a definition cannot follow an expression in a body",
                                    keyword.name.as_str()
                                ),
                            ));
                        }
                        if form == CoreForm::Define {
                            let (id, rhs) = self.parse_define(&keyword, &stx)?;
                            let id = defined_identifier(&id, &splice, &use_sites);
                            self.check_new_definition(&id, &mut defined)?;
                            let target = match kind {
                                BodyKind::Internal => Target::Var(self.bind_variable(&id)),
                                BodyKind::TopLevel { prefix } => {
                                    let name = self.global_name(prefix, id.name);
                                    let binding = self.bindings.add(Binding::Global {
                                        name,
                                        unit: self.unit,
                                    });
                                    self.bindings.bind(id.name, id.scopes.clone(), binding);
                                    Target::Global(name)
                                }
                            };
                            items.push(Item::Define {
                                target,
                                rhs,
                                chain: self.chain.clone(),
                            });
                        } else {
                            let args = self.form_args(&keyword, &stx)?;
                            let [Syntax::Id(id), spec] = args else {
                                return Err(self.bad_form(
                                    &stx,
                                    &keyword,
                                    "(define-syntax keyword transformer)",
                                ));
                            };
                            let id = defined_identifier(id, &splice, &use_sites);
                            let spec = spec.clone();
                            self.check_new_definition(&id, &mut defined)?;
                            let transformer = self.eval_transformer(&spec)?;
                            let binding = self.bindings.add(Binding::Macro(Rc::new(transformer)));
                            self.bindings.bind(id.name, id.scopes.clone(), binding);
                        }
                        break;
                    }
                    Some((
                        keyword,
                        Binding::Core(
                            form @ (CoreForm::Include | CoreForm::IncludeCi | CoreForm::CondExpand),
                        ),
                    )) => {
                        let forms = self.splice(form, &keyword, &stx)?;
                        for form in forms.into_iter().rev() {
                            work.push_front((form, self.chain.clone(), splice.clone()));
                        }
                        break;
                    }
                    Some((keyword, Binding::Core(CoreForm::Begin))) => {
                        let args = self.form_args(&keyword, &stx)?;
                        for form in args.iter().rev() {
                            work.push_front((form.clone(), self.chain.clone(), splice.clone()));
                        }
                        break;
                    }
                    Some((
                        keyword,
                        Binding::Core(form @ (CoreForm::LetSyntax | CoreForm::LetrecSyntax)),
                    )) => {
                        let args = self.form_args(&keyword, &stx)?;
                        let Some((bindings, body)) = args.split_first() else {
                            return Err(self.bad_form(
                                &stx,
                                &keyword,
                                "(let-syntax ([keyword transformer] ...) form ...)",
                            ));
                        };
                        let (bindings, body) = (bindings.clone(), body.to_vec());
                        let scope = self.fresh_scope();
                        self.bind_syntax(
                            form == CoreForm::LetrecSyntax,
                            &keyword,
                            &stx,
                            &bindings,
                            scope,
                        )?;
                        let mut inner = splice.to_vec();
                        inner.push(scope);
                        let inner: Rc<[Scope]> = inner.into();
                        for form in body.iter().rev() {
                            work.push_front((
                                form.add_scope(scope),
                                self.chain.clone(),
                                inner.clone(),
                            ));
                        }
                        break;
                    }
                    _ => {
                        seen_expression = true;
                        items.push(Item::Expr {
                            stx,
                            chain: self.chain.clone(),
                        });
                        break;
                    }
                }
            }
        }
        Ok(items)
    }

    /// Rejects a second definition of the same identifier in one body, and the definition of
    /// an imported one.
    fn check_new_definition(
        &self,
        id: &Ident,
        defined: &mut HashSet<(Symbol, ScopeSet)>,
    ) -> Result<(), Diagnostic> {
        if !defined.insert((id.name, id.scopes.clone())) {
            return Err(self.error(
                id.span,
                format!("duplicate definition of `{}`", id.name.as_str()),
            ));
        }
        if self.bindings.exact(id).is_some() {
            return Err(self.error(
                id.span,
                format!(
                    "`{}` is imported and cannot be defined here",
                    id.name.as_str()
                ),
            ));
        }
        Ok(())
    }

    /// `(define x)`, `(define x e)` or `(define (f . formals) body ...)`.
    fn parse_define(&self, keyword: &Ident, stx: &Syntax) -> Result<(Ident, Rhs), Diagnostic> {
        let expected = "(define variable expression) or (define (name . formals) body ...+)";
        let args = self.form_args(keyword, stx)?;
        match args {
            [Syntax::Id(id)] => Ok((id.clone(), Rhs::Unspecified)),
            [Syntax::Id(id), value] => Ok((id.clone(), Rhs::Expr(value.clone()))),
            [signature, body @ ..]
                if !body.is_empty() && matches!(signature.forced(), Syntax::List(..)) =>
            {
                let Syntax::List(head, tail, span) = signature.forced() else {
                    return Err(self.bad_form(stx, keyword, expected));
                };
                let Some(Syntax::Id(name)) = head.first() else {
                    return Err(self.bad_form(stx, keyword, expected));
                };
                let formals = Syntax::List(head[1..].into(), tail.clone(), *span);
                Ok((
                    name.clone(),
                    Rhs::Lambda {
                        keyword: keyword.clone(),
                        formals,
                        body: body.to_vec(),
                        span: stx.span(),
                    },
                ))
            }
            _ => Err(self.bad_form(stx, keyword, expected)),
        }
    }

    /// Binds the keywords of `let-syntax` (`recursive` false) or `letrec-syntax`, each with
    /// `scope` added.
    pub fn bind_syntax(
        &mut self,
        recursive: bool,
        keyword: &Ident,
        stx: &Syntax,
        bindings: &Syntax,
        scope: Scope,
    ) -> Result<(), Diagnostic> {
        let expected = "([keyword transformer] ...) after the keyword";
        let Some(list) = bindings.as_list() else {
            return Err(self.bad_form(stx, keyword, expected));
        };
        let mut seen: Vec<Ident> = Vec::new();
        let mut pending = Vec::new();
        for binding in list {
            let Some([Syntax::Id(id), spec]) = binding.as_list() else {
                return Err(self.bad_form(binding, keyword, expected));
            };
            if seen.iter().any(|other| other.same(id)) {
                return Err(self.error(
                    id.span,
                    format!("duplicate binding of `{}`", id.name.as_str()),
                ));
            }
            seen.push(id.clone());
            let spec = if recursive {
                spec.add_scope(scope)
            } else {
                spec.clone()
            };
            pending.push((id.with_scope(scope), spec));
        }
        for (id, spec) in pending {
            let transformer = self.eval_transformer(&spec)?;
            let binding = self.bindings.add(Binding::Macro(Rc::new(transformer)));
            self.bindings.bind(id.name, id.scopes, binding);
        }
        Ok(())
    }

    /// The transformer a macro definition's right-hand side stands for.
    pub fn eval_transformer(&mut self, spec: &Syntax) -> Result<Transformer, Diagnostic> {
        let saved = self.chain.clone();
        let mut spec = spec.clone();
        let result = loop {
            match self.syntax_head(&spec) {
                Some((keyword, Binding::Core(CoreForm::SyntaxRules)))
                    if matches!(spec.forced(), Syntax::List(..)) =>
                {
                    break self.syntax_rules(&keyword, &spec);
                }
                Some((keyword, Binding::Core(CoreForm::IdentifierSyntax)))
                    if matches!(spec.forced(), Syntax::List(..)) =>
                {
                    break self.identifier_syntax(&keyword, &spec);
                }
                Some((id, Binding::Macro(transformer)))
                    if matches!(spec.forced(), Syntax::List(..)) =>
                {
                    spec = self.apply_macro(&transformer, &id, &spec)?;
                }
                _ => {
                    // Evaluated as the user wrote it: the macros just expanded at its head do
                    // not belong in the chain of its diagnostics.
                    self.restore_chain(saved.clone());
                    break self.eval_procedure(&spec);
                }
            }
        };
        self.restore_chain(saved);
        result
    }

    fn syntax_rules(&mut self, keyword: &Ident, stx: &Syntax) -> Result<Transformer, Diagnostic> {
        let expected = "(syntax-rules (literal ...) [pattern template] ...)";
        let args = self.form_args(keyword, stx)?;
        let (custom, rest) = match args {
            [Syntax::Id(ellipsis), rest @ ..] => (Some(ellipsis.clone()), rest),
            _ => (None, args),
        };
        let Some((literals, clauses)) = rest.split_first() else {
            return Err(self.bad_form(stx, keyword, expected));
        };
        let Some(literals) = literals.as_list() else {
            return Err(self.bad_form(literals, keyword, expected));
        };
        let mut lits = Vec::with_capacity(literals.len());
        for literal in literals {
            match literal.as_id() {
                Some(id) => lits.push(id.clone()),
                None => {
                    return Err(self.error(
                        literal.span(),
                        "a syntax-rules literal must be an identifier",
                    ));
                }
            }
        }
        let keywords = self.keywords(custom);
        let mut compiled = Vec::with_capacity(clauses.len());
        for clause in clauses {
            let Some([pattern, template]) = clause.as_list() else {
                return Err(self.bad_form(clause, keyword, "[pattern template] clauses"));
            };
            compiled.push(
                compile_clause(&keywords, &lits, pattern, template, true)
                    .map_err(|d| self.error(d.span, d.message))?,
            );
        }
        Ok(Transformer::SyntaxRules(SyntaxRules { clauses: compiled }))
    }

    /// `(identifier-syntax template)` or
    /// `(identifier-syntax [id template] [(set! id pattern) template])`.
    fn identifier_syntax(
        &mut self,
        keyword: &Ident,
        stx: &Syntax,
    ) -> Result<Transformer, Diagnostic> {
        let args = self.form_args(keyword, stx)?;
        let keywords = self.keywords(None);
        let any = Syntax::Id(Ident {
            name: Symbol::intern("_"),
            scopes: ScopeSet::default(),
            span: None,
        });
        let fail = |d: Diagnostic| self.error(d.span, d.message);
        let reference = |template: &Syntax| -> Result<Compiled, Diagnostic> {
            compile_clause(&keywords, &[], &any, template, false).map_err(fail)
        };
        match args {
            [template] => Ok(Transformer::IdentifierSyntax {
                reference: Box::new(reference(template)?),
                assign: None,
            }),
            [first, second] => {
                let (Some([Syntax::Id(_), ref_template]), Some([set_pattern, set_template])) =
                    (first.as_list(), second.as_list())
                else {
                    return Err(self.bad_form(
                        stx,
                        keyword,
                        "(identifier-syntax [id template] [(set! id pattern) template])",
                    ));
                };
                let assign = compile_clause(&keywords, &[], set_pattern, set_template, true)
                    .map_err(fail)?;
                Ok(Transformer::IdentifierSyntax {
                    reference: Box::new(reference(ref_template)?),
                    assign: Some(Box::new(assign)),
                })
            }
            _ => Err(self.bad_form(stx, keyword, "(identifier-syntax template)")),
        }
    }
}

/// The identifier a body's definition binds: `id` without the scopes of the splicing
/// `let-syntax` forms around it and without the use-site scopes of the body's macro uses.
fn defined_identifier(id: &Ident, splice: &[Scope], use_sites: &HashSet<Scope>) -> Ident {
    let mut remove: Vec<Scope> = id.scopes.iter().filter(|s| use_sites.contains(s)).collect();
    remove.extend_from_slice(splice);
    id.without(&remove)
}
