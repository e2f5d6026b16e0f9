//! Generated recursion is deep: a 100,000-deep expression must go through the passes, the
//! printer, the parser and the verifier without overflowing the compiler's stack (the test
//! thread has only 2 MiB of it).

use ir::lang::core_scheme::{Arena, Tree};
use ir::nanopass::{Ir, Pass};
use ir::symbol::Symbol;
use passes::convert_letrec::ConvertLetrec;
use passes::remove_one_armed_if::RemoveOneArmedIf;

const DEPTH: usize = 100_000;

/// `(program (lambda (x) (if x (if x ... (if x x)))))`, `DEPTH` one-armed ifs deep.
fn deep_program() -> Tree {
    let mut arena = Arena::default();
    let x = arena.cx.vars.fresh(Symbol::intern("x"));
    let mut body = arena.expr_ref(x);
    for _ in 0..DEPTH {
        let test = arena.expr_ref(x);
        body = arena.expr_one_armed_if(test, body);
    }
    let lambda = arena.expr_lambda(vec![x], None, body);
    let root = arena.program_program(lambda);
    Tree { arena, root }
}

#[test]
fn a_100000_deep_expression_goes_through_passes_printer_parser_and_verifier() {
    let tree = deep_program();
    tree.verify().expect("the input verifies");
    let text = tree.print();
    assert_eq!(text.matches("(if x.0").count(), DEPTH);

    let reparsed = Tree::parse(&text).expect("the printed program parses");
    assert_eq!(reparsed.print(), text);

    let no_letrec = ConvertLetrec.run(reparsed);
    no_letrec
        .verify()
        .expect("convert_letrec's output verifies");
    let two_armed = RemoveOneArmedIf.run(no_letrec);
    two_armed
        .verify()
        .expect("remove_one_armed_if's output verifies");
    let printed = two_armed.print();
    assert_eq!(printed.matches("((primitive void))").count(), DEPTH);
}
