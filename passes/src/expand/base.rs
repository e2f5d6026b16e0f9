//! The built-in base library: the core forms, the auxiliary keywords, the primitives, the
//! derived forms written as `syntax-rules` macros in `stdlib/base.scm`, and the procedures
//! written in Scheme in `stdlib/base-procedures.scm`, `lists.scm`, `sequences.scm`,
//! `unicode.scm`, `bitwise.scm`, `fixnums.scm`, `records.scm`, `conditions.scm`,
//! `exceptions.scm`, `ports.scm`, `reader.scm`, `promises.scm` and `hashtables.scm` (the
//! macros of those topics are in their files too).
//! The standard libraries (`(rnrs base)`, `(scheme base)`, ...) each export the part of it
//! their standard lists ([`super::standard_libraries`]).
//!
//! The procedures' code is a unit of its own, [`UNIT_NAME`], the first of every expansion; its
//! top-level variables are globals named `$base::name`.

use super::Unit;
use super::binding::{Binding, BindingId, CoreForm};
use super::body::BodyKind;
use super::expander::Expander;
use super::library::Exports;
use super::syntax::{ScopeSet, from_datum};
use super::syntax_rules::{Native, Transformer};
use ir::datum::Datums;
use ir::lang::core_scheme::Tree;
use ir::primitive::PRIMITIVES;
use ir::source::{Diagnostic, SourceFile};
use ir::symbol::Symbol;
use std::rc::Rc;

/// The name of the base library's unit.
pub const UNIT_NAME: &str = "(loko base)";

/// The name of the unit that ends every Scheme program, after the program's own unit.
pub const PROGRAM_END_UNIT_NAME: &str = "(loko program-end)";

/// That unit, as IR text: it flushes the output ports (`stdlib/ports.scm`), so that what the
/// program wrote to stdout is not lost when it returns rather than calling `exit`. A unit of
/// its own, so that the program's expansion shows only the program.
pub const PROGRAM_END_UNIT: &str = "(program ((global $base::$flush-output-ports)))";

/// The base library's Scheme source, in order: the derived forms, then the procedures.
const STDLIB: &[(&str, &str)] = &[
    ("stdlib/base.scm", include_str!("../../../stdlib/base.scm")),
    (
        "stdlib/base-procedures.scm",
        include_str!("../../../stdlib/base-procedures.scm"),
    ),
    (
        "stdlib/lists.scm",
        include_str!("../../../stdlib/lists.scm"),
    ),
    (
        "stdlib/sequences.scm",
        include_str!("../../../stdlib/sequences.scm"),
    ),
    (
        "stdlib/unicode.scm",
        include_str!("../../../stdlib/unicode.scm"),
    ),
    (
        "stdlib/bitwise.scm",
        include_str!("../../../stdlib/bitwise.scm"),
    ),
    (
        "stdlib/fixnums.scm",
        include_str!("../../../stdlib/fixnums.scm"),
    ),
    (
        "stdlib/records.scm",
        include_str!("../../../stdlib/records.scm"),
    ),
    (
        "stdlib/conditions.scm",
        include_str!("../../../stdlib/conditions.scm"),
    ),
    (
        "stdlib/exceptions.scm",
        include_str!("../../../stdlib/exceptions.scm"),
    ),
    (
        "stdlib/ports.scm",
        include_str!("../../../stdlib/ports.scm"),
    ),
    (
        "stdlib/reader.scm",
        include_str!("../../../stdlib/reader.scm"),
    ),
    (
        "stdlib/promises.scm",
        include_str!("../../../stdlib/promises.scm"),
    ),
    (
        "stdlib/hashtables.scm",
        include_str!("../../../stdlib/hashtables.scm"),
    ),
    (
        "stdlib/syntax-case.scm",
        include_str!("../../../stdlib/syntax-case.scm"),
    ),
];

