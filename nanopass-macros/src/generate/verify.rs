//! The verifier of a language, in three phases so that no phase trips over what an earlier one
//! rejects: (1) every child id is in its arena; (2) the nodes reachable from the root form a
//! tree (no node has two parents, so no cycles); (3) if the language has a `#[variable]`
//! terminal, every reference is in the scope of a binder and every variable is bound once.
//! A production's binders scope over all of its fields. The bookkeeping lives in
//! `ir::nanopass::verify`.

use super::names;
use crate::model::{Kind, Language, Multiplicity, Template};
use proc_macro2::TokenStream;
use quote::quote;

pub fn generate(language: &Language) -> TokenStream {
    let variable_type = match language.variable() {
        Some(index) => language.terminal_type(index),
        None => quote!(()),
    };
    let show = match language.variable() {
        Some(_) => quote!(|v| ::ir::nanopass::Terminal::print(v, &arena.cx).flat()),
        None => quote!(|_: ()| String::new()),
    };
    let mut range_checks = TokenStream::new();
    let mut children_arms = TokenStream::new();
    let mut walkers = TokenStream::new();
    let mut sizes = Vec::new();
    let mut kind_names = Vec::new();
    for (kind_index, nonterminal) in language.nonterminals.iter().enumerate() {
        let name = &nonterminal.name;
        let name_text = name.to_string();
        let id = names::id_type(nonterminal);
        let nodes = names::nodes(nonterminal);
        let walk = names::method(nonterminal);
        let sexp = names::sexp(nonterminal);
        sizes.push(quote!(arena.#nodes.len()));
        kind_names.push(name_text.clone());
        let mut range_arms = TokenStream::new();
        let mut child_arms = TokenStream::new();
        let mut walk_arms = TokenStream::new();
        for production in &nonterminal.productions {
            let variant = &production.name;
            let fields = language.fields(production);
            let field_names: Vec<_> = fields.iter().map(|f| &f.name).collect();
            let production_text = format!("{name_text}::{variant}");
            let child_ids = |field: &crate::model::Field| {
                let field_name = &field.name;
                match field.multiplicity {
                    Multiplicity::One => quote!(::std::iter::once(*#field_name)),
                    Multiplicity::Many | Multiplicity::Maybe => quote!(#field_name.iter().copied()),
                }
            };
            let ranges = fields.iter().filter_map(|field| {
                let Kind::Nonterminal(n) = field.kind else {
                    return None;
                };
                let child_nodes = names::nodes(&language.nonterminals[n]);
                let ids = child_ids(field);
                Some(quote! {
                    for child in #ids {
                        if child.index() >= arena.#child_nodes.len() {
                            errors.push(::ir::nanopass::VerifyError {
                                message: format!("child {:?} is not in the arena", child),
                                context: format!("{} node {}", #production_text, index),
                            });
                        }
                    }
                })
            });
            range_arms.extend(quote!(#name::#variant { #(#field_names),* } => { #(#ranges)* }));
            let children = fields.iter().filter_map(|field| {
                let Kind::Nonterminal(n) = field.kind else {
                    return None;
                };
                let ids = child_ids(field);
                Some(quote!(out.extend(#ids.map(|child| (#n, child.index())));))
            });
            child_arms.extend(quote!(#name::#variant { #(#field_names),* } => { #(#children)* }));
            let binds = fields.iter().filter(|f| f.binder).map(|field| {
                let ids = child_ids(field);
                quote!(for v in #ids { self.state.bind(v, context); })
            });
            let unbinds = fields.iter().filter(|f| f.binder).map(|field| {
                let ids = child_ids(field);
                quote!(for v in #ids { self.state.unbind(v); })
            });
            let uses = fields.iter().filter(|f| !f.binder).filter_map(|field| {
                let ids = child_ids(field);
                let each = match field.kind {
                    Kind::Terminal(t) if language.terminals[t].variable => {
                        quote!(self.state.reference(x, context);)
                    }
                    Kind::Terminal(_) => return None,
                    Kind::Nonterminal(n) => {
                        let child = names::method(&language.nonterminals[n]);
                        quote!(self.#child(x, &own);)
                    }
                };
                Some(quote!(for x in #ids { #each }))
            });
            // A production that is only a hole (a variable reference) says little on its own;
            // its messages show the enclosing node instead.
            let context = if matches!(production.template, Template::Hole(_)) {
                quote!(outer)
            } else {
                quote!(&own)
            };
            walk_arms.extend(quote! {
                #name::#variant { #(#field_names),* } => {
                    let context: &dyn Fn() -> String = #context;
                    #(#binds)*
                    #(#uses)*
                    #(#unbinds)*
                }
            });
        }
        range_checks.extend(quote! {
            for (index, node) in arena.#nodes.iter().enumerate() {
                match node { #range_arms }
            }
        });
        children_arms.extend(quote! {
            #kind_index => match &arena.#nodes[index] { #child_arms },
        });
        walkers.extend(quote! {
            fn #walk(&mut self, id: #id, outer: &dyn Fn() -> String) {
                let arena = self.arena;
                let own = || ::ir::nanopass::truncate(arena.#sexp(id).flat(), 160);
                ::ir::nanopass::grow(|| match &arena[id] { #walk_arms })
            }
        });
    }
    let root = names::method(&language.nonterminals[0]);
    let root_nodes = names::nodes(&language.nonterminals[0]);
    quote! {
        struct Verifier<'a> {
            arena: &'a Arena,
            state: ::ir::nanopass::verify::Scopes<'a, #variable_type>,
        }

        impl Verifier<'_> {
            #walkers
        }

        fn verify_tree(tree: &Tree) -> Result<(), Vec<::ir::nanopass::VerifyError>> {
            let arena = &tree.arena;
            let mut errors = Vec::new();
            #range_checks
            if tree.root.index() >= arena.#root_nodes.len() {
                errors.push(::ir::nanopass::VerifyError {
                    message: "the root is not in the arena".into(),
                    context: format!("{:?}", tree.root),
                });
            }
            if !errors.is_empty() {
                return Err(errors);
            }
            ::ir::nanopass::verify::check_tree(
                (0, tree.root.index()),
                &[#(#sizes),*],
                &[#(#kind_names),*],
                |(kind, index), out| match kind {
                    #children_arms
                    _ => {}
                },
            )?;
            let mut verifier = Verifier { arena, state: ::ir::nanopass::verify::Scopes::new(#show) };
            verifier.#root(tree.root, &|| String::from("the program"));
            verifier.state.finish()
        }
    }
}
