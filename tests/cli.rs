//! The `loko` command line, run as a user would: `--passes`, `--dump-ir`, and its errors.

use expect_test::{Expect, expect};
use std::process::Command;

/// Runs `loko` with `args` in the repository root; compares exit status, stdout and stderr.
fn check(args: &[&str], expected: Expect) {
    let output = Command::new(env!("CARGO_BIN_EXE_loko"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("loko runs");
    let mut shown = format!(
        "status: {}\n",
        output
            .status
            .code()
            .map_or("signal".into(), |c| c.to_string())
    );
    for (name, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        if !bytes.is_empty() {
            shown.push_str(&format!("{name}:\n{}", String::from_utf8_lossy(bytes)));
        }
    }
    expected.assert_eq(&shown);
}

#[test]
fn passes_lists_the_pipeline() {
    check(
        &["--passes"],
        expect![[r#"
            status: 0
            stdout:
            read                   text -> datums: The program as read (for a .sexp file: IR text of the first language).
            expand                 datums -> CoreScheme: Expands macros and resolves every identifier; each library becomes a unit.
            convert_letrec         CoreScheme -> NoLetrec: Replaces `letrec` and `letrec*` by `fix` for procedures and by assignments for other values.
            remove_one_armed_if    NoLetrec -> NoOneArmedIf: Gives every `if` an alternative.
            convert_assignments    NoOneArmedIf -> NoAssignments: Replaces `set!` of local variables by boxes.
            convert_direct_calls   NoAssignments -> NoAssignments: Makes a call of a `lambda` in operator position a `let`.
            convert_closures       NoAssignments -> Closures: Makes closures explicit and lifts procedures' code to the top of the program.
            make_tail_calls_explicit Closures -> ExplicitTails: Marks the calls in tail position.
        "#]],
    );
}

#[test]
fn dump_ir_all_prints_every_stage() {
    check(
        &["--dump-ir=all", "tests/ir/example.sexp"],
        expect![[r#"
            status: 0
            stdout:
            ;; read (CoreScheme)
            (program (letrec ([even?.0 (lambda (n.3)
                                         (if ((primitive zero?) n.3)
                                           (quote #t)
                                           (odd?.1 ((primitive -) n.3 (quote 1)))))]
                              [odd?.1 (lambda (m.4)
                                        (if ((primitive zero?) m.4)
                                          (quote #f)
                                          (even?.0 ((primitive -) m.4 (quote 1)))))]
                              [count.2 (quote 0)])
                       (begin (if (even?.0 (quote 10)) (set! count.2 ((primitive +) count.2 (quote 1))))
                         count.2)))

            ;; convert_letrec (NoLetrec)
            (program ((lambda (count.2)
                        (fix ([even?.0 (lambda (n.3)
                                         (if ((primitive zero?) n.3)
                                           (quote #t)
                                           (odd?.1 ((primitive -) n.3 (quote 1)))))]
                              [odd?.1 (lambda (m.4)
                                        (if ((primitive zero?) m.4)
                                          (quote #f)
                                          (even?.0 ((primitive -) m.4 (quote 1)))))])
                          (begin (set! count.2 (quote 0))
                            (begin (if (even?.0 (quote 10)) (set! count.2 ((primitive +) count.2 (quote 1))))
                              count.2))))
                      ((primitive void))))

            ;; remove_one_armed_if (NoOneArmedIf)
            (program ((lambda (count.2)
                        (fix ([even?.0 (lambda (n.3)
                                         (if ((primitive zero?) n.3)
                                           (quote #t)
                                           (odd?.1 ((primitive -) n.3 (quote 1)))))]
                              [odd?.1 (lambda (m.4)
                                        (if ((primitive zero?) m.4)
                                          (quote #f)
                                          (even?.0 ((primitive -) m.4 (quote 1)))))])
                          (begin (set! count.2 (quote 0))
                            (begin (if (even?.0 (quote 10))
                                     (set! count.2 ((primitive +) count.2 (quote 1)))
                                     ((primitive void)))
                              count.2))))
                      ((primitive void))))

            ;; convert_assignments (NoAssignments)
            (program ((lambda (count.5)
                        (let ([count.2 ((primitive $box) count.5)])
                          (fix ([even?.0 (lambda (n.3)
                                           (if ((primitive zero?) n.3)
                                             (quote #t)
                                             (odd?.1 ((primitive -) n.3 (quote 1)))))]
                                [odd?.1 (lambda (m.4)
                                          (if ((primitive zero?) m.4)
                                            (quote #f)
                                            (even?.0 ((primitive -) m.4 (quote 1)))))])
                            (begin ((primitive $set-box!) count.2 (quote 0))
                              (begin (if (even?.0 (quote 10))
                                       ((primitive $set-box!)
                                        count.2
                                        ((primitive +) ((primitive $unbox) count.2) (quote 1)))
                                       ((primitive void)))
                                ((primitive $unbox) count.2))))))
                      ((primitive void))))

            ;; convert_direct_calls (NoAssignments)
            (program (let ([count.5 ((primitive void))])
                       (let ([count.2 ((primitive $box) count.5)])
                         (fix ([even?.0 (lambda (n.3)
                                          (if ((primitive zero?) n.3)
                                            (quote #t)
                                            (odd?.1 ((primitive -) n.3 (quote 1)))))]
                               [odd?.1 (lambda (m.4)
                                         (if ((primitive zero?) m.4)
                                           (quote #f)
                                           (even?.0 ((primitive -) m.4 (quote 1)))))])
                           (begin ((primitive $set-box!) count.2 (quote 0))
                             (begin (if (even?.0 (quote 10))
                                      ((primitive $set-box!)
                                       count.2
                                       ((primitive +) ((primitive $unbox) count.2) (quote 1)))
                                      ((primitive void)))
                               ((primitive $unbox) count.2)))))))

            ;; convert_closures (Closures)
            (program ([even?.7 (code (odd?.6)
                                 [(n.3)
                                  (if ((primitive zero?) n.3) (quote #t) (odd?.6 ((primitive -) n.3 (quote 1))))])]
                      [odd?.9 (code (even?.8)
                                [(m.4)
                                 (if ((primitive zero?) m.4) (quote #f) (even?.8 ((primitive -) m.4 (quote 1))))])])
              (let ([count.5 ((primitive void))])
                (let ([count.2 ((primitive $box) count.5)])
                  (closures ([even?.0 (make-closure even?.7 odd?.1)] [odd?.1 (make-closure odd?.9 even?.0)])
                    (begin ((primitive $set-box!) count.2 (quote 0))
                      (begin (if (even?.0 (quote 10))
                               ((primitive $set-box!)
                                count.2
                                ((primitive +) ((primitive $unbox) count.2) (quote 1)))
                               ((primitive void)))
                        ((primitive $unbox) count.2)))))))

            ;; make_tail_calls_explicit (ExplicitTails)
            (program ([even?.7 (code (odd?.6)
                                 [(n.3)
                                  (if ((primitive zero?) n.3)
                                    (quote #t)
                                    (tail-call odd?.6 ((primitive -) n.3 (quote 1))))])]
                      [odd?.9 (code (even?.8)
                                [(m.4)
                                 (if ((primitive zero?) m.4)
                                   (quote #f)
                                   (tail-call even?.8 ((primitive -) m.4 (quote 1))))])])
              (let ([count.5 ((primitive void))])
                (let ([count.2 ((primitive $box) count.5)])
                  (closures ([even?.0 (make-closure even?.7 odd?.1)] [odd?.1 (make-closure odd?.9 even?.0)])
                    (begin ((primitive $set-box!) count.2 (quote 0))
                      (begin (if (even?.0 (quote 10))
                               ((primitive $set-box!)
                                count.2
                                ((primitive +) ((primitive $unbox) count.2) (quote 1)))
                               ((primitive void)))
                        (tail-call (primitive $unbox) count.2)))))))

        "#]],
    );
}

#[test]
fn dump_ir_of_one_pass_and_its_diff() {
    check(
        &["--dump-ir=convert_letrec", "tests/ir/example.sexp"],
        expect![[r#"
        status: 0
        stdout:
        ;; convert_letrec (NoLetrec)
        (program ((lambda (count.2)
                    (fix ([even?.0 (lambda (n.3)
                                     (if ((primitive zero?) n.3)
                                       (quote #t)
                                       (odd?.1 ((primitive -) n.3 (quote 1)))))]
                          [odd?.1 (lambda (m.4)
                                    (if ((primitive zero?) m.4)
                                      (quote #f)
                                      (even?.0 ((primitive -) m.4 (quote 1)))))])
                      (begin (set! count.2 (quote 0))
                        (begin (if (even?.0 (quote 10)) (set! count.2 ((primitive +) count.2 (quote 1))))
                          count.2))))
                  ((primitive void))))

    "#]],
    );
    check(
        &[
            "--dump-ir-diff=remove_one_armed_if",
            "tests/ir/example.sexp",
        ],
        expect![[r#"
        status: 0
        stdout:
        ;; remove_one_armed_if (NoOneArmedIf), changes:
          (program ((lambda (count.2)
                      (fix ([even?.0 (lambda (n.3)
                                       (if ((primitive zero?) n.3)
                                         (quote #t)
                                         (odd?.1 ((primitive -) n.3 (quote 1)))))]
                            [odd?.1 (lambda (m.4)
                                      (if ((primitive zero?) m.4)
                                        (quote #f)
                                        (even?.0 ((primitive -) m.4 (quote 1)))))])
                        (begin (set! count.2 (quote 0))
        -                 (begin (if (even?.0 (quote 10)) (set! count.2 ((primitive +) count.2 (quote 1))))
        +                 (begin (if (even?.0 (quote 10))
        +                          (set! count.2 ((primitive +) count.2 (quote 1)))
        +                          ((primitive void)))
                            count.2))))
                    ((primitive void))))

    "#]],
    );
}

#[test]
fn dump_ir_read_of_scheme_source_prints_the_datums() {
    check(
        &["--dump-ir=read", "tests/cli/hello.sps"],
        expect![[r#"
            status: 0
            stdout:
            (import (rnrs))
            (display "Hello, World!\n")
            '(a . #(1 2.5 #\x))
        "#]],
    );
    check(
        &["--dump-ir=all", "tests/cli/hello.sps"],
        expect![[r#"
            status: 0
            stdout:
            ;; read (datums)
            (import (rnrs))
            (display "Hello, World!\n")
            '(a . #(1 2.5 #\x))

            ;; expand (CoreScheme)
            (program (begin ((primitive display) (quote "Hello, World!\n")) (quote (a . #(1 2.5 #\x)))))

            ;; convert_letrec (NoLetrec)
            (program (begin ((primitive display) (quote "Hello, World!\n")) (quote (a . #(1 2.5 #\x)))))

            ;; remove_one_armed_if (NoOneArmedIf)
            (program (begin ((primitive display) (quote "Hello, World!\n")) (quote (a . #(1 2.5 #\x)))))

            ;; convert_assignments (NoAssignments)
            (program (begin ((primitive display) (quote "Hello, World!\n")) (quote (a . #(1 2.5 #\x)))))

            ;; convert_direct_calls (NoAssignments)
            (program (begin ((primitive display) (quote "Hello, World!\n")) (quote (a . #(1 2.5 #\x)))))

            ;; convert_closures (Closures)
            (program () (begin ((primitive display) (quote "Hello, World!\n")) (quote (a . #(1 2.5 #\x)))))

            ;; make_tail_calls_explicit (ExplicitTails)
            (program () (begin ((primitive display) (quote "Hello, World!\n")) (quote (a . #(1 2.5 #\x)))))

        "#]],
    );
}

#[test]
fn errors_are_diagnostics() {
    check(
        &["--dump-ir=all", "tests/cli/bad-ir.sexp"],
        expect![[r#"
        status: 1
        stderr:
        tests/cli/bad-ir.sexp:2:27: error: malformed `if`: expected `(if test: Expr conseq: Expr alt: Expr)` or `(if test: Expr conseq: Expr)`
          (letrec ([f (lambda (x) (if))])
                                  ^
    "#]],
    );
    check(
        &["--dump-ir=read", "tests/cli/unbound.sexp"],
        expect![[r#"
            status: 1
            stderr:
            tests/cli/unbound.sexp: the program is not well-formed:
              variable f.1 is referenced outside the scope of its binder in (f.1 x.0 (quote #t))
        "#]],
    );
    check(
        &["--dump-ir=convert_letter", "tests/ir/example.sexp"],
        expect![[r#"
        status: 2
        stderr:
        loko: unknown pass `convert_letter`; `loko --passes` lists them
    "#]],
    );
    check(
        &["--dump-ir=all", "tests/cli/missing.sexp"],
        expect![[r#"
        status: 1
        stderr:
        loko: cannot read tests/cli/missing.sexp: No such file or directory (os error 2)
    "#]],
    );
    check(
        &["--frobnicate"],
        expect![[r#"
        status: 2
        stderr:
        loko: unknown option --frobnicate
        usage: loko [options] [--program] FILE [ARG ...]   compile FILE in memory and run it
               loko [options] --compile FILE [--output OUT]  write a static executable
               loko --passes                                 list the compiler's passes
               loko --dump-ir=PASS[,PASS...]|all FILE        print the IR after those passes
               loko --dump-ir-diff=PASS[,PASS...]|all FILE   print what those passes changed
               loko                                          start the REPL
        options: -std=r6rs|r7rs  -fNAME[=VALUE]
    "#]],
    );
}
