//! Macro transformers, and `syntax-rules` implemented natively: patterns and templates are
//! compiled once when the macro is defined, then matched and instantiated in Rust on each use.
//!
//! Hygiene comes from the scope of the macro use: every identifier a template introduces gets
//! that fresh scope, while the parts of the input copied by pattern variables keep theirs. (This
//! is the same as Flatt's add-to-input-then-flip, without touching the input.) Introduced nodes
//! take the span of the macro use, so diagnostics point at the user's code, not the template.

use super::binding::{BindingId, Bindings};
use super::syntax::{Ident, Scope, Syntax};
use ir::datum::Datum;
use ir::lang::core_scheme::Tree;
use ir::source::{Diagnostic, Span};
use std::rc::Rc;

/// A macro's transformer.
#[derive(Debug)]
pub enum Transformer {
    SyntaxRules(SyntaxRules),
    /// `(identifier-syntax template)` or its two-clause form with a `set!` clause.
    IdentifierSyntax {
        reference: Box<Compiled>,
        assign: Option<Box<Compiled>>,
    },
    /// A transformer computed by Scheme code (`syntax-case`, or any expression other than
    /// `syntax-rules`/`identifier-syntax`), evaluated at expand time. `expression` is that
    /// code (a CoreScheme program whose value is the transformer), so that every expansion
    /// that sees the macro (the defining library's, and each importer's, with worlds of their
    /// own) can evaluate it in its own [`super::phase::PhaseRunner`], once, on first use;
    /// `id` (unique in the process) names it in [`super::expander::Expander::procedures`].
    /// Without a runner `expression` is `None`, and a use is reported as unsupported.
    Procedure {
        id: u64,
        expression: Option<Rc<Tree>>,
    },
    /// A transformer written in Rust: what `syntax-rules` cannot express for the base
    /// library's own macros. Its output adds no identifiers of its own (only the input's, and
    /// names made from them with their scopes), so it needs no scope of the use.
    Native(Native),
}

/// The transformers written in Rust.
#[derive(Clone, Copy, Debug)]
pub enum Native {
    /// `define-record-type`'s parsing and default names ([`super::records`]).
    RecordTypeNames,
}

impl Native {
    /// The expansion of the use `form`.
    pub fn apply(self, form: &Syntax) -> Result<Syntax, Diagnostic> {
        match self {
            Native::RecordTypeNames => super::records::record_type_names(form),
        }
    }
}

/// A compiled `syntax-rules`.
#[derive(Debug)]
pub struct SyntaxRules {
    pub clauses: Vec<Compiled>,
}

/// One clause: its pattern, its template and the pattern variables' depths.
#[derive(Debug)]
pub struct Compiled {
    pattern: Pattern,
    template: Template,
    vars: Vec<(Ident, usize)>,
}

#[derive(Debug)]
enum Pattern {
    Any,
    Var(usize),
    Literal(Ident),
    Atom(Rc<Datum>),
    /// A list or vector: `before ...`, then optionally `repeat ...` and `after ...`, then the
    /// tail (lists only).
    Seq {
        before: Vec<Pattern>,
        repeat: Option<(Box<Pattern>, Vec<usize>, Vec<Pattern>)>,
        tail: Option<Box<Pattern>>,
        vector: bool,
    },
}

#[derive(Debug)]
enum Template {
    Var(usize),
    Id(Ident),
    Atom(Syntax),
    /// Elements, each followed by that many ellipses (with the pattern variables it repeats
    /// over), then the tail.
    Seq {
        items: Vec<(Template, usize, Vec<usize>)>,
        tail: Option<Box<Template>>,
        vector: bool,
    },
}

/// What a pattern variable matched.
#[derive(Clone, Debug)]
enum Bound {
    One(Syntax),
    Many(Vec<Bound>),
}

