//! Expressions: variable references, calls, constants, and the core forms that are expressions
//! (`quote`, `if`, `set!`, `begin`, `lambda`, `case-lambda`, `letrec`, `letrec*`, `let-syntax`,
//! `letrec-syntax`).

use super::binding::{Binding, CoreForm};
use super::expander::Expander;
use super::syntax::{Ident, Syntax, show};
use ir::lang::core_scheme::{ClauseId, ExprId};
use ir::source::{Diagnostic, Span};
use ir::var::Var;

impl Expander<'_> {
    /// Expands `stx` as an expression.
    pub fn expr(&mut self, stx: &Syntax) -> Result<ExprId, Diagnostic> {
        ir::nanopass::grow(|| self.expr_inner(stx))
    }

    fn expr_inner(&mut self, stx: &Syntax) -> Result<ExprId, Diagnostic> {
        match stx.forced() {
            Syntax::Id(id) => {
                let binding = self.resolve(id)?;
                match self.bindings.get(binding).clone() {
                    Binding::Lexical(var) => {
                        self.phase_check(binding, id)?;
                        Ok(self.arena.expr_ref(var))
                    }
                    Binding::PatternVar { .. } => Err(self.pattern_var_misuse(id)),
                    Binding::Global { name, unit } => {
                        self.phase_check_global(unit, id)?;
                        Ok(self.arena.expr_global_ref(name))
                    }
                    Binding::Primitive(name) => Ok(self.arena.expr_primitive(name)),
                    Binding::Macro(transformer) => {
                        let saved = self.chain.clone();
                        let output = self.apply_macro(&transformer, id, stx)?;
                        let result = self.expr(&output);
                        self.restore_chain(saved);
                        result
                    }
                    Binding::Core(_) => Err(self.error(
                        id.span,
                        format!(
                            "misuse of syntax: `{}` is not an expression",
                            id.name.as_str()
                        ),
                    )),
                }
            }
            Syntax::Atom(..) | Syntax::Vector(..) => Ok(self.quote(stx)),
            Syntax::List(items, tail, span) => {
                let Some(head) = items.first() else {
                    return Err(self.error(*span, "`()` is not an expression (quote it: '())"));
                };
                if let Some(id) = head.as_id() {
                    let binding = self.resolve(id)?;
                    match self.bindings.get(binding).clone() {
                        Binding::Core(form) => return self.core_expr(form, id, stx),
                        Binding::Macro(transformer) => {
                            let saved = self.chain.clone();
                            let output = self.apply_macro(&transformer, id, stx)?;
                            let result = self.expr(&output);
                            self.restore_chain(saved);
                            return result;
                        }
                        _ => {}
                    }
                }
                if tail.is_some() {
                    return Err(self.error(*span, "a procedure call cannot be a dotted list"));
                }
                let f = self.expr(head)?;
                let mut args = Vec::with_capacity(items.len() - 1);
                for arg in &items[1..] {
                    args.push(self.expr(arg)?);
                }
                Ok(self.arena.expr_call(f, args))
            }
            Syntax::Pending(_) => unreachable!("forced syntax is never pending"),
        }
    }

    /// `(quote datum)` for the datum `stx` stands for.
    pub fn quote(&mut self, stx: &Syntax) -> ExprId {
        let datum = stx.to_datum(&mut self.arena.cx.datums);
        self.arena.expr_quote(datum)
    }

    /// The parts of a core form after its keyword, which must be a proper list.
    pub fn form_args<'s>(
        &self,
        keyword: &Ident,
        stx: &'s Syntax,
    ) -> Result<&'s [Syntax], Diagnostic> {
        match stx.forced() {
            Syntax::List(items, None, _) if !items.is_empty() => Ok(&items[1..]),
            _ => Err(self.error(
                stx.span(),
                format!(
                    "invalid `{}` form: not a proper list",
                    keyword.name.as_str()
                ),
            )),
        }
    }

    /// An error for a malformed core form, saying what shape was expected.
    pub fn bad_form(&self, stx: &Syntax, keyword: &Ident, expected: &str) -> Diagnostic {
        self.error(
            stx.span().or(keyword.span),
            format!(
                "invalid `{}` form; expected {expected}",
                keyword.name.as_str()
            ),
        )
    }

    fn core_expr(
        &mut self,
        form: CoreForm,
        keyword: &Ident,
        stx: &Syntax,
    ) -> Result<ExprId, Diagnostic> {
        let args = self.form_args(keyword, stx)?;
        match form {
            CoreForm::Quote => match args {
                [datum] => Ok(self.quote(datum)),
                _ => Err(self.bad_form(stx, keyword, "(quote datum)")),
            },
            CoreForm::If => match args {
                [test, conseq] => {
                    let test = self.expr(test)?;
                    let conseq = self.expr(conseq)?;
                    Ok(self.arena.expr_one_armed_if(test, conseq))
                }
                [test, conseq, alt] => {
                    let test = self.expr(test)?;
                    let conseq = self.expr(conseq)?;
                    let alt = self.expr(alt)?;
                    Ok(self.arena.expr_if(test, conseq, alt))
                }
                _ => Err(self.bad_form(stx, keyword, "(if test consequent [alternative])")),
            },
            CoreForm::Set => match args {
                [Syntax::Id(target), value] => self.set(stx, keyword, target, value),
                _ => Err(self.bad_form(stx, keyword, "(set! variable expression)")),
            },
            CoreForm::Begin => {
                if args.is_empty() {
                    return Err(self.bad_form(stx, keyword, "(begin expression ...+) here"));
                }
                let mut exprs = Vec::with_capacity(args.len());
                for arg in args {
                    exprs.push(self.expr(arg)?);
                }
                Ok(self.seq(exprs))
            }
            CoreForm::Lambda => match args {
                [formals, body @ ..] if !body.is_empty() => {
                    let (params, rest, body) = self.lambda(keyword, formals, body, stx.span())?;
                    Ok(self.arena.expr_lambda(params, rest, body))
                }
                _ => Err(self.bad_form(stx, keyword, "(lambda formals body ...+)")),
            },
            CoreForm::CaseLambda => {
                let mut clauses: Vec<ClauseId> = Vec::with_capacity(args.len());
                for clause in args {
                    match clause.as_list() {
                        Some([formals, body @ ..]) if !body.is_empty() => {
                            let (params, rest, body) =
                                self.lambda(keyword, formals, body, clause.span())?;
                            clauses.push(self.arena.clause_clause(params, rest, body));
                        }
                        _ => {
                            return Err(self.bad_form(
                                clause,
                                keyword,
                                "(case-lambda [formals body ...+] ...)",
                            ));
                        }
                    }
                }
                Ok(self.arena.expr_case_lambda(clauses))
            }
            CoreForm::Letrec | CoreForm::LetrecStar => self.letrec(form, keyword, stx, args),
            CoreForm::LetSyntax | CoreForm::LetrecSyntax => {
                let Some((bindings, body)) = args.split_first() else {
                    return Err(self.bad_form(stx, keyword, "(let-syntax ([keyword transformer] ...) body ...+)"));
                };
                let scope = self.fresh_scope();
                self.bind_syntax(form == CoreForm::LetrecSyntax, keyword, stx, bindings, scope)?;
                let body: Vec<Syntax> = body.iter().map(|f| f.add_scope(scope)).collect();
                self.body(body, stx.span())
            }
            CoreForm::Define | CoreForm::DefineSyntax => Err(self.error(
                stx.span(),
                format!(
                    "invalid `{}` placement: definitions are only allowed at the start of a body or at the top level",
                    keyword.name.as_str()
                ),
            )),
            CoreForm::Include | CoreForm::IncludeCi | CoreForm::CondExpand => {
                let forms = self.splice(form, keyword, stx)?;
                if forms.is_empty() {
                    return Err(self.error(
                        stx.span(),
                        format!("`{}` gives no expression here", keyword.name.as_str()),
                    ));
                }
                let mut exprs = Vec::with_capacity(forms.len());
                for form in &forms {
                    exprs.push(self.expr(form)?);
                }
                Ok(self.seq(exprs))
            }
            CoreForm::SyntaxError => {
                let mut message = match args.first() {
                    Some(Syntax::Atom(datum, _)) => match &**datum {
                        ir::datum::Datum::String(text) => text.clone(),
                        _ => show(&args[0]),
                    },
                    Some(other) => show(other),
                    None => "syntax error".to_owned(),
                };
                for irritant in args.iter().skip(1) {
                    message.push(' ');
                    message.push_str(&show(irritant));
                }
                Err(self.error(stx.span(), message))
            }
            CoreForm::Syntax => self.syntax_template(keyword, stx),
            CoreForm::SyntaxCase => self.syntax_case(keyword, stx),
            CoreForm::Quasisyntax => self.quasisyntax(keyword, stx),
            CoreForm::Unsyntax | CoreForm::UnsyntaxSplicing => Err(self.error(
                keyword.span,
                format!("misuse of syntax: `{}` outside of quasisyntax", keyword.name.as_str()),
            )),
            CoreForm::SyntaxRules | CoreForm::IdentifierSyntax => Err(self.error(
                stx.span(),
                format!(
                    "misuse of syntax: `{}` is only valid as the transformer of a macro definition",
                    keyword.name.as_str()
                ),
            )),
            CoreForm::Auxiliary => Err(self.error(
                keyword.span,
                format!("misuse of syntax: `{}` is not valid here", keyword.name.as_str()),
            )),
        }
    }

    /// `(begin e ... last)`, or just `last`.
    pub fn seq(&mut self, mut exprs: Vec<ExprId>) -> ExprId {
        match exprs.pop() {
            Some(last) if exprs.is_empty() => last,
            Some(last) => self.arena.expr_seq(exprs, last),
            None => {
                let void = self
                    .arena
                    .expr_primitive(ir::symbol::Symbol::intern("void"));
                self.arena.expr_call(void, Vec::new())
            }
        }
    }

    fn set(
        &mut self,
        stx: &Syntax,
        keyword: &Ident,
        target: &Ident,
        value: &Syntax,
    ) -> Result<ExprId, Diagnostic> {
        let binding = self.resolve(target)?;
        match self.bindings.get(binding).clone() {
            Binding::Lexical(var) => {
                self.phase_check(binding, target)?;
                let value = self.expr(value)?;
                Ok(self.arena.expr_set(var, value))
            }
            Binding::Global { name, unit } => {
                // Another unit's variable can be named here only through a macro of that unit
                // (which may assign it) or by importing it (which may not).
                if unit != self.unit && self.exported.contains(&binding) {
                    return Err(self.error(
                        target.span,
                        format!("cannot assign imported variable `{}`", target.name.as_str()),
                    ));
                }
                self.phase_check_global(unit, target)?;
                self.assigned.entry(binding).or_insert(target.span);
                let value = self.expr(value)?;
                Ok(self.arena.expr_global_set(name, value))
            }
            Binding::PatternVar { .. } => Err(self.pattern_var_misuse(target)),
            Binding::Primitive(_) => Err(self.error(
                target.span,
                format!("cannot assign imported variable `{}`", target.name.as_str()),
            )),
            Binding::Macro(transformer) => {
                let saved = self.chain.clone();
                let output = self.apply_macro(&transformer, target, stx)?;
                let result = self.expr(&output);
                self.restore_chain(saved);
                result
            }
            Binding::Core(_) => Err(self.error(
                target.span,
                format!(
                    "invalid `{}`: `{}` is syntax, not a variable",
                    keyword.name.as_str(),
                    target.name.as_str()
                ),
            )),
        }
    }

    /// A procedure's parameters and body, in a new scope.
    pub fn lambda(
        &mut self,
        keyword: &Ident,
        formals: &Syntax,
        body: &[Syntax],
        span: Option<Span>,
    ) -> Result<(Vec<Var>, Option<Var>, ExprId), Diagnostic> {
        let scope = self.fresh_scope();
        let formals = formals.add_scope(scope);
        let (params, rest) = self.formals(keyword, &formals)?;
        let params = params.iter().map(|id| self.bind_variable(id)).collect();
        let rest = rest.map(|id| self.bind_variable(&id));
        let body: Vec<Syntax> = body.iter().map(|f| f.add_scope(scope)).collect();
        let body = self.body(body, span)?;
        Ok((params, rest, body))
    }

    /// Parses formals `(a b . c)`, `(a b)` or `c`, rejecting duplicates.
    pub fn formals(
        &self,
        keyword: &Ident,
        formals: &Syntax,
    ) -> Result<(Vec<Ident>, Option<Ident>), Diagnostic> {
        let (items, tail): (&[Syntax], Option<&Syntax>) = match formals.forced() {
            Syntax::Id(_) => (&[], Some(formals)),
            Syntax::List(items, tail, _) => (items, tail.as_deref()),
            _ => {
                return Err(self.bad_form(
                    formals,
                    keyword,
                    "formals: an identifier or a list of identifiers",
                ));
            }
        };
        let mut ids: Vec<Ident> = Vec::with_capacity(items.len());
        let check = |stx: &Syntax, ids: &[Ident]| -> Result<Ident, Diagnostic> {
            let Some(id) = stx.as_id() else {
                return Err(self.error(stx.span(), "a parameter must be an identifier"));
            };
            if ids.iter().any(|other| other.same(id)) {
                return Err(self.error(
                    id.span,
                    format!("duplicate parameter `{}`", id.name.as_str()),
                ));
            }
            Ok(id.clone())
        };
        for item in items {
            let id = check(item, &ids)?;
            ids.push(id);
        }
        let rest = match tail {
            Some(tail) => Some(check(tail, &ids)?),
            None => None,
        };
        Ok((ids, rest))
    }

    /// Binds `id` (with exactly its scopes) to a fresh variable.
    pub fn bind_variable(&mut self, id: &Ident) -> Var {
        let var = self.arena.cx.vars.fresh(id.name);
        let binding = self.bindings.add(Binding::Lexical(var));
        self.bindings.bind(id.name, id.scopes.clone(), binding);
        var
    }

    fn letrec(
        &mut self,
        form: CoreForm,
        keyword: &Ident,
        stx: &Syntax,
        args: &[Syntax],
    ) -> Result<ExprId, Diagnostic> {
        let expected = "(letrec ([variable init] ...) body ...+)";
        let Some((bindings, body)) = args.split_first() else {
            return Err(self.bad_form(stx, keyword, expected));
        };
        if body.is_empty() {
            return Err(self.bad_form(stx, keyword, expected));
        }
        let scope = self.fresh_scope();
        let Some(bindings) = bindings.as_list() else {
            return Err(self.bad_form(stx, keyword, expected));
        };
        let mut pairs = Vec::with_capacity(bindings.len());
        let mut seen: Vec<Ident> = Vec::new();
        for binding in bindings {
            match binding.as_list() {
                Some([Syntax::Id(id), init]) => {
                    if seen.iter().any(|other| other.same(id)) {
                        return Err(self.error(
                            id.span,
                            format!("duplicate binding of `{}`", id.name.as_str()),
                        ));
                    }
                    seen.push(id.clone());
                    pairs.push((id.clone(), init.add_scope(scope)));
                }
                _ => return Err(self.bad_form(binding, keyword, expected)),
            }
        }
        let mut lhs = Vec::with_capacity(pairs.len());
        for (id, _) in &pairs {
            lhs.push(self.bind_variable(&id.with_scope(scope)));
        }
        let mut rhs = Vec::with_capacity(pairs.len());
        for (_, init) in &pairs {
            rhs.push(self.expr(init)?);
        }
        let body: Vec<Syntax> = body.iter().map(|f| f.add_scope(scope)).collect();
        let body = self.body(body, stx.span())?;
        Ok(if form == CoreForm::Letrec {
            self.arena.expr_letrec(lhs, rhs, body)
        } else {
            self.arena.expr_letrec_star(lhs, rhs, body)
        })
    }
}
