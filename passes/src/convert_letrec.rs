//! Replaces `letrec` and `letrec*` by `fix` and assignments, the simple strategy of Waddell,
//! Sarkar and Dybvig's "Fixing Letrec": bindings whose right-hand side is a procedure go into
//! one `fix`; the others are bound outside it to an unspecified value and assigned, in order,
//! inside it. The order makes the result right for `letrec*` too.
//!
//! ```text
//! (letrec ([f (lambda ...)] [x e]) body)
//!   => ((lambda (x) (fix ([f (lambda ...)]) (begin (set! x e) body))) ((primitive void)))
//! ```
//!
//! Not yet done: detecting, as R6RS asks, a reference to a variable before its initialization.

use ir::lang::core_scheme as src;
use ir::lang::no_letrec::{self as dst, from_core_scheme::Cx, from_core_scheme::Translate};
use ir::symbol::Symbol;
use ir::var::Var;
use nanopass_macros::pass;

/// The pass; it keeps no state.
#[derive(Default)]
pub struct ConvertLetrec;

/// Replaces `letrec` and `letrec*` by `fix` for procedures and by assignments for other values.
#[pass(ir::lang::core_scheme => ir::lang::no_letrec)]
impl ConvertLetrec {
    fn expr_letrec(
        &mut self,
        cx: &mut Cx<'_>,
        _: (),
        lhs: &[Var],
        rhs: &[src::ExprId],
        body: src::ExprId,
    ) -> dst::ExprId {
        self.fix(cx, lhs, rhs, body)
    }

    fn expr_letrec_star(
        &mut self,
        cx: &mut Cx<'_>,
        _: (),
        lhs: &[Var],
        rhs: &[src::ExprId],
        body: src::ExprId,
    ) -> dst::ExprId {
        self.fix(cx, lhs, rhs, body)
    }

    fn expr_lambda(
        &mut self,
        cx: &mut Cx<'_>,
        _: (),
        params: &[Var],
        rest: Option<Var>,
        body: src::ExprId,
    ) -> dst::ExprId {
        let body = self.expr(cx, (), body);
        let procedure = cx.dst.procedure_lambda(params.to_vec(), rest, body);
        cx.dst.expr_procedure(procedure)
    }

    fn expr_case_lambda(
        &mut self,
        cx: &mut Cx<'_>,
        _: (),
        clauses: &[src::ClauseId],
    ) -> dst::ExprId {
        let clauses = clauses
            .iter()
            .map(|&clause| self.clause(cx, (), clause))
            .collect();
        let procedure = cx.dst.procedure_case_lambda(clauses);
        cx.dst.expr_procedure(procedure)
    }
}

impl ConvertLetrec {
    fn fix(
        &mut self,
        cx: &mut Cx<'_>,
        lhs: &[Var],
        rhs: &[src::ExprId],
        body: src::ExprId,
    ) -> dst::ExprId {
        let mut procedures = Vec::new();
        let mut assigned = Vec::new();
        for (&x, &e) in lhs.iter().zip(rhs) {
            let is_procedure = matches!(
                cx.src[e],
                src::Expr::Lambda { .. } | src::Expr::CaseLambda { .. }
            );
            let value = self.expr(cx, (), e);
            match cx.dst[value] {
                dst::Expr::Procedure { p } if is_procedure => procedures.push((x, p)),
                _ => assigned.push((x, value)),
            }
        }
        let effects: Vec<dst::ExprId> = assigned
            .iter()
            .map(|&(x, value)| cx.dst.expr_set(x, value))
            .collect();
        let mut body = self.expr(cx, (), body);
        if !effects.is_empty() {
            body = cx.dst.expr_seq(effects, body);
        }
        if !procedures.is_empty() {
            let (names, lambdas) = procedures.into_iter().unzip();
            body = cx.dst.expr_fix(names, lambdas, body);
        }
        if assigned.is_empty() {
            return body;
        }
        let names: Vec<Var> = assigned.iter().map(|&(x, _)| x).collect();
        let binder = cx.dst.procedure_lambda(names, None, body);
        let binder = cx.dst.expr_procedure(binder);
        let placeholders = assigned.iter().map(|_| unspecified(cx)).collect();
        cx.dst.expr_call(binder, placeholders)
    }
}

