//! Moving units between arenas: [`canonical_unit`] gives one expanded unit a canonical form,
//! and [`link_units`] joins separately compiled units into one program for code generation.
//!
//! Units talk to each other only through top-level variables (`(global name)` and
//! `(set-global! name value)`), so each unit runs through the pass pipeline on its own
//! (DESIGN.md decision 9) and linking is moving every unit's code labels and body into one
//! arena: variables get fresh ids there and constants are copied. Both are written by hand on
//! the generated `Translate` traits because they are not passes from one program to another.

use ir::datum::DatumId;
use ir::var::Var;
use std::collections::HashMap;

/// A translation that moves nodes into another arena of the same language: every variable
/// gets a fresh id there, in the order the traversal meets it, and constants are copied.
macro_rules! mover {
    ($translate:path) => {
        impl $translate for Move {
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
    };
}

/// Moves one unit's nodes into another arena.
#[derive(Default)]
struct Move {
    vars: HashMap<Var, Var>,
}

use ir::lang::{core_scheme, explicit_tails};

mod core_scheme_mover {
    use super::*;
    use core_scheme::from_core_scheme::Cx;
    mover!(core_scheme::from_core_scheme::Translate);
}

mod explicit_tails_mover {
    use super::*;
    use explicit_tails::from_explicit_tails::Cx;
    mover!(explicit_tails::from_explicit_tails::Translate);
}

/// `unit` in canonical form: its variables numbered from 0 in the order a traversal meets
/// them and only the constants it uses, so that expanding an unchanged library gives an equal
/// tree (and equal text) however much else the expansion did before it.
pub fn canonical_unit(unit: &core_scheme::Tree) -> core_scheme::Tree {
    use core_scheme::from_core_scheme::{Cx, Translate};
    let mut cx = Cx {
        src: &unit.arena,
        dst: core_scheme::Arena::default(),
    };
    let root = Move::default().program(&mut cx, (), unit.root);
    core_scheme::Tree {
        arena: cx.dst,
        root,
    }
}

/// Links units of the pipeline's last language — the base library, the other libraries in
/// dependency order, then the program — into one program: the code labels of all of them, and
/// a body that runs each unit's body in order (its value is the last one's).
pub fn link_units<'u>(
    units: impl IntoIterator<Item = &'u explicit_tails::Tree>,
) -> explicit_tails::Tree {
    use explicit_tails::Program;
    use explicit_tails::from_explicit_tails::{Cx, Translate};
    let mut arena = explicit_tails::Arena::default();
    let (mut labels, mut codes, mut bodies) = (Vec::new(), Vec::new(), Vec::new());
    for unit in units {
        let Program::WithCode {
            labels: l,
            code,
            body,
        } = &unit.arena[unit.root];
        let mut cx = Cx {
            src: &unit.arena,
            dst: std::mem::take(&mut arena),
        };
        let mut moving = Move::default();
        for (&label, &code) in l.iter().zip(code) {
            labels.push(moving.terminal_var(&mut cx, (), label));
            codes.push(moving.code(&mut cx, (), code));
        }
        bodies.push(moving.expr(&mut cx, (), *body));
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
    let root = arena.program_with_code(labels, codes, body);
    explicit_tails::Tree { arena, root }
}

#[cfg(test)]
mod tests {
    use super::{canonical_unit, link_units};
    use expect_test::expect;
    use ir::lang::{core_scheme, explicit_tails};
    use ir::nanopass::Ir;

    #[test]
    fn units_run_in_order_with_their_own_labels_and_variables() {
        let library = explicit_tails::Tree::parse(
            "(program ([f.0 (code () [(x.1) ((primitive cons) x.1 (quote (a #(b))))])])
               (closures ([f.2 (make-closure f.0)]) (set-global! lib::f f.2)))",
        )
        .unwrap();
        let program = explicit_tails::Tree::parse(
            "(program ([g.0 (code () [(x.1) (tail-call (global lib::f) x.1)])])
               (closures ([g.2 (make-closure g.0)]) (g.2 (quote 1))))",
        )
        .unwrap();
        let linked = link_units([&library, &program]);
        linked.verify().expect("the linked program verifies");
        expect![[r#"
            (program ([f.0 (code () [(x.1) ((primitive cons) x.1 (quote (a #(b))))])]
                      [g.3 (code () [(x.4) (tail-call (global lib::f) x.4)])])
              (begin (closures ([f.2 (make-closure f.0)]) (set-global! lib::f f.2))
                (closures ([g.5 (make-closure g.3)]) (g.5 (quote 1)))))
        "#]]
        .assert_eq(&format!("{}\n", linked.print()));
    }

    #[test]
    fn canonical_units_number_variables_from_zero_and_drop_unused_constants() {
        let mut unit = core_scheme::Tree::parse(
            "(program ((lambda (a.7 b.3) ((primitive cons) b.3 a.7)) (quote 1) (quote x)))",
        )
        .unwrap();
        // Leftovers of expansion: an unused variable and an unused constant.
        unit.arena
            .cx
            .vars
            .fresh(ir::symbol::Symbol::intern("unused"));
        unit.arena.cx.datums.symbol("unused");
        let before = unit.arena.cx.datums.len();
        let canonical = canonical_unit(&unit);
        canonical.verify().expect("the canonical unit verifies");
        expect![[r#"
            (program ((lambda (a.0 b.1) ((primitive cons) b.1 a.0)) (quote 1) (quote x)))
        "#]]
        .assert_eq(&format!("{}\n", canonical.print()));
        assert_eq!(canonical.arena.cx.vars.len(), 2);
        assert!(canonical.arena.cx.datums.len() < before);
        assert_eq!(canonical_unit(&canonical).print(), canonical.print());
    }
}
