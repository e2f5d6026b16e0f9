//! The built-in base library: the core forms, the auxiliary keywords, the primitives, and the
//! derived forms written as `syntax-rules` macros in `stdlib/base.scm`. Every standard library
//! name (`(rnrs)`, `(scheme base)`, ...) currently exports all of it.

use super::binding::{Binding, BindingId, CoreForm};
use super::body::BodyKind;
use super::expander::Expander;
use super::library::Exports;
use super::syntax::{ScopeSet, from_datum};
use ir::datum::Datums;
use ir::primitive::PRIMITIVES;
use ir::source::{Diagnostic, SourceFile};
use ir::symbol::Symbol;
use std::rc::Rc;

/// The derived forms, in Scheme.
const STDLIB: &str = include_str!("../../../stdlib/base.scm");

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
    ("include", CoreForm::Include),
    ("include-ci", CoreForm::IncludeCi),
    ("cond-expand", CoreForm::CondExpand),
    ("syntax-error", CoreForm::SyntaxError),
];

const AUXILIARY: &[&str] = &["else", "=>", "unquote", "unquote-splicing"];

/// Binds everything in a fresh scope and returns what the base exports: every name so bound,
/// except the helpers of the derived forms, whose names start with `$`.
pub fn install(ex: &mut Expander<'_>) -> Result<Rc<Exports>, Diagnostic> {
    let scope = ex.fresh_scope();
    let scopes = ScopeSet::of(scope);
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
    for primitive in PRIMITIVES.iter().filter(|p| !p.name.starts_with('$')) {
        let name = Symbol::intern(primitive.name);
        let binding = ex.bindings.add(Binding::Primitive(name));
        bind(ex, primitive.name, binding);
    }

    let file = SourceFile::register("stdlib/base.scm", STDLIB);
    let mut datums = Datums::new();
    let forms = ir::reader::read_file(file, &mut datums)?;
    let mut syntax = Vec::with_capacity(forms.len());
    for form in forms {
        syntax.push(from_datum(&datums, form, &scopes, false)?);
    }
    ex.expand_body(syntax, BodyKind::TopLevel { prefix: "$base" }, None)?;
    // The stdlib defines only macros, so there is no code to keep.
    ex.arena = Default::default();
    for (name, binding) in ex.bindings.bound_with(&scopes) {
        if !name.as_str().starts_with('$') && !names.iter().any(|(n, _)| *n == name) {
            names.push((name, binding));
        }
    }
    Ok(Rc::new(Exports { names }))
}
