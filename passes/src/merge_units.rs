//! Joins a program's units — its libraries in dependency order, then the program itself — into
//! one CoreScheme program, so the pipeline and the code generator see the whole program.
//!
//! Units already talk to each other only through top-level variables (`(global name)` and
//! `(set-global! name value)`), so joining is sequencing their bodies after moving each into
//! one arena: variables get fresh ids there and constants are copied. This is a stop-gap until
//! units are compiled separately and linked (DESIGN.md decision 9); it is written by hand on the
//! generated `Translate` trait because it is not a pass from one program to another.

use ir::datum::DatumId;
use ir::lang::core_scheme::{
    Arena, Program, Tree, from_core_scheme::Cx, from_core_scheme::Translate,
};
use ir::var::Var;
use std::collections::HashMap;

/// One program whose body runs each unit's body in order; the value is the last unit's.
pub fn merge_units(units: &[Tree]) -> Tree {
    let mut arena = Arena::default();
    let mut bodies = Vec::with_capacity(units.len());
    for unit in units {
        let Program::Program { body } = unit.arena[unit.root];
        let mut cx = Cx {
            src: &unit.arena,
            dst: std::mem::take(&mut arena),
        };
        bodies.push(Move::default().expr(&mut cx, (), body));
        arena = cx.dst;
    }
    let body = match bodies.pop() {
        Some(last) if bodies.is_empty() => last,
        Some(last) => arena.expr_seq(bodies, last),
        None => {
            let void = arena.expr_primitive(ir::symbol::Symbol::intern("void"));
            arena.expr_call(void, Vec::new())
        }
    };
    let root = arena.program_program(body);
    Tree { arena, root }
}

/// Moves one unit's nodes into the shared arena.
#[derive(Default)]
struct Move {
    vars: HashMap<Var, Var>,
}

impl Translate for Move {
    type Inherited = ();

    fn terminal_var(&mut self, cx: &mut Cx<'_>, _: (), value: Var) -> Var {
        let name = cx.src.cx.vars.name(value);
        *self
            .vars
            .entry(value)
            .or_insert_with(|| cx.dst.cx.vars.fresh(name))
    }

    fn terminal_const(&mut self, cx: &mut Cx<'_>, _: (), value: DatumId) -> DatumId {
        cx.dst.cx.datums.copy_from(&cx.src.cx.datums, value)
    }
}

#[cfg(test)]
mod tests {
    use super::merge_units;
    use expect_test::expect;
    use ir::lang::core_scheme::Tree;
    use ir::nanopass::Ir;

    #[test]
    fn units_run_in_order_with_their_own_variables() {
        let library = Tree::parse(
            "(program (set-global! lib::f (lambda (x) ((primitive cons) x (quote (a #(b)))))))",
        )
        .unwrap();
        let program =
            Tree::parse("(program ((lambda (x) ((global lib::f) x)) (quote 1)))").unwrap();
        let merged = merge_units(&[library, program]);
        merged.verify().expect("the merged program verifies");
        expect![[r#"
            (program (begin (set-global! lib::f (lambda (x.0) ((primitive cons) x.0 (quote (a #(b))))))
                       ((lambda (x.1) ((global lib::f) x.1)) (quote 1))))"#]]
        .assert_eq(&merged.print());
    }
}
