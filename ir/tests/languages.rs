//! The generated language support, exercised on the compiler's first languages: parsing and
//! printing IR text, the verifier, builders and the visitor.

use expect_test::{Expect, expect};
use ir::lang::core_scheme::{self, Tree, Visit};
use ir::nanopass::Ir;

/// Parses `text` as CoreScheme, prints it, and checks the printed form reads back the same.
fn check_print(text: &str, expected: Expect) {
    let tree = Tree::parse(text).unwrap_or_else(|e| panic!("parse error: {e}"));
    let printed = tree.print();
    expected.assert_eq(&printed);
    let again =
        Tree::parse(&printed).unwrap_or_else(|e| panic!("printed text does not parse: {e}"));
    assert_eq!(again.print(), printed, "printing is not stable");
}

fn check_parse_error(text: &str, expected: Expect) {
    match Tree::parse(text) {
        Ok(tree) => panic!("expected a parse error, got {}", tree.print()),
        // A trailing newline keeps the snapshot in the multi-line form rustfmt leaves alone.
        Err(error) => expected.assert_eq(&format!("{error}\n")),
    }
}

fn check_verify(text: &str, expected: Expect) {
    let tree = Tree::parse(text).unwrap_or_else(|e| panic!("parse error: {e}"));
    let errors = match tree.verify() {
        Ok(()) => "ok".to_owned(),
        Err(errors) => errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    };
    expected.assert_eq(&errors);
}

