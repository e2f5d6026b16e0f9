//! The command line: turns `loko`'s arguments into a [`Command`]. The flags follow Loko's
//! (`--compile`, `--program`, `-std=r7rs`, `-f...`); see DESIGN.md's "Command line".

use std::fmt;

/// What `loko` was asked to do.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// `loko` with no file: the REPL.
    Repl,
    /// `--passes`: list the pipeline's stages.
    Passes,
    /// `--dump-ir=STAGES FILE` (and `--dump-ir-diff=STAGES FILE`).
    DumpIr {
        stages: Stages,
        diff: bool,
        file: String,
    },
    /// `--compile FILE [--output OUT]`.
    Compile {
        file: String,
        output: Option<String>,
    },
    /// `--program FILE ARGS...`.
    Program { file: String, args: Vec<String> },
}

/// Which stages `--dump-ir` prints.
#[derive(Debug, PartialEq, Eq)]
pub enum Stages {
    All,
    Named(Vec<String>),
}

impl Stages {
    pub fn includes(&self, name: &str) -> bool {
        match self {
            Stages::All => true,
            Stages::Named(names) => names.iter().any(|n| n == name),
        }
    }
}

/// Options that apply to every command.
#[derive(Debug, PartialEq, Eq, Default)]
pub struct Options {
    pub r7rs: bool,
    /// `-fNAME` and `-fNAME=VALUE` flags, checked by the parts that use them.
    pub flags: Vec<(String, Option<String>)>,
}

/// A command line that makes no sense.
#[derive(Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n{USAGE}", self.0)
    }
}

pub const USAGE: &str = "\
usage: loko [options] [--program] FILE [ARG ...]   compile FILE in memory and run it
       loko [options] --compile FILE [--output OUT]  write a static executable
       loko --passes                                 list the compiler's passes
       loko --dump-ir=PASS[,PASS...]|all FILE        print the IR after those passes
       loko --dump-ir-diff=PASS[,PASS...]|all FILE   print what those passes changed
       loko                                          start the REPL
options: -std=r6rs|r7rs  -fNAME[=VALUE]";

/// Parses the arguments after the program name.
pub fn parse(args: &[String]) -> Result<(Command, Options), UsageError> {
    let mut options = Options::default();
    let mut command = None;
    let mut output = None;
    let mut i = 0;
    let usage = |message: String| Err(UsageError(message));
    while i < args.len() {
        let arg = args[i].as_str();
        i += 1;
        let file_after = |i: &mut usize, flag: &str| match args.get(*i) {
            Some(file) => {
                *i += 1;
                Ok(file.clone())
            }
            None => Err(UsageError(format!("{flag} needs a file name"))),
        };
        match arg {
            "--passes" => command = Some(Command::Passes),
            "--compile" => {
                command = Some(Command::Compile {
                    file: file_after(&mut i, arg)?,
                    output: None,
                })
            }
            "--output" | "-o" => output = Some(file_after(&mut i, arg)?),
            "--program" => {
                let file = file_after(&mut i, arg)?;
                command = Some(Command::Program {
                    file,
                    args: args[i..].to_vec(),
                });
                break;
            }
            "-std=r7rs" => options.r7rs = true,
            "-std=r6rs" => options.r7rs = false,
            _ if arg.starts_with("--dump-ir=") || arg.starts_with("--dump-ir-diff=") => {
                let (flag, spec) = arg.split_once('=').unwrap_or((arg, ""));
                let stages = match spec {
                    "all" => Stages::All,
                    "" => return usage(format!("{flag} needs a pass name or `all`")),
                    names => Stages::Named(names.split(',').map(str::to_owned).collect()),
                };
                let file = file_after(&mut i, flag)?;
                command = Some(Command::DumpIr {
                    stages,
                    diff: flag == "--dump-ir-diff",
                    file,
                });
            }
            _ if arg.starts_with("-f") && arg.len() > 2 => {
                let flag = &arg[2..];
                let (name, value) = match flag.split_once('=') {
                    Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
                    None => (flag.to_owned(), None),
                };
                options.flags.push((name, value));
            }
            _ if arg.starts_with('-') => return usage(format!("unknown option {arg}")),
            // A bare file runs as a program, as `scheme-script FILE` does.
            _ => {
                command = Some(Command::Program {
                    file: arg.to_owned(),
                    args: args[i..].to_vec(),
                });
                break;
            }
        }
    }
    let command = match (command, output) {
        (Some(Command::Compile { file, .. }), output) => Command::Compile { file, output },
        (_, Some(_)) => return usage("--output only goes with --compile".into()),
        (Some(command), None) => command,
        (None, None) => Command::Repl,
    };
    Ok((command, options))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_line(line: &str) -> Result<(Command, Options), UsageError> {
        let args: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        parse(&args)
    }

    #[test]
    fn commands() {
        assert_eq!(parse_line("").unwrap().0, Command::Repl);
        assert_eq!(parse_line("--passes").unwrap().0, Command::Passes);
        assert_eq!(
            parse_line("--compile a.sps -o a.out").unwrap().0,
            Command::Compile {
                file: "a.sps".into(),
                output: Some("a.out".into())
            }
        );
        assert_eq!(
            parse_line("--program a.sps x --y").unwrap().0,
            Command::Program {
                file: "a.sps".into(),
                args: vec!["x".into(), "--y".into()]
            }
        );
        assert_eq!(
            parse_line("--dump-ir=read,convert_letrec f.sexp")
                .unwrap()
                .0,
            Command::DumpIr {
                stages: Stages::Named(vec!["read".into(), "convert_letrec".into()]),
                diff: false,
                file: "f.sexp".into()
            }
        );
        let (command, options) =
            parse_line("-std=r7rs -fcp0-size-limit=8 --dump-ir-diff=all f.sexp").unwrap();
        assert_eq!(
            command,
            Command::DumpIr {
                stages: Stages::All,
                diff: true,
                file: "f.sexp".into()
            }
        );
        assert!(options.r7rs);
        assert_eq!(
            options.flags,
            vec![("cp0-size-limit".to_owned(), Some("8".to_owned()))]
        );
    }

    #[test]
    fn usage_errors() {
        assert_eq!(
            parse_line("--compile").unwrap_err().0,
            "--compile needs a file name"
        );
        assert_eq!(
            parse_line("--bogus").unwrap_err().0,
            "unknown option --bogus"
        );
        assert_eq!(
            parse_line("--dump-ir= f").unwrap_err().0,
            "--dump-ir needs a pass name or `all`"
        );
        assert_eq!(
            parse_line("--output x").unwrap_err().0,
            "--output only goes with --compile"
        );
    }
}
