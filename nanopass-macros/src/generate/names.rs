//! The Rust names generated code uses for a language's parts, in one place so every generator
//! agrees: `ExprId`, `expr`, `expr_if`, `terminal_var`, `TEMPLATE_EXPR_IF`.

use crate::model::{Language, Nonterminal, Production, snake_case};
use proc_macro2::{Ident, Span};
use quote::format_ident;

const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "yield", "box", "try",
];

/// An identifier for `name`, raw if it is a Rust keyword.
pub fn ident(name: &str) -> Ident {
    if RUST_KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        format_ident!("{}", name)
    }
}

pub fn id_type(nonterminal: &Nonterminal) -> Ident {
    format_ident!("{}Id", nonterminal.name)
}

/// The dispatch method of a nonterminal (`expr`).
pub fn method(nonterminal: &Nonterminal) -> Ident {
    ident(&snake_case(&nonterminal.name.to_string()))
}

/// The method of a production (`expr_if`); also the arena's builder for it.
pub fn production_method(nonterminal: &Nonterminal, production: &Production) -> Ident {
    format_ident!(
        "{}_{}",
        snake_case(&nonterminal.name.to_string()),
        snake_case(&production.name.to_string())
    )
}

/// The arena's vector of a nonterminal's nodes.
pub fn nodes(nonterminal: &Nonterminal) -> Ident {
    format_ident!("{}_nodes", snake_case(&nonterminal.name.to_string()))
}

pub fn add(nonterminal: &Nonterminal) -> Ident {
    format_ident!("add_{}", snake_case(&nonterminal.name.to_string()))
}

pub fn sexp(nonterminal: &Nonterminal) -> Ident {
    format_ident!("sexp_{}", snake_case(&nonterminal.name.to_string()))
}

pub fn parse(nonterminal: &Nonterminal) -> Ident {
    format_ident!("parse_{}", snake_case(&nonterminal.name.to_string()))
}

pub fn accepts(nonterminal: &Nonterminal) -> Ident {
    format_ident!("accepts_{}", snake_case(&nonterminal.name.to_string()))
}

pub fn template(nonterminal: &Nonterminal, production: &Production) -> Ident {
    format_ident!(
        "TEMPLATE_{}_{}",
        snake_case(&nonterminal.name.to_string()).to_uppercase(),
        snake_case(&production.name.to_string()).to_uppercase()
    )
}

pub fn shapes(nonterminal: &Nonterminal, production: &Production) -> Ident {
    format_ident!(
        "SHAPES_{}_{}",
        snake_case(&nonterminal.name.to_string()).to_uppercase(),
        snake_case(&production.name.to_string()).to_uppercase()
    )
}

/// The hook called for each (non-binding) occurrence of a terminal (`terminal_var`).
pub fn terminal_hook(language: &Language, index: usize) -> Ident {
    format_ident!(
        "terminal_{}",
        snake_case(&language.terminals[index].name.to_string())
    )
}

/// The hook called for each binding occurrence of the variable terminal (`binder_var`).
pub fn binder_hook(language: &Language, index: usize) -> Ident {
    format_ident!(
        "binder_{}",
        snake_case(&language.terminals[index].name.to_string())
    )
}

/// The module holding the translation traits from `source` into a language (`from_core`).
pub fn from_module(source: &Language) -> Ident {
    format_ident!("from_{}", source.module)
}
