//! Replaces `letrec` by `fix` and assignments, the simple strategy of Waddell, Sarkar and
//! Dybvig's "Fixing Letrec": bindings whose right-hand side is a `lambda` go into one `fix`;
//! the others are bound outside it to an unspecified value and assigned, in order, inside it.
//!
//! ```text
//! (letrec ([f (lambda ...)] [x e]) body)
//!   => ((lambda (x) (fix ([f (lambda ...)]) (begin (set! x e) body))) ((primitive void)))
//! ```

use ir::lang::core_scheme as src;
use ir::lang::no_letrec::{self as dst, from_core_scheme::Cx, from_core_scheme::Translate};
use ir::symbol::Symbol;
use ir::var::Var;
use nanopass_macros::pass;

/// The pass; it keeps no state.
#[derive(Default)]
pub struct ConvertLetrec;

/// Replaces `letrec` by `fix` for procedures and by assignments for other values.
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
        let mut procedures = Vec::new();
        let mut assigned = Vec::new();
        for (&x, &e) in lhs.iter().zip(rhs) {
            match &cx.src[e] {
                src::Expr::Lambda { params, body } => {
                    procedures.push((x, self.procedure(cx, params, *body)))
                }
                _ => assigned.push((x, self.expr(cx, (), e))),
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
        let binder = cx.dst.lambda_lambda(names, body);
        let binder = cx.dst.expr_lambda(binder);
        let placeholders = assigned.iter().map(|_| unspecified(cx)).collect();
        cx.dst.expr_call(binder, placeholders)
    }

    fn expr_lambda(
        &mut self,
        cx: &mut Cx<'_>,
        _: (),
        params: &[Var],
        body: src::ExprId,
    ) -> dst::ExprId {
        let lambda = self.procedure(cx, params, body);
        cx.dst.expr_lambda(lambda)
    }
}

impl ConvertLetrec {
    fn procedure(&mut self, cx: &mut Cx<'_>, params: &[Var], body: src::ExprId) -> dst::LambdaId {
        let body = self.expr(cx, (), body);
        cx.dst.lambda_lambda(params.to_vec(), body)
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
