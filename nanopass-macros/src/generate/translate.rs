//! Translation traits: for a pair of languages (a language and its extension, or a language and
//! itself), `trait Translate` has a method per nonterminal, per production and per terminal of
//! the source. Where the target has the same production, the method defaults to structural
//! recursion, passing the pass's inherited value down to every child; where it does not (the
//! production was removed or changed), the method has no default, so a pass that forgets it
//! does not compile and rustc names the missing `nonterminal_production` method.

use super::grammar_doc::template_text;
use super::names;
use super::types::{dispatch_arm, param_type};
use crate::model::{Field, Kind, Language, Multiplicity, Nonterminal, Production};
use proc_macro2::TokenStream;
use quote::quote;

pub fn generate(source: &Language, target: &Language) -> TokenStream {
    let same = source.name == target.name;
    let src = if same {
        quote!(super::)
    } else {
        let m = &source.module;
        quote!(super::super::#m::)
    };
    let dst = quote!(super::);
    let mut methods = TokenStream::new();
    for nonterminal in &source.nonterminals {
        let Some(target_index) = target.nonterminal(&nonterminal.name.to_string()) else {
            continue;
        };
        let target_nonterminal = &target.nonterminals[target_index];
        methods.extend(dispatch(
            source,
            nonterminal,
            target_nonterminal,
            &src,
            &dst,
        ));
        for production in &nonterminal.productions {
            let counterpart = target_nonterminal
                .productions
                .iter()
                .find(|p| p.name == production.name);
            let identical =
                counterpart.is_some_and(|p| same_production(source, production, target, p));
            methods.extend(production_method(
                source,
                nonterminal,
                production,
                identical,
                &src,
                &dst,
            ));
        }
    }
    for (index, terminal) in source.terminals.iter().enumerate() {
        let Some(target_index) = target.terminal(&terminal.name.to_string()) else {
            continue;
        };
        let hook = names::terminal_hook(source, index);
        let from = source.terminal_type(index);
        let to = target.terminal_type(target_index);
        let doc = format!(
            "Translates a `{}` terminal (binding occurrences included).",
            terminal.name
        );
        let body = if from.to_string() == to.to_string() {
            quote!({ value })
        } else {
            quote!(;)
        };
        methods.extend(quote! {
            #[doc = #doc]
            fn #hook(&mut self, cx: &mut Cx<'_>, inherited: Self::Inherited, value: #from) -> #to #body
        });
    }
    let module = names::from_module(source);
    let run = run_function(source, target, &src, &dst);
    let doc = format!(
        "Translating `{}` programs into `{}` programs.",
        source.name, target.name
    );
    quote! {
        #[doc = #doc]
        pub mod #module {
            #[allow(unused_imports)]
            use super::*;

            /// The translation's context: the source arena being read, the target being built.
            pub struct Cx<'a> {
                pub src: &'a #src Arena,
                pub dst: #dst Arena,
            }

            /// A pass's translation; override the productions the pass changes.
            pub trait Translate {
                /// The value passed down from parent to child (`()` if the pass needs none).
                type Inherited: Clone + Default;
                #methods
            }

            #run
        }
    }
}

/// Whether a production means the same in both languages, so it can be copied structurally.
fn same_production(source: &Language, a: &Production, target: &Language, b: &Production) -> bool {
    if template_text(&a.template) != template_text(&b.template) {
        return false;
    }
    let (fa, fb) = (source.fields(a), target.fields(b));
    fa.len() == fb.len()
        && fa.iter().zip(&fb).all(|(x, y)| match (x.kind, y.kind) {
            (Kind::Terminal(i), Kind::Terminal(j)) => {
                source.terminal_type(i).to_string() == target.terminal_type(j).to_string()
            }
            (Kind::Nonterminal(i), Kind::Nonterminal(j)) => {
                source.nonterminals[i].name == target.nonterminals[j].name
            }
            _ => false,
        })
}