#[test]
fn prints_every_production() {
    check_print(
        r#"(program
             (letrec ([f (lambda (n) (if (call? n) (begin (set! n (quote 1)) n) ((primitive +) n (quote "s"))))])
               (letrec* ([g (case-lambda [(a . rest) rest] [(b c) (set-global! top c)])]
                         [h (lambda all (if (f (quote (1 2))) (global top)))])
                 (h f g))))"#,
        expect![[r#"
            (program (letrec ([f.0 (lambda (n.1)
                                     (if (call?.2 n.1)
                                       (begin (set! n.1 (quote 1)) n.1)
                                       ((primitive +) n.1 (quote "s"))))])
                       (letrec* ([g.3 (case-lambda [(a.5 . rest.6) rest.6] [(b.7 c.8) (set-global! top c.8)])]
                                 [h.4 (lambda all.9 (if (f.0 (quote (1 2))) (global top)))])
                         (h.4 f.0 g.3))))"#]],
    );
}

#[test]
fn variables_keep_their_identity_through_text() {
    // Two different variables that share a name stay apart; `x.7` and `x.9` are two variables.
    check_print(
        "(program ((lambda (x.7) ((lambda (x.9) (x.7 x.9)) x.7)) (quote 0)))",
        expect!["(program ((lambda (x.0) ((lambda (x.1) (x.0 x.1)) x.0)) (quote 0)))"],
    );
}

#[test]
fn parse_errors_name_what_was_expected() {
    check_parse_error(
        "(program (if))",
        expect![[r#"
        1:10: malformed `if`: expected `(if test: Expr conseq: Expr alt: Expr)` or `(if test: Expr conseq: Expr)`
    "#]],
    );
    check_parse_error(
        "(program (f #t))",
        expect![[r#"
        1:13: expected Expr, one of `x: Var`, `(quote value: Const)`, `(primitive name: Prim)`, `(global name: Global)`, `(set-global! name: Global value: Expr)`, `(if test: Expr conseq: Expr alt: Expr)`, `(if test: Expr conseq: Expr)`, `(set! x: Var value: Expr)`, `(begin effects: Expr ... value: Expr)`, `(lambda (params: bind Var ... . rest: bind Var) body: Expr)`, `(case-lambda clauses: Clause ...)`, `(letrec ([lhs: bind Var rhs: Expr] ...) body: Expr)`, `(letrec* ([lhs: bind Var rhs: Expr] ...) body: Expr)`, `(f: Expr args: Expr ...)`
    "#]],
    );
    check_parse_error(
        "(program (lambda (x .) x))",
        expect![[r#"
        1:10: malformed `lambda`: expected `(lambda (params: bind Var ... . rest: bind Var) body: Expr)`
    "#]],
    );
    check_parse_error(
        "(program x) (program y)",
        expect![[r#"
        1:13: expected one CoreScheme program, found 2 S-expressions
    "#]],
    );
    check_parse_error(
        "(program (lambda (x) x)",
        expect![[r#"
        1:1: list is never closed
    "#]],
    );
    check_parse_error(
        "(progrm x)",
        expect![[r#"
        1:1: expected Program, one of `(program body: Expr)`
    "#]],
    );
}

#[test]
fn verifier_reports_unbound_and_doubly_bound_variables() {
    check_verify("(program (lambda (x) (lambda (y) (x y))))", expect!["ok"]);
    check_verify(
        "(program (lambda (x) (y x)))",
        expect!["variable y.1 is referenced outside the scope of its binder in (y.1 x.0)"],
    );
    check_verify(
        "(program (begin (lambda (x) x) x))",
        expect![
            "variable x.0 is referenced outside the scope of its binder in (begin (lambda (x.0) x.0) x.0)"
        ],
    );
    check_verify(
        "(program (lambda (x) (lambda (x) x)))",
        expect!["variable x.0 is bound more than once in (lambda (x.0) x.0)"],
    );
    check_verify(
        "(program (letrec ([f (lambda () (g))] [g (lambda () (f))]) (f)))",
        expect!["ok"],
    );
    check_verify(
        "(program (set! z (quote 1)))",
        expect![
            "variable z.0 is referenced outside the scope of its binder in (set! z.0 (quote 1))"
        ],
    );
}

#[test]
fn verifier_reports_shared_nodes_and_dangling_ids() {
    let mut tree = Tree::parse("(program (quote 1))").unwrap();
    let one = match tree.arena[tree.root] {
        core_scheme::Program::Program { body } => body,
    };
    // The same node used twice: the IR is a tree, so this is an error.
    let call = tree.arena.expr_call(one, vec![one]);
    tree.root = tree.arena.program_program(call);
    expect!["Expr node 0 has two parents in the tree (a node is shared, or part of a cycle)"]
        .assert_eq(&tree.verify().unwrap_err()[0].to_string());

    // A node that is its own child: a cycle is reported, not followed.
    let mut cyclic = core_scheme::Arena::default();
    let itself = cyclic.expr_call(one, vec![]);
    let root = cyclic.program_program(itself);
    let broken = Tree {
        arena: cyclic,
        root,
    };
    expect!["Expr node 0 has two parents in the tree (a node is shared, or part of a cycle)"]
        .assert_eq(&broken.verify().unwrap_err()[0].to_string());

    // An id from a bigger arena does not index this one.
    let mut small = core_scheme::Arena::default();
    let dangling = small.expr_call(call, vec![]);
    let root = small.program_program(dangling);
    let broken = Tree { arena: small, root };
    expect!["child ExprId(1) is not in the arena in Expr::Call node 0"]
        .assert_eq(&broken.verify().unwrap_err()[0].to_string());
}

#[test]
fn visitor_sees_binders_and_references() {
    #[derive(Default)]
    struct Occurrences(Vec<String>);
    impl Visit for Occurrences {
        fn binder_var(&mut self, arena: &core_scheme::Arena, value: ir::var::Var) {
            self.0
                .push(format!("bind {}", arena.cx.vars.display(value)));
        }
        fn terminal_var(&mut self, arena: &core_scheme::Arena, value: ir::var::Var) {
            self.0.push(format!("ref {}", arena.cx.vars.display(value)));
        }
    }
    let tree = Tree::parse("(program (letrec ([f (lambda (x) (f x))]) (set! f f)))").unwrap();
    let mut seen = Occurrences::default();
    seen.program(&tree.arena, tree.root);
    expect!["bind f.0, bind x.1, ref f.0, ref x.1, ref f.0, ref f.0"].assert_eq(&seen.0.join(", "));
}
