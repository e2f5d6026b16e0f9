//! Turns a call of a `lambda` written in operator position into a `let`, so that no closure is
//! made for it. The derived form `let` (and `or`, `do`, named-`let` bodies, ...) expands into
//! exactly such a call, so this saves a heap allocation in most procedures.
//!
//! ```text
//! ((lambda (x y) body) a b)  =>  (let ([x a] [y b]) body)
//! ```
//!
//! Only a `lambda` with no rest parameter and as many parameters as there are arguments is
//! converted; any other call (a rest list, a wrong count, which must raise its error at run time,
//! a `case-lambda`) is left alone. Both forms evaluate the arguments and then the body, and the
//! parameters are unique variables not visible to the arguments, so the meaning is unchanged.
//! The pass runs after `convert_assignments`, so an assigned parameter is already rebound to a
//! box inside the body and simply becomes an ordinary `let` binding here.

use ir::lang::no_assignments as src;
use ir::lang::no_assignments::{self as dst, from_no_assignments::Cx};
use nanopass_macros::pass;

/// The pass; it keeps no state.
#[derive(Default)]
pub struct ConvertDirectCalls;

/// Makes a call of a `lambda` in operator position a `let`.
#[pass(ir::lang::no_assignments => ir::lang::no_assignments)]
impl ConvertDirectCalls {
    fn expr_call(
        &mut self,
        cx: &mut Cx<'_>,
        _: (),
        f: src::ExprId,
        args: &[src::ExprId],
    ) -> dst::ExprId {
        if let src::Expr::Procedure { p } = cx.src[f]
            && let src::Procedure::Lambda {
                params,
                rest: None,
                body,
            } = &cx.src[p]
            && params.len() == args.len()
        {
            let (params, body) = (params.clone(), *body);
            let values = args.iter().map(|&a| self.expr(cx, (), a)).collect();
            let body = self.expr(cx, (), body);
            return cx.dst.expr_let(params, values, body);
        }
        let f = self.expr(cx, (), f);
        let args = args.iter().map(|&a| self.expr(cx, (), a)).collect();
        cx.dst.expr_call(f, args)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::check_pass;
    use expect_test::expect;

    #[test]
    fn a_lambda_in_operator_position_becomes_a_let() {
        check_pass::<super::ConvertDirectCalls>(
            "(program ((lambda (x y) ((primitive +) x y)) (quote 1) ((lambda (z) z) (quote 2))))",
            expect![[r#"
                (program ((lambda (x.0 y.1) ((primitive +) x.0 y.1)) (quote 1) ((lambda (z.2) z.2) (quote 2))))
                => convert_direct_calls
                (program (let ([x.0 (quote 1)] [y.1 (let ([z.2 (quote 2)]) z.2)]) ((primitive +) x.0 y.1)))
            "#]],
        );
    }

    #[test]
    fn rest_parameters_and_wrong_counts_stay_calls() {
        check_pass::<super::ConvertDirectCalls>(
            "(program (begin ((lambda (x . r) x) (quote 1) (quote 2)) ((lambda (y) y))))",
            expect![[r#"
                (program (begin ((lambda (x.0 . r.1) x.0) (quote 1) (quote 2)) ((lambda (y.2) y.2))))
                => convert_direct_calls
                (program (begin ((lambda (x.0 . r.1) x.0) (quote 1) (quote 2)) ((lambda (y.2) y.2))))
            "#]],
        );
    }
}
