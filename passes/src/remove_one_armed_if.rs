//! Removes the one-armed `if`: `(if test conseq)` becomes `(if test conseq ((primitive void)))`,
//! so later passes see only two-armed conditionals.

use ir::lang::no_letrec as src;
use ir::lang::no_one_armed_if::{self as dst, from_no_letrec::Cx};
use ir::symbol::Symbol;
use nanopass_macros::pass;

/// The pass; it keeps no state.
#[derive(Default)]
pub struct RemoveOneArmedIf;

/// Gives every `if` an alternative.
#[pass(ir::lang::no_letrec => ir::lang::no_one_armed_if)]
impl RemoveOneArmedIf {
    fn expr_one_armed_if(
        &mut self,
        cx: &mut Cx<'_>,
        _: (),
        test: src::ExprId,
        conseq: src::ExprId,
    ) -> dst::ExprId {
        let test = self.expr(cx, (), test);
        let conseq = self.expr(cx, (), conseq);
        let void = cx.dst.expr_primitive(Symbol::intern("void"));
        let alt = cx.dst.expr_call(void, Vec::new());
        cx.dst.expr_if(test, conseq, alt)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::check_pass;
    use expect_test::expect;

    #[test]
    fn one_armed_if_gets_an_unspecified_alternative() {
        check_pass::<super::RemoveOneArmedIf>(
            "(program (lambda (x) (if (if x x) (if x (quote 1)) (quote 2))))",
            expect![[r#"
                (program (lambda (x.0) (if (if x.0 x.0) (if x.0 (quote 1)) (quote 2))))
                => remove_one_armed_if
                (program (lambda (x.0)
                           (if (if x.0 x.0 ((primitive void))) (if x.0 (quote 1) ((primitive void))) (quote 2))))
            "#]],
        );
    }
}
