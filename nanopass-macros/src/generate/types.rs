//! Node storage: an id type and a node enum per nonterminal, the arena holding every node of a
//! program, builders (`arena.expr_if(test, conseq, alt)`), and the `Tree` (arena + root).

use super::grammar_doc::template_text;
use super::names;
use crate::model::{Field, Kind, Language, Multiplicity, Nonterminal, Production};
use proc_macro2::TokenStream;
use quote::quote;

/// The Rust type of a field's value; nonterminal ids are qualified by `path` (`src::`).
pub fn field_type(language: &Language, field: &Field, path: &TokenStream) -> TokenStream {
    let single = element_type(language, field.kind, path);
    match field.multiplicity {
        Multiplicity::One => single,
        Multiplicity::Many => quote!(Vec<#single>),
        Multiplicity::Maybe => quote!(Option<#single>),
    }
}

/// The type a field's production method receives: slices instead of vectors.
pub fn param_type(language: &Language, field: &Field, path: &TokenStream) -> TokenStream {
    let single = element_type(language, field.kind, path);
    match field.multiplicity {
        Multiplicity::One => single,
        Multiplicity::Many => quote!(&[#single]),
        Multiplicity::Maybe => quote!(Option<#single>),
    }
}

/// A dispatch arm's pattern and call: `path::Expr::If { test, conseq, alt } =>
/// self.expr_if(leading, *test, *conseq, *alt),` (list fields are passed on as slices).
pub fn dispatch_arm(
    language: &Language,
    nonterminal: &Nonterminal,
    production: &Production,
    path: &TokenStream,
    leading: TokenStream,
) -> TokenStream {
    let name = &nonterminal.name;
    let variant = &production.name;
    let method = names::production_method(nonterminal, production);
    let fields = language.fields(production);
    let field_names: Vec<_> = fields.iter().map(|f| &f.name).collect();
    let args = fields.iter().map(|field| {
        let field_name = &field.name;
        match field.multiplicity {
            Multiplicity::One | Multiplicity::Maybe => quote!(*#field_name),
            Multiplicity::Many => quote!(#field_name),
        }
    });
    quote!(#path #name::#variant { #(#field_names),* } => self.#method(#leading, #(#args),*),)
}

pub fn element_type(language: &Language, kind: Kind, path: &TokenStream) -> TokenStream {
    match kind {
        Kind::Terminal(index) => language.terminal_type(index),
        Kind::Nonterminal(index) => {
            let id = names::id_type(&language.nonterminals[index]);
            quote!(#path #id)
        }
    }
}

pub fn generate(language: &Language) -> TokenStream {
    let here = TokenStream::new();
    let mut items = TokenStream::new();
    let mut arena_fields = TokenStream::new();
    let mut arena_inits = TokenStream::new();
    let mut arena_methods = TokenStream::new();
    for nonterminal in &language.nonterminals {
        let name = &nonterminal.name;
        let docs = &nonterminal.docs;
        let id = names::id_type(nonterminal);
        let nodes = names::nodes(nonterminal);
        let add = names::add(nonterminal);
        let id_doc = format!("A `{name}` node in an [`Arena`].");
        let mut variants = TokenStream::new();
        for production in &nonterminal.productions {
            let variant = &production.name;
            let pdocs = &production.docs;
            let shape = format!("`{}`", template_text(&production.template));
            let fields = language.fields(production);
            let field_names: Vec<_> = fields.iter().map(|f| &f.name).collect();
            let field_types: Vec<_> = fields
                .iter()
                .map(|f| field_type(language, f, &here))
                .collect();
            variants.extend(quote! {
                #(#pdocs)*
                #[doc = #shape]
                #variant { #(#field_names: #field_types),* },
            });
            let builder = names::production_method(nonterminal, production);
            let builder_doc = format!("Adds a `{variant}` node: {shape}.");
            arena_methods.extend(quote! {
                #[doc = #builder_doc]
                pub fn #builder(&mut self, #(#field_names: #field_types),*) -> #id {
                    self.#add(#name::#variant { #(#field_names),* })
                }
            });
        }
        items.extend(quote! {
            #[doc = #id_doc]
            #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
            pub struct #id(u32);

            impl #id {
                pub fn index(self) -> usize {
                    self.0 as usize
                }
            }

            #(#docs)*
            #[derive(Clone, PartialEq, Debug)]
            pub enum #name {
                #variants
            }

            impl ::std::ops::Index<#id> for Arena {
                type Output = #name;
                fn index(&self, id: #id) -> &#name {
                    &self.#nodes[id.index()]
                }
            }
        });
        arena_fields.extend(quote! { #nodes: Vec<#name>, });
        arena_inits.extend(quote! { #nodes: Vec::new(), });
        let add_doc = format!("Adds a `{name}` node.");
        arena_methods.extend(quote! {
            #[doc = #add_doc]
            pub fn #add(&mut self, node: #name) -> #id {
                self.#nodes.push(node);
                #id((self.#nodes.len() - 1) as u32)
            }
        });
    }
    let root = names::id_type(&language.nonterminals[0]);
    let language_name = language.name.to_string();
    let arena_doc = format!("Every node of one `{language_name}` program, by id.");
    quote! {
        #items

        #[doc = #arena_doc]
        #[derive(Clone, Debug, Default)]
        pub struct Arena {
            /// The variables and constants the nodes refer to.
            pub cx: ::ir::nanopass::Context,
            #arena_fields
        }

        impl Arena {
            pub fn new(cx: ::ir::nanopass::Context) -> Arena {
                Arena { cx, #arena_inits }
            }
            #arena_methods
        }

        /// A whole program: its arena and its root node.
        #[derive(Clone, Debug)]
        pub struct Tree {
            pub arena: Arena,
            pub root: #root,
        }
    }
}
