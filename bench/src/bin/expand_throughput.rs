//! Expander throughput: generates a 5,000-line program that mixes user-defined `syntax-rules`
//! macros (with ellipses, literals and recursion) and the derived forms of the base library
//! (`let`, named `let`, `let*`, `cond`, `case`, `do`, `when`, `quasiquote`, `let-values`,
//! internal definitions), then reads and expands it. Run with
//! `cargo run --release -p loko-bench --bin expand_throughput`.
//!
//! The program is the same on every run; the best of several runs is reported.
//!
//! `expand_throughput nested [DEPTH]` instead expands one procedure whose body is DEPTH
//! nested `let`s (5,000 by default), the case where adding scopes eagerly to whole bodies
//! costs time quadratic in the depth.

use std::fmt::Write as _;
use std::time::Instant;

use ir::datum::Datums;
use ir::reader::read_str;
use passes::expand::{FileSystem, expand};

const LINES: usize = 5_000;
const RUNS: usize = 5;

/// The program's macros, defined once at the top.
const MACROS: &str = "(import (rnrs) (rnrs r5rs))
(define-syntax swap!
  (syntax-rules () ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(define-syntax my-or
  (syntax-rules () ((_) #f) ((_ e) e) ((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))
(define-syntax while
  (syntax-rules () ((_ c body ...) (let lp () (when c body ... (lp))))))
(define-syntax for
  (syntax-rules (in from to)
    ((_ x from a to b body ...) (do ((x a (+ x 1))) ((= x b)) body ...))
    ((_ x in lst body ...) (let loop ((l lst)) (when (pair? l) (let ((x (car l))) body ...) (loop (cdr l)))))))
(define-syntax my-let*
  (syntax-rules () ((_ () body ...) (let () body ...))
                   ((_ ((x v) rest ...) body ...) (let ((x v)) (my-let* (rest ...) body ...)))))
";

/// The depth of the `nested` program unless the command line gives one.
const DEFAULT_DEPTH: usize = 5_000;

fn main() {
    let mut args = std::env::args().skip(1);
    let source = match args.next().as_deref() {
        Some("nested") => {
            let depth = args
                .next()
                .and_then(|d| d.parse().ok())
                .unwrap_or(DEFAULT_DEPTH);
            generate_nested(depth)
        }
        _ => generate(),
    };
    let lines = source.lines().count();
    let mut best = f64::INFINITY;
    let mut variables = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let mut datums = Datums::new();
        let forms = match read_str("generated.sps", &source, &mut datums) {
            Ok(forms) => forms,
            Err(diagnostic) => fail(&diagnostic.to_string()),
        };
        let mut loader = FileSystem { roots: Vec::new() };
        let units = match expand("generated.sps", &datums, &forms, &mut loader) {
            Ok(units) => units,
            Err(diagnostic) => fail(&diagnostic.to_string()),
        };
        best = best.min(start.elapsed().as_secs_f64());
        variables = units.iter().map(|u| u.tree.arena.cx.vars.len()).sum();
    }
    println!(
        "read and expanded {lines} lines ({} KB, {variables} variables) in {:.1} ms: {:.0} lines/ms (best of {RUNS})",
        source.len() / 1024,
        best * 1e3,
        lines as f64 / (best * 1e3)
    );
}

fn fail(message: &str) -> ! {
    eprintln!("the generated program does not expand:\n{message}");
    std::process::exit(1);
}

/// The program: the macros, then procedures of about ten lines each until there are enough
/// lines, each using a different mix of forms.
fn generate() -> String {
    let mut out = String::from(MACROS);
    let mut i = 0;
    while out.lines().count() < LINES {
        let body = match i % 5 {
            0 => format!(
                "(define (proc{i} a b)
  (define total 0)
  (for k from 0 to 10
    (set! total (+ total k)))
  (swap! a b)
  (cond ((my-or (= a 1) (= b 2)) => (lambda (x) x))
        ((> a b) (list a b total))
        (else `(a ,a b ,b ,@(list total)))))"
            ),
            1 => format!(
                "(define (proc{i} lst)
  (let loop ((l lst) (acc '()))
    (if (null? l)
        acc
        (loop (cdr l)
              (case (car l)
                ((1 2 3) (cons 'small acc))
                ((4 5 6) => (lambda (x) (cons x acc)))
                (else acc))))))"
            ),
            2 => format!(
                "(define (proc{i} n)
  (my-let* ((x n) (y (* x 2)) (z (+ x y)))
    (let-values (((q r) (values (quotient z 3) (remainder z 3))))
      (when (> q r)
        (display q)
        (newline))
      (unless (= r 0) (display r))
      (list x y z q r))))"
            ),
            3 => format!(
                "(define (proc{i} v)
  (define count 0)
  (define (bump!) (set! count (+ count 1)))
  (for x in (list 1 2 3 v)
    (bump!)
    (display x))
  (while (< count 10)
    (bump!))
  (let* ((a count) (b (+ a 1)))
    (and (> b a) (or (= a 10) (= b 11)) count)))"
            ),
            _ => format!(
                "(define (proc{i} s)
  (do ((i 0 (+ i 1))
       (acc '() (cons i acc)))
      ((= i 5) (reverse-list acc))
    (when (even-ish? i)
      (display s)))
  (letrec* ((f (lambda (n) (if (= n 0) 0 (g (- n 1)))))
            (g (lambda (n) (if (= n 0) 1 (f (- n 1))))))
    (f 10)))"
            ),
        };
        let _ = writeln!(out, "{body}");
        i += 1;
    }
    out.push_str("(define (reverse-list l) (let loop ((l l) (r '())) (if (null? l) r (loop (cdr l) (cons (car l) r)))))\n");
    out.push_str("(define (even-ish? n) (= (remainder n 2) 0))\n");
    out
}

/// A procedure whose body is `depth` nested `let`s, each binding a variable to the previous
/// one: `(let ((x1 x0)) (let ((x2 x1)) ... xN))`.
fn generate_nested(depth: usize) -> String {
    let mut out = String::from("(import (rnrs))\n(define (f x0)\n");
    for i in 1..=depth {
        let _ = writeln!(out, "(let ((x{i} x{})) ", i - 1);
    }
    let _ = write!(out, "x{depth}");
    out.push_str(&")".repeat(depth + 1));
    out.push('\n');
    out
}
