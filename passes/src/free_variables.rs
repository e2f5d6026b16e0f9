//! Finds a procedure's free variables: the variables it refers to but does not bind. Variables
//! are unique in a program, so "not bound inside" is the same as "bound outside".

use ir::lang::no_assignments::{Arena, ProcedureId, Visit};
use ir::var::Var;
use std::collections::HashSet;

/// The free variables of `procedure`, in the order of their first reference.
pub fn free_variables(arena: &Arena, procedure: ProcedureId) -> Vec<Var> {
    let mut finder = Finder::default();
    finder.procedure(arena, procedure);
    finder
        .referenced
        .into_iter()
        .filter(|x| !finder.bound.contains(x))
        .collect()
}

#[derive(Default)]
struct Finder {
    referenced: Vec<Var>,
    seen: HashSet<Var>,
    bound: HashSet<Var>,
}

impl Visit for Finder {
    fn terminal_var(&mut self, _: &Arena, x: Var) {
        if self.seen.insert(x) {
            self.referenced.push(x);
        }
    }

    fn binder_var(&mut self, _: &Arena, x: Var) {
        self.bound.insert(x);
    }
}

#[cfg(test)]
mod tests {
    use super::free_variables;
    use ir::lang::no_assignments::{Expr, Program, Tree};
    use ir::nanopass::Ir;

    fn check(text: &str, expected: &[&str]) {
        let tree = Tree::parse(text).expect("parses");
        let Program::Program { body } = tree.arena[tree.root];
        let Expr::Procedure { p } = tree.arena[body] else {
            panic!("not a procedure")
        };
        let names: Vec<String> = free_variables(&tree.arena, p)
            .into_iter()
            .map(|x| tree.arena.cx.vars.name(x).to_string())
            .collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn free_variables_are_those_bound_outside() {
        check(
            "(program (lambda (x) (y x (lambda (z) (w z y)))))",
            &["y", "w"],
        );
        check("(program (lambda (x) (let ([a x]) a)))", &[]);
    }
}
