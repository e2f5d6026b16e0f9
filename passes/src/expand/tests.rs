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
            let mut out = String::new();
            for unit in &units {
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

#[test]
fn constants_and_calls() {
    check(
        r#"(display "hi") '(1 . 2) #(1 2) (car '(a b))"#,
        expect![[r#"
            (program (begin ((primitive display) (quote "hi"))
                       (quote (1 . 2))
                       (quote #(1 2))
                       ((primitive car) (quote (a b)))))
        "#]],
    );
}
