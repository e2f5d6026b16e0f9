//! Unit tests of the macro logic, called on token streams directly.

use super::{languages_tokens, pass_tokens};
use quote::quote;

fn errors(tokens: proc_macro2::TokenStream) -> String {
    let text = tokens.to_string();
    assert!(
        text.contains("compile_error"),
        "expected an error, got: {text}"
    );
    text
}

#[test]
fn unknown_type_is_an_error_naming_it() {
    let out = languages_tokens(quote! {
        pub language L { E { Ref = x: Vr } }
    });
    assert!(errors(out).contains("`Vr` is not a terminal or nonterminal of language `L`"));
}
