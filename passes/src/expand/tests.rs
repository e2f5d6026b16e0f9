//! Snapshot tests of the expander: each core and derived form, hygiene, libraries, errors. The
//! `check` helpers are the only code here that calls the expander.

use super::{LibrarySource, expand};
use expect_test::{Expect, expect};
use ir::datum::Datums;
use ir::nanopass::Ir;
use ir::symbol::Symbol;
use std::collections::HashMap;

/// Libraries and included files held in memory, by path.
#[derive(Default)]
struct Memory {
    files: HashMap<String, String>,
}

impl LibrarySource for Memory {
    fn find_library(&mut self, name: &[Symbol]) -> Option<(String, String)> {
        let base: Vec<&str> = name.iter().map(|p| p.as_str()).collect();
        let base = base.join("/");
        super::loader::EXTENSIONS.iter().find_map(|ext| {
            let path = format!("{base}{ext}");
            self.files.get(&path).map(|text| (path, text.clone()))
        })
    }

    fn read_included(&mut self, _from: &str, path: &str) -> Result<(String, String), String> {
        self.files
            .get(path)
            .map(|text| (path.to_owned(), text.clone()))
            .ok_or_else(|| format!("cannot read {path}"))
    }
}

/// Expands `text` (the file `main.sps`) with `files` available; the units' IR, each verified,
/// or the diagnostic.
fn expand_files(text: &str, files: &[(&str, &str)]) -> String {
    let mut memory = Memory::default();
    for (path, contents) in files {
        memory
            .files
            .insert((*path).to_owned(), (*contents).to_owned());
    }
    let mut datums = Datums::new();
    let forms = match ir::reader::read_str("main.sps", text, &mut datums) {
        Ok(forms) => forms,
        Err(diagnostic) => return diagnostic.to_string(),
    };
    match expand("main.sps", &datums, &forms, &mut memory) {
        Ok(units) => {
            // The base library's unit comes first in every expansion; its own test shows it.
            assert_eq!(units[0].name, super::base::UNIT_NAME);
            let units = &units[1..];
            let mut out = String::new();
            for unit in units {
                if let Err(errors) = unit.tree.verify() {
                    panic!(
                        "unit {} does not verify: {errors:?}\n{}",
                        unit.name,
                        unit.tree.print()
                    );
                }
                if units.len() > 1 {
                    out.push_str(&format!(";; unit {}\n", unit.name));
                }
                out.push_str(&unit.tree.print());
                out.push('\n');
            }
            out
        }
        Err(diagnostic) => diagnostic.to_string(),
    }
}

/// Expands a program importing `(rnrs)` with the body `body`.
fn check(body: &str, expected: Expect) {
    expected.assert_eq(&expand_files(&format!("(import (rnrs))\n{body}"), &[]));
}

/// Expands an R7RS program importing `(scheme base)` and `(scheme lazy)` with the body `body`.
fn check_r7rs(body: &str, expected: Expect) {
    let imports = "(import (scheme base) (scheme lazy))";
    expected.assert_eq(&expand_files(&format!("{imports}\n{body}"), &[]));
}