/// The identifiers `syntax-rules` treats specially, as bindings.
pub struct Keywords<'b> {
    pub bindings: &'b Bindings,
    /// A custom ellipsis (R7RS `(syntax-rules ellipsis (literal ...) ...)`).
    pub custom_ellipsis: Option<Ident>,
    pub ellipsis: BindingId,
    pub underscore: BindingId,
}

impl Keywords<'_> {
    fn is_ellipsis(&self, stx: &Syntax) -> bool {
        let Some(id) = stx.as_id() else { return false };
        match &self.custom_ellipsis {
            Some(custom) => id.same(custom) || self.bindings.free_eq(id, custom),
            None => self.bindings.lookup(id) == Some(self.ellipsis),
        }
    }

    fn is_underscore(&self, id: &Ident) -> bool {
        self.bindings.lookup(id) == Some(self.underscore)
    }
}

fn error(span: Option<Span>, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(span, message)
}

// ---------------------------------------------------------------------------------------------
// Compiling clauses.

/// Compiles one `(pattern template)` clause; the pattern's first element (the keyword) is
/// ignored. With `literals`, identifiers in the list match only the same binding.
pub fn compile_clause(
    keywords: &Keywords<'_>,
    literals: &[Ident],
    pattern: &Syntax,
    template: &Syntax,
    skip_keyword: bool,
) -> Result<Compiled, Diagnostic> {
    let mut vars = Vec::new();
    let pattern = match (pattern.forced(), skip_keyword) {
        (Syntax::List(items, tail, span), true) if !items.is_empty() => {
            let rest = Syntax::list(items[1..].to_vec(), tail.as_deref().cloned(), *span);
            compile_pattern(keywords, literals, &rest, 0, &mut vars)?
        }
        (_, true) => {
            return Err(error(
                pattern.span(),
                "a syntax-rules pattern must be a list starting with the keyword",
            ));
        }
        (_, false) => compile_pattern(keywords, literals, pattern, 0, &mut vars)?,
    };
    let template = compile_template(keywords, &vars, template, 0, true)?;
    Ok(Compiled {
        pattern,
        template,
        vars,
    })
}

fn compile_pattern(
    keywords: &Keywords<'_>,
    literals: &[Ident],
    stx: &Syntax,
    depth: usize,
    vars: &mut Vec<(Ident, usize)>,
) -> Result<Pattern, Diagnostic> {
    let stx = stx.forced();
    ir::nanopass::grow(|| match stx {
        Syntax::Id(id) => {
            if literals.iter().any(|l| l.same(id)) {
                Ok(Pattern::Literal(id.clone()))
            } else if keywords.is_ellipsis(stx) {
                Err(error(
                    id.span,
                    "misplaced ellipsis in a syntax-rules pattern",
                ))
            } else if keywords.is_underscore(id) {
                Ok(Pattern::Any)
            } else if vars.iter().any(|(v, _)| v.same(id)) {
                Err(error(
                    id.span,
                    format!("pattern variable `{}` appears twice", id.name.as_str()),
                ))
            } else {
                vars.push((id.clone(), depth));
                Ok(Pattern::Var(vars.len() - 1))
            }
        }
        Syntax::Atom(datum, _) => Ok(Pattern::Atom(Rc::clone(datum))),
        Syntax::List(items, _, _) | Syntax::Vector(items, _) => {
            let vector = matches!(stx, Syntax::Vector(..));
            let mut before = Vec::new();
            let mut repeat = None;
            let mut after = Vec::new();
            let mut i = 0;
            while i < items.len() {
                let item = &items[i];
                if keywords.is_ellipsis(item) {
                    return Err(error(
                        item.span(),
                        "misplaced ellipsis in a syntax-rules pattern",
                    ));
                }
                let followed = items.get(i + 1).is_some_and(|n| keywords.is_ellipsis(n));
                if followed {
                    if repeat.is_some() {
                        return Err(error(
                            items[i + 1].span(),
                            "a syntax-rules pattern may have only one ellipsis per list",
                        ));
                    }
                    let first = vars.len();
                    let sub = compile_pattern(keywords, literals, item, depth + 1, vars)?;
                    let slots = (first..vars.len()).collect();
                    repeat = Some((Box::new(sub), slots));
                    i += 2;
                    continue;
                }
                let p = compile_pattern(keywords, literals, item, depth, vars)?;
                if repeat.is_some() {
                    after.push(p);
                } else {
                    before.push(p);
                }
                i += 1;
            }
            let tail = match stx {
                Syntax::List(_, Some(tail), _) => Some(Box::new(compile_pattern(
                    keywords, literals, tail, depth, vars,
                )?)),
                _ => None,
            };
            Ok(Pattern::Seq {
                before,
                repeat: repeat.map(|(sub, slots)| (sub, slots, after)),
                tail,
                vector,
            })
        }
        Syntax::Pending(_) => unreachable!("forced syntax is never pending"),
    })
}

