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
//! calls the primitive (one clause per accepted argument count; for primitives taking any
//! number of arguments, counts up to four more than the minimum — a known limitation).

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
        let name = Symbol::intern("lambda");
        let closure = self.closure(cx, p, name);
        let tmp = cx.dst.cx.vars.fresh(name);
        let body = cx.dst.expr_ref(tmp);
        cx.dst.expr_closures(vec![tmp], vec![closure], body)
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
        let clauses = counts
            .map(|count| {
                let params: Vec<Var> = (0..count)
                    .map(|_| cx.dst.cx.vars.fresh(Symbol::intern("x")))
                    .collect();
                let args = params.iter().map(|&x| cx.dst.expr_ref(x)).collect();
                let f = cx.dst.expr_primitive(name);
                let body = cx.dst.expr_call(f, args);
                cx.dst.clause_clause(params, None, body)
            })
            .collect();
        let code = cx.dst.code_code(Vec::new(), clauses);
        let label = cx.dst.cx.vars.fresh(name);
        self.codes.push((label, code));
        self.primitive_codes.insert(name, label);
        label
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
    fn primitives_as_values_get_code() {
        check_pass::<super::ConvertClosures>(
            "(program ((primitive apply) (primitive car) (quote ((1)))))",
            expect![[r#"
                (program ((primitive apply) (primitive car) (quote ((1)))))
                => convert_closures
                (program ([car.1 (code () [(x.0) ((primitive car) x.0)])])
                  ((primitive apply) (closures ([car.2 (make-closure car.1)]) car.2) (quote ((1)))))
            "#]],
        );
    }
}
