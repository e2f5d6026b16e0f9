//! The expander as a user meets it: `loko --dump-ir=expand` on programs that import libraries
//! found through `LOKO_LIBRARY_PATH`, and the corpus of erroneous programs in
//! `tests/expand/bad/` (each `NAME.sps` fails with exactly the diagnostic in `NAME.expected`;
//! `UPDATE_EXPECT=1` rewrites them).

use expect_test::{Expect, expect};
use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

/// Runs `loko --dump-ir=expand FILE` in the repository root with `LOKO_LIBRARY_PATH` set.
fn dump_expand(file: &str, library_path: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_loko"))
        .args(["--dump-ir=expand", file])
        .env("LOKO_LIBRARY_PATH", library_path)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("loko runs")
}

fn check(file: &str, library_path: &str, expected: Expect) {
    let output = dump_expand(file, library_path);
    let shown = format!(
        "status: {:?}\n{}{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    expected.assert_eq(&shown);
}

#[test]
fn r6rs_libraries_from_loko_library_path() {
    check(
        "tests/expand/r6rs/main.sps",
        "/nonexistent:tests/expand/r6rs/lib",
        expect![[r#"
            status: Some(0)
            ;; unit (util helpers)
            ;; expand (CoreScheme)
            (program (begin (set-global! util/helpers::make-adder
                              (lambda (n.0) (lambda (x.1) ((primitive +) x.1 n.0))))
                       (set-global! util/helpers::secret-double (lambda (x.2) ((primitive *) (quote 2) x.2)))))

            ;; unit (util macros)
            ;; expand (CoreScheme)
            (program (set-global! util/macros::helper (lambda (x.0) ((primitive +) x.0 (quote 1)))))

            ;; unit program
            ;; expand (CoreScheme)
            (program (begin (set-global! program::helper (quote the-programs-own-helper))
                       ((global $base::display)
                        ((global util/macros::helper) ((global util/helpers::secret-double) (quote 5))))
                       ((global $base::newline))
                       ((global $base::display) (((global util/helpers::make-adder) (quote 1)) (quote 2)))
                       ((global $base::newline))
                       ((global $base::display) (global program::helper))))

            ;; unit (loko program-end)
            ;; expand (CoreScheme)
            (program ((global $base::$flush-output-ports)))

        "#]],
    );
}

#[test]
fn r7rs_libraries_from_loko_library_path() {
    check(
        "tests/expand/r7rs/main.scm",
        "tests/expand/r7rs/lib",
        expect![[r#"
            status: Some(0)
            ;; unit (greet core)
            ;; expand (CoreScheme)
            (program (begin (set-global! greet/core::shout
                              (lambda (s.0) ((global greet/core::string-append-3) s.0 (quote "!"))))
                       (set-global! greet/core::string-append-3 (lambda (a.1 b.2) ((primitive list) a.1 b.2)))))

            ;; unit (greet names)
            ;; expand (CoreScheme)
            (program (set-global! greet/names::default-name (quote "world")))

            ;; unit program
            ;; expand (CoreScheme)
            (program (begin ((global $base::display)
                             ((global greet/core::shout) (global greet/names::default-name)))
                       ((global $base::display) ((global greet/core::shout) (global greet/names::default-name)))
                       ((global $base::newline))))

            ;; unit (loko program-end)
            ;; expand (CoreScheme)
            (program ((global $base::$flush-output-ports)))

        "#]],
    );
}

#[test]
fn every_bad_program_gets_its_expected_diagnostic() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/expand/bad");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut inputs: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("the corpus directory exists")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sps"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 25, "only {} bad programs", inputs.len());
    let mut failures = Vec::new();
    for input in &inputs {
        let name = input.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let relative = format!("tests/expand/bad/{name}");
        let output = dump_expand(&relative, "tests/expand/bad/lib");
        if output.status.code() != Some(1) || !output.stdout.is_empty() {
            failures.push(format!(
                "{name}: expected a diagnostic and status 1, got {:?}\n{}",
                output.status.code(),
                String::from_utf8_lossy(&output.stdout)
            ));
            continue;
        }
        let actual = String::from_utf8_lossy(&output.stderr).into_owned();
        let expected_path = input.with_extension("expected");
        if update {
            fs::write(&expected_path, &actual).expect("writable expected file");
            continue;
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!("{name}: expected\n{expected}\nbut got\n{actual}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