fn compile_template(
    keywords: &Keywords<'_>,
    vars: &[(Ident, usize)],
    stx: &Syntax,
    ellipses: usize,
    ellipsis_active: bool,
) -> Result<Template, Diagnostic> {
    let stx = stx.forced();
    ir::nanopass::grow(|| match stx {
        Syntax::Id(id) => {
            if let Some(slot) = vars.iter().position(|(v, _)| v.same(id)) {
                if vars[slot].1 > ellipses {
                    return Err(error(
                        id.span,
                        format!(
                            "pattern variable `{}` is used with too few ellipses",
                            id.name.as_str()
                        ),
                    ));
                }
                Ok(Template::Var(slot))
            } else if ellipsis_active && keywords.is_ellipsis(stx) {
                Err(error(
                    id.span,
                    "misplaced ellipsis in a syntax-rules template",
                ))
            } else {
                Ok(Template::Id(id.clone()))
            }
        }
        Syntax::Atom(..) => Ok(Template::Atom(stx.clone())),
        Syntax::List(items, _, _) | Syntax::Vector(items, _) => {
            let vector = matches!(stx, Syntax::Vector(..));
            let tail = match stx {
                Syntax::List(_, tail, _) => tail.as_deref(),
                _ => None,
            };
            // `(... template)` escapes the ellipsis inside `template`.
            if !vector
                && ellipsis_active
                && items.len() == 2
                && tail.is_none()
                && keywords.is_ellipsis(&items[0])
            {
                return compile_template(keywords, vars, &items[1], ellipses, false);
            }
            let mut out = Vec::new();
            let mut i = 0;
            while i < items.len() {
                let item = &items[i];
                if ellipsis_active && keywords.is_ellipsis(item) {
                    return Err(error(
                        item.span(),
                        "misplaced ellipsis in a syntax-rules template",
                    ));
                }
                let mut count = 0;
                while ellipsis_active
                    && items
                        .get(i + 1 + count)
                        .is_some_and(|n| keywords.is_ellipsis(n))
                {
                    count += 1;
                }
                let sub =
                    compile_template(keywords, vars, item, ellipses + count, ellipsis_active)?;
                let mut slots = Vec::new();
                if count > 0 {
                    collect_vars(&sub, &mut slots);
                    slots.retain(|&s| vars[s].1 > ellipses);
                    if slots.is_empty() {
                        return Err(error(
                            item.span(),
                            "no pattern variable in this template can be repeated by its ellipsis",
                        ));
                    }
                }
                out.push((sub, count, slots));
                i += 1 + count;
            }
            let tail = match tail {
                Some(tail) => Some(Box::new(compile_template(
                    keywords,
                    vars,
                    tail,
                    ellipses,
                    ellipsis_active,
                )?)),
                None => None,
            };
            Ok(Template::Seq {
                items: out,
                tail,
                vector,
            })
        }
        Syntax::Pending(_) => unreachable!("forced syntax is never pending"),
    })
}

