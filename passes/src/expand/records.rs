//! The part of `define-record-type` that `syntax-rules` cannot do: telling the R6RS form from
//! the R7RS one, parsing R6RS's clauses in any order, and making R6RS's default names
//! (`make-point`, `point?`, `point-x`, `point-x-set!`) as identifiers with the record name's
//! scopes, as `datum->syntax` would. `stdlib/records.scm` defines
//!
//! ```scheme
//! (define-syntax define-record-type
//!   (syntax-rules () ((_ . form) ($record-type-names $define-record-type . form))))
//! ```
//!
//! and this native transformer of `$record-type-names` rewrites the form into one fixed shape
//! for the `syntax-rules` macro `$define-record-type`, whose identifier it is given:
//!
//! ```text
//! ($define-record-type name "name" constructor predicate (field ...)
//!                      parent protocol sealed opaque uid constructor-fields)
//! ```
//!
//! * a field is `(name accessor)` or `(name accessor modifier)`;
//! * `constructor` is an identifier or `#f` (R7RS); `constructor-fields` is `#f` (all fields, or
//!   the protocol decides) or R7RS's list of field names the constructor takes;
//! * `parent` is `#f`, `(parent-name)` or `(parent-rtd parent-rcd)`; `uid` is `#f` or `(uid)`;
//!   `protocol`, `sealed`, `opaque` are expressions (`#f` when absent).
//!
//! R6RS `(nongenerative)` without a uid is treated as generative (observable only when one
//! definition is evaluated more than once).

use super::syntax::{Ident, Syntax};
use ir::datum::Datum;
use ir::source::{Diagnostic, Span};
use ir::symbol::Symbol;
use std::rc::Rc;

/// `($record-type-names head . define-record-type-arguments)` to `(head ...)` in the shape
/// above.
pub fn record_type_names(form: &Syntax) -> Result<Syntax, Diagnostic> {
    let span = form.span();
    let items = form
        .as_list()
        .ok_or_else(|| malformed(span, "define-record-type must be a proper list"))?;
    let [_, head, args @ ..] = items else {
        return Err(malformed(span, "expected (define-record-type name ...)"));
    };
    let parsed = match args {
        [_, _, Syntax::Id(_), ..] => r7rs(args, span)?,
        [_, ..] => r6rs(args, span)?,
        [] => return Err(malformed(span, "expected (define-record-type name ...)")),
    };
    Ok(parsed.into_syntax(head.clone(), span))
}

/// A record type definition, normalized.
struct RecordType {
    name: Ident,
    constructor: Option<Ident>,
    predicate: Ident,
    fields: Vec<Field>,
    parent: Option<Syntax>,
    protocol: Option<Syntax>,
    sealed: Option<Syntax>,
    opaque: Option<Syntax>,
    uid: Option<Ident>,
    constructor_fields: Option<Vec<Syntax>>,
}

struct Field {
    name: Ident,
    accessor: Ident,
    modifier: Option<Ident>,
}

impl RecordType {
    fn into_syntax(self, head: Syntax, span: Option<Span>) -> Syntax {
        let f = || false_atom(span);
        let or_false = |s: Option<Syntax>| s.unwrap_or_else(f);
        let name_text = self.name.name.as_str();
        let bare = name_text
            .strip_prefix('<')
            .and_then(|n| n.strip_suffix('>'))
            .filter(|n| !n.is_empty())
            .unwrap_or(name_text);
        let fields = self
            .fields
            .into_iter()
            .map(|field| {
                let mut parts = vec![Syntax::Id(field.name), Syntax::Id(field.accessor)];
                parts.extend(field.modifier.map(Syntax::Id));
                Syntax::list(parts, None, span)
            })
            .collect();
        Syntax::list(
            vec![
                head,
                Syntax::Id(self.name.clone()),
                Syntax::Atom(Rc::new(Datum::String(bare.to_owned())), span),
                or_false(self.constructor.map(Syntax::Id)),
                Syntax::Id(self.predicate),
                Syntax::list(fields, None, span),
                or_false(self.parent),
                or_false(self.protocol),
                or_false(self.sealed),
                or_false(self.opaque),
                or_false(
                    self.uid
                        .map(|uid| Syntax::list(vec![Syntax::Id(uid)], None, span)),
                ),
                or_false(
                    self.constructor_fields
                        .map(|names| Syntax::list(names, None, span)),
                ),
            ],
            None,
            span,
        )
    }
}

