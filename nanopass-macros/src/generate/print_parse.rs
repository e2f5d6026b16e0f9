//! The printer (`arena.sexp_expr(id)`) and parser (`Tree::parse(text)`) of a language: each
//! production's template becomes a static `Pat` that the support code in `ir::nanopass::template`
//! interprets, and the generated code only converts fields to and from S-expressions.

use super::grammar_doc::template_text;
use super::names;
use crate::model::{Bracket, Kind, Language, Multiplicity, Nonterminal, Production, Template};
use proc_macro2::TokenStream;
use quote::quote;

pub fn generate(language: &Language) -> TokenStream {
    let mut statics = TokenStream::new();
    let mut methods = TokenStream::new();
    let mut accepts = TokenStream::new();
    for nonterminal in &language.nonterminals {
        for production in &nonterminal.productions {
            statics.extend(template_static(language, nonterminal, production));
        }
        methods.extend(printer(language, nonterminal));
        methods.extend(parser(language, nonterminal));
        accepts.extend(acceptor(language, nonterminal));
    }
    let root = &language.nonterminals[0];
    let sexp_root = names::sexp(root);
    let parse_root = names::parse(root);
    let verify = quote!(verify_tree);
    let language_name = language.name.to_string();
    let keywords = keywords(language);
    quote! {
        /// Every keyword of the language's templates.
        static KEYWORDS: &[&str] = &[#(#keywords),*];
        #statics
        impl Arena { #methods }
        #accepts

        impl ::ir::nanopass::Ir for Tree {
            const LANGUAGE: &'static str = #language_name;

            fn to_sexp(&self) -> ::ir::nanopass::Sexp {
                self.arena.#sexp_root(self.root)
            }

            fn parse(text: &str) -> Result<Tree, ::ir::nanopass::ParseError> {
                let sexps = ::ir::nanopass::sexp::parse(text)?;
                let [sexp] = sexps.as_slice() else {
                    return Err(::ir::nanopass::ParseError {
                        pos: sexps.get(1).map(|s| s.pos()).unwrap_or_default(),
                        message: format!("expected one {} program, found {} S-expressions", #language_name, sexps.len()),
                    });
                };
                let mut p = ::ir::nanopass::ParseCx::new(text);
                let mut arena = Arena::default();
                let root = arena.#parse_root(&mut p, sexp)?;
                arena.cx = p.cx;
                Ok(Tree { arena, root })
            }

            fn verify(&self) -> Result<(), Vec<::ir::nanopass::VerifyError>> {
                #verify(self)
            }
        }

        impl ::std::fmt::Display for Tree {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&::ir::nanopass::Ir::print(self))
            }
        }
    }
}

fn template_static(
    language: &Language,
    nonterminal: &Nonterminal,
    production: &Production,
) -> TokenStream {
    let name = names::template(nonterminal, production);
    let shapes_name = names::shapes(nonterminal, production);
    let mut next_hole = 0;
    let pat = pat_tokens(&production.template, &mut next_hole);
    let shapes: Vec<TokenStream> = language
        .fields(production)
        .iter()
        .map(|field| match field.multiplicity {
            Multiplicity::One => quote!(::ir::nanopass::template::Shape::One),
            Multiplicity::Many => quote!(::ir::nanopass::template::Shape::Many),
            Multiplicity::Maybe => quote!(::ir::nanopass::template::Shape::Maybe),
        })
        .collect();
    let count = shapes.len();
    quote! {
        static #name: ::ir::nanopass::template::Pat = #pat;
        static #shapes_name: [::ir::nanopass::template::Shape; #count] = [#(#shapes),*];
    }
}

fn pat_tokens(template: &Template, next_hole: &mut usize) -> TokenStream {
    match template {
        Template::Keyword(keyword, _) => quote!(::ir::nanopass::template::Pat::Keyword(#keyword)),
        Template::Hole(_) => {
            let index = *next_hole;
            *next_hole += 1;
            quote!(::ir::nanopass::template::Pat::Hole(#index))
        }
        Template::List(items, bracket) => {
            let items: Vec<TokenStream> = items
                .iter()
                .map(|item| pat_tokens(item, next_hole))
                .collect();
            let bracket = match bracket {
                Bracket::Round => quote!(::ir::nanopass::sexp::Bracket::Round),
                Bracket::Square => quote!(::ir::nanopass::sexp::Bracket::Square),
            };
            quote!(::ir::nanopass::template::Pat::List(&[#(#items),*], #bracket))
        }
        Template::Repeat(inner) => {
            let inner = pat_tokens(inner, next_hole);
            quote!(::ir::nanopass::template::Pat::Repeat(&#inner))
        }
        Template::Optional(inner) => {
            let inner = pat_tokens(inner, next_hole);
            quote!(::ir::nanopass::template::Pat::Optional(&#inner))
        }
        Template::Tail(inner) => {
            let inner = pat_tokens(inner, next_hole);
            quote!(::ir::nanopass::template::Pat::Tail(&#inner))
        }
    }
}

/// `fn sexp_expr(&self, id) -> Sexp`: prints a node and its subtree.
fn printer(language: &Language, nonterminal: &Nonterminal) -> TokenStream {
    let name = &nonterminal.name;
    let id = names::id_type(nonterminal);
    let method = names::sexp(nonterminal);
    let arms = nonterminal.productions.iter().map(|production| {
        let variant = &production.name;
        let template = names::template(nonterminal, production);
        let fields = language.fields(production);
        let field_names: Vec<_> = fields.iter().map(|f| &f.name).collect();
        let printed = fields.iter().map(|field| {
            let field_name = &field.name;
            let one = match field.kind {
                Kind::Terminal(_) => quote!(::ir::nanopass::Terminal::print(x, &self.cx)),
                Kind::Nonterminal(index) => {
                    let sexp = names::sexp(&language.nonterminals[index]);
                    quote!(self.#sexp(x))
                }
            };
            match field.multiplicity {
                Multiplicity::One => quote!(::ir::nanopass::template::Printed::One({ let x = *#field_name; #one })),
                Multiplicity::Many => {
                    quote!(::ir::nanopass::template::Printed::Many(#field_name.iter().map(|&x| #one).collect()))
                }
                Multiplicity::Maybe => quote!(::ir::nanopass::template::Printed::Maybe(#field_name.map(|x| #one))),
            }
        });
        quote! {
            #name::#variant { #(#field_names),* } => {
                ::ir::nanopass::template::print(&#template, vec![#(#printed),*])
            }
        }
    });
    let doc = format!("The `{name}` node `id` as an S-expression.");
    quote! {
        #[doc = #doc]
        pub fn #method(&self, id: #id) -> ::ir::nanopass::Sexp {
            ::ir::nanopass::grow(|| match &self[id] {
                #(#arms)*
            })
        }
    }
}

/// The order the parser tries productions in; the first whose template matches is committed
/// to. Keyword-led lists come first (they are unambiguous), then productions that are a single
/// hole (they accept only their terminal's or nonterminal's own shapes), then other lists (a
/// keywordless list such as a call accepts almost anything). Declaration order breaks ties.
fn parse_order(nonterminal: &Nonterminal) -> Vec<&Production> {
    let rank = |p: &Production| match &p.template {
        Template::List(items, _) if matches!(items.first(), Some(Template::Keyword(..))) => 0,
        Template::Hole(_) => 1,
        _ => 2,
    };
    let mut order: Vec<&Production> = nonterminal.productions.iter().collect();
    order.sort_by_key(|p| rank(p));
    order
}

/// The closure telling which S-expressions may fill each hole of a production.
fn hole_acceptor(language: &Language, production: &Production) -> TokenStream {
    let fields = language.fields(production);
    let bare = matches!(production.template, Template::Hole(_));
    let arms = fields
        .iter()
        .enumerate()
        .map(|(index, field)| match field.kind {
            // A keyword of the language never names a variable: `(if)` is not a call of `if`.
            Kind::Terminal(t) if language.terminals[t].variable => {
                let ty = language.terminal_type(t);
                quote!(#index => <#ty as ::ir::nanopass::Terminal>::accepts(s)
                    && !s.as_atom().is_some_and(|atom| KEYWORDS.contains(&atom)),)
            }
            Kind::Terminal(t) => {
                let ty = language.terminal_type(t);
                quote!(#index => <#ty as ::ir::nanopass::Terminal>::accepts(s),)
            }
            // A production that is just a nonterminal must check that nonterminal's shapes;
            // elsewhere any S-expression may fill a nonterminal hole.
            Kind::Nonterminal(n) if bare => {
                let accepts = names::accepts(&language.nonterminals[n]);
                quote!(#index => #accepts(s),)
            }
            // Elsewhere anything but a keyword may fill a nonterminal hole (the child's own
            // parse reports what is wrong with it): `(if)` is a malformed `if`, not a call.
            Kind::Nonterminal(_) => {
                quote!(#index => !s.as_atom().is_some_and(|atom| KEYWORDS.contains(&atom)),)
            }
        });
    quote!(&|field: usize, s: &::ir::nanopass::Sexp| -> bool { match field { #(#arms)* _ => true } })
}

/// `fn parse_expr(&mut self, p, sexp) -> Result<ExprId, ParseError>`.
fn parser(language: &Language, nonterminal: &Nonterminal) -> TokenStream {
    let name = &nonterminal.name;
    let id = names::id_type(nonterminal);
    let method = names::parse(nonterminal);
    let add = names::add(nonterminal);
    let attempts = parse_order(nonterminal).into_iter().map(|production| {
        let variant = &production.name;
        let template = names::template(nonterminal, production);
        let shapes = names::shapes(nonterminal, production);
        let acceptor = hole_acceptor(language, production);
        let fields = language.fields(production);
        let field_names: Vec<_> = fields.iter().map(|f| &f.name).collect();
        let conversions = fields.iter().enumerate().map(|(index, field)| {
            let field_name = &field.name;
            let one = match field.kind {
                Kind::Terminal(t) => {
                    let ty = language.terminal_type(t);
                    quote!(<#ty as ::ir::nanopass::Terminal>::parse(s, p))
                }
                Kind::Nonterminal(n) => {
                    let parse = names::parse(&language.nonterminals[n]);
                    quote!(self.#parse(p, s))
                }
            };
            match field.multiplicity {
                Multiplicity::One => quote! {
                    let #field_name = { let s = ::ir::nanopass::template::one(&captured[#index]); #one? };
                },
                Multiplicity::Many => quote! {
                    let #field_name = ::ir::nanopass::template::many(&captured[#index])
                        .iter()
                        .map(|&s| #one)
                        .collect::<Result<Vec<_>, ::ir::nanopass::ParseError>>()?;
                },
                Multiplicity::Maybe => quote! {
                    let #field_name = ::ir::nanopass::template::maybe(&captured[#index]).map(|s| #one).transpose()?;
                },
            }
        });
        quote! {
            if let Some(captured) = ::ir::nanopass::template::matches(&#template, &#shapes, sexp, #acceptor) {
                #(#conversions)*
                return Ok(self.#add(#name::#variant { #(#field_names),* }));
            }
        }
    });
    let alternatives = nonterminal.productions.iter().map(|p| {
        let text = template_text(&p.template);
        match &p.template {
            Template::List(items, _) => match items.first() {
                Some(Template::Keyword(keyword, _)) => quote!((Some(#keyword), #text)),
                _ => quote!((None, #text)),
            },
            _ => quote!((None, #text)),
        }
    });
    let name_text = name.to_string();
    quote! {
        fn #method(&mut self, p: &mut ::ir::nanopass::ParseCx<'_>, sexp: &::ir::nanopass::Sexp)
            -> Result<#id, ::ir::nanopass::ParseError>
        {
            ::ir::nanopass::grow(|| {
                #(#attempts)*
                Err(::ir::nanopass::template::no_match(#name_text, sexp, &[#(#alternatives),*]))
            })
        }
    }
}

/// `fn accepts_expr(sexp) -> bool`: whether some production's template matches at the top.
fn acceptor(language: &Language, nonterminal: &Nonterminal) -> TokenStream {
    let method = names::accepts(nonterminal);
    let checks = nonterminal.productions.iter().map(|production| {
        let template = names::template(nonterminal, production);
        let shapes = names::shapes(nonterminal, production);
        let acceptor = hole_acceptor(language, production);
        quote!(::ir::nanopass::template::matches(&#template, &#shapes, s, #acceptor).is_some())
    });
    quote! {
        fn #method(s: &::ir::nanopass::Sexp) -> bool {
            #(#checks)||*
        }
    }
}

fn keywords(language: &Language) -> Vec<String> {
    fn collect(template: &Template, out: &mut Vec<String>) {
        match template {
            Template::Keyword(keyword, _) if !out.contains(keyword) => out.push(keyword.clone()),
            Template::Keyword(..) | Template::Hole(_) => {}
            Template::List(items, _) => items.iter().for_each(|item| collect(item, out)),
            Template::Repeat(inner) | Template::Optional(inner) | Template::Tail(inner) => {
                collect(inner, out)
            }
        }
    }
    let mut out = Vec::new();
    for nonterminal in &language.nonterminals {
        for production in &nonterminal.productions {
            collect(&production.template, &mut out);
        }
    }
    out
}
