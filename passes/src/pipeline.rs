//! The pipeline: the ordered, named list of passes from the first language to the last.
//!
//! The list is written once, in `pipeline!`, which generates both [`run`] and [`passes`]. The
//! languages type-check the order: a pass can only follow one that produces its input language,
//! so a misordered list does not compile. After every stage the pipeline verifies the IR (when
//! asked; always in debug builds and tests) and shows it to an [`Observer`], which is how
//! `--dump-ir` prints stages and diffs.

use ir::nanopass::{Ir, Pass, VerifyError};
use std::fmt;

/// A stage of the pipeline, for `loko --passes`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PassInfo {
    pub name: &'static str,
    pub doc: &'static str,
    pub input: &'static str,
    pub output: &'static str,
}

impl PassInfo {
    fn of<P: Pass>() -> PassInfo {
        PassInfo {
            name: P::NAME,
            doc: P::DOC,
            input: <P::Input as Ir>::LANGUAGE,
            output: <P::Output as Ir>::LANGUAGE,
        }
    }
}

/// The name of the first stage: the program as read (datums, or for a `.sexp` file the IR
/// text of the pipeline's input language).
pub const READ: &str = "read";

/// The name of the stage after `read` for Scheme source: the expander's output.
pub const EXPAND: &str = crate::expand::NAME;

/// Sees the IR after each stage.
pub trait Observer {
    /// Called after stage `name` with a way to print its output.
    fn after(&mut self, name: &str, language: &str, print: &dyn Fn() -> String);
}

/// An observer that ignores everything.
pub struct Quiet;

impl Observer for Quiet {
    fn after(&mut self, _: &str, _: &str, _: &dyn Fn() -> String) {}
}

/// A pass produced IR that its output language does not allow: a compiler bug.
#[derive(Debug)]
pub struct PipelineError {
    pub stage: &'static str,
    pub errors: Vec<VerifyError>,
}

impl fmt::Display for PipelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.stage == READ {
            writeln!(f, "the program is not well-formed:")?;
        } else {
            writeln!(
                f,
                "internal error: the output of {} does not verify:",
                self.stage
            )?;
        }
        for error in &self.errors {
            writeln!(f, "  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PipelineError {}

/// How a run checks and reports its stages.
pub struct Run<'o> {
    pub verify: bool,
    pub observer: &'o mut dyn Observer,
}

impl<'o> Run<'o> {
    /// Verifies in debug builds (and so in tests) only.
    pub fn new(observer: &'o mut dyn Observer) -> Run<'o> {
        Run {
            verify: cfg!(debug_assertions),
            observer,
        }
    }

    fn stage<T: Ir>(&mut self, name: &'static str, tree: &T) -> Result<(), PipelineError> {
        // The input is the user's, so it is always checked; pass outputs in debug builds.
        if self.verify || name == READ {
            tree.verify().map_err(|errors| PipelineError {
                stage: name,
                errors,
            })?;
        }
        self.observer.after(name, T::LANGUAGE, &|| tree.print());
        Ok(())
    }

    fn pass<P: Pass>(&mut self, mut pass: P, input: P::Input) -> Result<P::Output, PipelineError> {
        let output = pass.run(input);
        self.stage(P::NAME, &output)?;
        Ok(output)
    }
}

/// Declares the pipeline: its input language, its passes in order, and its output language.
macro_rules! pipeline {
    (input: $input:ty; passes: $($pass:ty),* $(,)?; output: $output:ty;) => {
        /// The program as it enters the pipeline.
        pub type Input = $input;
        /// The program as it leaves the pipeline.
        pub type Output = $output;

        /// Runs every pass in order on `input`, IR text read from a `.sexp` file: its first
        /// stage is [`READ`].
        pub fn run(input: Input, run: &mut Run<'_>) -> Result<Output, PipelineError> {
            run_from(READ, input, run)
        }

        /// Runs every pass in order on `input`, one unit produced by the expander: its first
        /// stage is [`EXPAND`].
        pub fn run_expanded(input: Input, run: &mut Run<'_>) -> Result<Output, PipelineError> {
            run_from(EXPAND, input, run)
        }

        fn run_from(
            first: &'static str,
            input: Input,
            run: &mut Run<'_>,
        ) -> Result<Output, PipelineError> {
            run.stage(first, &input)?;
            $( let input = run.pass(<$pass>::default(), input)?; )*
            Ok(input)
        }

        /// The stages, in order: [`READ`], [`EXPAND`], then the passes.
        pub fn passes() -> Vec<PassInfo> {
            let read = PassInfo {
                name: READ,
                doc: "The program as read (for a .sexp file: IR text of the first language).",
                input: "text",
                output: "datums",
            };
            let expand = PassInfo {
                name: EXPAND,
                doc: crate::expand::DOC,
                input: "datums",
                output: <Input as Ir>::LANGUAGE,
            };
            vec![read, expand, $( PassInfo::of::<$pass>() ),*]
        }
    };
}

pipeline! {
    input: ir::lang::core_scheme::Tree;
    passes:
        crate::convert_letrec::ConvertLetrec,
        crate::remove_one_armed_if::RemoveOneArmedIf,
        crate::convert_assignments::ConvertAssignments,
        crate::convert_direct_calls::ConvertDirectCalls,
        crate::convert_closures::ConvertClosures,
        crate::make_tail_calls_explicit::MakeTailCallsExplicit;
    output: ir::lang::explicit_tails::Tree;
}
