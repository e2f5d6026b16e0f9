//! Code generation: one Rust module per resolved language, holding what each generator emits.

mod grammar_doc;
mod names;
mod print_parse;
mod translate;
mod types;
mod verify;
mod visit;

pub use grammar_doc::first_doc_line;

use crate::model::Language;
use proc_macro2::TokenStream;
use quote::quote;

/// The modules for all languages. Each language also gets translation traits from itself (for
/// optimizations) and from its parent (for passes that produce it).
pub fn languages(languages: &[Language]) -> TokenStream {
    languages
        .iter()
        .map(|language| module(languages, language))
        .collect()
}

fn module(all: &[Language], language: &Language) -> TokenStream {
    let vis = &language.vis;
    let module = &language.module;
    let attrs = &language.attrs;
    let grammar = grammar_doc::grammar(language);
    let types = types::generate(language);
    let print_parse = print_parse::generate(language);
    let visit = visit::generate(language);
    let verify = verify::generate(language);
    let from_self = translate::generate(language, language);
    let from_parent = language
        .parent
        .as_ref()
        .and_then(|parent| all.iter().find(|l| l.name == *parent))
        .map(|parent| translate::generate(parent, language));
    quote! {
        #(#attrs)*
        #[doc = #grammar]
        #[allow(clippy::all, unused_variables, unused_mut, dead_code)]
        #vis mod #module {
            #[allow(unused_imports)]
            use super::*;
            #types
            #print_parse
            #visit
            #verify
            #from_self
            #from_parent
        }
    }
}
