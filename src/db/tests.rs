//! The database's queries: memoization per file and per unit, and what an edit recomputes.

use super::*;
use salsa::Setter;
use salsa::plumbing::AsId;

fn ran_in(executed: &[String], query: &str) -> usize {
    executed.iter().filter(|e| e.starts_with(query)).count()
}

fn ran(db: &Database, query: &str) -> usize {
    db.take_executed()
        .iter()
        .filter(|e| e.starts_with(query))
        .count()
}

#[test]
fn editing_one_file_rereads_only_that_file() {
    let mut db = Database::default();
    let a = Source::new(&db, "a.sls".into(), "(define x 1)".into());
    let b = Source::new(&db, "b.sls".into(), "(define y 2)".into());
    assert!(read(&db, a).is_ok() && read(&db, b).is_ok());
    assert_eq!(ran(&db, "read("), 2);

    // Asking again costs nothing.
    assert!(read(&db, a).is_ok() && read(&db, b).is_ok());
    assert_eq!(ran(&db, "read("), 0);

    a.set_text(&mut db).to("(define x 10)".into());
    let a_read = read(&db, a).as_ref().map(|r| r.top_level.len());
    assert!(read(&db, b).is_ok());
    assert_eq!(a_read, Ok(1));
    let executed = db.take_executed();
    assert_eq!(
        executed.iter().filter(|e| e.starts_with("read(")).count(),
        1,
        "{executed:?}"
    );
}

#[test]
fn diagnostics_come_back_from_queries() {
    let db = Database::default();
    let bad = Source::new(&db, "bad.sps".into(), "(display \"unterminated)".into());
    let message = read(&db, bad)
        .as_ref()
        .err()
        .map(|d| d.to_string())
        .unwrap_or_default();
    assert!(message.starts_with("bad.sps:1:10: error:"), "{message}");
}

#[test]
fn ir_compiles_once_per_text() {
    let mut db = Database::default();
    let ir = Source::new(
        &db,
        "p.sexp".into(),
        "(program (if (quote #t) (quote 1)))".into(),
    );
    let first = compile_ir(&db, ir).clone();
    assert_eq!(
        first.as_deref(),
        Ok("(program () (if (quote #t) (quote 1) (tail-call (primitive void))))")
    );
    assert_eq!(ran(&db, "compile_ir("), 1);
    assert_eq!(compile_ir(&db, ir), &first);
    assert_eq!(ran(&db, "compile_ir("), 0);
    ir.set_text(&mut db).to("(program (quote 2))".into());
    assert_eq!(compile_ir(&db, ir).as_deref(), Ok("(program () (quote 2))"));
    assert_eq!(ran(&db, "compile_ir("), 1);
}

/// A directory of its own under the system's temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("loko-db-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("creates the temporary directory");
        TempDir(dir)
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("writes the file");
        path.display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn library(name: &str, value: i64) -> String {
    format!(
        "(library ({name}) (export {name}-value) (import (rnrs))
           (define ({name}-value) {value}))"
    )
}

/// Library (a): a procedure, and a macro the program uses.
fn library_a(value: i64, scale: i64) -> String {
    format!(
        "(library (a) (export a-value a-scale) (import (rnrs))
           (define (a-value) {value})
           (define-syntax a-scale (syntax-rules () ((_ x) (* {scale} x)))))"
    )
}

/// Runs the program's image in this process; its exit status is its answer.
fn exit_status(db: &Database, program: Source) -> i32 {
    let image = image(db, program).as_ref().expect("the program compiles");
    match backend::run_image(image) {
        Ok(backend::Outcome::Exited(status)) => status,
        other => panic!("the program did not exit: {other:?}"),
    }
}

/// The `compile_unit` key of the unit named `name`, as the execution log shows it.
fn compile_unit_entry(db: &Database, program: Source, name: &str) -> String {
    let keys = units(db, program).as_ref().expect("the program expands");
    let key = keys
        .iter()
        .find(|key| key.unit(db).name == name)
        .unwrap_or_else(|| panic!("no unit {name}"));
    format!("compile_unit({:?})", key.as_id())
}

/// The `compile_unit` entries of the execution log.
fn compiled(executed: &[String]) -> Vec<&String> {
    executed
        .iter()
        .filter(|e| e.starts_with("compile_unit("))
        .collect()
}

/// The `codegen_unit` entries of the execution log, as `compile_unit` entries (the two
/// queries take the same key), so they compare with [`compile_unit_entry`].
fn generated(executed: &[String]) -> Vec<String> {
    executed
        .iter()
        .filter_map(|e| e.strip_prefix("codegen_unit("))
        .map(|key| format!("compile_unit({key}"))
        .collect()
}

