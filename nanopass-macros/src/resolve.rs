//! Resolving declarations into complete languages: applying an extension's `+`/`-` edits to its
//! parent, and checking everything the generators rely on. Every problem is a `syn::Error` at
//! the offending token.

use crate::model::*;
use quote::format_ident;
use syn::Ident;

/// Resolves the languages in declaration order; a language may only extend an earlier one.
pub fn resolve(decls: Vec<LanguageDecl>) -> syn::Result<Vec<Language>> {
    let mut languages: Vec<Language> = Vec::new();
    for decl in decls {
        if languages.iter().any(|l| l.name == decl.name) {
            return Err(syn::Error::new(
                decl.name.span(),
                format!("language `{}` is declared twice", decl.name),
            ));
        }
        let language = match &decl.extends {
            None => base(decl)?,
            Some(parent_name) => {
                let Some(parent) = languages.iter().find(|l| l.name == *parent_name) else {
                    return Err(syn::Error::new(
                        parent_name.span(),
                        format!(
                            "unknown language `{parent_name}` (a language can only extend one declared before it)"
                        ),
                    ));
                };
                extend(parent, decl)?
            }
        };
        check(&language)?;
        languages.push(language);
    }
    Ok(languages)
}

fn new_language(decl: &LanguageDecl, parent: Option<Ident>) -> Language {
    Language {
        attrs: decl.attrs.clone(),
        vis: decl.vis.clone(),
        name: decl.name.clone(),
        module: format_ident!("{}", snake_case(&decl.name.to_string())),
        parent,
        terminals: Vec::new(),
        nonterminals: Vec::new(),
    }
}

fn base(decl: LanguageDecl) -> syn::Result<Language> {
    let mut language = new_language(&decl, None);
    for edit in decl.terminals {
        match edit {
            Edit::Add(terminal) => add_terminal(&mut language, terminal)?,
            Edit::Remove(name) => {
                return Err(syn::Error::new(
                    name.span(),
                    "`-` only makes sense in an extension",
                ));
            }
        }
    }
    for nonterminal in decl.nonterminals {
        match nonterminal {
            NonterminalDecl::Add(nonterminal) => add_nonterminal(&mut language, nonterminal)?,
            NonterminalDecl::Remove(name) | NonterminalDecl::Modify { name, .. } => {
                return Err(syn::Error::new(
                    name.span(),
                    "edits only make sense in an extension",
                ));
            }
        }
    }
    Ok(language)
}

fn extend(parent: &Language, decl: LanguageDecl) -> syn::Result<Language> {
    let mut language = new_language(&decl, Some(parent.name.clone()));
    language.terminals = parent.terminals.clone();
    language.nonterminals = parent.nonterminals.clone();
    for edit in decl.terminals {
        match edit {
            Edit::Add(terminal) => add_terminal(&mut language, terminal)?,
            Edit::Remove(name) => {
                let index = language.terminal(&name.to_string()).ok_or_else(|| {
                    syn::Error::new(
                        name.span(),
                        format!("no terminal `{name}` in language `{}`", parent.name),
                    )
                })?;
                language.terminals.remove(index);
            }
        }
    }
    for nonterminal in decl.nonterminals {
        match nonterminal {
            NonterminalDecl::Add(nonterminal) => add_nonterminal(&mut language, nonterminal)?,
            NonterminalDecl::Remove(name) => {
                let index = find_nonterminal(&language, &name, parent)?;
                language.nonterminals.remove(index);
            }
            NonterminalDecl::Modify { name, productions } => {
                let index = find_nonterminal(&language, &name, parent)?;
                let nonterminal = &mut language.nonterminals[index];
                for edit in productions {
                    match edit {
                        Edit::Add(production) => add_production(nonterminal, production)?,
                        Edit::Remove(production) => {
                            let at =
                                nonterminal.productions.iter().position(|p| p.name == production).ok_or_else(|| {
                                    syn::Error::new(
                                        production.span(),
                                        format!(
                                            "no production `{production}` in `{name}` of language `{}`",
                                            parent.name
                                        ),
                                    )
                                })?;
                            nonterminal.productions.remove(at);
                        }
                    }
                }
            }
        }
    }
    Ok(language)
}

fn find_nonterminal(language: &Language, name: &Ident, parent: &Language) -> syn::Result<usize> {
    language.nonterminal(&name.to_string()).ok_or_else(|| {
        syn::Error::new(
            name.span(),
            format!("no nonterminal `{name}` in language `{}`", parent.name),
        )
    })
}

fn add_terminal(language: &mut Language, terminal: Terminal) -> syn::Result<()> {
    if language.terminal(&terminal.name.to_string()).is_some() {
        return Err(syn::Error::new(
            terminal.name.span(),
            format!("terminal `{}` is already declared", terminal.name),
        ));
    }
    language.terminals.push(terminal);
    Ok(())
}

