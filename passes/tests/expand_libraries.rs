//! Programs that import user libraries from a library directory (`tests/expand/r6rs/lib`,
//! `tests/expand/r7rs/lib`), expanded into one unit per library plus the program.

use expect_test::{Expect, expect};
use ir::datum::Datums;
use ir::nanopass::Ir;
use passes::expand::{FileSystem, expand};
use std::path::PathBuf;

/// Expands the program `dir/main` with `dir/lib` as the library path; every unit must verify.
fn check(program: &str, library_dir: &str, expected: Expect) {
    let root = PathBuf::from("../tests/expand");
    let path = root.join(program).display().to_string();
    let text = std::fs::read_to_string(&path).expect("the fixture exists");
    let mut loader = FileSystem {
        roots: vec![root.join(library_dir)],
    };
    let mut datums = Datums::new();
    let forms = ir::reader::read_str(&path, &text, &mut datums).expect("the fixture reads");
    let shown = match expand(&path, &datums, &forms, &mut loader) {
        Ok(units) => {
            let mut out = String::new();
            for unit in &units {
                if let Err(errors) = unit.tree.verify() {
                    panic!("{} does not verify: {errors:?}", unit.name);
                }
                // The base library's unit is the same in every program.
                if unit.name == passes::expand::base::UNIT_NAME {
                    continue;
                }
                out.push_str(&format!(";; unit {}\n{}\n", unit.name, unit.tree.print()));
            }
            out
        }
        Err(diagnostic) => diagnostic.to_string(),
    };
    expected.assert_eq(&shown);
}

#[test]
fn r6rs_program_with_two_libraries() {
    check(
        "r6rs/main.sps",
        "r6rs/lib",
        expect![[r#"
            ;; unit (util helpers)
            (program (begin (set-global! util/helpers::make-adder
                              (lambda (n.0) (lambda (x.1) ((primitive +) x.1 n.0))))
                       (set-global! util/helpers::secret-double (lambda (x.2) ((primitive *) (quote 2) x.2)))))
            ;; unit (util macros)
            (program (set-global! util/macros::helper (lambda (x.0) ((primitive +) x.0 (quote 1)))))
            ;; unit program
            (program (begin (set-global! program::helper (quote the-programs-own-helper))
                       ((global $base::display)
                        ((global util/macros::helper) ((global util/helpers::secret-double) (quote 5))))
                       ((global $base::newline))
                       ((global $base::display) (((global util/helpers::make-adder) (quote 1)) (quote 2)))
                       ((global $base::newline))
                       ((global $base::display) (global program::helper))))
        "#]],
    );
}

#[test]
fn r7rs_program_with_two_define_libraries() {
    check(
        "r7rs/main.scm",
        "r7rs/lib",
        expect![[r#"
            ;; unit (greet core)
            (program (begin (set-global! greet/core::shout
                              (lambda (s.0) ((global greet/core::string-append-3) s.0 (quote "!"))))
                       (set-global! greet/core::string-append-3 (lambda (a.1 b.2) ((primitive list) a.1 b.2)))))
            ;; unit (greet names)
            (program (set-global! greet/names::default-name (quote "world")))
            ;; unit program
            (program (begin ((global $base::display)
                             ((global greet/core::shout) (global greet/names::default-name)))
                       ((global $base::display) ((global greet/core::shout) (global greet/names::default-name)))
                       ((global $base::newline))))
        "#]],
    );
}