#[test]
fn editing_one_library_recompiles_it_and_not_the_other() {
    let dir = TempDir::new("incremental");
    let a_path = dir.write("a.sls", &library_a(1, 10));
    dir.write("b.sls", &library("b", 2));
    let program_path = dir.write(
        "program.sps",
        "(import (rnrs) (a) (b)) (exit (+ (a-scale (a-value)) (b-value)))",
    );
    let mut db = Database::with_library_roots(vec![dir.0.clone()]);
    let program = db.load(&program_path).expect("the program is there");

    assert_eq!(exit_status(&db, program), 12);
    let first = db.take_executed();
    let b_entry = compile_unit_entry(&db, program, "(b)");
    let a_first = compile_unit_entry(&db, program, "(a)");
    let program_first = compile_unit_entry(&db, program, "program");
    // The base library, (a), (b), the program and the unit that ends it, lowered and then
    // generated.
    let compiled_first = compiled(&first);
    assert_eq!(compiled_first.len(), 5, "{first:?}");
    assert!(compiled_first.contains(&&b_entry) && compiled_first.contains(&&a_first));
    let generated_first = generated(&first);
    assert_eq!(generated_first.len(), 5, "{first:?}");
    assert!(generated_first.contains(&b_entry) && generated_first.contains(&a_first));

    // Asking again, with no edit, executes no query at all.
    assert_eq!(exit_status(&db, program), 12);
    assert_eq!(db.take_executed(), Vec::<String>::new());

    // Edit a procedure of (a) in the live database: only (a) is lowered again. The program's
    // expansion does not depend on what (a-value) returns, and (b) and the base library are
    // unchanged.
    let a = db.load(&a_path).expect("(a) was read");
    a.set_text(&mut db).to(library_a(3, 10));
    assert_eq!(exit_status(&db, program), 32);
    let second = db.take_executed();
    let a_second = compile_unit_entry(&db, program, "(a)");
    assert_ne!(a_second, a_first);
    assert_eq!(compile_unit_entry(&db, program, "program"), program_first);
    assert_eq!(compiled(&second), vec![&a_second], "{second:?}");
    // Code generation too runs for (a)'s new unit only: not for (b), the program or the base
    // library; the image only links.
    assert_eq!(generated(&second), vec![a_second.clone()], "{second:?}");
    assert!(second.iter().any(|e| e.starts_with("expand_program(")));
    assert!(second.iter().any(|e| e.starts_with("image(")));

    // Edit the macro of (a): the program, which uses it, is lowered again; (a)'s own unit is
    // the same (a `syntax-rules` macro leaves no code in its library), and (b) is untouched.
    a.set_text(&mut db).to(library_a(3, 100));
    assert_eq!(exit_status(&db, program), 302);
    let third = db.take_executed();
    assert_eq!(compile_unit_entry(&db, program, "(a)"), a_second);
    let program_third = compile_unit_entry(&db, program, "program");
    assert_ne!(program_third, program_first);
    assert_eq!(compiled(&third), vec![&program_third], "{third:?}");
    assert_eq!(generated(&third), vec![program_third.clone()], "{third:?}");
}

/// The `expand_library` entry of library `(name)`, as the execution log shows it.
fn expand_library_entry(db: &Database, name: &str) -> String {
    let key = LibraryName::new(db, vec![name.to_owned()]);
    format!("expand_library({:?})", key.as_id())
}

/// The libraries whose `expand_library` ran, by name, sorted.
fn expanded_libraries(db: &Database, executed: &[String], names: &[&str]) -> Vec<String> {
    let mut ran: Vec<String> = names
        .iter()
        .filter(|name| executed.contains(&expand_library_entry(db, name)))
        .map(|name| name.to_string())
        .collect();
    ran.sort();
    ran
}

#[test]
fn editing_one_library_reexpands_it_and_its_importers_only() {
    let dir = TempDir::new("expand-per-library");
    let a_path = dir.write("a.sls", &library_a(1, 10));
    dir.write("b.sls", &library("b", 2));
    // (c) imports (a), and exports a macro that expands into a use of (a)'s macro.
    dir.write(
        "c.sls",
        "(library (c) (export c-value) (import (rnrs) (a))
           (define-syntax c-value (syntax-rules () ((_) (a-scale (a-value))))))",
    );
    let program_path = dir.write(
        "program.sps",
        "(import (rnrs) (a) (b) (c)) (exit (+ (c-value) (b-value)))",
    );
    let other_path = dir.write("other.sps", "(import (rnrs) (b)) (exit (* 7 (b-value)))");
    let mut db = Database::with_library_roots(vec![dir.0.clone()]);
    let program = db.load(&program_path).expect("the program is there");
    let names = ["a", "b", "c"];

    assert_eq!(exit_status(&db, program), 12);
    let first = db.take_executed();
    assert_eq!(
        expanded_libraries(&db, &first, &names),
        ["a", "b", "c"],
        "{first:?}"
    );
    // Each library once, although (a) is imported by the program and by (c).
    assert_eq!(ran_in(&first, "expand_library("), 3, "{first:?}");

    // Edit (a): (a), (c) (which imports it) and the program are expanded again; (b) is not.
    let a = db.load(&a_path).expect("(a) was read");
    a.set_text(&mut db).to(library_a(4, 100));
    assert_eq!(exit_status(&db, program), 402);
    let second = db.take_executed();
    assert_eq!(
        expanded_libraries(&db, &second, &names),
        ["a", "c"],
        "{second:?}"
    );
    assert_eq!(ran_in(&second, "expand_program("), 1, "{second:?}");
    // Its unit is not lowered again either.
    assert!(!compiled(&second).contains(&&compile_unit_entry(&db, program, "(b)")));

    // A second program importing (b) in the same database: (b) is not expanded again.
    let other = db.load(&other_path).expect("the other program is there");
    assert_eq!(exit_status(&db, other), 14);
    let third = db.take_executed();
    assert_eq!(ran_in(&third, "expand_library("), 0, "{third:?}");
    assert_eq!(ran_in(&third, "expand_program("), 1, "{third:?}");
    // Both programs share (b)'s unit: it is lowered once.
    assert_eq!(
        compile_unit_entry(&db, other, "(b)"),
        compile_unit_entry(&db, program, "(b)")
    );
}

