//! Closure conversion: every procedure becomes code bound to a label at the top of the program,
//! and every place that made a procedure now makes a closure holding the label and the values of
//! the procedure's free variables. Inside the code, the free variables get fresh names bound by
//! the `code` form (the backend reads them from the closure), so the verifier checks that no
//! procedure reaches a variable it did not capture.
//!
//! ```text
//! (fix ([f (lambda (x) (f y))]) f)
//!   => (program ([f.l (code (f.1 y.2) [(x) (f.1 y.2)])])
//!        (closures ([f (make-closure f.l f y)]) f))
//! ```
//!
//! A primitive used as a value, as in `(apply + xs)`, becomes a closure of generated code that
//! calls the primitive: one clause per accepted argument count, and for primitives taking any
//! number of arguments, clauses up to four more than the minimum and then a clause with a rest
//! list that reduces the arguments and applies the closure again (see [`RestRule`]). `error`,
//! `assertion-violation` and `apply` have no such rule yet, so they accept at most four
//! arguments more than their minimum when used as values.

use crate::free_variables::free_variables;
use ir::lang::closures::{self as dst, from_no_assignments::Cx, from_no_assignments::Translate};
use ir::lang::no_assignments as src;
use ir::primitive::{self, Arity};
use ir::symbol::Symbol;
use ir::var::Var;
use nanopass_macros::pass;
use std::collections::HashMap;

/// The pass: the code made so far, and the current renaming of captured variables.
#[derive(Default)]
pub struct ConvertClosures {
    codes: Vec<(Var, dst::CodeId)>,
    renamed: HashMap<Var, Var>,
    primitive_codes: HashMap<Symbol, Var>,
}

/// Makes closures explicit and lifts procedures' code to the top of the program.
#[pass(ir::lang::no_assignments => ir::lang::closures)]
impl ConvertClosures {
    fn program_program(&mut self, cx: &mut Cx<'_>, _: (), body: src::ExprId) -> dst::ProgramId {
        let body = self.expr(cx, (), body);
        let (labels, codes) = std::mem::take(&mut self.codes).into_iter().unzip();
        cx.dst.program_with_code(labels, codes, body)
    }

    fn expr_ref(&mut self, cx: &mut Cx<'_>, _: (), x: Var) -> dst::ExprId {
        let x = self.renamed.get(&x).copied().unwrap_or(x);
        cx.dst.expr_ref(x)
    }

    fn expr_call(
        &mut self,
        cx: &mut Cx<'_>,
        _: (),
        f: src::ExprId,
        args: &[src::ExprId],
    ) -> dst::ExprId {
        // A primitive in operator position stays a primitive call.
        let f = match cx.src[f] {
            src::Expr::Primitive { name } => cx.dst.expr_primitive(name),
            _ => self.expr(cx, (), f),
        };
        let args = args.iter().map(|&a| self.expr(cx, (), a)).collect();
        cx.dst.expr_call(f, args)
    }

    fn expr_primitive(&mut self, cx: &mut Cx<'_>, _: (), name: Symbol) -> dst::ExprId {
        let label = self.primitive_code(cx, name);
        let closure = cx.dst.make_closure_make_closure(label, Vec::new());
        let tmp = cx.dst.cx.vars.fresh(name);
        let body = cx.dst.expr_ref(tmp);
        cx.dst.expr_closures(vec![tmp], vec![closure], body)
    }

    fn expr_procedure(&mut self, cx: &mut Cx<'_>, _: (), p: src::ProcedureId) -> dst::ExprId {
        self.named_closure(cx, p, Symbol::intern("lambda"))
    }

    /// A procedure stored in a top-level variable is named after it (`scheme:program::fib`).
    fn expr_global_set(
        &mut self,
        cx: &mut Cx<'_>,
        _: (),
        name: Symbol,
        value: src::ExprId,
    ) -> dst::ExprId {
        let value = match cx.src[value] {
            src::Expr::Procedure { p } => self.named_closure(cx, p, name),
            _ => self.expr(cx, (), value),
        };
        cx.dst.expr_global_set(name, value)
    }

