//! The read-only visitor of a language: `trait Visit` with one method per nonterminal (dispatch),
//! one per production (default: visit the fields in template order) and one per terminal
//! (default: nothing). Binding occurrences of the variable terminal go to `binder_var` instead
//! of `terminal_var`. An analysis overrides only what it looks at.

use super::names;
use super::types::{dispatch_arm, param_type};
use crate::model::{Kind, Language, Multiplicity};
use proc_macro2::TokenStream;
use quote::quote;

pub fn generate(language: &Language) -> TokenStream {
    let here = TokenStream::new();
    let mut methods = TokenStream::new();
    for nonterminal in &language.nonterminals {
        let name = &nonterminal.name;
        let id = names::id_type(nonterminal);
        let dispatch = names::method(nonterminal);
        let arms = nonterminal.productions.iter().map(|production| {
            dispatch_arm(language, nonterminal, production, &here, quote!(arena))
        });
        let doc = format!("Visits a `{name}` node: dispatches on its production.");
        methods.extend(quote! {
            #[doc = #doc]
            fn #dispatch(&mut self, arena: &Arena, id: #id) {
                ::ir::nanopass::grow(|| match &arena[id] { #(#arms)* })
            }
        });
        for production in &nonterminal.productions {
            let method = names::production_method(nonterminal, production);
            let fields = language.fields(production);
            let params = fields.iter().map(|field| {
                let field_name = &field.name;
                let ty = param_type(language, field, &here);
                quote!(#field_name: #ty)
            });
            let visits = fields.iter().map(|field| {
                let field_name = &field.name;
                let hook = match field.kind {
                    Kind::Terminal(t) if field.binder => names::binder_hook(language, t),
                    Kind::Terminal(t) => names::terminal_hook(language, t),
                    Kind::Nonterminal(n) => names::method(&language.nonterminals[n]),
                };
                match field.multiplicity {
                    Multiplicity::One => quote!(self.#hook(arena, #field_name);),
                    Multiplicity::Many => quote!(for &x in #field_name { self.#hook(arena, x); }),
                    Multiplicity::Maybe => {
                        quote!(if let Some(x) = #field_name { self.#hook(arena, x); })
                    }
                }
            });
            let doc = format!("Visits a `{}` node's fields.", production.name);
            methods.extend(quote! {
                #[doc = #doc]
                fn #method(&mut self, arena: &Arena, #(#params),*) {
                    #(#visits)*
                }
            });
        }
    }
    for (index, terminal) in language.terminals.iter().enumerate() {
        let ty = language.terminal_type(index);
        let hook = names::terminal_hook(language, index);
        let doc = format!("Visits a `{}` terminal.", terminal.name);
        methods.extend(quote! {
            #[doc = #doc]
            fn #hook(&mut self, arena: &Arena, value: #ty) {}
        });
        if terminal.variable {
            let binder = names::binder_hook(language, index);
            let doc = format!("Visits a binding occurrence of a `{}`.", terminal.name);
            methods.extend(quote! {
                #[doc = #doc]
                fn #binder(&mut self, arena: &Arena, value: #ty) {}
            });
        }
    }
    quote! {
        /// A read-only traversal; every method defaults to visiting the children.
        pub trait Visit {
            #methods
        }
    }
}
