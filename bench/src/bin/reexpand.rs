//! Re-expansion after an edit in a live database: generates a program importing LIBRARIES
//! libraries of macros and procedures (each about 120 lines) and one small leaf library, expands
//! it once, then edits the leaf library's text again and again and times the program's
//! expansion (`loko::db::expand_program`) after each edit. Run with
//! `cargo run --release -p loko-bench --bin reexpand [LIBRARIES]`.
//!
//! The best of several edits is reported, with the first (cold) expansion for scale.

use loko::db::{Database, Db, expand_program};
use salsa::Setter;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

const DEFAULT_LIBRARIES: usize = 8;
const EDITS: usize = 10;

/// Library `(libN)`: a few macros and procedures using them.
fn library(n: usize) -> String {
    let mut text = format!(
        "(library (lib{n}) (export swap{n}! while{n} total{n}) (import (rnrs))
  (define-syntax swap{n}!
    (syntax-rules () ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
  (define-syntax while{n}
    (syntax-rules () ((_ c body ...) (let lp () (when c body ... (lp))))))
"
    );
    for i in 0..20 {
        let _ = write!(
            text,
            "  (define (f{i} x)
    (let loop ((i 0) (acc '()))
      (cond ((= i x) (reverse acc))
            ((even? i) (loop (+ i 1) (cons (* i {i}) acc)))
            (else (let ((a i) (b acc)) (swap{n}! a b) (loop (+ b 1) (cons a acc)))))))
"
        );
    }
    let _ = write!(text, "  (define (total{n}) (+ ");
    for i in 0..20 {
        let _ = write!(text, "(length (f{i} 3)) ");
    }
    text.push_str(")))\n");
    text
}

fn leaf(value: usize) -> String {
    format!("(library (leaf) (export leaf-value) (import (rnrs)) (define (leaf-value) {value}))")
}

fn main() {
    let libraries = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_LIBRARIES);
    let dir = std::env::temp_dir().join(format!("loko-reexpand-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| fail(&e.to_string()));
    let write = |name: &str, text: &str| -> String {
        let path: PathBuf = dir.join(name);
        std::fs::write(&path, text).unwrap_or_else(|e| fail(&e.to_string()));
        path.display().to_string()
    };
    let mut program = String::from("(import (rnrs) (leaf)");
    for n in 0..libraries {
        write(&format!("lib{n}.sls"), &library(n));
        let _ = write!(program, " (lib{n})");
    }
    program.push_str(")\n(display (+ (leaf-value)");
    for n in 0..libraries {
        let _ = write!(program, " (total{n})");
    }
    program.push_str("))\n");
    let leaf_path = write("leaf.sls", &leaf(0));
    let program_path = write("program.sps", &program);

    let mut db = Database::with_library_roots(vec![dir.clone()]);
    let program = db.load(&program_path).unwrap_or_else(|e| fail(&e));
    let start = Instant::now();
    if let Err(message) = expand_program(&db, program) {
        fail(message);
    }
    let cold = start.elapsed().as_secs_f64();
    let leaf_source = db.load(&leaf_path).unwrap_or_else(|e| fail(&e));
    let mut best = f64::INFINITY;
    for edit in 1..=EDITS {
        leaf_source.set_text(&mut db).to(leaf(edit));
        let start = Instant::now();
        if let Err(message) = expand_program(&db, program) {
            fail(message);
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "{libraries} libraries and a leaf: first expansion {:.1} ms; after an edit of the leaf {:.2} ms (best of {EDITS})",
        cold * 1e3,
        best * 1e3
    );
}

fn fail(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(1);
}