    fn expr_fix(
        &mut self,
        cx: &mut Cx<'_>,
        _: (),
        lhs: &[Var],
        rhs: &[src::ProcedureId],
        body: src::ExprId,
    ) -> dst::ExprId {
        let closures = lhs
            .iter()
            .zip(rhs)
            .map(|(&x, &p)| {
                let name = cx.src.cx.vars.name(x);
                self.closure(cx, p, name)
            })
            .collect();
        let body = self.expr(cx, (), body);
        cx.dst.expr_closures(lhs.to_vec(), closures, body)
    }
}

impl ConvertClosures {
    /// `(closures ([tmp closure]) tmp)` for procedure `p`, its code labelled `name`.
    fn named_closure(&mut self, cx: &mut Cx<'_>, p: src::ProcedureId, name: Symbol) -> dst::ExprId {
        let closure = self.closure(cx, p, name);
        let tmp = cx.dst.cx.vars.fresh(name);
        let body = cx.dst.expr_ref(tmp);
        cx.dst.expr_closures(vec![tmp], vec![closure], body)
    }

    /// Lifts `p`'s code to the top and returns the closure that captures its free variables.
    fn closure(
        &mut self,
        cx: &mut Cx<'_>,
        p: src::ProcedureId,
        name: Symbol,
    ) -> dst::MakeClosureId {
        let free = free_variables(cx.src, p);
        let outer: Vec<Var> = free
            .iter()
            .map(|x| self.renamed.get(x).copied().unwrap_or(*x))
            .collect();
        let inner: Vec<Var> = free
            .iter()
            .map(|&x| {
                let name = cx.src.cx.vars.name(x);
                cx.dst.cx.vars.fresh(name)
            })
            .collect();
        let saved: Vec<Option<Var>> = free
            .iter()
            .zip(&inner)
            .map(|(&x, &y)| self.renamed.insert(x, y))
            .collect();
        let clauses = match &cx.src[p] {
            src::Procedure::Lambda { params, rest, body } => {
                let (params, rest, body) = (params.clone(), *rest, *body);
                let body = self.expr(cx, (), body);
                vec![cx.dst.clause_clause(params, rest, body)]
            }
            src::Procedure::CaseLambda { clauses } => clauses
                .clone()
                .into_iter()
                .map(|c| self.clause(cx, (), c))
                .collect(),
        };
        for (x, old) in free.iter().zip(saved) {
            match old {
                Some(y) => self.renamed.insert(*x, y),
                None => self.renamed.remove(x),
            };
        }
        let code = cx.dst.code_code(inner, clauses);
        let label = cx.dst.cx.vars.fresh(name);
        self.codes.push((label, code));
        cx.dst.make_closure_make_closure(label, outer)
    }

    /// The label of the code that calls primitive `name` (made once per program).
    fn primitive_code(&mut self, cx: &mut Cx<'_>, name: Symbol) -> Var {
        if let Some(&label) = self.primitive_codes.get(&name) {
            return label;
        }
        let counts = match primitive::lookup(name).map(|p| p.arity) {
            Some(Arity::Exactly(n)) => n..=n,
            Some(Arity::Between(low, high)) => low..=high,
            Some(Arity::AtLeast(n)) => n..=n + 4,
            // Unknown primitives are reported by the backend; give them one clause.
            None => 0..=0,
        };
        let label = cx.dst.cx.vars.fresh(name);
        let mut clauses: Vec<dst::ClauseId> = counts
            .map(|count| {
                let params = fresh_params(cx, count);
                let args = params.iter().map(|&x| cx.dst.expr_ref(x)).collect();
                let f = cx.dst.expr_primitive(name);
                let body = cx.dst.expr_call(f, args);
                cx.dst.clause_clause(params, None, body)
            })
            .collect();
        if let Some(rule) = RestRule::of(name) {
            clauses.push(rule.clause(cx, name, label));
        }
        let code = cx.dst.code_code(Vec::new(), clauses);
        self.codes.push((label, code));
        self.primitive_codes.insert(name, label);
        label
    }
}