fn add_nonterminal(language: &mut Language, nonterminal: Nonterminal) -> syn::Result<()> {
    if language.kind_of(&nonterminal.name).is_some() {
        return Err(syn::Error::new(
            nonterminal.name.span(),
            format!("`{}` is already declared", nonterminal.name),
        ));
    }
    let mut empty = Nonterminal {
        productions: Vec::new(),
        ..nonterminal.clone()
    };
    for production in nonterminal.productions {
        add_production(&mut empty, production)?;
    }
    language.nonterminals.push(empty);
    Ok(())
}

fn add_production(nonterminal: &mut Nonterminal, production: Production) -> syn::Result<()> {
    if nonterminal
        .productions
        .iter()
        .any(|p| p.name == production.name)
    {
        return Err(syn::Error::new(
            production.name.span(),
            format!(
                "production `{}` is already in `{}` (remove it with `- {}` first)",
                production.name, nonterminal.name, production.name
            ),
        ));
    }
    nonterminal.productions.push(production);
    Ok(())
}

/// Checks a resolved language: hole types exist, binders are variables, field names are
/// unique, list levels have at most one repeated or optional element, repeats do not nest.
fn check(language: &Language) -> syn::Result<()> {
    if language.nonterminals.is_empty() {
        return Err(syn::Error::new(
            language.name.span(),
            "a language needs at least one nonterminal",
        ));
    }
    let variables: Vec<&Terminal> = language.terminals.iter().filter(|t| t.variable).collect();
    if variables.len() > 1 {
        return Err(syn::Error::new(
            variables[1].name.span(),
            "only one terminal can be #[variable]",
        ));
    }
    for nonterminal in &language.nonterminals {
        if nonterminal.productions.is_empty() {
            return Err(syn::Error::new(
                nonterminal.name.span(),
                format!("`{}` has no productions", nonterminal.name),
            ));
        }
        for production in &nonterminal.productions {
            if let Template::Hole(hole) = &production.template
                && hole.ty == nonterminal.name
            {
                return Err(syn::Error::new(
                    hole.ty.span(),
                    "a production cannot be just its own nonterminal",
                ));
            }
            check_template(language, &production.template, false)?;
            let mut names: Vec<String> = Vec::new();
            for field in language.fields(production) {
                let name = field.name.to_string();
                if names.contains(&name) {
                    return Err(syn::Error::new(
                        field.name.span(),
                        format!("field `{name}` appears twice"),
                    ));
                }
                names.push(name);
            }
        }
    }
    Ok(())
}

fn check_template(language: &Language, template: &Template, repeated: bool) -> syn::Result<()> {
    match template {
        Template::Keyword(..) => Ok(()),
        Template::Hole(hole) => {
            let kind = language.kind_of(&hole.ty).ok_or_else(|| {
                syn::Error::new(
                    hole.ty.span(),
                    format!(
                        "`{}` is not a terminal or nonterminal of language `{}`",
                        hole.ty, language.name
                    ),
                )
            })?;
            let is_variable = matches!(kind, Kind::Terminal(t) if language.terminals[t].variable);
            if hole.binder && !is_variable {
                return Err(syn::Error::new(
                    hole.ty.span(),
                    format!(
                        "`bind` needs a #[variable] terminal, but `{}` is not one",
                        hole.ty
                    ),
                ));
            }
            Ok(())
        }
        Template::List(items, _) => {
            let variable: Vec<&Template> = items
                .iter()
                .filter(|item| matches!(item, Template::Repeat(_) | Template::Optional(_)))
                .collect();
            if variable.len() > 1 {
                return Err(syn::Error::new(
                    first_span(variable[1]),
                    "at most one `...` or `?` element per list (otherwise the text is ambiguous)",
                ));
            }
            items
                .iter()
                .try_for_each(|item| check_template(language, item, repeated))
        }
        Template::Tail(inner) => check_template(language, inner, repeated),
        Template::Repeat(inner) | Template::Optional(inner) => {
            if repeated {
                return Err(syn::Error::new(
                    first_span(inner),
                    "nested `...` or `?` is not supported",
                ));
            }
            check_template(language, inner, true)
        }
    }
}

fn first_span(template: &Template) -> proc_macro2::Span {
    match template {
        Template::Keyword(_, span) => *span,
        Template::Hole(hole) => hole.name.span(),
        Template::List(items, _) => items
            .first()
            .map_or_else(proc_macro2::Span::call_site, first_span),
        Template::Repeat(inner) | Template::Optional(inner) | Template::Tail(inner) => {
            first_span(inner)
        }
    }
}