#[test]
fn constants_and_calls() {
    check(
        r#"(display "hi") '(1 . 2) #(1 2) (car '(a b))"#,
        expect![[r#"
            (program (begin ((global $base::display) (quote "hi"))
                       (quote (1 . 2))
                       (quote #(1 2))
                       ((primitive car) (quote (a b)))))
        "#]],
    );
}

// ---------------------------------------------------------------------------------------------
// Core forms.

#[test]
fn lambda_with_fixed_and_rest_parameters() {
    check(
        "(lambda (x y) (+ x y)) (lambda args args) (lambda (a . rest) (cons a rest))",
        expect![[r#"
            (program (begin (lambda (x.0 y.1) ((primitive +) x.0 y.1))
                       (lambda args.2 args.2)
                       (lambda (a.3 . rest.4) ((primitive cons) a.3 rest.4))))
        "#]],
    );
}

#[test]
fn case_lambda_clauses() {
    check(
        "(case-lambda [(x) x] [(x y) (* x y)] [(x . r) r])",
        expect![[r#"
            (program (case-lambda [(x.0) x.0] [(x.1 y.2) ((primitive *) x.1 y.2)] [(x.3 . r.4) r.4]))
        "#]],
    );
}

#[test]
fn if_with_and_without_alternative() {
    check(
        "(if #t 1 2) (if #f 'no)",
        expect![[r#"
        (program (begin (if (quote #t) (quote 1) (quote 2)) (if (quote #f) (quote no))))
    "#]],
    );
}

#[test]
fn set_of_local_and_top_level_variables() {
    check(
        "(define counter 0) (set! counter (+ counter 1)) ((lambda (x) (set! x 2) x) 1)",
        expect![[r#"
            (program (begin (set-global! program::counter (quote 0))
                       (set-global! program::counter ((primitive +) (global program::counter) (quote 1)))
                       ((lambda (x.0) (begin (set! x.0 (quote 2)) x.0)) (quote 1))))
        "#]],
    );
}

#[test]
fn quote_keeps_structure() {
    check(
        "'sym '() '(1 (2 #(3 \"s\")) . 4) '#\\a",
        expect![[r#"
        (program (begin (quote sym) (quote ()) (quote (1 (2 #(3 "s")) . 4)) (quote #\a)))
    "#]],
    );
}

#[test]
fn begin_sequences_and_splices_definitions() {
    check(
        "(begin (define a 1) (define b 2)) (begin (display a) (display b))",
        expect![[r#"
            (program (begin (set-global! program::a (quote 1))
                       (set-global! program::b (quote 2))
                       ((global $base::display) (global program::a))
                       ((global $base::display) (global program::b))))
        "#]],
    );
}

#[test]
fn top_level_definitions_become_globals() {
    check(
        "(define (square x) (* x x)) (define y) (display (square 3))",
        expect![[r#"
            (program (begin (set-global! program::square (lambda (x.0) ((primitive *) x.0 x.0)))
                       (set-global! program::y ((primitive void)))
                       ((global $base::display) ((global program::square) (quote 3)))))
        "#]],
    );
}

#[test]
fn internal_definitions_become_letrec_star() {
    check(
        "(lambda (n)
           (define (even? n) (if (= n 0) #t (odd? (- n 1))))
           (define (odd? n) (if (= n 0) #f (even? (- n 1))))
           (define-syntax twice (syntax-rules () ((_ e) (begin e e))))
           (twice (display n))
           (even? n))",
        expect![[r#"
            (program (lambda (n.0)
                       (letrec* ([even?.1 (lambda (n.3)
                                            (if ((primitive =) n.3 (quote 0))
                                              (quote #t)
                                              (odd?.2 ((primitive -) n.3 (quote 1)))))]
                                 [odd?.2 (lambda (n.4)
                                           (if ((primitive =) n.4 (quote 0))
                                             (quote #f)
                                             (even?.1 ((primitive -) n.4 (quote 1)))))])
                         (begin ((global $base::display) n.0) ((global $base::display) n.0) (even?.1 n.0)))))
        "#]],
    );
}

#[test]
fn internal_definition_may_shadow_a_parameter() {
    check(
        "(lambda (x) (define x 2) x)",
        expect![[r#"
        (program (lambda (x.0) (letrec* ([x.1 (quote 2)]) x.1)))
    "#]],
    );
}

#[test]
fn macro_use_expanding_into_definitions_in_a_body() {
    check(
        "(define-syntax define-two
           (syntax-rules () ((_ a b v) (begin (define a v) (define b v)))))
         (lambda () (define-two p q 0) (+ p q))",
        expect![[r#"
            (program (lambda () (letrec* ([p.0 (quote 0)] [q.1 (quote 0)]) ((primitive +) p.0 q.1))))
        "#]],
    );
}

#[test]
fn letrec_and_letrec_star() {
    check(
        "(letrec ([f (lambda () (g))] [g (lambda () 1)]) (f))
         (letrec* ([a 1] [b (+ a 1)]) b)",
        expect![[r#"
            (program (begin (letrec ([f.0 (lambda () (g.1))] [g.1 (lambda () (quote 1))]) (f.0))
                       (letrec* ([a.2 (quote 1)] [b.3 ((primitive +) a.2 (quote 1))]) b.3)))
        "#]],
    );
}

#[test]
fn let_syntax_and_letrec_syntax() {
    check(
        "(let-syntax ([foo (syntax-rules () ((_ x) (car x)))]) (foo '(1)))
         (letrec-syntax ([ev? (syntax-rules () ((_) #t) ((_ x . r) (od? . r)))]
                         [od? (syntax-rules () ((_) #f) ((_ x . r) (ev? . r)))])
           (ev? 1 2 3))",
        expect![[r#"
            (program (begin ((primitive car) (quote (1))) (quote #f)))
        "#]],
    );
}

#[test]
fn let_syntax_splices_into_a_body() {
    check(
        "(lambda ()
           (let-syntax ([def (syntax-rules () ((_ n) (define n 1)))]) (def z))
           z)",
        expect![[r#"
            (program (lambda () (letrec* ([z.0 (quote 1)]) z.0)))
        "#]],
    );
}

#[test]
fn identifier_syntax_references_and_assignment() {
    check(
        "(define store 0)
         (define-syntax it (identifier-syntax [_ store] [(set! _ v) (set! store v)]))
         (define-syntax first (identifier-syntax (car '(1 2))))
         (set! it (+ it 1))
         (first)
         first",
        expect![[r#"
            (program (begin (set-global! program::store (quote 0))
                       (set-global! program::store ((primitive +) (global program::store) (quote 1)))
                       (((primitive car) (quote (1 2))))
                       ((primitive car) (quote (1 2)))))
        "#]],
    );
}

// ---------------------------------------------------------------------------------------------
// syntax-rules.

#[test]
fn syntax_rules_literals_dotted_and_vector_patterns() {
    check(
        "(define-syntax m
           (syntax-rules (to)
             ((_ a to b) (list a b))
             ((_ a . rest) (list a 'rest))
             ((_ . #(x y ...)) (vector x 'y ...))))
         (m 1 to 2) (m 1 2 3) (m . #(1 2 3))",
        expect![[r#"
            (program (begin ((primitive list) (quote 1) (quote 2))
                       ((primitive list) (quote 1) (quote (2 3)))
                       ((primitive vector) (quote 1) (quote 2) (quote 3))))
        "#]],
    );
}

#[test]
fn syntax_rules_nested_ellipses() {
    check(
        "(define-syntax flat
           (syntax-rules () ((_ (a b ...) ...) '(a ... (b ... ...) ((a b) ... ...)))))
         (flat (1 2 3) (4 5))",
        expect![[r#"
            (program (quote (1 4 (2 3 5) ((1 2) (1 3) (4 5)))))
        "#]],
    );
}

#[test]
fn syntax_rules_ellipsis_after_the_repetition_and_escape() {
    check(
        "(define-syntax last-two
           (syntax-rules () ((_ x ... y z) '(y z (... ...)))))
         (last-two 1 2 3 4)",
        expect![[r#"
            (program (quote (3 4 ...)))
        "#]],
    );
}

#[test]
fn syntax_rules_underscore_and_custom_ellipsis() {
    check(
        "(define-syntax second (syntax-rules () ((_ _ b . _) b)))
         (define-syntax my-list (syntax-rules ::: () ((_ x :::) (list x ::: '...))))
         (second 1 2 3) (my-list 1 2)",
        expect![[r#"
            (program (begin (quote 2) ((primitive list) (quote 1) (quote 2) (quote ...))))
        "#]],
    );
}

#[test]
fn macros_defining_macros() {
    check(
        "(define-syntax define-getter
           (syntax-rules ()
             ((_ name value)
              (define-syntax name (syntax-rules () ((_) value))))))
         (define-getter get-five 5)
         (get-five)",
        expect![[r#"
            (program (quote 5))
        "#]],
    );
}

// ---------------------------------------------------------------------------------------------
// Hygiene.

#[test]
fn swap_does_not_capture_a_user_tmp() {
    check(
        "(define-syntax swap!
           (syntax-rules () ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
         (lambda (tmp other) (swap! tmp other))",
        expect![[r#"
            (program (lambda (tmp.0 other.1)
                       ((lambda (tmp.2) (begin (set! tmp.0 other.1) (set! other.1 tmp.2))) tmp.0)))
        "#]],
    );
}

#[test]
fn my_or_temporary_does_not_capture_and_if_is_the_macro_writers() {
    check(
        "(define-syntax my-or
           (syntax-rules () ((_) #f) ((_ e) e) ((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))
         (lambda (t) (let ((if list)) (my-or #f t)))",
        expect![[r#"
            (program (lambda (t.0)
                       ((lambda (if.1) ((lambda (t.2) (if t.2 t.2 t.0)) (quote #f))) (primitive list))))
        "#]],
    );
}

#[test]
fn use_site_scope_tells_the_users_identifier_from_the_macros_in_its_own_context() {
    // Flatt's example: `identity` is defined in the body it is used in, so its template's `x`
    // and the user's `x` carry the same scopes but for the use's scopes. Without a use-site
    // scope on the input, the `x` the macro's `let` binds (the user's) and the `x` its
    // `lambda` binds both fit the reference: ambiguous. With it, the reference is the lambda's.
    check(
        "(define-syntax identity
           (syntax-rules () ((_ misc-id) (lambda (x) (let ((misc-id 'other)) x)))))
         (identity x)
         (let () (define-syntax id2 (syntax-rules () ((_ v) (lambda (x) (let ((v 1)) x))))) (id2 x))
         (letrec-syntax ((id3 (syntax-rules () ((_ v) (lambda (x) (let ((v 1)) x)))))) (id3 x))",
        expect![[r#"
            (program (begin (lambda (x.0) ((lambda (x.1) x.0) (quote other)))
                       ((lambda () (lambda (x.2) ((lambda (x.3) x.2) (quote 1)))))
                       (lambda (x.4) ((lambda (x.5) x.4) (quote 1)))))
        "#]],
    );
}

#[test]
fn definitions_of_names_given_to_a_macro_are_the_users() {
    // The use-site scope is removed from what the body defines: `def-x` defines the user's `y`
    // for the whole body (referred to before and after the use, and in a second body), while
    // the `x` it introduces is its own and does not capture the user's `x`.
    check(
        "(define-syntax def-x (syntax-rules () ((_ id e) (begin (define x 'macro) (define id e)))))
         (define (before) y)
         (define x 'user)
         (def-x y x)
         (list x y (before))
         (let () (def-x z 1) (define (w) z) (w))",
        expect![[r#"
            (program (begin (set-global! program::before (lambda () (global program::y)))
                       (set-global! program::x (quote user))
                       (set-global! program::x.1 (quote macro))
                       (set-global! program::y (global program::x))
                       ((primitive list) (global program::x) (global program::y) ((global program::before)))
                       ((lambda () (letrec* ([x.0 (quote macro)] [z.1 (quote 1)] [w.2 (lambda () z.1)]) (w.2))))))
        "#]],
    );
}

#[test]
fn binding_introduced_by_one_macro_used_by_another() {
    // `count` is introduced by define-counter and used by the macro `get` it also defines; the
    // user's own `count` is a different variable.
    check(
        "(define-syntax define-counter
           (syntax-rules ()
             ((_ get inc!)
              (begin (define count 0)
                     (define-syntax get (syntax-rules () ((_) count)))
                     (define (inc!) (set! count (+ count 1)))))))
         (define-counter get-count inc!)
         (define count 'mine)
         (inc!)
         (list (get-count) count)",
        expect![[r#"
            (program (begin (set-global! program::count (quote 0))
                       (set-global! program::inc!
                         (lambda ()
                           (set-global! program::count ((primitive +) (global program::count) (quote 1)))))
                       (set-global! program::count.1 (quote mine))
                       ((global program::inc!))
                       ((primitive list) (global program::count) (global program::count.1))))
        "#]],
    );
}

#[test]
fn literal_else_shadowed_locally_is_not_else() {
    check(
        "(lambda (else) (cond (else 1)))
         (cond (#f 0) (else 2))",
        expect![[r#"
            (program (begin (lambda (else.0) (if else.0 (quote 1))) (if (quote #f) (quote 0) (quote 2))))
        "#]],
    );
}

#[test]
fn macro_defined_in_a_scope_refers_to_that_scope() {
    check(
        "(lambda (x)
           (let-syntax ([get-x (syntax-rules () ((_) x))])
             (lambda (x) (get-x))))",
        expect![[r#"
            (program (lambda (x.0) (lambda (x.1) x.0)))
        "#]],
    );
}

// ---------------------------------------------------------------------------------------------
// Derived forms (stdlib/base.scm).

#[test]
fn let_and_named_let() {
    check(
        "(let ((x 1) (y 2)) (+ x y))
         (let loop ((i 0)) (if (< i 3) (loop (+ i 1)) i))
         (let () 5)",
        expect![[r#"
            (program (begin ((lambda (x.0 y.1) ((primitive +) x.0 y.1)) (quote 1) (quote 2))
                       ((letrec ([loop.2 (lambda (i.3)
                                           (if ((primitive <) i.3 (quote 3))
                                             (loop.2 ((primitive +) i.3 (quote 1)))
                                             i.3))])
                          loop.2)
                        (quote 0))
                       ((lambda () (quote 5)))))
        "#]],
    );
}

#[test]
fn let_star() {
    check(
        "(let* ((x 1) (y (+ x 1))) (* x y))",
        expect![[r#"
        (program ((lambda (x.0) ((lambda (y.1) ((primitive *) x.0 y.1)) ((primitive +) x.0 (quote 1))))
                  (quote 1)))
    "#]],
    );
}

#[test]
fn and_or_when_unless() {
    check(
        "(and) (and 1 2 3) (or) (or #f 2) (when (= 1 1) 'a 'b) (unless #f 'c)",
        expect![[r#"
            (program (begin (quote #t)
                       (if (quote 1) (if (quote 2) (quote 3) (quote #f)) (quote #f))
                       (quote #f)
                       ((lambda (t.0) (if t.0 t.0 (quote 2))) (quote #f))
                       (if ((primitive =) (quote 1) (quote 1)) (begin (quote a) (quote b)))
                       (if (quote #f) (quote #f) (quote c))))
        "#]],
    );
}

#[test]
fn cond_with_else_and_arrow() {
    check(
        "(cond ((car '(#f (1 . a))) => cdr) ((car '(#f))) (else 'none))",
        expect![[r#"
            (program ((lambda (t.0)
                        (if t.0
                          ((primitive cdr) t.0)
                          ((lambda (t.1) (if t.1 t.1 (quote none))) ((primitive car) (quote (#f))))))
                      ((primitive car) (quote (#f (1 . a))))))
        "#]],
    );
}

#[test]
fn errors_in_macro_output_point_at_the_user_code_with_the_chain() {
    check(
        "(cond ((lookup 2 '((1 . a))) => cdr) (else 'none))",
        expect![[r#"
            main.sps:2:9: error: unbound identifier `lookup`
            (cond ((lookup 2 '((1 . a))) => cdr) (else 'none))
                    ^
            main.sps:2:1: note: in the expansion of `let`
            (cond ((lookup 2 '((1 . a))) => cdr) (else 'none))
            ^
            main.sps:2:1: note: in the expansion of `cond`
            (cond ((lookup 2 '((1 . a))) => cdr) (else 'none))
            ^
        "#]],
    );
}

#[test]
fn case_with_else_and_arrow() {
    check(
        "(case (car '(2)) ((1) 'one) ((2 3) 'few) (else => (lambda (x) x)))
         (case 'z ((a) 1) ((b) => list))",
        expect![[r#"
            (program (begin ((lambda (k.0)
                               (if ((primitive eqv?) k.0 (quote 1))
                                 (quote one)
                                 (if (if ((primitive eqv?) k.0 (quote 2))
                                       (quote #t)
                                       ((primitive eqv?) k.0 (quote 3)))
                                   (quote few)
                                   ((lambda (x.1) x.1) k.0))))
                             ((primitive car) (quote (2))))
                       ((lambda (k.2)
                          (if ((primitive eqv?) k.2 (quote a))
                            (quote 1)
                            (if ((primitive eqv?) k.2 (quote b))
                              ((primitive list) k.2)
                              (if (quote #f) (quote #f)))))
                        (quote z))))
        "#]],
    );
}

#[test]
fn do_loop() {
    check(
        "(do ((i 0 (+ i 1)) (acc '())) ((= i 3) acc) (display i))",
        expect![[r#"
            (program ((letrec ([loop.0 (lambda (i.1 acc.2)
                                         (if ((primitive =) i.1 (quote 3))
                                           (begin (if (quote #f) (quote #f)) acc.2)
                                           (begin ((global $base::display) i.1)
                                             (loop.0 ((primitive +) i.1 (quote 1)) acc.2))))])
                        loop.0)
                      (quote 0)
                      (quote ())))
        "#]],
    );
}

#[test]
fn let_values_let_star_values_define_values() {
    check_r7rs(
        "(let-values (((a b) (values 1 2)) ((c . d) (values 3 4 5))) (list a b c d))
         (let*-values (((a) (values 1)) (b (values a 2))) b)
         (define-values (p q . r) (values 1 2 3))",
        expect![[r#"
            (program (begin ((lambda (t.0)
                               ((lambda (t.1)
                                  ((primitive call-with-values)
                                   (lambda () ((primitive apply) (primitive values) t.0))
                                   (lambda (a.2 b.3)
                                     ((primitive call-with-values)
                                      (lambda () ((primitive apply) (primitive values) t.1))
                                      (lambda (c.4 . d.5) ((lambda () ((primitive list) a.2 b.3 c.4 d.5))))))))
                                ((primitive call-with-values)
                                 (lambda () ((primitive values) (quote 3) (quote 4) (quote 5)))
                                 (primitive list))))
                             ((primitive call-with-values)
                              (lambda () ((primitive values) (quote 1) (quote 2)))
                              (primitive list)))
                       ((primitive call-with-values)
                        (lambda () ((primitive values) (quote 1)))
                        (lambda (a.6)
                          ((primitive call-with-values)
                           (lambda () ((primitive values) a.6 (quote 2)))
                           (lambda b.7 ((lambda () b.7))))))
                       (set-global! program::t
                         ((primitive call-with-values)
                          (lambda () ((primitive values) (quote 1) (quote 2) (quote 3)))
                          (primitive list)))
                       (set-global! program::p ((primitive car) (global program::t)))
                       (set-global! program::q ((primitive car) ((primitive cdr) (global program::t))))
                       (set-global! program::r ((primitive cdr) ((primitive cdr) (global program::t))))))
        "#]],
    );
}

#[test]
fn quasiquote_at_depth() {
    check(
        "(lambda (x xs) `(1 ,x ,@xs #(a ,x) `(2 ,(3 ,x))))",
        expect![[r#"
            (program (lambda (x.0 xs.1)
                       ((primitive cons)
                        (quote 1)
                        ((primitive cons)
                         x.0
                         ((primitive append)
                          xs.1
                          ((primitive cons)
                           ((primitive list->vector)
                            ((primitive cons) (quote a) ((primitive cons) x.0 (quote ()))))
                           ((primitive cons)
                            ((primitive list)
                             (quote quasiquote)
                             ((primitive cons)
                              (quote 2)
                              ((primitive cons)
                               ((primitive list)
                                (quote unquote)
                                ((primitive cons) (quote 3) ((primitive cons) x.0 (quote ()))))
                               (quote ()))))
                            (quote ()))))))))
        "#]],
    );
}

#[test]
fn assert_reports_the_expression() {
    check(
        "(assert (pair? '(1)))",
        expect![[r#"
            (program ((lambda (t.0)
                        (if t.0
                          t.0
                          ((global $base::assertion-violation)
                           (quote assert)
                           (quote "assertion failed")
                           (quote (pair? '(1))))))
                      ((primitive pair?) (quote (1)))))
        "#]],
    );
}

#[test]
fn define_record_type_r6rs_makes_default_names_over_the_procedural_layer() {
    check(
        "(define-record-type point (fields x (mutable y)))",
        expect![[r#"
            (program (begin (set-global! program::point
                              ((global $base::make-record-type-descriptor)
                               ((primitive string->symbol) (quote "point"))
                               (quote #f)
                               (quote #f)
                               (quote #f)
                               (quote #f)
                               ((primitive vector) (quote (immutable x)) (quote (mutable y)))))
                       (set-global! program::rcd
                         ((global $base::$rtd-install-rcd!)
                          (global program::point)
                          ((global $base::make-record-constructor-descriptor)
                           (global program::point)
                           (quote #f)
                           (quote #f))))
                       (set-global! program::make-point
                         ((global $base::record-constructor) (global program::rcd)))
                       (set-global! program::point? ((global $base::record-predicate) (global program::point)))
                       (set-global! program::point-x
                         ((global $base::$record-accessor) (global program::point) (quote 0) (quote point-x)))
                       (set-global! program::point-y
                         ((global $base::$record-accessor)
                          (global program::point)
                          ((primitive +) (quote 0) (quote 1))
                          (quote point-y)))
                       (set-global! program::point-y-set!
                         ((global $base::$record-mutator)
                          (global program::point)
                          ((primitive +) (quote 0) (quote 1))
                          (quote point-y-set!)))))
        "#]],
    );
}

#[test]
fn define_record_type_r7rs_passes_the_constructor_fields() {
    check(
        "(define-record-type <kons> (kons d) kons? (a kar set-kar!) (d kdr))",
        expect![[r#"
            (program (begin (set-global! program::<kons>
                              ((global $base::make-record-type-descriptor)
                               ((primitive string->symbol) (quote "kons"))
                               (quote #f)
                               (quote #f)
                               (quote #f)
                               (quote #f)
                               ((primitive vector) (quote (mutable a)) (quote (immutable d)))))
                       (set-global! program::rcd
                         ((global $base::$rtd-install-rcd!)
                          (global program::<kons>)
                          ((global $base::make-record-constructor-descriptor)
                           (global program::<kons>)
                           (quote #f)
                           (quote #f))))
                       (set-global! program::kons
                         ((global $base::$record-constructor/fields) (global program::rcd) (quote (d))))
                       (set-global! program::kons? ((global $base::record-predicate) (global program::<kons>)))
                       (set-global! program::kar
                         ((global $base::$record-accessor) (global program::<kons>) (quote 0) (quote kar)))
                       (set-global! program::set-kar!
                         ((global $base::$record-mutator) (global program::<kons>) (quote 0) (quote set-kar!)))
                       (set-global! program::kdr
                         ((global $base::$record-accessor)
                          (global program::<kons>)
                          ((primitive +) (quote 0) (quote 1))
                          (quote kdr)))))
        "#]],
    );
}

#[test]
fn define_record_type_reports_malformed_clauses_at_the_clause() {
    check(
        "(define-record-type point (fields (bogus x)))",
        expect![[r#"
            main.sps:2:35: error: invalid define-record-type: expected a field: name, (immutable name [accessor]) or (mutable name [accessor modifier])
            (define-record-type point (fields (bogus x)))
                                              ^
            main.sps:2:1: note: in the expansion of `define-record-type`
            (define-record-type point (fields (bogus x)))
            ^
        "#]],
    );
    check(
        "(define-record-type point (fields x) (fields y))",
        expect![[r#"
            main.sps:2:38: error: invalid define-record-type: more than one `fields` clause
            (define-record-type point (fields x) (fields y))
                                                 ^
            main.sps:2:1: note: in the expansion of `define-record-type`
            (define-record-type point (fields x) (fields y))
            ^
        "#]],
    );
    check(
        "(define-record-type <p> (make-p z) p? (x p-x))",
        expect![[r#"
            main.sps:2:33: error: invalid define-record-type: `z` is not a field of the record type
            (define-record-type <p> (make-p z) p? (x p-x))
                                            ^
            main.sps:2:1: note: in the expansion of `define-record-type`
            (define-record-type <p> (make-p z) p? (x p-x))
            ^
        "#]],
    );
}

#[test]
fn guard_installs_a_handler_that_escapes_to_the_clauses() {
    check(
        "(guard (e ((symbol? e) e) (else 'other)) (raise 'oops))",
        expect![[r#"
            (program (((global $base::call/cc)
                       (lambda (guard-k.0)
                         ((global $base::with-exception-handler)
                          (lambda (condition.1)
                            (((global $base::call/cc)
                              (lambda (handler-k.2)
                                (guard-k.0 (lambda ()
                                             ((lambda (e.3) (if ((primitive symbol?) e.3) e.3 (quote other)))
                                              condition.1)))))))
                          (lambda ()
                            ((primitive call-with-values)
                             (lambda () ((global $base::raise) (quote oops)))
                             (lambda args.4
                               (guard-k.0 (lambda () ((primitive apply) (primitive values) args.4)))))))))))
        "#]],
    );
}

#[test]
fn delay_is_a_promise_of_a_thunk() {
    check_r7rs(
        "(delay (+ 1 2))",
        expect![[r#"
            (program ((global $base::$make-promise)
                      (quote #f)
                      (lambda () ((global $base::$make-promise) (quote #t) ((primitive +) (quote 1) (quote 2))))))
        "#]],
    );
}

#[test]
fn delay_force_is_a_promise_that_is_not_yet_done() {
    check_r7rs(
        "(define (f) (delay 1)) (delay-force (f))",
        expect![[r#"
            (program (begin (set-global! program::f
                              (lambda ()
                                ((global $base::$make-promise)
                                 (quote #f)
                                 (lambda () ((global $base::$make-promise) (quote #t) (quote 1))))))
                       ((global $base::$make-promise) (quote #f) (lambda () ((global program::f))))))
        "#]],
    );
}

#[test]
fn parameterize_converts_and_installs_the_values_around_the_body() {
    check_r7rs(
        "(define p (make-parameter 1)) (parameterize ([p 2]) (p))",
        expect![[r#"
            (program (begin (set-global! program::p ((global $base::make-parameter) (quote 1)))
                       ((global $base::$parameterize)
                        ((primitive list) (global program::p))
                        ((primitive list) (quote 2))
                        (lambda () ((global program::p))))))
        "#]],
    );
}

// ---------------------------------------------------------------------------------------------
// Robustness: deep input does not overflow the stack, and no input panics.

/// Expands `text` and returns whether it succeeded; the units must verify.
fn expands(text: &str) -> bool {
    let out = expand_files(text, &[]);
    !out.contains("error:")
}

#[test]
fn deeply_nested_expressions_and_data_do_not_overflow() {
    let depth = 50_000;
    let calls = format!(
        "(import (rnrs)) {}1{}",
        "(car ".repeat(depth),
        ")".repeat(depth)
    );
    assert!(expands(&calls));
    let data = format!(
        "(import (rnrs)) '{}x{}",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    assert!(expands(&data));
    let vectors = format!(
        "(import (rnrs)) '{}x{}",
        "#(".repeat(depth),
        ")".repeat(depth)
    );
    assert!(expands(&vectors));
}

#[test]
fn deeply_nested_binding_forms_and_macros_do_not_overflow() {
    // Scopes are added eagerly, so nested binding forms cost depth^2 time: kept moderate.
    let depth = 300;
    let lets = format!(
        "(import (rnrs)) {}x{}",
        "(let ((x 1)) ".repeat(depth),
        ")".repeat(depth)
    );
    assert!(expands(&lets));
    let ands = format!("(import (rnrs)) (and {})", "#t ".repeat(depth));
    assert!(expands(&ands));
}

/// A small seeded generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A random form built from the core and derived keywords, identifiers and constants.
fn random_form(rng: &mut Rng, depth: usize, out: &mut String) {
    const WORDS: &[&str] = &[
        "define",
        "lambda",
        "if",
        "set!",
        "quote",
        "begin",
        "let",
        "let*",
        "letrec",
        "cond",
        "case",
        "else",
        "=>",
        "...",
        "_",
        "do",
        "and",
        "or",
        "define-syntax",
        "syntax-rules",
        "let-syntax",
        "identifier-syntax",
        "case-lambda",
        "quasiquote",
        "unquote",
        "x",
        "y",
        "car",
        "define-values",
        "let-values",
        "define-record-type",
        "fields",
        "mutable",
        "parent",
        "protocol",
        "nongenerative",
        "guard",
        "delay",
        "define-condition-type",
        "1",
        "\"s\"",
        "#t",
        "#(1 x)",
        "()",
        ".",
    ];
    if depth == 0 || rng.below(4) == 0 {
        out.push_str(WORDS[rng.below(WORDS.len())]);
        return;
    }
    out.push('(');
    for i in 0..rng.below(5) {
        if i > 0 {
            out.push(' ');
        }
        random_form(rng, depth - 1, out);
    }
    out.push(')');
}

#[test]
fn random_programs_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut expanded = 0;
    for _ in 0..1_500 {
        let mut text = String::from("(import (rnrs))\n");
        for _ in 0..rng.below(4) + 1 {
            random_form(&mut rng, 5, &mut text);
            text.push('\n');
        }
        // Any outcome but a panic (or an unverifiable unit) is fine; errors have locations.
        let out = expand_files(&text, &[]);
        if !out.contains("error:") {
            expanded += 1;
        } else {
            assert!(
                has_location(&out),
                "a diagnostic without a location for\n{text}\n{out}"
            );
        }
    }
    assert!(expanded > 0, "no random program expanded at all");
}

#[test]
fn random_libraries_and_import_sets_never_panic() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let library = "(library (lib) (export v) (import (rnrs)) (define v 1))";
    for _ in 0..1_000 {
        let mut text = String::new();
        let mut form = String::new();
        random_form(&mut rng, 4, &mut form);
        text.push_str(match rng.below(3) {
            0 => "(import ",
            1 => "(library (x) ",
            _ => "(define-library (x) ",
        });
        text.push_str(&form);
        text.push_str(")\n");
        random_form(&mut rng, 3, &mut text);
        // Whatever happens must be a result, not a panic; an error must have a location.
        let out = expand_files(&text, &[("lib.sls", library)]);
        if out.contains("error:") {
            assert!(
                has_location(&out),
                "a diagnostic without a location for\n{text}\n{out}"
            );
        }
    }
}

/// Whether a diagnostic starts with `file:line:col: `.
fn has_location(diagnostic: &str) -> bool {
    let first = diagnostic.lines().next().unwrap_or("");
    let parts: Vec<&str> = first.splitn(4, ':').collect();
    parts.len() == 4 && parts[1].parse::<u32>().is_ok() && parts[2].parse::<u32>().is_ok()
}

// ---------------------------------------------------------------------------------------------
// Libraries (in memory; the fixtures on disk are in tests/expand/).

#[test]
fn library_macro_may_assign_its_unexported_variable() {
    let counter = "(library (counter) (export bump! count)
                     (import (rnrs))
                     (define n 0)
                     (define (count) n)
                     (define-syntax bump! (syntax-rules () ((_) (set! n (+ n 1))))))";
    expect![[r#"
        ;; unit (counter)
        (program (begin (set-global! counter::n (quote 0))
                   (set-global! counter::count (lambda () (global counter::n)))))
        ;; unit program
        (program (begin (set-global! counter::n ((primitive +) (global counter::n) (quote 1)))
                   ((global counter::count))))
    "#]]
    .assert_eq(&expand_files(
        "(import (rnrs) (counter)) (bump!) (count)",
        &[("counter.sls", counter)],
    ));
}

#[test]
fn import_sets_rename_prefix_except_and_versions() {
    let lib = "(library (a b (1 2)) (export x y z) (import (rnrs base (6)))
                 (define x 1) (define y 2) (define z 3))";
    expect![[r#"
        ;; unit (a b)
        (program (begin (set-global! a/b::x (quote 1))
                   (set-global! a/b::y (quote 2))
                   (set-global! a/b::z (quote 3))))
        ;; unit program
        (program ((primitive list) (global a/b::x) (global a/b::y) (global a/b::z)))
    "#]].assert_eq(&expand_files(
        "(import (rnrs) (rename (except (prefix (a b (1)) p:) p:z) (p:x ex)) (for (only (a b) z) run))
         (list ex p:y z)",
        &[("a/b.sls", lib)],
    ));
}

#[test]
fn several_libraries_in_one_file() {
    let text = "(library (one) (export v) (import (rnrs)) (define v 1))
                (library (two) (export w) (import (rnrs) (one)) (define w (+ v 1)))";
    expect![[r#"
        ;; unit (one)
        (program (set-global! one::v (quote 1)))
        ;; unit (two)
        (program (set-global! two::w ((primitive +) (global one::v) (quote 1))))
    "#]]
    .assert_eq(&expand_files(text, &[]));
}

#[test]
fn include_and_cond_expand_in_a_program_body() {
    let included = "(define from-file 1) (display from-file)";
    expect![[r#"
        (program (begin (set-global! program::from-file (quote 1))
                   ((global $base::display) (global program::from-file))
                   (set-global! program::v (quote yes))
                   ((global $base::display) (quote 2))))
    "#]]
    .assert_eq(&expand_files(
        "(import (scheme base) (scheme write))
         (include \"part.scm\")
         (cond-expand (no-such-feature (define v 'no)) ((and r7rs loko) (define v 'yes)))
         (display (cond-expand ((not r7rs) 1) (else 2)))",
        &[("part.scm", included)],
    ));
}

#[test]
fn define_library_declarations_from_files_and_case_folding() {
    let lib = "(define-library (decl)
                 (include-library-declarations \"decls.scm\")
                 (cond-expand
                   ((library (no such lib)) (begin (define impl 'missing)))
                   ((library (scheme base)) (include-ci \"body.scm\"))))";
    let decls = "(export shout impl) (import (scheme base))";
    let body = "(DEFINE (SHOUT X) (LIST X X)) (define impl 'found)";
    expect![[r#"
        ;; unit (decl)
        (program (begin (set-global! decl::shout (lambda (x.0) ((primitive list) x.0 x.0)))
                   (set-global! decl::impl (quote found))))
        ;; unit program
        (program ((global decl::shout) (global decl::impl)))
    "#]]
    .assert_eq(&expand_files(
        "(import (scheme base) (decl)) (shout impl)",
        &[("decl.sld", lib), ("decls.scm", decls), ("body.scm", body)],
    ));
}

#[test]
fn literals_match_by_binding_not_by_name() {
    // `otherwise` is `else` renamed on import, so `cond` accepts it; `else` itself is then
    // not imported, and as an unbound identifier it does not match.
    let import = "(import (rename (rnrs) (else otherwise)))";
    expect![[r#"
        (program (if (quote #f) (quote 1) (quote 2)))
    "#]]
    .assert_eq(&expand_files(
        &format!("{import} (cond (#f 1) (otherwise 2))"),
        &[],
    ));
    expect![[r#"
        main.sps:1:57: error: unbound identifier `else`
        (import (rename (rnrs) (else otherwise))) (cond (#f 1) (else 2))
                                                                ^
        main.sps:1:43: note: in 2 nested expansions of `cond`
        (import (rename (rnrs) (else otherwise))) (cond (#f 1) (else 2))
                                                  ^
        note: `else` is exported by (rnrs base), (rnrs), (scheme base)
    "#]]
    .assert_eq(&expand_files(
        &format!("{import} (cond (#f 1) (else 2))"),
        &[],
    ));
}

#[test]
fn each_use_of_a_macro_introduces_its_own_top_level_variable() {
    check(
        "(define-syntax def-get
           (syntax-rules () ((_ get v) (begin (define tmp v) (define (get) tmp)))))
         (def-get get-a 1)
         (def-get get-b 2)
         (list (get-a) (get-b))",
        expect![[r#"
            (program (begin (set-global! program::tmp (quote 1))
                       (set-global! program::get-a (lambda () (global program::tmp)))
                       (set-global! program::tmp.1 (quote 2))
                       (set-global! program::get-b (lambda () (global program::tmp.1)))
                       ((primitive list) ((global program::get-a)) ((global program::get-b)))))
        "#]],
    );
}

#[test]
fn derived_forms_are_not_captured_by_user_bindings_of_their_helpers() {
    // quasiquote expands into `cons` and `list`, which the user has rebound locally.
    check(
        "(lambda (cons list) `(1 ,cons ,@list))",
        expect![[r#"
        (program (lambda (cons.0 list.1)
                   ((primitive cons)
                    (quote 1)
                    ((primitive cons) cons.0 ((primitive append) list.1 (quote ()))))))
    "#]],
    );
}

#[test]
fn syntax_rules_ellipsis_in_vectors_and_before_a_dotted_tail() {
    check(
        "(define-syntax m
           (syntax-rules () ((_ #(a ... z)) '(z a ...)) ((_ (a ... . r)) '(r a ...))))
         (m #(1 2 3)) (m (1 2 . 3)) (m (1 2))",
        expect![[r#"
            (program (begin (quote (3 1 2)) (quote (3 1 2)) (quote (() 1 2))))
        "#]],
    );
}

#[test]
fn the_base_library_is_a_unit_of_procedures_that_programs_cannot_assign() {
    let mut memory = Memory::default();
    let mut datums = Datums::new();
    let forms = ir::reader::read_str("main.sps", "(import (rnrs)) (length '(1))", &mut datums)
        .expect("reads");
    let units = expand("main.sps", &datums, &forms, &mut memory).expect("expands");
    assert_eq!(units.len(), 2);
    let base = units[0].tree.print();
    units[0].tree.verify().expect("the base unit verifies");
    assert!(base.contains("(set-global! $base::length"), "{base}");
    check(
        "(length '(1 2))",
        expect![[r#"
            (program ((global $base::length) (quote (1 2))))
        "#]],
    );
    check(
        "(set! length 1)",
        expect![[r#"
            main.sps:2:7: error: cannot assign imported variable `length`
            (set! length 1)
                  ^
        "#]],
    );
}

/// The names the standards give the standard libraries that the base does not bind yet (left
/// out of their exports), and the base's names that no standard library gives.
#[test]
fn standard_library_gaps() {
    let mut memory = Memory::default();
    let expander = match super::expander::Expander::new(&mut memory, None) {
        Ok(expander) => expander,
        Err(diagnostic) => panic!("the base library does not expand: {diagnostic}"),
    };
    let mut out = String::new();
    for (library, names) in expander.standard.missing() {
        let names: Vec<&str> = names.iter().map(|n| n.as_str()).collect();
        out.push_str(&format!(
            "{} lacks {}: {}\n",
            super::library::show_name(library),
            names.len(),
            names.join(" ")
        ));
    }
    let unlisted: Vec<&str> = expander
        .standard
        .unlisted()
        .iter()
        .map(|n| n.as_str())
        .collect();
    out.push_str(&format!("in no standard library: {}\n", unlisted.join(" ")));
    expect![[r#"
        (rnrs base) lacks 8: complex? rationalize make-rectangular make-polar real-part imag-part magnitude angle
        (rnrs unicode) lacks 4: string-normalize-nfd string-normalize-nfkd string-normalize-nfc string-normalize-nfkc
        (rnrs bytevectors) lacks 49: endianness native-endianness bytevector-copy! bytevector-s8-ref bytevector-s8-set! bytevector-uint-ref bytevector-sint-ref bytevector-uint-set! bytevector-sint-set! bytevector->uint-list bytevector->sint-list uint-list->bytevector sint-list->bytevector bytevector-u16-ref bytevector-s16-ref bytevector-u16-native-ref bytevector-s16-native-ref bytevector-u16-set! bytevector-s16-set! bytevector-u16-native-set! bytevector-s16-native-set! bytevector-u32-ref bytevector-s32-ref bytevector-u32-native-ref bytevector-s32-native-ref bytevector-u32-set! bytevector-s32-set! bytevector-u32-native-set! bytevector-s32-native-set! bytevector-u64-ref bytevector-s64-ref bytevector-u64-native-ref bytevector-s64-native-ref bytevector-u64-set! bytevector-s64-set! bytevector-u64-native-set! bytevector-s64-native-set! bytevector-ieee-single-native-ref bytevector-ieee-single-ref bytevector-ieee-double-native-ref bytevector-ieee-double-ref bytevector-ieee-single-native-set! bytevector-ieee-single-set! bytevector-ieee-double-native-set! bytevector-ieee-double-set! string->utf16 string->utf32 utf16->string utf32->string
        (rnrs records syntactic) lacks 9: fields mutable immutable parent protocol sealed opaque nongenerative parent-rtd
        (rnrs io ports) lacks 3: open-file-input/output-port make-custom-binary-input/output-port make-custom-textual-input/output-port
        (rnrs arithmetic flonums) lacks 51: real->flonum fl=? fl<? fl>? fl<=? fl>=? flinteger? flzero? flpositive? flnegative? flodd? fleven? flfinite? flinfinite? flnan? flmax flmin fl+ fl* fl- fl/ flabs fldiv-and-mod fldiv flmod fldiv0-and-mod0 fldiv0 flmod0 flnumerator fldenominator flfloor flceiling fltruncate flround flexp fllog flsin flcos fltan flasin flacos flatan flsqrt flexpt &no-infinities make-no-infinities-violation no-infinities-violation? &no-nans make-no-nans-violation no-nans-violation? fixnum->flonum
        (rnrs enums) lacks 14: make-enumeration enum-set-universe enum-set-indexer enum-set-constructor enum-set->list enum-set-member? enum-set-subset? enum-set=? enum-set-union enum-set-intersection enum-set-difference enum-set-complement enum-set-projection define-enumeration
        (rnrs eval) lacks 2: eval environment
        (rnrs r5rs) lacks 2: null-environment scheme-report-environment
        (scheme base) lacks 4: bytevector-copy! complex? features rationalize
        (scheme complex) lacks 6: angle imag-part magnitude make-polar make-rectangular real-part
        (scheme eval) lacks 2: environment eval
        (scheme load) lacks 1: load
        (scheme process-context) lacks 3: emergency-exit get-environment-variable get-environment-variables
        (scheme repl) lacks 1: interaction-environment
        (scheme time) lacks 3: current-jiffy current-second jiffies-per-second
        (scheme r5rs) lacks 13: angle complex? eval imag-part interaction-environment load magnitude make-polar make-rectangular null-environment rationalize real-part scheme-report-environment
        (loko) lacks 23: get-environment-variable get-environment-variables interaction-environment load library-directories library-extensions installed-libraries uninstall-library expand expand/optimize cp0-size-limit cp0-effort-limit disassemble machine-type time time-it time-it* port-file-descriptor-set! gensym pretty-print module load-program putenv
        (loko system unsafe) lacks 22: syscall bytevector-address get-mem-u8 get-mem-u16 get-mem-u32 get-mem-s61 put-mem-u8 put-mem-u16 put-mem-u32 put-mem-s61 get-i/o-u8 get-i/o-u16 get-i/o-u32 put-i/o-u8 put-i/o-u16 put-i/o-u32 get-i/o-u8-n! get-i/o-u16-n! get-i/o-u32-n! put-i/o-u8-n! put-i/o-u16-n! put-i/o-u32-n!
        in no standard library: 
    "#]]
    .assert_eq(&out);
}
