//! `loko`: the command-line driver. Parses the command line and runs the compiler.
//!
//! Exit statuses: 0 on success, 1 when the input has errors (diagnostics on stderr), 2 for a
//! command-line mistake, 70 for a feature that is not written yet.

mod cli;
mod dump;
mod run;

use cli::Command;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, _options) = match cli::parse(&args) {
        Ok(parsed) => parsed,
        Err(error) => {
            eprintln!("loko: {error}");
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Passes => {
            print!("{}", dump::list_passes());
            ExitCode::SUCCESS
        }
        Command::DumpIr { stages, diff, file } => {
            if let Err(message) = dump::check_stages(&stages) {
                eprintln!("loko: {message}");
                return ExitCode::from(2);
            }
            let text = match std::fs::read(&file) {
                Ok(bytes) => bytes,
                Err(error) => {
                    eprintln!("loko: cannot read {file}: {error}");
                    return ExitCode::from(1);
                }
            };
            let Ok(text) = String::from_utf8(text) else {
                eprintln!("loko: {file} is not UTF-8 text");
                return ExitCode::from(1);
            };
            match dump::dump_ir(&stages, diff, &file, &text) {
                Ok(out) => {
                    print!("{out}");
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprint!("{message}");
                    if !message.ends_with('\n') {
                        eprintln!();
                    }
                    ExitCode::from(1)
                }
            }
        }
        Command::Compile { file, output } => run::compile_command(&file, output.as_deref()),
        Command::Program { file, args } => run::program_command(&file, &args),
        Command::Repl => {
            eprintln!("loko: the REPL is not implemented yet");
            ExitCode::from(70)
        }
    }
}