/// `((primitive void))`: the value of a variable before its assignment.
fn unspecified(cx: &mut Cx<'_>) -> dst::ExprId {
    let void = cx.dst.expr_primitive(Symbol::intern("void"));
    cx.dst.expr_call(void, Vec::new())
}

#[cfg(test)]
mod tests {
    use crate::test_support::check_pass;
    use expect_test::expect;

    #[test]
    fn procedures_go_into_fix() {
        check_pass::<super::ConvertLetrec>(
            "(program (letrec ([even? (lambda (n) (if ((primitive zero?) n) (quote #t) (odd? n)))]
                               [odd? (lambda (m) (if ((primitive zero?) m) (quote #f) (even? m)))])
                        (even? (quote 10))))",
            expect![[r#"
                (program (letrec ([even?.0 (lambda (n.2) (if ((primitive zero?) n.2) (quote #t) (odd?.1 n.2)))]
                                  [odd?.1 (lambda (m.3) (if ((primitive zero?) m.3) (quote #f) (even?.0 m.3)))])
                           (even?.0 (quote 10))))
                => convert_letrec
                (program (fix ([even?.0 (lambda (n.2) (if ((primitive zero?) n.2) (quote #t) (odd?.1 n.2)))]
                               [odd?.1 (lambda (m.3) (if ((primitive zero?) m.3) (quote #f) (even?.0 m.3)))])
                           (even?.0 (quote 10))))
            "#]],
        );
    }

    #[test]
    fn other_values_are_assigned_in_order() {
        check_pass::<super::ConvertLetrec>(
            "(program (letrec ([f (lambda () x)] [x (quote 1)] [y (f)]) (begin x y)))",
            expect![[r#"
                (program (letrec ([f.0 (lambda () x.1)] [x.1 (quote 1)] [y.2 (f.0)]) (begin x.1 y.2)))
                => convert_letrec
                (program ((lambda (x.1 y.2)
                            (fix ([f.0 (lambda () x.1)])
                              (begin (set! x.1 (quote 1)) (set! y.2 (f.0)) (begin x.1 y.2))))
                          ((primitive void))
                          ((primitive void))))
            "#]],
        );
    }

    #[test]
    fn letrec_star_keeps_the_order_and_procedures_of_every_shape() {
        check_pass::<super::ConvertLetrec>(
            "(program (letrec* ([a (quote 1)]
                                [f (lambda (x . r) (g x))]
                                [g (case-lambda [(y) a] [(w z . more) more])]
                                [b (f a)])
                        b))",
            expect![[r#"
                (program (letrec* ([a.0 (quote 1)]
                                   [f.1 (lambda (x.4 . r.5) (g.2 x.4))]
                                   [g.2 (case-lambda [(y.6) a.0] [(w.7 z.8 . more.9) more.9])]
                                   [b.3 (f.1 a.0)])
                           b.3))
                => convert_letrec
                (program ((lambda (a.0 b.3)
                            (fix ([f.1 (lambda (x.4 . r.5) (g.2 x.4))]
                                  [g.2 (case-lambda [(y.6) a.0] [(w.7 z.8 . more.9) more.9])])
                              (begin (set! a.0 (quote 1)) (set! b.3 (f.1 a.0)) b.3)))
                          ((primitive void))
                          ((primitive void))))
            "#]],
        );
    }

    #[test]
    fn lambdas_outside_letrec_become_the_lambda_nonterminal() {
        check_pass::<super::ConvertLetrec>(
            "(program (lambda (x) (if x x)))",
            expect![[r#"
            (program (lambda (x.0) (if x.0 x.0)))
            => convert_letrec
            (program (lambda (x.0) (if x.0 x.0)))
        "#]],
        );
    }
}