#[test]
fn a_procedural_macro_is_run_by_an_importer_of_a_library_expanded_separately() {
    let dir = TempDir::new("procedural-import");
    dir.write(
        "m.sls",
        "(library (m) (export swap! twice) (import (rnrs))
           (define (helper x) (* 2 x))
           (define-syntax swap!
             (lambda (stx)
               (syntax-case stx ()
                 ((_ a b) #'(let ((tmp a)) (set! a b) (set! b tmp))))))
           (define-syntax twice
             (lambda (stx)
               (syntax-case stx ()
                 ((_ e) #'(helper e))))))",
    );
    dir.write(
        "n.sls",
        "(library (n) (export n-value) (import (rnrs) (m))
           (define (n-value) (let ((x 1) (y 20)) (swap! x y) (twice (- x y)))))",
    );
    let program_path = dir.write(
        "program.sps",
        "(import (rnrs) (m) (n)) (define tmp 3) (define other 5) (swap! tmp other)
         (exit (+ (n-value) (twice tmp) other))",
    );
    let db = Database::with_library_roots(vec![dir.0.clone()]);
    let program = db.load(&program_path).expect("the program is there");
    // (n-value) = 2 * (20 - 1) = 38; (twice 5) = 10; other = 3.
    assert_eq!(exit_status(&db, program), 38 + 10 + 3);
    let executed = db.take_executed();
    assert_eq!(ran_in(&executed, "expand_library("), 2, "{executed:?}");
}

#[test]
fn a_cyclic_import_is_reported_not_looped() {
    let dir = TempDir::new("cycle");
    dir.write("p.sls", "(library (p) (export) (import (rnrs) (q)))");
    dir.write("q.sls", "(library (q) (export) (import (rnrs) (p)))");
    let program_path = dir.write("program.sps", "(import (rnrs) (p)) (exit 0)");
    let db = Database::with_library_roots(vec![dir.0.clone()]);
    let program = db.load(&program_path).expect("the program is there");
    let message = image(&db, program)
        .as_ref()
        .err()
        .cloned()
        .unwrap_or_default();
    assert!(
        message.contains("cyclic import: (p) imports (q) imports (p)"),
        "{message}"
    );
}

#[test]
fn an_edit_that_makes_an_import_cycle_is_reported_and_can_be_undone() {
    let dir = TempDir::new("cycle-edit");
    dir.write(
        "p.sls",
        "(library (p) (export p-value) (import (rnrs) (q)) (define (p-value) (+ 1 (q-value))))",
    );
    let q_path = dir.write("q.sls", &library("q", 4));
    let program_path = dir.write("program.sps", "(import (rnrs) (p)) (exit (p-value))");
    let mut db = Database::with_library_roots(vec![dir.0.clone()]);
    let program = db.load(&program_path).expect("the program is there");
    assert_eq!(exit_status(&db, program), 5);

    // (q) now imports (p): salsa meets the cycle while re-validating (p)'s expansion.
    let q = db.load(&q_path).expect("(q) was read");
    q.set_text(&mut db)
        .to("(library (q) (export q-value) (import (rnrs) (p)) (define (q-value) 4))".into());
    let message = image(&db, program)
        .as_ref()
        .err()
        .cloned()
        .unwrap_or_default();
    assert!(message.contains("cyclic import"), "{message}");

    q.set_text(&mut db).to(library("q", 6));
    assert_eq!(exit_status(&db, program), 7);
}

#[test]
fn the_base_library_is_lowered_and_generated_once_for_every_program() {
    let db = Database::default();
    let first = Source::new(&db, "first.sps".into(), "(import (rnrs)) (exit 3)".into());
    let second = Source::new(&db, "second.sps".into(), "(import (rnrs)) (exit 4)".into());
    assert_eq!(exit_status(&db, first), 3);
    let executed = db.take_executed();
    assert_eq!(
        compiled(&executed).len(),
        3,
        "the base library, the program and the unit that ends it"
    );
    assert_eq!(
        generated(&executed).len(),
        3,
        "the base library, the program and the unit that ends it"
    );
    assert_eq!(exit_status(&db, second), 4);
    let executed = db.take_executed();
    let program = compile_unit_entry(&db, second, "program");
    assert_eq!(compiled(&executed), vec![&program], "{executed:?}");
    assert_eq!(generated(&executed), vec![program.clone()], "{executed:?}");
}
