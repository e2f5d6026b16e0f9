//! The standard libraries' export sets: which of the base library's names `(rnrs base)`,
//! `(rnrs)`, `(scheme base)`, `(loko)`, ... each give, read from the data file
//! `stdlib/libraries.scm` (the lists of the standards). Every standard library is a view of the
//! one base library: two of them that export a name export the same binding.
//!
//! A listed name the base does not bind is left out of the export and recorded, so the gap is
//! visible ([`StandardLibraries::missing`]) rather than a silent omission.

use super::library::Exports;
use ir::datum::{Datum, DatumId, Datums};
use ir::source::{Diagnostic, SourceFile};
use ir::symbol::Symbol;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

const PATH: &str = "stdlib/libraries.scm";
const TEXT: &str = include_str!("../../../stdlib/libraries.scm");

/// The standard libraries, by name, in the order the data file lists them.
#[derive(Clone, Default)]
pub struct StandardLibraries {
    libraries: Vec<(Vec<Symbol>, Rc<Exports>)>,
    /// Per library, the names its list gives (directly, not through `exports-of`) that the base
    /// does not bind.
    missing: Vec<(Vec<Symbol>, Vec<Symbol>)>,
    /// Names the base exports that no standard library gives.
    unlisted: Vec<Symbol>,
}

impl StandardLibraries {
    /// Reads the export lists and resolves each name against `base`, everything the base
    /// library exports.
    pub fn read(base: &Exports) -> Result<StandardLibraries, Diagnostic> {
        let mut datums = Datums::new();
        let file = SourceFile::register(PATH, TEXT);
        let forms = ir::reader::read_file(file, &mut datums)?;
        let bound: HashMap<Symbol, _> = base.names.iter().copied().collect();
        let mut groups: HashMap<Vec<Symbol>, Vec<Symbol>> = HashMap::new();
        let mut standard = StandardLibraries::default();
        for form in forms {
            let invalid = || Diagnostic::error(datums.span(form), "invalid standard library entry");
            let items = datums.list_items(form).ok_or_else(invalid)?;
            let [head, name, entries @ ..] = items.as_slice() else {
                return Err(invalid());
            };
            let head = symbol(&datums, *head).ok_or_else(invalid)?;
            let name = list_name(&datums, *name).ok_or_else(invalid)?;
            let mut names: Vec<Symbol> = Vec::new();
            let mut missing = Vec::new();
            for &entry in entries {
                if let Some(entry_name) = symbol(&datums, entry) {
                    if bound.contains_key(&entry_name) {
                        names.push(entry_name);
                    } else {
                        missing.push(entry_name);
                    }
                    continue;
                }
                let included = match datums.list_items(entry).as_deref() {
                    Some([keyword, library])
                        if symbol(&datums, *keyword)
                            .is_some_and(|k| k.as_str() == "exports-of") =>
                    {
                        list_name(&datums, *library).and_then(|l| groups.get(&l))
                    }
                    _ => None,
                };
                let Some(included) = included else {
                    return Err(Diagnostic::error(
                        datums.span(entry),
                        "expected a name or (exports-of NAME) of a library listed earlier",
                    ));
                };
                names.extend(included.iter().copied());
            }
            let mut seen = HashSet::new();
            names.retain(|name| seen.insert(*name));
            match head.as_str() {
                "standard-library" => {
                    let exports = names.iter().map(|&n| (n, bound[&n])).collect();
                    standard
                        .libraries
                        .push((name.clone(), Rc::new(Exports { names: exports })));
                    if !missing.is_empty() {
                        standard.missing.push((name.clone(), missing));
                    }
                }
                "name-group" => {}
                _ => return Err(invalid()),
            }
            groups.insert(name, names);
        }
        let listed: HashSet<Symbol> = groups.values().flatten().copied().collect();
        standard.unlisted = base
            .names
            .iter()
            .map(|&(name, _)| name)
            .filter(|name| !listed.contains(name))
            .collect();
        Ok(standard)
    }

    /// The exports of the standard library `name` (without its version), if it is one.
    pub fn get(&self, name: &[Symbol]) -> Option<&Rc<Exports>> {
        self.libraries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, exports)| exports)
    }

    /// The standard libraries that export `name`, in the data file's order (the individual
    /// libraries before the composites that include them).
    pub fn exporters(&self, name: Symbol) -> Vec<&[Symbol]> {
        self.libraries
            .iter()
            .filter(|(_, exports)| exports.get(name).is_some())
            .map(|(library, _)| library.as_slice())
            .collect()
    }

    /// Per library, the names the standard gives it that the base does not bind yet.
    pub fn missing(&self) -> &[(Vec<Symbol>, Vec<Symbol>)] {
        &self.missing
    }

    /// Names the base exports that no standard library gives (reachable only from the base's
    /// own macros).
    pub fn unlisted(&self) -> &[Symbol] {
        &self.unlisted
    }
}

fn symbol(datums: &Datums, id: DatumId) -> Option<Symbol> {
    match datums.get(id) {
        Datum::Symbol(s) => Some(*s),
        _ => None,
    }
}

/// A library name `(rnrs base)`, or a group's name `i/o-conditions` (as a one-part name).
fn list_name(datums: &Datums, id: DatumId) -> Option<Vec<Symbol>> {
    if let Some(s) = symbol(datums, id) {
        return Some(vec![s]);
    }
    datums
        .list_items(id)?
        .into_iter()
        .map(|part| symbol(datums, part))
        .collect()
}
