//! Procedural macros declaring loko's intermediate languages and passes.
//!
//! - [`languages!`] declares every intermediate language of the compiler in one place; a
//!   language may extend an earlier one by adding and removing productions by name. For each
//!   language it generates a module with node types in an arena, builders, a printer and parser
//!   for S-expression text, a visitor, a verifier, translation traits, and the grammar as rustdoc.
//! - [`macro@pass`] turns an `impl` block holding only the productions a pass changes into a pass.
//!
//! The entry points are thin: the logic lives in functions over `proc_macro2` token streams
//! (`parse`, `resolve`, `generate`, `pass`), which the unit tests call directly.

mod generate;
mod model;
mod parse;
mod pass;
mod resolve;
#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// Declares intermediate languages. See the `parse` module for the syntax.
#[proc_macro]
pub fn languages(input: TokenStream) -> TokenStream {
    languages_tokens(input.into()).into()
}

/// Declares a pass: `#[pass(ir::lang::core => ir::lang::no_letrec)] impl ConvertLetrec { ... }`.
#[proc_macro_attribute]
pub fn pass(args: TokenStream, item: TokenStream) -> TokenStream {
    pass_tokens(args.into(), item.into()).into()
}

fn languages_tokens(input: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    let result = syn::parse2::<parse::Input>(input)
        .and_then(|input| resolve::resolve(input.languages))
        .map(|languages| generate::languages(&languages));
    result.unwrap_or_else(syn::Error::into_compile_error)
}

fn pass_tokens(
    args: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> proc_macro2::TokenStream {
    let result = syn::parse2::<pass::PassArgs>(args).and_then(|args| {
        syn::parse2::<syn::ItemImpl>(item).and_then(|item| pass::expand(args, item))
    });
    result.unwrap_or_else(syn::Error::into_compile_error)
}