const CORE_FORMS: &[(&str, CoreForm)] = &[
    ("define", CoreForm::Define),
    ("define-syntax", CoreForm::DefineSyntax),
    ("lambda", CoreForm::Lambda),
    ("case-lambda", CoreForm::CaseLambda),
    ("if", CoreForm::If),
    ("set!", CoreForm::Set),
    ("quote", CoreForm::Quote),
    ("begin", CoreForm::Begin),
    ("let-syntax", CoreForm::LetSyntax),
    ("letrec-syntax", CoreForm::LetrecSyntax),
    ("letrec", CoreForm::Letrec),
    ("letrec*", CoreForm::LetrecStar),
    ("syntax-rules", CoreForm::SyntaxRules),
    ("identifier-syntax", CoreForm::IdentifierSyntax),
    ("syntax", CoreForm::Syntax),
    ("syntax-case", CoreForm::SyntaxCase),
    ("quasisyntax", CoreForm::Quasisyntax),
    ("unsyntax", CoreForm::Unsyntax),
    ("unsyntax-splicing", CoreForm::UnsyntaxSplicing),
    ("include", CoreForm::Include),
    ("include-ci", CoreForm::IncludeCi),
    ("cond-expand", CoreForm::CondExpand),
    ("syntax-error", CoreForm::SyntaxError),
];

/// Primitives the base library defines again in Scheme under the same name (`stdlib/ports.scm`:
/// output to any port); only IR text reaches the primitives, as `(primitive display)`.
const REDEFINED_PRIMITIVES: &[&str] = &["display", "write", "newline"];

const AUXILIARY: &[&str] = &["else", "=>", "unquote", "unquote-splicing"];

/// The macros written in Rust, for the base library's own macros (internal names).
const NATIVE_MACROS: &[(&str, Native)] = &[("$record-type-names", Native::RecordTypeNames)];

/// Binds everything in a fresh scope, pushes the unit of the procedures' code, and returns what
/// the base exports: every name so bound, except the helpers, whose names start with `$`.
pub fn install(ex: &mut Expander<'_>) -> Result<Rc<Exports>, Diagnostic> {
    let scope = ex.fresh_scope();
    let scopes = ScopeSet::of(scope);
    ex.base_scopes = scopes.clone();
    let mut names: Vec<(Symbol, BindingId)> = Vec::new();
    let mut bind = |ex: &mut Expander<'_>, name: &str, binding: BindingId| {
        let name = Symbol::intern(name);
        ex.bindings.bind(name, scopes.clone(), binding);
        names.push((name, binding));
    };
    for &(name, form) in CORE_FORMS {
        let binding = ex.bindings.add(Binding::Core(form));
        bind(ex, name, binding);
    }
    for &name in AUXILIARY {
        let binding = ex.bindings.add(Binding::Core(CoreForm::Auxiliary));
        bind(ex, name, binding);
    }
    let (ellipsis, underscore) = (ex.ellipsis, ex.underscore);
    bind(ex, "...", ellipsis);
    bind(ex, "_", underscore);
    for primitive in PRIMITIVES {
        if REDEFINED_PRIMITIVES.contains(&primitive.name) {
            continue;
        }
        let name = Symbol::intern(primitive.name);
        let binding = ex.bindings.add(Binding::Primitive(name));
        if primitive.name.starts_with('$') {
            // Internal primitives: visible to the base's own procedures, never exported.
            ex.bindings.bind(name, scopes.clone(), binding);
        } else {
            bind(ex, primitive.name, binding);
        }
    }
    for &(name, native) in NATIVE_MACROS {
        let binding = ex
            .bindings
            .add(Binding::Macro(Rc::new(Transformer::Native(native))));
        ex.bindings
            .bind(Symbol::intern(name), scopes.clone(), binding);
    }

    let mut datums = Datums::new();
    let mut syntax = Vec::new();
    for &(path, text) in STDLIB {
        let file = SourceFile::register(path, text);
        for form in ir::reader::read_file(file, &mut datums)? {
            syntax.push(from_datum(&datums, form, &scopes, false)?);
        }
    }
    let saved_unit = ex.unit;
    ex.unit = Symbol::intern(UNIT_NAME);
    let body = ex.expand_body(syntax, BodyKind::TopLevel { prefix: "$base" }, None)?;
    ex.unit = saved_unit;
    let root = ex.arena.program_program(body);
    ex.units.push(Unit {
        name: UNIT_NAME.to_owned(),
        tree: Tree {
            arena: std::mem::take(&mut ex.arena),
            root,
        },
    });
    for (name, binding) in ex.bindings.bound_with(&scopes) {
        if !name.as_str().starts_with('$') && !names.iter().any(|(n, _)| *n == name) {
            names.push((name, binding));
        }
    }
    // Imported variables are immutable, the base's included.
    ex.exported
        .extend(names.iter().map(|&(_, binding)| binding));
    Ok(Rc::new(Exports { names }))
}
