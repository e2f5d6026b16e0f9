//! `loko --compile` and `loko --program`: compile a program to an image, then write it as a
//! static executable or run it in this process.
//!
//! Scheme source is read and expanded into units (the base library, the libraries the program
//! imports, then the program); each unit runs through the pass pipeline on its own
//! ([`lower_unit`]) and the results are linked ([`passes::merge_units::link_units`]) for the
//! code generator. A `.sexp` file of CoreScheme IR text is one unit and skips the front end.

use ir::lang::core_scheme;
use ir::nanopass::Ir;
use passes::pipeline::{self, Quiet, Run};
use std::process::ExitCode;

/// Runs the pass pipeline on one unit; the message says why it failed.
pub fn lower_unit(tree: core_scheme::Tree) -> Result<pipeline::Output, String> {
    pipeline::run(tree, &mut Run::new(&mut Quiet)).map_err(|e| e.to_string())
}

/// Links lowered units and generates code for the whole.
pub fn link_and_generate(units: &[pipeline::Output]) -> Result<backend::Image, String> {
    let linked = passes::merge_units::link_units(units);
    backend::codegen::compile(&linked).map_err(|e| format!("error: {e}"))
}

/// Reads and compiles `file`; the message is a diagnostic to print. A `.sexp` file is IR text
/// of CoreScheme; anything else is Scheme source, which is read and expanded (with the
/// libraries it imports, found through `LOKO_LIBRARY_PATH`) into units.
fn compile_file(file: &str) -> Result<backend::Image, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{file} is not UTF-8 text"))?;
    let units = if file.ends_with(".sexp") {
        vec![core_scheme::Tree::parse(&text).map_err(|e| {
            format!(
                "{file}:{}:{}: error: {}",
                e.pos.line.max(1),
                e.pos.column.max(1),
                e.message
            )
        })?]
    } else {
        expand_program(file, &text)?
    };
    let lowered = units
        .into_iter()
        .map(lower_unit)
        .collect::<Result<Vec<_>, String>>()
        .map_err(|message| format!("{file}: {message}"))?;
    link_and_generate(&lowered).map_err(|message| format!("{file}: {message}"))
}

/// Scheme source to its units: read, expand.
fn expand_program(file: &str, text: &str) -> Result<Vec<core_scheme::Tree>, String> {
    let source = ir::source::SourceFile::register(file, text);
    let mut datums = ir::datum::Datums::new();
    let forms = ir::reader::read_file(source, &mut datums).map_err(|d| d.to_string())?;
    let mut loader = passes::expand::FileSystem::from_env();
    let mut world = loko::expand_time::World::new();
    let units = passes::expand::expand_with(file, &datums, &forms, &mut loader, Some(&mut world))
        .map_err(|d| d.to_string())?;
    Ok(units.into_iter().map(|unit| unit.tree).collect())
}

fn report(message: &str) -> ExitCode {
    eprint!("loko: {message}");
    if !message.ends_with('\n') {
        eprintln!();
    }
    ExitCode::from(1)
}

/// `loko --compile FILE [--output OUT]`.
pub fn compile_command(file: &str, output: Option<&str>) -> ExitCode {
    let image = match compile_file(file) {
        Ok(image) => image,
        Err(message) => return report(&message),
    };
    let executable = match backend::link_executable(backend::STUB, &image) {
        Ok(bytes) => bytes,
        Err(error) => return report(&format!("internal error: {error}")),
    };
    let output = match output {
        Some(out) => out.to_owned(),
        None => default_output(file),
    };
    if let Err(error) = write_executable(&output, &executable) {
        return report(&format!("cannot write {output}: {error}"));
    }
    ExitCode::SUCCESS
}

/// `loko --program FILE ARGS...`: the exit status is the program's.
pub fn program_command(file: &str, args: &[String]) -> ExitCode {
    let image = match compile_file(file) {
        Ok(image) => image,
        Err(message) => return report(&message),
    };
    let mut command_line = vec![file.to_owned()];
    command_line.extend_from_slice(args);
    backend::args::set_program_args(&command_line);
    match backend::run_image(&image) {
        Ok(backend::Outcome::Exited(status)) => ExitCode::from(status as u8),
        Ok(backend::Outcome::Returned(status)) => ExitCode::from(status as u8),
        Err(error) => report(&format!("cannot run {file}: {error}")),
    }
}

/// FILE without its extension (`prog.sps` -> `prog`); `FILE.out` if it has none.
fn default_output(file: &str) -> String {
    let path = std::path::Path::new(file);
    match path.extension() {
        Some(_) => path.with_extension("").to_string_lossy().into_owned(),
        None => format!("{file}.out"),
    }
}

fn write_executable(path: &str, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, bytes)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
}

#[cfg(test)]
mod tests {
    use super::default_output;

    #[test]
    fn output_name_drops_the_extension() {
        assert_eq!(default_output("dir/prog.sps"), "dir/prog");
        assert_eq!(default_output("prog"), "prog.out");
    }
}
