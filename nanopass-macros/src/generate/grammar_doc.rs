//! The grammar of each language as text, for its rustdoc and for parse error messages, so no
//! one maintains a grammar by hand.

use crate::model::{Bracket, Language, Template};

/// The module documentation: the language's full grammar in BNF-like form.
pub fn grammar(language: &Language) -> String {
    let mut out = String::new();
    match &language.parent {
        Some(parent) => out.push_str(&format!(
            "\n\nLanguage `{}`, extending `{parent}`.",
            language.name
        )),
        None => out.push_str(&format!("\n\nLanguage `{}`.", language.name)),
    }
    out.push_str("\n\n```text\n");
    if !language.terminals.is_empty() {
        out.push_str("terminals:\n");
        for terminal in &language.terminals {
            let ty = &terminal.ty;
            let ty = quote::quote!(#ty).to_string().replace(' ', "");
            let marker = if terminal.variable { " (variable)" } else { "" };
            let doc = first_doc_line(&terminal.docs)
                .map(|doc| format!("  ; {doc}"))
                .unwrap_or_default();
            out.push_str(&format!("  {} = {ty}{marker}{doc}\n", terminal.name));
        }
        out.push('\n');
    }
    for nonterminal in &language.nonterminals {
        let name = nonterminal.name.to_string();
        for (i, production) in nonterminal.productions.iter().enumerate() {
            let lead = if i == 0 {
                format!("{name} ::=")
            } else {
                format!("{:width$}|", "", width = name.len() + 2)
            };
            out.push_str(&format!(
                "{lead} {:<50} ; {}\n",
                template_text(&production.template),
                production.name
            ));
        }
        out.push('\n');
    }
    out.push_str("```\n");
    out
}

/// A template as written: `(if test: Expr conseq: Expr alt: Expr)`.
pub fn template_text(template: &Template) -> String {
    match template {
        Template::Keyword(keyword, _) => keyword.clone(),
        Template::Hole(hole) => {
            format!(
                "{}: {}{}",
                hole.name,
                if hole.binder { "bind " } else { "" },
                hole.ty
            )
        }
        Template::List(items, bracket) => {
            let inner: Vec<String> = items.iter().map(template_text).collect();
            let (open, close) = match bracket {
                Bracket::Round => ('(', ')'),
                Bracket::Square => ('[', ']'),
            };
            format!("{open}{}{close}", inner.join(" "))
        }
        Template::Repeat(inner) => format!("{} ...", template_text(inner)),
        Template::Optional(inner) => format!("{}?", template_text(inner)),
        Template::Tail(inner) => format!(". {}", template_text(inner)),
    }
}

/// The first non-empty line of some doc attributes.
pub fn first_doc_line(docs: &[syn::Attribute]) -> Option<String> {
    docs.iter().find_map(|attr| {
        let syn::Meta::NameValue(nv) = &attr.meta else {
            return None;
        };
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) = &nv.value
        else {
            return None;
        };
        let line = text.value().trim().to_owned();
        (!line.is_empty()).then_some(line)
    })
}