/// `(define-record-type <name> (ctor field ...) pred (field accessor [modifier]) ...)`; the
/// constructor may also be `#f` (none) or a bare identifier (taking every field).
fn r7rs(args: &[Syntax], span: Option<Span>) -> Result<RecordType, Diagnostic> {
    let [name, constructor, Syntax::Id(predicate), field_specs @ ..] = args else {
        return Err(malformed(
            span,
            "expected (define-record-type name constructor predicate field ...)",
        ));
    };
    let name = identifier(name, "the record type's name")?;
    let mut fields = Vec::new();
    for spec in field_specs {
        let parts = spec.as_list().unwrap_or(&[]);
        let ids = parts
            .iter()
            .map(|p| identifier(p, "a field name, accessor or modifier"))
            .collect::<Result<Vec<_>, _>>()?;
        match ids.as_slice() {
            [field, accessor] | [field, accessor, _] => fields.push(Field {
                name: field.clone(),
                accessor: accessor.clone(),
                modifier: ids.get(2).cloned(),
            }),
            _ => {
                return Err(malformed(
                    spec.span().or(span),
                    "expected a field (name accessor) or (name accessor modifier)",
                ));
            }
        }
    }
    let (constructor, constructor_fields) = match constructor.forced() {
        Syntax::Atom(datum, _) if **datum == Datum::Bool(false) => (None, None),
        Syntax::Id(id) => (Some(id.clone()), None),
        Syntax::List(..) => {
            let parts = constructor.as_list().unwrap_or(&[]);
            let Some((ctor, names)) = parts.split_first() else {
                return Err(malformed(
                    constructor.span().or(span),
                    "expected (constructor field ...)",
                ));
            };
            let ctor = identifier(ctor, "the constructor's name")?;
            for field in names {
                let id = identifier(field, "a field name")?;
                if !fields.iter().any(|f| f.name.name == id.name) {
                    return Err(malformed(
                        id.span.or(span),
                        format!("`{}` is not a field of the record type", id.name.as_str()),
                    ));
                }
            }
            (Some(ctor), Some(names.to_vec()))
        }
        other => {
            return Err(malformed(
                other.span().or(span),
                "expected (constructor field ...) or #f",
            ));
        }
    };
    Ok(RecordType {
        name,
        constructor,
        predicate: predicate.clone(),
        fields,
        parent: None,
        protocol: None,
        sealed: None,
        opaque: None,
        uid: None,
        constructor_fields,
    })
}

/// `(define-record-type name-spec clause ...)`, name-spec being `name` or `(name ctor pred)`.
fn r6rs(args: &[Syntax], span: Option<Span>) -> Result<RecordType, Diagnostic> {
    let Some((name_spec, clauses)) = args.split_first() else {
        return Err(malformed(
            span,
            "expected (define-record-type name clause ...)",
        ));
    };
    let (name, constructor, predicate) = match name_spec {
        Syntax::Id(name) => (
            name.clone(),
            derived(name, "make-", name, ""),
            derived(name, "", name, "?"),
        ),
        _ => match name_spec.as_list() {
            Some([name, ctor, pred]) => (
                identifier(name, "the record type's name")?,
                identifier(ctor, "the constructor's name")?,
                identifier(pred, "the predicate's name")?,
            ),
            _ => {
                return Err(malformed(
                    name_spec.span().or(span),
                    "expected a record name or (name constructor predicate)",
                ));
            }
        },
    };
    let mut record = RecordType {
        name: name.clone(),
        constructor: Some(constructor),
        predicate,
        fields: Vec::new(),
        parent: None,
        protocol: None,
        sealed: None,
        opaque: None,
        uid: None,
        constructor_fields: None,
    };
    let mut seen: Vec<Symbol> = Vec::new();
    for clause in clauses {
        let clause_span = clause.span().or(span);
        let Some((Syntax::Id(keyword), rest)) = clause.as_list().and_then(|l| l.split_first())
        else {
            return Err(malformed(
                clause_span,
                "expected a record clause such as (fields ...)",
            ));
        };
        if seen.contains(&keyword.name) {
            return Err(malformed(
                clause_span,
                format!("more than one `{}` clause", keyword.name.as_str()),
            ));
        }
        seen.push(keyword.name);
        let one = |what: &str| match rest {
            [value] => Ok(value.clone()),
            _ => Err(malformed(
                clause_span,
                format!("expected ({} {what})", keyword.name.as_str()),
            )),
        };
        match keyword.name.as_str() {
            "fields" => {
                for spec in rest {
                    record.fields.push(r6rs_field(&name, spec, span)?);
                }
            }
            "parent" => {
                let parent = one("parent-name")?;
                record.parent = Some(Syntax::list(vec![parent], None, clause_span));
            }
            "parent-rtd" => match rest {
                [rtd, rcd] => {
                    record.parent = Some(Syntax::list(
                        vec![rtd.clone(), rcd.clone()],
                        None,
                        clause_span,
                    ));
                }
                _ => return Err(malformed(clause_span, "expected (parent-rtd rtd rcd)")),
            },
            "protocol" => record.protocol = Some(one("expression")?),
            "sealed" => record.sealed = Some(one("#t or #f")?),
            "opaque" => record.opaque = Some(one("#t or #f")?),
            "nongenerative" => match rest {
                [] => {}
                [uid] => record.uid = Some(identifier(uid, "a uid")?),
                _ => return Err(malformed(clause_span, "expected (nongenerative [uid])")),
            },
            other => {
                return Err(malformed(
                    clause_span,
                    format!("unknown define-record-type clause `{other}`"),
                ));
            }
        }
    }
    let has = |keyword: &str| seen.iter().any(|k| k.as_str() == keyword);
    if has("parent") && has("parent-rtd") {
        return Err(malformed(span, "both a parent and a parent-rtd clause"));
    }
    Ok(record)
}