fn fresh_params(cx: &mut Cx<'_>, count: u32) -> Vec<Var> {
    (0..count)
        .map(|_| cx.dst.cx.vars.fresh(Symbol::intern("x")))
        .collect()
}

/// How the closure of a primitive taking any number of arguments handles more arguments than
/// its fixed clauses: it takes the first five (`x0`..`x4`) and a rest list `r`.
#[derive(Clone, Copy)]
enum RestRule {
    /// `+`, `-`, `*`: `(apply self (p x0 .. x4) r)`, since they fold from the left.
    Fold,
    /// `=`, `<`, ...: `(if (p x0 .. x4) (apply self x4 r) (begin (apply self x4 r) #f))`, so
    /// every argument is still checked.
    Chain,
    /// `list`: `(cons x0 .. (cons x4 r))`, since the rest list is fresh.
    List,
    /// `vector`: `(list->vector (cons x0 .. (cons x4 r)))`.
    Vector,
    /// `append`: `(p x0 x1 x2 x3 (apply self x4 r))`.
    Append,
    /// `values`: `(apply values x0 .. x4 r)` with the primitive itself as the procedure, which
    /// the backend compiles as returning the arguments as multiple values.
    Values,
}

impl RestRule {
    fn of(name: Symbol) -> Option<RestRule> {
        Some(match name.as_str() {
            "+" | "-" | "*" => RestRule::Fold,
            "=" | "<" | ">" | "<=" | ">=" => RestRule::Chain,
            "list" => RestRule::List,
            "vector" => RestRule::Vector,
            "append" => RestRule::Append,
            "values" => RestRule::Values,
            _ => return None,
        })
    }

