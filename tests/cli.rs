//! The `loko` command line, run as a user would: `--passes`, `--dump-ir`, and its errors.

use expect_test::{Expect, expect};
use std::process::Command;

/// Runs `loko` with `args` in the repository root; compares exit status, stdout and stderr.
fn check(args: &[&str], expected: Expect) {
    expected.assert_eq(&run(args, false));
}

/// Like [`check`] for `--dump-ir=all`, with the machine-level stages (whose code and label
/// numbers change with every change to the code generator) cut down to their headers and
/// procedure names; their content has its own tests (`backend::machine::listing` and
/// `dump_ir_of_the_machine_level` below).
fn check_tree_stages(args: &[&str], expected: Expect) {
    expected.assert_eq(&run(args, true));
}

fn run(args: &[&str], headers_only_after_select: bool) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_loko"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("loko runs");
    let mut stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if headers_only_after_select && let Some(at) = stdout.find(";; select (Machine)") {
        let machine: Vec<&str> = stdout[at..]
            .lines()
            .filter(|line| line.starts_with(";; "))
            .collect();
        stdout = format!("{}{}\n", &stdout[..at], machine.join("\n"));
    }
    let mut shown = format!(
        "status: {}\n",
        output
            .status
            .code()
            .map_or("signal".into(), |c| c.to_string())
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    for (name, text) in [("stdout", stdout.as_str()), ("stderr", &stderr)] {
        if !text.is_empty() {
            shown.push_str(&format!("{name}:\n{text}"));
        }
    }
    shown
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
            select                 ExplicitTails -> Machine: Instruction selection: amd64 instructions, variables in virtual registers.
            allocate               Machine -> Machine: Liveness and register allocation: registers and frame slots, frame sizes, live slots at calls.
            encode                 Machine -> amd64: Encoding with iced-x86: the machine code of each procedure.
        "#]],
    );
}

#[test]
fn dump_ir_all_prints_every_stage() {
    check_tree_stages(
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

            ;; select (Machine)
            ;; scheme:program
            ;; scheme:even?
            ;; scheme:odd?
            ;; allocate (Machine)
            ;; scheme:program
            ;; frame: 1 slot
            ;; homes: v0 unused, v1 rbx (saved in slot 0), v2 slot 0, v3 rbx, v4 rbp, v5 rbx, v6 rbx
            ;; scheme:even?
            ;; frame: 3 slots
            ;; homes: v7 rbx (saved in slot 0), v8 rbp (saved in slot 1), v9 rbx
            ;; scheme:odd?
            ;; frame: 3 slots
            ;; homes: v10 rbx (saved in slot 0), v11 rbp (saved in slot 1), v12 rbx
            ;; encode (amd64)
            ;; scheme:program
            ;; scheme:even?
            ;; scheme:odd?
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
    check_tree_stages(
        &["--dump-ir=all", "tests/cli/hello.sps"],
        expect![[r#"
            status: 0
            stdout:
            ;; read (datums)
            (import (rnrs))
            (display "Hello, World!\n")
            '(a . #(1 2.5 #\x))

            ;; unit program
            ;; expand (CoreScheme)
            (program (begin ((global $base::display) (quote "Hello, World!\n")) (quote (a . #(1 2.5 #\x)))))

            ;; convert_letrec (NoLetrec)
            (program (begin ((global $base::display) (quote "Hello, World!\n")) (quote (a . #(1 2.5 #\x)))))

            ;; remove_one_armed_if (NoOneArmedIf)
            (program (begin ((global $base::display) (quote "Hello, World!\n")) (quote (a . #(1 2.5 #\x)))))

            ;; convert_assignments (NoAssignments)
            (program (begin ((global $base::display) (quote "Hello, World!\n")) (quote (a . #(1 2.5 #\x)))))

            ;; convert_direct_calls (NoAssignments)
            (program (begin ((global $base::display) (quote "Hello, World!\n")) (quote (a . #(1 2.5 #\x)))))

            ;; convert_closures (Closures)
            (program () (begin ((global $base::display) (quote "Hello, World!\n")) (quote (a . #(1 2.5 #\x)))))

            ;; make_tail_calls_explicit (ExplicitTails)
            (program () (begin ((global $base::display) (quote "Hello, World!\n")) (quote (a . #(1 2.5 #\x)))))

            ;; select (Machine)
            ;; scheme:program
            ;; allocate (Machine)
            ;; scheme:program
            ;; frame: 1 slot
            ;; homes: v0 unused, v1 rbx
            ;; encode (amd64)
            ;; scheme:program
            ;; unit (loko program-end)
            ;; expand (CoreScheme)
            ;; convert_letrec (NoLetrec)
            ;; remove_one_armed_if (NoOneArmedIf)
            ;; convert_assignments (NoAssignments)
            ;; convert_direct_calls (NoAssignments)
            ;; convert_closures (Closures)
            ;; make_tail_calls_explicit (ExplicitTails)
            ;; select (Machine)
            ;; scheme:program
            ;; allocate (Machine)
            ;; scheme:program
            ;; frame: 1 slot
            ;; homes: v0 unused, v1 rbx
            ;; encode (amd64)
            ;; scheme:program
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

#[test]
fn dump_ir_of_the_machine_level() {
    // The stages' content is snapshot-tested in `backend::machine::listing`; here, what a
    // user sees of them from the command line, for each procedure of the program.
    let shown = run(
        &["--dump-ir=select,allocate,encode", "tests/cli/add-one.sps"],
        false,
    );
    let headers: Vec<&str> = shown.lines().filter(|l| l.starts_with(";; ")).collect();
    assert_eq!(
        headers,
        [
            ";; unit program",
            ";; select (Machine)",
            ";; scheme:program",
            ";; scheme:program::add-one",
            ";; allocate (Machine)",
            ";; scheme:program",
            ";; frame: 1 slot",
            ";; homes: v0 unused, v1 rbx, v2 slot 0, v3 rbx, v4 rbx",
            ";; scheme:program::add-one",
            ";; frame: 1 slot",
            ";; homes: v5 rbx, v6 unused",
            ";; encode (amd64)",
            ";; scheme:program",
            ";; scheme:program::add-one",
            // Every Scheme program ends with this unit (ARCHITECTURE.md, "Ports").
            ";; unit (loko program-end)",
            ";; select (Machine)",
            ";; scheme:program",
            ";; allocate (Machine)",
            ";; scheme:program",
            ";; frame: 1 slot",
            ";; homes: v0 unused, v1 rbx",
            ";; encode (amd64)",
            ";; scheme:program",
        ],
        "{shown}"
    );
    let select = &shown[..shown.find(";; allocate").unwrap()];
    assert!(select.contains("mov v5, rdx"), "{select}");
    assert!(select.contains("; preserves nothing"), "{select}");
    assert!(select.contains("; preserves rbx rbp r12 r13"), "{select}");
    let allocate = &shown[shown.find(";; allocate").unwrap()..shown.find(";; encode").unwrap()];
    assert!(allocate.contains("mov rbx,rdx"), "{allocate}");
    assert!(!allocate.contains("v5,"), "{allocate}");
    assert!(allocate.contains("; live slots ["), "{allocate}");
    let encode = &shown[shown.find(";; encode").unwrap()..];
    assert!(
        encode.contains("83fe01") && encode.contains("cmp esi,1"),
        "{encode}"
    );
}
