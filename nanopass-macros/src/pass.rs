//! `#[pass(source => target)]` on an `impl` block: the block becomes the implementation of the
//! target's `from_source::Translate` trait (only the productions the pass changes appear in it),
//! plus an implementation of `ir::nanopass::Pass` naming the pass after its type
//! (`ConvertLetrec` → `convert_letrec`). `#[pass(source => ())]` makes an analysis: the block
//! implements the source's `Visit` trait. `inherited = Type` sets the value passed down.

use crate::generate::first_doc_line;
use crate::model::snake_case;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, ImplItem, ItemImpl, Path, Token, Type};

/// The attribute's arguments.
pub struct PassArgs {
    source: Path,
    target: Option<Path>,
    inherited: Option<Type>,
}

mod kw {
    syn::custom_keyword!(inherited);
}

impl Parse for PassArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<PassArgs> {
        let source: Path = input.parse()?;
        input.parse::<Token![=>]>()?;
        let target = if input.peek(syn::token::Paren) {
            let unit;
            syn::parenthesized!(unit in input);
            if !unit.is_empty() {
                return Err(unit.error("expected `()` (an analysis) or a language module path"));
            }
            None
        } else {
            Some(input.parse()?)
        };
        let mut inherited = None;
        if input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
            input.parse::<kw::inherited>()?;
            input.parse::<Token![=]>()?;
            inherited = Some(input.parse()?);
        }
        if !input.is_empty() {
            return Err(input.error("unexpected tokens after the pass's languages"));
        }
        Ok(PassArgs {
            source,
            target,
            inherited,
        })
    }
}

pub fn expand(args: PassArgs, item: ItemImpl) -> syn::Result<TokenStream> {
    if let Some((trait_path, _)) = &item.trait_ {
        return Err(syn::Error::new_spanned(
            trait_path,
            "#[pass] goes on an inherent `impl Pass { ... }`; it supplies the trait itself",
        ));
    }
    let self_ty = &item.self_ty;
    let (impl_generics, _, where_clause) = item.generics.split_for_impl();
    let (docs, other_attrs): (Vec<&Attribute>, Vec<&Attribute>) = item
        .attrs
        .iter()
        .partition(|attr| attr.path().is_ident("doc"));
    let items = &item.items;
    let source = &args.source;
    let Some(target) = &args.target else {
        return Ok(quote! {
            #(#docs)*
            #(#other_attrs)*
            impl #impl_generics #source::Visit for #self_ty #where_clause {
                #(#items)*
            }
        });
    };
    let Some(source_module) = source.segments.last() else {
        return Err(syn::Error::new_spanned(
            source,
            "expected the path of a language module",
        ));
    };
    let from_module = format_ident!("from_{}", source_module.ident);
    let declares_inherited = items
        .iter()
        .any(|item| matches!(item, ImplItem::Type(t) if t.ident == "Inherited"));
    let inherited = match (&args.inherited, declares_inherited) {
        (_, true) => TokenStream::new(),
        (Some(ty), false) => quote!(type Inherited = #ty;),
        (None, false) => quote!(
            type Inherited = ();
        ),
    };
    let name = snake_case(&type_name(self_ty)?);
    let doc = first_doc_line(&item.attrs).unwrap_or_default();
    Ok(quote! {
        #(#docs)*
        #(#other_attrs)*
        impl #impl_generics #target::#from_module::Translate for #self_ty #where_clause {
            #inherited
            #(#items)*
        }

        impl #impl_generics ::ir::nanopass::Pass for #self_ty #where_clause {
            const NAME: &'static str = #name;
            const DOC: &'static str = #doc;
            type Input = #source::Tree;
            type Output = #target::Tree;
            fn run(&mut self, input: #source::Tree) -> #target::Tree {
                #target::#from_module::run(self, input)
            }
        }
    })
}

fn type_name(ty: &Type) -> syn::Result<String> {
    match ty {
        Type::Path(path) => match path.path.segments.last() {
            Some(segment) => Ok(segment.ident.to_string()),
            None => Err(syn::Error::new_spanned(ty, "expected a named type")),
        },
        _ => Err(syn::Error::new_spanned(
            ty,
            "a pass is a named type (a struct)",
        )),
    }
}