    /// The clause `[(x0 .. x4 . r) body]` of the code at `label`, which calls primitive `name`.
    fn clause(self, cx: &mut Cx<'_>, name: Symbol, label: Var) -> dst::ClauseId {
        let params = fresh_params(cx, 5);
        let rest = cx.dst.cx.vars.fresh(Symbol::intern("r"));
        let call = |cx: &mut Cx<'_>, prim: &str, args: Vec<dst::ExprId>| {
            let f = cx.dst.expr_primitive(Symbol::intern(prim));
            cx.dst.expr_call(f, args)
        };
        let refs = |cx: &mut Cx<'_>, vars: &[Var]| -> Vec<dst::ExprId> {
            vars.iter().map(|&x| cx.dst.expr_ref(x)).collect()
        };
        // (apply self arg ... r)
        let apply_self = |cx: &mut Cx<'_>, mut args: Vec<dst::ExprId>| {
            let closure = cx.dst.make_closure_make_closure(label, Vec::new());
            let tmp = cx.dst.cx.vars.fresh(name);
            let body = cx.dst.expr_ref(tmp);
            let f = cx.dst.expr_closures(vec![tmp], vec![closure], body);
            args.insert(0, f);
            args.push(cx.dst.expr_ref(rest));
            call(cx, "apply", args)
        };
        // (cons x0 .. (cons x4 r))
        let conses = |cx: &mut Cx<'_>| {
            let mut list = cx.dst.expr_ref(rest);
            for &x in params.iter().rev() {
                let x = cx.dst.expr_ref(x);
                list = call(cx, "cons", vec![x, list]);
            }
            list
        };
        let body = match self {
            RestRule::Fold => {
                let args = refs(cx, &params);
                let first = call(cx, name.as_str(), args);
                apply_self(cx, vec![first])
            }
            RestRule::Chain => {
                let args = refs(cx, &params);
                let test = call(cx, name.as_str(), args);
                let last = cx.dst.expr_ref(params[4]);
                let conseq = apply_self(cx, vec![last]);
                let last = cx.dst.expr_ref(params[4]);
                let check = apply_self(cx, vec![last]);
                let false_ = cx.dst.cx.datums.add(ir::datum::Datum::Bool(false));
                let false_ = cx.dst.expr_quote(false_);
                let alt = cx.dst.expr_seq(vec![check], false_);
                cx.dst.expr_if(test, conseq, alt)
            }
            RestRule::List => conses(cx),
            RestRule::Vector => {
                let list = conses(cx);
                call(cx, "list->vector", vec![list])
            }
            RestRule::Append => {
                let mut args = refs(cx, &params[..4]);
                let last = cx.dst.expr_ref(params[4]);
                args.push(apply_self(cx, vec![last]));
                call(cx, name.as_str(), args)
            }
            RestRule::Values => {
                let mut args = vec![cx.dst.expr_primitive(name)];
                args.extend(refs(cx, &params));
                args.push(cx.dst.expr_ref(rest));
                call(cx, "apply", args)
            }
        };
        cx.dst.clause_clause(params, Some(rest), body)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::check_pass;
    use expect_test::expect;

    #[test]
    fn procedures_become_code_and_closures() {
        check_pass::<super::ConvertClosures>(
            "(program (lambda (y) (fix ([f (lambda (x) (f y))]) f)))",
            expect![[r#"
                (program (lambda (y.0) (fix ([f.1 (lambda (x.2) (f.1 y.0))]) f.1)))
                => convert_closures
                (program ([f.5 (code (f.3 y.4) [(x.2) (f.3 y.4)])]
                          [lambda.6 (code () [(y.0) (closures ([f.1 (make-closure f.5 f.1 y.0)]) f.1)])])
                  (closures ([lambda.7 (make-closure lambda.6)]) lambda.7))
            "#]],
        );
    }

    #[test]
    fn procedures_stored_in_globals_are_named_after_them() {
        check_pass::<super::ConvertClosures>(
            "(program (set-global! program::twice (lambda (x) ((primitive +) x x))))",
            expect![[r#"
                (program (set-global! program::twice (lambda (x.0) ((primitive +) x.0 x.0))))
                => convert_closures
                (program ([program::twice.1 (code () [(x.0) ((primitive +) x.0 x.0)])])
                  (set-global! program::twice
                    (closures ([program::twice.2 (make-closure program::twice.1)]) program::twice.2)))
            "#]],
        );
    }

    #[test]
    fn variadic_primitives_as_values_take_any_number_of_arguments() {
        check_pass::<super::ConvertClosures>(
            "(program ((primitive apply) (primitive list) (quote (1 2 3 4 5 6))))",
            expect![[r#"
                (program ((primitive apply) (primitive list) (quote (1 2 3 4 5 6))))
                => convert_closures
                (program ([list.0 (code ()
                                    [() ((primitive list))]
                                    [(x.1) ((primitive list) x.1)]
                                    [(x.2 x.3) ((primitive list) x.2 x.3)]
                                    [(x.4 x.5 x.6) ((primitive list) x.4 x.5 x.6)]
                                    [(x.7 x.8 x.9 x.10) ((primitive list) x.7 x.8 x.9 x.10)]
                                    [(x.11 x.12 x.13 x.14 x.15 . r.16)
                                     ((primitive cons)
                                      x.11
                                      ((primitive cons)
                                       x.12
                                       ((primitive cons) x.13 ((primitive cons) x.14 ((primitive cons) x.15 r.16)))))])])
                  ((primitive apply) (closures ([list.17 (make-closure list.0)]) list.17) (quote (1 2 3 4 5 6))))
            "#]],
        );
    }

    #[test]
    fn primitives_as_values_get_code() {
        check_pass::<super::ConvertClosures>(
            "(program ((primitive apply) (primitive car) (quote ((1)))))",
            expect![[r#"
                (program ((primitive apply) (primitive car) (quote ((1)))))
                => convert_closures
                (program ([car.0 (code () [(x.1) ((primitive car) x.1)])])
                  ((primitive apply) (closures ([car.2 (make-closure car.0)]) car.2) (quote ((1)))))
            "#]],
        );
    }
}