fn dispatch(
    source: &Language,
    nonterminal: &Nonterminal,
    target_nonterminal: &Nonterminal,
    src: &TokenStream,
    dst: &TokenStream,
) -> TokenStream {
    let name = &nonterminal.name;
    let method = names::method(nonterminal);
    let id = names::id_type(nonterminal);
    let target_id = names::id_type(target_nonterminal);
    let arms = nonterminal.productions.iter().map(|production| {
        dispatch_arm(source, nonterminal, production, src, quote!(cx, inherited))
    });
    let doc = format!("Translates a `{name}` node: dispatches on its production.");
    quote! {
        #[doc = #doc]
        fn #method(&mut self, cx: &mut Cx<'_>, inherited: Self::Inherited, id: #src #id) -> #dst #target_id {
            let src = cx.src;
            ::ir::nanopass::grow(|| match &src[id] { #(#arms)* })
        }
    }
}

fn production_method(
    source: &Language,
    nonterminal: &Nonterminal,
    production: &Production,
    identical: bool,
    src: &TokenStream,
    dst: &TokenStream,
) -> TokenStream {
    let method = names::production_method(nonterminal, production);
    let target_id = names::id_type(nonterminal);
    let fields = source.fields(production);
    let params = fields.iter().map(|field| {
        let field_name = &field.name;
        let ty = param_type(source, field, src);
        quote!(#field_name: #ty)
    });
    let shape = template_text(&production.template);
    let signature = quote! {
        fn #method(&mut self, cx: &mut Cx<'_>, inherited: Self::Inherited, #(#params),*) -> #dst #target_id
    };
    if !identical {
        let doc = format!(
            "Translates `{shape}`. The target language has no such production, so every pass must \
             translate it."
        );
        return quote! { #[doc = #doc] #signature; };
    }
    let translations = fields.iter().map(|field| translate_field(source, field));
    let field_names: Vec<_> = fields.iter().map(|f| &f.name).collect();
    let name = &nonterminal.name;
    let variant = &production.name;
    let add = names::add(nonterminal);
    let doc = format!("Translates `{shape}`; by default, field by field.");
    quote! {
        #[doc = #doc]
        #signature {
            #(#translations)*
            cx.dst.#add(#dst #name::#variant { #(#field_names),* })
        }
    }
}

fn translate_field(source: &Language, field: &Field) -> TokenStream {
    let field_name = &field.name;
    let hook = match field.kind {
        Kind::Terminal(t) => names::terminal_hook(source, t),
        Kind::Nonterminal(n) => names::method(&source.nonterminals[n]),
    };
    match field.multiplicity {
        Multiplicity::One => quote! {
            let #field_name = self.#hook(cx, inherited.clone(), #field_name);
        },
        Multiplicity::Many => quote! {
            let #field_name: Vec<_> = #field_name.iter().map(|&x| self.#hook(cx, inherited.clone(), x)).collect();
        },
        Multiplicity::Maybe => quote! {
            let #field_name = #field_name.map(|x| self.#hook(cx, inherited.clone(), x));
        },
    }
}

/// `run(pass, tree)`: translates a whole program, if both languages have the same root.
fn run_function(
    source: &Language,
    target: &Language,
    src: &TokenStream,
    dst: &TokenStream,
) -> TokenStream {
    if source.nonterminals[0].name != target.nonterminals[0].name {
        return TokenStream::new();
    }
    let root = names::method(&source.nonterminals[0]);
    quote! {
        /// Translates `tree` with `pass`. The target starts with a copy of the source's context
        /// (variables and constants), so ids stay valid across the translation.
        pub fn run<T: Translate + ?Sized>(pass: &mut T, tree: #src Tree) -> #dst Tree {
            let mut cx = Cx { src: &tree.arena, dst: #dst Arena::new(tree.arena.cx.clone()) };
            let root = pass.#root(&mut cx, Default::default(), tree.root);
            #dst Tree { arena: cx.dst, root }
        }
    }
}
