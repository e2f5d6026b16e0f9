//! Converts assignments to local variables into operations on boxes, as Chez's
//! `convert-assignments` does: each assigned variable is bound to a box holding its value, so a
//! closure can capture the variable by copying the box pointer and later passes never see `set!`.
//!
//! ```text
//! (lambda (x) (set! x (f x)))  =>  (lambda (x.1) (let ([x ($box x.1)]) ($set-box! x (f ($unbox x)))))
//! ```
//!
//! Variables bound by `fix` are almost never assigned; when one is, it is bound to a box outside
//! the `fix` and the box is filled with the procedure before the body runs.

use ir::lang::no_assignments::{
    self as dst, from_no_one_armed_if::Cx, from_no_one_armed_if::Translate,
};
use ir::lang::no_one_armed_if::{self as src, Visit};
use ir::symbol::Symbol;
use ir::var::Var;
use nanopass_macros::pass;
use std::collections::HashSet;

/// The pass; `assigned` holds the variables that some `set!` assigns.
#[derive(Default)]
pub struct ConvertAssignments {
    assigned: HashSet<Var>,
}

/// Replaces `set!` of local variables by boxes.
#[pass(ir::lang::no_one_armed_if => ir::lang::no_assignments)]
impl ConvertAssignments {
    fn program_program(&mut self, cx: &mut Cx<'_>, _: (), body: src::ExprId) -> dst::ProgramId {
        let mut finder = FindAssigned::default();
        finder.expr(cx.src, body);
        self.assigned = finder.assigned;
        let body = self.expr(cx, (), body);
        cx.dst.program_program(body)
    }

    fn expr_ref(&mut self, cx: &mut Cx<'_>, _: (), x: Var) -> dst::ExprId {
        let reference = cx.dst.expr_ref(x);
        if self.assigned.contains(&x) {
            call_primitive(cx, "$unbox", vec![reference])
        } else {
            reference
        }
    }

    fn expr_set(&mut self, cx: &mut Cx<'_>, _: (), x: Var, value: src::ExprId) -> dst::ExprId {
        let value = self.expr(cx, (), value);
        let boxed = cx.dst.expr_ref(x);
        call_primitive(cx, "$set-box!", vec![boxed, value])
    }

    fn procedure_lambda(
        &mut self,
        cx: &mut Cx<'_>,
        _: (),
        params: &[Var],
        rest: Option<Var>,
        body: src::ExprId,
    ) -> dst::ProcedureId {
        let (params, rest, body) = self.binding(cx, params, rest, body);
        cx.dst.procedure_lambda(params, rest, body)
    }

    fn clause_clause(
        &mut self,
        cx: &mut Cx<'_>,
        _: (),
        params: &[Var],
        rest: Option<Var>,
        body: src::ExprId,
    ) -> dst::ClauseId {
        let (params, rest, body) = self.binding(cx, params, rest, body);
        cx.dst.clause_clause(params, rest, body)
    }

    fn expr_fix(
        &mut self,
        cx: &mut Cx<'_>,
        _: (),
        lhs: &[Var],
        rhs: &[src::ProcedureId],
        body: src::ExprId,
    ) -> dst::ExprId {
        let rhs: Vec<_> = rhs.iter().map(|&p| self.procedure(cx, (), p)).collect();
        let mut names = Vec::new();
        let mut boxes = Vec::new();
        let mut fills = Vec::new();
        for &x in lhs {
            if self.assigned.contains(&x) {
                // `x` names the box; the procedure gets a fresh name.
                let inner = fresh_like(cx, x);
                let void = call_primitive(cx, "void", Vec::new());
                boxes.push((x, call_primitive(cx, "$box", vec![void])));
                let (boxed, value) = (cx.dst.expr_ref(x), cx.dst.expr_ref(inner));
                fills.push(call_primitive(cx, "$set-box!", vec![boxed, value]));
                names.push(inner);
            } else {
                names.push(x);
            }
        }
        let mut body = self.expr(cx, (), body);
        if !fills.is_empty() {
            body = cx.dst.expr_seq(fills, body);
        }
        let fix = cx.dst.expr_fix(names, rhs, body);
        if boxes.is_empty() {
            return fix;
        }
        let (vars, values) = boxes.into_iter().unzip();
        cx.dst.expr_let(vars, values, fix)
    }
}

