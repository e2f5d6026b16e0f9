//! Moving a unit between arenas: [`canonical_unit`] gives one expanded unit a canonical form.
//!
//! Units talk to each other only through top-level variables (`(global name)` and
//! `(set-global! name value)`), so each unit runs through the pass pipeline and code
//! generation on its own (DESIGN.md decision 9) and they meet only in the backend's link step
//! (`backend::link`). Moving is written by hand on the generated `Translate` trait because it
//! is not a pass from one program to another: variables get fresh ids in the new arena and
//! constants are copied.

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

use ir::lang::core_scheme;

mod core_scheme_mover {
    use super::*;
    use core_scheme::from_core_scheme::Cx;
    mover!(core_scheme::from_core_scheme::Translate);
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

#[cfg(test)]
mod tests {
    use super::canonical_unit;
    use expect_test::expect;
    use ir::lang::core_scheme;
    use ir::nanopass::Ir;

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