fn collect_vars(template: &Template, slots: &mut Vec<usize>) {
    match template {
        Template::Var(slot) => {
            if !slots.contains(slot) {
                slots.push(*slot)
            }
        }
        Template::Id(_) | Template::Atom(_) => {}
        Template::Seq { items, tail, .. } => {
            for (item, _, _) in items {
                collect_vars(item, slots);
            }
            if let Some(tail) = tail {
                collect_vars(tail, slots);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Using a transformer.

impl Compiled {
    /// Matches `input` against the pattern and, if it matches, instantiates the template with
    /// introduced identifiers getting `scope` and introduced nodes the span `span`.
    pub fn apply(
        &self,
        bindings: &Bindings,
        input: &Syntax,
        scope: Scope,
        span: Option<Span>,
    ) -> Option<Result<Syntax, Diagnostic>> {
        let mut bound = vec![None; self.vars.len()];
        let input = match input.forced() {
            // The keyword position is skipped when the pattern was compiled.
            Syntax::List(items, tail, s) if !items.is_empty() => {
                Syntax::list(items[1..].to_vec(), tail.as_deref().cloned(), *s)
            }
            other => other.clone(),
        };
        if !matches(bindings, &self.pattern, &input, &mut bound) {
            return None;
        }
        Some(instantiate(&self.template, &mut bound, scope, span))
    }

    /// Like [`Compiled::apply`], but matches the whole form, keyword included.
    pub fn apply_whole(
        &self,
        bindings: &Bindings,
        input: &Syntax,
        scope: Scope,
        span: Option<Span>,
    ) -> Option<Result<Syntax, Diagnostic>> {
        let mut bound = vec![None; self.vars.len()];
        if !matches(bindings, &self.pattern, input, &mut bound) {
            return None;
        }
        Some(instantiate(&self.template, &mut bound, scope, span))
    }
}

fn matches(
    bindings: &Bindings,
    pattern: &Pattern,
    input: &Syntax,
    out: &mut [Option<Bound>],
) -> bool {
    ir::nanopass::grow(|| match pattern {
        Pattern::Any => true,
        Pattern::Var(slot) => {
            out[*slot] = Some(Bound::One(input.clone()));
            true
        }
        Pattern::Literal(literal) => input
            .as_id()
            .is_some_and(|id| bindings.free_eq(id, literal)),
        Pattern::Atom(datum) => matches!(input.forced(), Syntax::Atom(d, _) if **d == **datum),
        Pattern::Seq {
            before,
            repeat,
            tail,
            vector,
        } => {
            let (items, itail): (&[Syntax], Option<&Syntax>) = match (input.forced(), vector) {
                (Syntax::List(items, itail, _), false) => (items, itail.as_deref()),
                (Syntax::Vector(items, _), true) => (items, None),
                _ => return false,
            };
            let after_len = repeat.as_ref().map_or(0, |(_, _, after)| after.len());
            let fixed = before.len() + after_len;
            if items.len() < fixed {
                return false;
            }
            for (p, item) in before.iter().zip(items) {
                if !matches(bindings, p, item, out) {
                    return false;
                }
            }
            // How many items the repetition takes (all but the fixed ones), and where the
            // rest of the input (matched by the tail pattern) starts.
            let rest_start = match repeat {
                Some((sub, slots, after)) => {
                    let n = items.len() - fixed;
                    let mut collected: Vec<Vec<Bound>> = vec![Vec::new(); slots.len()];
                    for item in &items[before.len()..before.len() + n] {
                        let mut inner = vec![None; out.len()];
                        if !matches(bindings, sub, item, &mut inner) {
                            return false;
                        }
                        for (k, &slot) in slots.iter().enumerate() {
                            collected[k]
                                .push(inner[slot].take().unwrap_or(Bound::Many(Vec::new())));
                        }
                    }
                    for (k, &slot) in slots.iter().enumerate() {
                        out[slot] = Some(Bound::Many(std::mem::take(&mut collected[k])));
                    }
                    let start = before.len() + n;
                    for (p, item) in after.iter().zip(&items[start..]) {
                        if !matches(bindings, p, item, out) {
                            return false;
                        }
                    }
                    start + after.len()
                }
                None => before.len(),
            };
            match tail {
                None => rest_start == items.len() && itail.is_none(),
                Some(tail) => {
                    let rest = Syntax::list(
                        items[rest_start..].to_vec(),
                        itail.cloned(),
                        items.get(rest_start).and_then(Syntax::span),
                    );
                    matches(bindings, tail, &rest, out)
                }
            }
        }
    })
}

fn instantiate(
    template: &Template,
    bound: &mut [Option<Bound>],
    scope: Scope,
    span: Option<Span>,
) -> Result<Syntax, Diagnostic> {
    ir::nanopass::grow(|| match template {
        Template::Var(slot) => match &bound[*slot] {
            Some(Bound::One(stx)) => Ok(stx.clone()),
            _ => Err(error(
                span,
                "internal error: pattern variable at the wrong depth",
            )),
        },
        Template::Id(id) => Ok(Syntax::Id(Ident {
            name: id.name,
            scopes: id.scopes.add(scope),
            span,
        })),
        Template::Atom(Syntax::Atom(datum, _)) => Ok(Syntax::Atom(Rc::clone(datum), span)),
        Template::Atom(other) => Ok(other.clone()),
        Template::Seq {
            items,
            tail,
            vector,
        } => {
            let mut out = Vec::new();
            for (item, count, slots) in items {
                if *count == 0 {
                    out.push(instantiate(item, bound, scope, span)?);
                } else {
                    repeat(item, *count, slots, bound, scope, span, &mut out)?;
                }
            }
            if *vector {
                return Ok(Syntax::Vector(out.into(), span));
            }
            let tail = match tail {
                Some(tail) => Some(instantiate(tail, bound, scope, span)?),
                None => None,
            };
            Ok(Syntax::list(out, tail, span))
        }
    })
}

/// Instantiates `item` once per element of the sequences bound to `slots`, `count` levels deep.
fn repeat(
    item: &Template,
    count: usize,
    slots: &[usize],
    bound: &mut [Option<Bound>],
    scope: Scope,
    span: Option<Span>,
    out: &mut Vec<Syntax>,
) -> Result<(), Diagnostic> {
    // Only the variables still bound to sequences at this level iterate; the others (bound
    // to sequences of lower depth, already unpacked) stay fixed.
    let iterating: Vec<usize> = slots
        .iter()
        .copied()
        .filter(|&s| matches!(bound[s], Some(Bound::Many(_))))
        .collect();
    if iterating.is_empty() {
        return Err(error(span, "too many ellipses in a syntax-rules template"));
    }
    let mut length = None;
    for &s in &iterating {
        if let Some(Bound::Many(seq)) = &bound[s] {
            match length {
                None => length = Some(seq.len()),
                Some(n) if n != seq.len() => {
                    return Err(error(
                        span,
                        "pattern variables repeated by one ellipsis matched sequences of different lengths",
                    ));
                }
                Some(_) => {}
            }
        }
    }
    let saved: Vec<Option<Bound>> = iterating.iter().map(|&s| bound[s].clone()).collect();
    for i in 0..length.unwrap_or(0) {
        for (k, &s) in iterating.iter().enumerate() {
            if let Some(Bound::Many(seq)) = &saved[k] {
                bound[s] = Some(seq[i].clone());
            }
        }
        if count > 1 {
            repeat(item, count - 1, slots, bound, scope, span, out)?;
        } else {
            out.push(instantiate(item, bound, scope, span)?);
        }
    }
    for (k, &s) in iterating.iter().enumerate() {
        bound[s] = saved[k].clone();
    }
    Ok(())
}
