//! Marks the calls in tail position as `tail-call`: the backend compiles them as jumps that
//! reuse the caller's frame, which is what makes loops written as recursion run in constant
//! stack (R6RS 5.11). The inherited flag says whether the expression being translated is in
//! tail position; only the productions that put a child out of tail position are written here.

use ir::lang::closures as src;
use ir::lang::explicit_tails::{self as dst, from_closures::Cx};
use ir::symbol::Symbol;
use ir::var::Var;
use nanopass_macros::pass;

/// The pass; it keeps no state.
#[derive(Default)]
pub struct MakeTailCallsExplicit;

/// Marks the calls in tail position.
#[pass(ir::lang::closures => ir::lang::explicit_tails, inherited = bool)]
impl MakeTailCallsExplicit {
    fn program_with_code(
        &mut self,
        cx: &mut Cx<'_>,
        _: bool,
        labels: &[Var],
        code: &[src::CodeId],
        body: src::ExprId,
    ) -> dst::ProgramId {
        let code = code.iter().map(|&c| self.code(cx, true, c)).collect();
        let body = self.expr(cx, true, body);
        cx.dst.program_with_code(labels.to_vec(), code, body)
    }

    fn clause_clause(
        &mut self,
        cx: &mut Cx<'_>,
        _: bool,
        params: &[Var],
        rest: Option<Var>,
        body: src::ExprId,
    ) -> dst::ClauseId {
        let body = self.expr(cx, true, body);
        cx.dst.clause_clause(params.to_vec(), rest, body)
    }

    fn expr_call(
        &mut self,
        cx: &mut Cx<'_>,
        tail: bool,
        f: src::ExprId,
        args: &[src::ExprId],
    ) -> dst::ExprId {
        let f = self.expr(cx, false, f);
        let args = args.iter().map(|&a| self.expr(cx, false, a)).collect();
        if tail {
            cx.dst.expr_tail_call(f, args)
        } else {
            cx.dst.expr_call(f, args)
        }
    }

    fn expr_if(
        &mut self,
        cx: &mut Cx<'_>,
        tail: bool,
        test: src::ExprId,
        conseq: src::ExprId,
        alt: src::ExprId,
    ) -> dst::ExprId {
        let test = self.expr(cx, false, test);
        let conseq = self.expr(cx, tail, conseq);
        let alt = self.expr(cx, tail, alt);
        cx.dst.expr_if(test, conseq, alt)
    }

    fn expr_seq(
        &mut self,
        cx: &mut Cx<'_>,
        tail: bool,
        effects: &[src::ExprId],
        value: src::ExprId,
    ) -> dst::ExprId {
        let effects = effects.iter().map(|&e| self.expr(cx, false, e)).collect();
        let value = self.expr(cx, tail, value);
        cx.dst.expr_seq(effects, value)
    }

    fn expr_let(
        &mut self,
        cx: &mut Cx<'_>,
        tail: bool,
        lhs: &[Var],
        rhs: &[src::ExprId],
        body: src::ExprId,
    ) -> dst::ExprId {
        let rhs = rhs.iter().map(|&e| self.expr(cx, false, e)).collect();
        let body = self.expr(cx, tail, body);
        cx.dst.expr_let(lhs.to_vec(), rhs, body)
    }

    fn expr_global_set(
        &mut self,
        cx: &mut Cx<'_>,
        _: bool,
        name: Symbol,
        value: src::ExprId,
    ) -> dst::ExprId {
        let value = self.expr(cx, false, value);
        cx.dst.expr_global_set(name, value)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::check_pass;
    use expect_test::expect;

    #[test]
    fn only_calls_in_tail_position_are_marked() {
        check_pass::<super::MakeTailCallsExplicit>(
            "(program ([l (code () [(f g x h k m)
                                             (begin (f (g x)) (if (h) (let ([y (k)]) (m y)) (quote 1)))])])
                (quote 0))",
            expect![[r#"
                (program ([l.0 (code ()
                                 [(f.1 g.2 x.3 h.4 k.5 m.6)
                                  (begin (f.1 (g.2 x.3)) (if (h.4) (let ([y.7 (k.5)]) (m.6 y.7)) (quote 1)))])])
                  (quote 0))
                => make_tail_calls_explicit
                (program ([l.0 (code ()
                                 [(f.1 g.2 x.3 h.4 k.5 m.6)
                                  (begin (f.1 (g.2 x.3))
                                    (if (h.4) (let ([y.7 (k.5)]) (tail-call m.6 y.7)) (quote 1)))])])
                  (quote 0))
            "#]],
        );
    }
}