impl ConvertAssignments {
    /// Renames the assigned parameters and binds the original names to boxes around `body`.
    fn binding(
        &mut self,
        cx: &mut Cx<'_>,
        params: &[Var],
        rest: Option<Var>,
        body: src::ExprId,
    ) -> (Vec<Var>, Option<Var>, dst::ExprId) {
        let mut boxed = Vec::new();
        let mut rename = |cx: &mut Cx<'_>, x: Var| {
            if self.assigned.contains(&x) {
                let inner = fresh_like(cx, x);
                boxed.push((x, inner));
                inner
            } else {
                x
            }
        };
        let params: Vec<Var> = params.iter().map(|&x| rename(cx, x)).collect();
        let rest = rest.map(|x| rename(cx, x));
        let mut body = self.expr(cx, (), body);
        if !boxed.is_empty() {
            let (vars, values) = boxed
                .into_iter()
                .map(|(x, inner)| {
                    let value = cx.dst.expr_ref(inner);
                    (x, call_primitive(cx, "$box", vec![value]))
                })
                .unzip();
            body = cx.dst.expr_let(vars, values, body);
        }
        (params, rest, body)
    }
}

/// Finds the variables that `set!` assigns.
#[derive(Default)]
struct FindAssigned {
    assigned: HashSet<Var>,
}

impl Visit for FindAssigned {
    fn expr_set(&mut self, arena: &src::Arena, x: Var, value: src::ExprId) {
        self.assigned.insert(x);
        self.expr(arena, value);
    }
}

fn fresh_like(cx: &mut Cx<'_>, x: Var) -> Var {
    let name = cx.dst.cx.vars.name(x);
    cx.dst.cx.vars.fresh(name)
}

fn call_primitive(cx: &mut Cx<'_>, name: &str, args: Vec<dst::ExprId>) -> dst::ExprId {
    let f = cx.dst.expr_primitive(Symbol::intern(name));
    cx.dst.expr_call(f, args)
}

#[cfg(test)]
mod tests {
    use crate::test_support::check_pass;
    use expect_test::expect;

    #[test]
    fn assigned_parameters_are_boxed() {
        check_pass::<super::ConvertAssignments>(
            "(program (lambda (x y) (begin (set! x ((primitive +) x y)) x)))",
            expect![[r#"
                (program (lambda (x.0 y.1) (begin (set! x.0 ((primitive +) x.0 y.1)) x.0)))
                => convert_assignments
                (program (lambda (x.2 y.1)
                           (let ([x.0 ((primitive $box) x.2)])
                             (begin ((primitive $set-box!) x.0 ((primitive +) ((primitive $unbox) x.0) y.1))
                               ((primitive $unbox) x.0)))))
            "#]],
        );
    }

    #[test]
    fn assigned_fix_variables_are_boxed_outside_the_fix() {
        check_pass::<super::ConvertAssignments>(
            "(program (fix ([f (lambda () (f))]) (begin (set! f (quote 1)) f)))",
            expect![[r#"
                (program (fix ([f.0 (lambda () (f.0))]) (begin (set! f.0 (quote 1)) f.0)))
                => convert_assignments
                (program (let ([f.0 ((primitive $box) ((primitive void)))])
                           (fix ([f.1 (lambda () (((primitive $unbox) f.0)))])
                             (begin ((primitive $set-box!) f.0 f.1)
                               (begin ((primitive $set-box!) f.0 (quote 1)) ((primitive $unbox) f.0))))))
            "#]],
        );
    }
}
