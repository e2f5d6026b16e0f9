//! `--passes` and `--dump-ir`: showing the pipeline and the IR after its stages.
//!
//! Scheme source goes through `read` (the datums) and `expand` (one CoreScheme unit per library
//! and one for the program, in the canonical form the compiler uses), both queries of the
//! database ([`loko::db`]), then each unit through the tree passes and the backend's machine
//! level (`select`, `allocate`, `encode`: [`backend::machine::listing`]; each unit compiled on
//! its own, so its code is shown at offsets from the unit's start), labelled when there are
//! several. The base library's unit, the same in every program, is not
//! shown. A `.sexp` file is IR text of the pipeline's input language and
//! starts at `read`.

use crate::cli::Stages;
use backend::machine::listing::STAGES;
use ir::nanopass::{Ir, ParseError, diff::diff};
use ir::source::{Diagnostic, SourceFile, Span};
use loko::db::{Database, Source, expand_program, read};
use passes::pipeline::{self, Observer, READ, Run};

/// Every stage's name: the tree passes', then the machine level's.
fn stage_names() -> Vec<&'static str> {
    let tree = pipeline::passes().into_iter().map(|p| p.name);
    tree.chain(STAGES.iter().map(|s| s.name)).collect()
}

/// `loko --passes`: one line per stage.
pub fn list_passes() -> String {
    let mut out = String::new();
    for pass in pipeline::passes() {
        out.push_str(&format!(
            "{:<22} {} -> {}: {}\n",
            pass.name, pass.input, pass.output, pass.doc
        ));
    }
    for stage in STAGES {
        out.push_str(&format!(
            "{:<22} {} -> {}: {}\n",
            stage.name, stage.input, stage.output, stage.doc
        ));
    }
    out
}

/// Runs the machine-level stages on `tree` (the tree passes' output) when any is wanted,
/// showing each to `printer`.
fn machine_stages(
    printer: &mut Printer,
    tree: &pipeline::Output,
    path: &str,
) -> Result<(), String> {
    if !STAGES.iter().any(|s| printer.stages.includes(s.name)) {
        return Ok(());
    }
    let listing = backend::codegen::machine_listing(tree).map_err(|e| format!("{path}: {e}"))?;
    for (stage, text) in STAGES
        .iter()
        .zip([&listing.select, &listing.allocate, &listing.encode])
    {
        let text = text.trim_end().to_owned();
        printer.after(stage.name, stage.output, &|| text.clone());
    }
    Ok(())
}

/// Checks that every named stage exists.
pub fn check_stages(stages: &Stages) -> Result<(), String> {
    let Stages::Named(names) = stages else {
        return Ok(());
    };
    let known = stage_names();
    match names.iter().find(|name| !known.contains(&name.as_str())) {
        Some(unknown) => Err(format!(
            "unknown pass `{unknown}`; `loko --passes` lists them"
        )),
        None => Ok(()),
    }
}

/// Prints the selected stages (or their diffs against the stage before) as they complete.
struct Printer<'s> {
    stages: &'s Stages,
    diff: bool,
    previous: Option<String>,
    out: String,
}

impl Observer for Printer<'_> {
    fn after(&mut self, name: &str, language: &str, print: &dyn Fn() -> String) {
        let wanted = self.stages.includes(name);
        if !wanted && !self.diff {
            return;
        }
        let text = print();
        if wanted {
            match (&self.previous, self.diff) {
                (Some(before), true) => {
                    self.out.push_str(&format!(
                        ";; {name} ({language}), changes:\n{}\n",
                        diff(before, &text)
                    ));
                }
                _ => self
                    .out
                    .push_str(&format!(";; {name} ({language})\n{text}\n\n")),
            }
        }
        self.previous = Some(text);
    }
}

/// `loko --dump-ir=STAGES FILE`: the IR text, or the diagnostic that stopped it.
pub fn dump_ir(stages: &Stages, diff: bool, path: &str, text: &str) -> Result<String, String> {
    if path.ends_with(".sexp") {
        let input = pipeline::Input::parse(text)
            .map_err(|error| ir_diagnostic(path, text, &error).to_string())?;
        let mut printer = Printer {
            stages,
            diff,
            previous: None,
            out: String::new(),
        };
        let output = pipeline::run(input, &mut Run::new(&mut printer))
            .map_err(|error| format!("{path}: {error}"))?;
        machine_stages(&mut printer, &output, path)?;
        return Ok(printer.out);
    }
    let db = Database::from_env();
    let source = Source::new(&db, path.to_owned(), text.to_owned());
    let read = read(&db, source)
        .as_ref()
        .map_err(|diagnostic| diagnostic.to_string())?;
    let (datums, forms) = (&read.datums, &read.top_level);
    let only_read = matches!(stages, Stages::Named(names) if names.iter().all(|n| n == READ));
    let mut out = String::new();
    if stages.includes(READ) {
        // Alone, `read` prints just the datums, one per line, as `write` would; among other
        // stages it gets a header like theirs.
        if !only_read {
            out.push_str(";; read (datums)\n");
        }
        for &form in forms {
            out.push_str(&ir::writer::write(datums, form));
            out.push('\n');
        }
        if !only_read {
            out.push('\n');
        }
    }
    if only_read {
        return Ok(out);
    }
    let mut units = expand_program(&db, source).clone()?;
    units.retain(|unit| unit.name != passes::expand::base::UNIT_NAME);
    let several = units.len() > 1;
    for unit in units {
        let mut printer = Printer {
            stages,
            diff,
            previous: None,
            out: String::new(),
        };
        let output = pipeline::run_expanded((*unit.tree).clone(), &mut Run::new(&mut printer))
            .map_err(|error| format!("{path}: {error}"))?;
        machine_stages(&mut printer, &output, path)?;
        if several && !printer.out.is_empty() {
            out.push_str(&format!(";; unit {}\n", unit.name));
        }
        out.push_str(&printer.out);
    }
    Ok(out)
}

/// An IR parse error as a diagnostic with the file, line and column.
fn ir_diagnostic(path: &str, text: &str, error: &ParseError) -> Diagnostic {
    let file = SourceFile::register(path, text);
    let span = Span {
        file,
        start: error.pos.offset,
        end: error.pos.end,
        line: error.pos.line.max(1),
        column: error.pos.column.max(1),
    };
    Diagnostic::error(Some(span), error.message.clone())
}
