//! `loko --compile` and `loko --program`: compile a program to an image, then write it as a
//! static executable or run it in this process.
//!
//! Compiling goes through the salsa database ([`loko::db`]): the program's file is a `Source`
//! input, its units (the base library, the libraries it imports, then the program) are
//! expanded, run through the pass pipeline one by one and linked for the code generator by the
//! database's queries. A `.sexp` file of CoreScheme IR text is one unit and skips the front end.

use loko::db::{Database, Db, image};
use std::process::ExitCode;
use std::sync::Arc;

/// Reads and compiles `file` (finding the libraries it imports through `LOKO_LIBRARY_PATH`);
/// the message is a diagnostic to print.
fn compile_file(file: &str) -> Result<Arc<backend::Image>, String> {
    let db = Database::from_env();
    let program = db.load(file)?;
    image(&db, program).clone()
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