/// A field spec of the R6RS `fields` clause: `x`, `(immutable x [accessor])` or
/// `(mutable x [accessor modifier])`.
fn r6rs_field(record: &Ident, spec: &Syntax, span: Option<Span>) -> Result<Field, Diagnostic> {
    let accessor =
        |field: &Ident| derived(record, "", record, &format!("-{}", field.name.as_str()));
    let modifier = |field: &Ident| {
        derived(
            record,
            "",
            record,
            &format!("-{}-set!", field.name.as_str()),
        )
    };
    if let Syntax::Id(field) = spec {
        return Ok(Field {
            name: field.clone(),
            accessor: accessor(field),
            modifier: None,
        });
    }
    let bad = || {
        malformed(
            spec.span().or(span),
            "expected a field: name, (immutable name [accessor]) or (mutable name [accessor modifier])",
        )
    };
    let parts = spec.as_list().ok_or_else(bad)?;
    let ids = parts
        .iter()
        .map(|p| p.as_id().cloned().ok_or_else(bad))
        .collect::<Result<Vec<_>, _>>()?;
    match (ids.first().map(|k| k.name.as_str()), &ids[..]) {
        (Some("immutable"), [_, field]) => Ok(Field {
            name: field.clone(),
            accessor: accessor(field),
            modifier: None,
        }),
        (Some("immutable"), [_, field, acc]) => Ok(Field {
            name: field.clone(),
            accessor: acc.clone(),
            modifier: None,
        }),
        (Some("mutable"), [_, field]) => Ok(Field {
            name: field.clone(),
            accessor: accessor(field),
            modifier: Some(modifier(field)),
        }),
        (Some("mutable"), [_, field, acc, m]) => Ok(Field {
            name: field.clone(),
            accessor: acc.clone(),
            modifier: Some(m.clone()),
        }),
        _ => Err(bad()),
    }
}

/// The identifier `prefix` + `base`'s name + `suffix`, with `context`'s scopes and span (as
/// `datum->syntax` makes it), so the definition binds it where the user wrote the record name.
fn derived(context: &Ident, prefix: &str, base: &Ident, suffix: &str) -> Ident {
    Ident {
        name: Symbol::intern(&format!("{prefix}{}{suffix}", base.name.as_str())),
        scopes: context.scopes.clone(),
        span: context.span,
    }
}

fn identifier(stx: &Syntax, what: &str) -> Result<Ident, Diagnostic> {
    stx.as_id()
        .cloned()
        .ok_or_else(|| malformed(stx.span(), format!("expected an identifier: {what}")))
}

fn false_atom(span: Option<Span>) -> Syntax {
    Syntax::Atom(Rc::new(Datum::Bool(false)), span)
}

fn malformed(span: Option<Span>, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(
        span,
        format!("invalid define-record-type: {}", message.into()),
    )
}
