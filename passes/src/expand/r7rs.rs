//! R7RS `define-library`: its declarations (`export`, `import`, `begin`, `include`,
//! `include-ci`, `include-library-declarations`, `cond-expand`) gathered into the same
//! [`Parts`] an R6RS library has.

use super::binding::CoreForm;
use super::expander::Expander;
use super::library::Parts;
use super::syntax::{Ident, ScopeSet, Syntax, from_datum};
use ir::datum::{Datum, Datums};
use ir::source::{Diagnostic, SourceFile};
use std::collections::VecDeque;

/// The features `cond-expand` knows.
pub const FEATURES: &[&str] = &[
    "r7rs",
    "r6rs",
    "loko",
    "x86-64",
    "linux",
    "posix",
    "full-unicode",
    "exact-closed",
    "ratios",
];

impl Expander<'_> {
    /// The forms an `include`, `include-ci` or `cond-expand` form in a body or expression
    /// stands for. Included files are found relative to the file of the `include` form, and
    /// their identifiers get the scopes of the `include` keyword.
    pub fn splice(
        &mut self,
        form: CoreForm,
        keyword: &Ident,
        stx: &Syntax,
    ) -> Result<Vec<Syntax>, Diagnostic> {
        let args = self.form_args(keyword, stx)?.to_vec();
        if form == CoreForm::CondExpand {
            return self.cond_expand(&args);
        }
        let from = match stx.span().or(keyword.span) {
            Some(span) => SourceFile::get(span.file).name.clone(),
            None => ".".to_owned(),
        };
        let mut forms = Vec::new();
        for name in &args {
            let (_, included) =
                self.include(&from, name, &keyword.scopes, form == CoreForm::IncludeCi)?;
            forms.extend(included);
        }
        Ok(forms)
    }

    pub fn define_library_parts(&mut self, path: &str, form: &Syntax) -> Result<Parts, Diagnostic> {
        let Some([_, name, declarations @ ..]) = form.as_list() else {
            return Err(self.error(
                form.span(),
                "invalid define-library form; expected (define-library (name ...) declaration ...)",
            ));
        };
        let name = self.library_name(name)?;
        let scopes: ScopeSet = form
            .head_id()
            .map(|id| id.scopes.clone())
            .unwrap_or_default();
        let mut parts = Parts {
            name,
            exports: Vec::new(),
            imports: Vec::new(),
            body: Vec::new(),
            span: form.span(),
        };
        let mut work: VecDeque<(Syntax, String)> = declarations
            .iter()
            .map(|d| (d.clone(), path.to_owned()))
            .collect();
        while let Some((declaration, file)) = work.pop_front() {
            let Some(items) = declaration.as_list() else {
                return Err(self.error(declaration.span(), "invalid library declaration"));
            };
            let head = declaration.head_id().map(|id| id.name.as_str());
            match head {
                Some("export") => parts.exports.extend(items[1..].iter().cloned()),
                Some("import") => parts.imports.extend(items[1..].iter().cloned()),
                Some("begin") => parts.body.extend(items[1..].iter().cloned()),
                Some(kind @ ("include" | "include-ci" | "include-library-declarations")) => {
                    let mut included = Vec::new();
                    for item in &items[1..] {
                        let (path, forms) =
                            self.include(&file, item, &scopes, kind == "include-ci")?;
                        included.extend(forms.into_iter().map(|f| (f, path.clone())));
                    }
                    if kind == "include-library-declarations" {
                        for entry in included.into_iter().rev() {
                            work.push_front(entry);
                        }
                    } else {
                        parts.body.extend(included.into_iter().map(|(f, _)| f));
                    }
                }
                Some("cond-expand") => {
                    let chosen = self.cond_expand(&items[1..])?;
                    for declaration in chosen.into_iter().rev() {
                        work.push_front((declaration, file.clone()));
                    }
                }
                _ => {
                    return Err(self.error(
                        declaration.span(),
                        "invalid library declaration; expected export, import, begin, include, include-ci, include-library-declarations or cond-expand",
                    ));
                }
            }
        }
        Ok(parts)
    }

    /// Reads the file an `include` names (relative to the including file), as syntax.
    pub fn include(
        &mut self,
        from: &str,
        name: &Syntax,
        scopes: &ScopeSet,
        fold_case: bool,
    ) -> Result<(String, Vec<Syntax>), Diagnostic> {
        let Syntax::Atom(datum, span) = name else {
            return Err(self.error(name.span(), "include needs file names as strings"));
        };
        let Datum::String(relative) = &**datum else {
            return Err(self.error(*span, "include needs file names as strings"));
        };
        let (path, text) = self
            .loader
            .read_included(from, relative)
            .map_err(|message| self.error(*span, message))?;
        let file = SourceFile::register(path.clone(), text);
        let mut datums = Datums::new();
        let forms = ir::reader::read_file(file, &mut datums)?;
        let mut out = Vec::with_capacity(forms.len());
        for form in forms {
            out.push(from_datum(&datums, form, scopes, fold_case)?);
        }
        Ok((path, out))
    }

    /// The forms of the first `cond-expand` clause whose requirement holds.
    pub fn cond_expand(&mut self, clauses: &[Syntax]) -> Result<Vec<Syntax>, Diagnostic> {
        for clause in clauses {
            let Some([requirement, forms @ ..]) = clause.as_list() else {
                return Err(self.error(
                    clause.span(),
                    "invalid cond-expand clause; expected (requirement form ...)",
                ));
            };
            let is_else = requirement
                .as_id()
                .is_some_and(|id| id.name.as_str() == "else");
            if is_else || self.requirement(requirement)? {
                return Ok(forms.to_vec());
            }
        }
        Ok(Vec::new())
    }

    fn requirement(&mut self, requirement: &Syntax) -> Result<bool, Diagnostic> {
        if let Some(id) = requirement.as_id() {
            return Ok(FEATURES.contains(&id.name.as_str()));
        }
        let head = requirement.head_id().map(|id| id.name.as_str());
        let args = match requirement.as_list() {
            Some(items) => &items[1..],
            None => return Err(self.error(requirement.span(), "invalid cond-expand requirement")),
        };
        match head {
            Some("and") => {
                for arg in args {
                    if !self.requirement(arg)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Some("or") => {
                for arg in args {
                    if self.requirement(arg)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Some("not") if args.len() == 1 => Ok(!self.requirement(&args[0])?),
            Some("library") if args.len() == 1 => {
                let name = self.library_name(&args[0])?;
                Ok(self.standard.get(&name).is_some()
                    || self.knows_library(&name)
                    || self.loader.find_library(&name).is_some())
            }
            _ => Err(self.error(requirement.span(), "invalid cond-expand requirement")),
        }
    }
}
