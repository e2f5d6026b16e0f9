//! Snapshots of the expander's output for programs using procedural (`syntax-case`) macros,
//! expanded with loko's expand-time world (`loko::expand_time`), which compiles and runs the
//! transformers in this process. Each snapshot is the program unit's CoreScheme, verified.

use expect_test::{Expect, expect};
use ir::datum::Datums;
use ir::nanopass::Ir;
use loko::expand_time::World;
use passes::expand::{FileSystem, expand_with};

fn check(body: &str, expected: Expect) {
    let text = format!("(import (rnrs))\n{body}");
    let mut datums = Datums::new();
    let forms = ir::reader::read_str("main.sps", &text, &mut datums).expect("the test reads");
    let mut loader = FileSystem::from_env();
    let mut world = World::new();
    let shown = match expand_with("main.sps", &datums, &forms, &mut loader, Some(&mut world)) {
        Ok(units) => {
            let program = units.last().expect("the program's unit");
            if let Err(errors) = program.tree.verify() {
                panic!("the program does not verify: {errors:?}");
            }
            format!("{}\n", program.tree.print())
        }
        Err(diagnostic) => diagnostic.to_string(),
    };
    expected.assert_eq(&shown);
}

#[test]
fn my_or_introduces_a_temporary_that_captures_nothing() {
    check(
        r#"
(define-syntax my-or
  (lambda (x)
    (syntax-case x ()
      ((_) #'#f)
      ((_ e) #'e)
      ((_ e r ...) #'(let ((t e)) (if t t (my-or r ...)))))))
(define t 5)
(my-or #f t)
"#,
        expect![[r#"
            (program (begin (set-global! program::t (quote 5))
                       ((lambda (t.0) (if t.0 t.0 (global program::t))) (quote #f))))
        "#]],
    );
}

#[test]
fn swap_assigns_the_users_variables() {
    check(
        r#"
(define-syntax swap!
  (lambda (x)
    (syntax-case x ()
      ((_ a b) #'(let ((tmp a)) (set! a b) (set! b tmp))))))
(let ((tmp 1) (other 2))
  (swap! tmp other)
  (list tmp other))
"#,
        expect![[r#"
            (program ((lambda (tmp.0 other.1)
                        (begin ((lambda (tmp.2) (begin (set! tmp.0 other.1) (set! other.1 tmp.2))) tmp.0)
                          ((primitive list) tmp.0 other.1)))
                      (quote 1)
                      (quote 2)))
        "#]],
    );
}

#[test]
fn a_binding_introduced_by_one_macro_is_used_by_another() {
    check(
        r#"
(define-syntax define-counter
  (lambda (x)
    (syntax-case x ()
      ((_ bump) #'(begin (define count 0) (define-syntax bump (lambda (y) #'(set! count (+ count 1)))))))))
(define-counter bump!)
(define count 'the-users)
(bump!)
count
"#,
        expect![[r#"
            (program (begin (set-global! program::count (quote 0))
                       (set-global! program::count.1 (quote the-users))
                       (set-global! program::count ((primitive +) (global program::count) (quote 1)))
                       (global program::count.1)))
        "#]],
    );
}

#[test]
fn else_matches_only_while_it_means_else() {
    check(
        r#"
(define-syntax which
  (lambda (x)
    (syntax-case x (else)
      ((_ else) #''the-keyword)
      ((_ other) #''something-else))))
(list (which else) (let ((else 1)) (which else)))
"#,
        expect![[r#"
            (program ((primitive list) (quote the-keyword) ((lambda (else.0) (quote something-else)) (quote 1))))
        "#]],
    );
}

#[test]
fn nested_ellipses_and_macros_defining_macros() {
    check(
        r#"
(define-syntax define-constants
  (lambda (x)
    (syntax-case x ()
      ((_ (name value ...) ...)
       #'(begin (define-syntax name (lambda (y) #''(value ...))) ...)))))
(define-constants (ab 1 2) (c 3))
(list (ab) (c))
"#,
        expect![[r#"
            (program ((primitive list) (quote (1 2)) (quote (3))))
        "#]],
    );
}

#[test]
fn datum_to_syntax_captures_it_on_purpose() {
    check(
        r#"
(define-syntax aif
  (lambda (x)
    (syntax-case x ()
      ((k test then else)
       (with-syntax ((it (datum->syntax #'k 'it)))
         #'(let ((it test)) (if it then else)))))))
(aif (car '(1)) it 'none)
"#,
        expect![[r#"
            (program ((lambda (it.0) (if it.0 it.0 (quote none))) ((primitive car) (quote (1)))))
        "#]],
    );
}

#[test]
fn syntax_case_at_run_time_compiles_to_dispatch_calls() {
    check(
        r#"(syntax-case #'(a b) () ((x y) #'y))"#,
        expect![[r#"
            (program ((lambda (x.0)
                        ((lambda (next.3)
                           ((lambda (m.4) (if m.4 ((primitive apply) (lambda (x.1 y.2) y.2) m.4) (next.3)))
                            ((global $base::$syntax-dispatch)
                             x.0
                             (quote #(pair any #(pair any ())))
                             ((primitive vector)))))
                         (lambda ()
                           ((global $base::syntax-violation)
                            (quote #f)
                            (quote "invalid syntax: no syntax-case clause matches")
                            x.0))))
                      ((primitive cons)
                       ((global $base::$make-identifier) (quote a) (quote 0) (quote 2))
                       ((primitive cons)
                        ((global $base::$make-identifier) (quote b) (quote 0) (quote 1))
                        (quote ())))))
        "#]],
    );
}

#[test]
fn quasisyntax_inserts_computed_syntax() {
    check(
        r#"
(define-syntax count-args
  (lambda (x)
    (syntax-case x ()
      ((_ e ...) #`(list #,(length #'(e ...)) e ...)))))
(count-args 'a 'b)
"#,
        expect![[r#"
            (program ((primitive list) (quote 2) (quote a) (quote b)))
        "#]],
    );
}
