//! Parsing the `languages!` input into [`LanguageDecl`]s.
//!
//! ```text
//! /// docs
//! pub language Name [extends Parent] {
//!     terminals { [#[variable]] Name = RustType, ...  |  + Name = RustType, - Name, ... }
//!     /// docs
//!     Nonterminal { /// docs
//!                   Production = template, ... }      // in a base language
//!     Nonterminal { + Production = template, - Production, ... }  // edits in an extension
//!     + Nonterminal { ... }    - Nonterminal
//! }
//! ```
//! A template is a hole (`name: [bind] Type`), a keyword (an identifier, `set!`, `letrec*`, or a
//! string literal or operator such as `+`), or a `( ... )`/`[ ... ]` list of templates; `...` after an element repeats it
//! and `?` makes it optional.

use crate::model::*;
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Ident, LitStr, Token, Visibility, braced};

pub struct Input {
    pub languages: Vec<LanguageDecl>,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Input> {
        let mut languages = Vec::new();
        while !input.is_empty() {
            languages.push(input.parse()?);
        }
        Ok(Input { languages })
    }
}

mod kw {
    syn::custom_keyword!(language);
    syn::custom_keyword!(extends);
    syn::custom_keyword!(terminals);
    syn::custom_keyword!(bind);
}

impl Parse for LanguageDecl {
    fn parse(input: ParseStream<'_>) -> syn::Result<LanguageDecl> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        input.parse::<kw::language>()?;
        let name: Ident = input.parse()?;
        let extends = if input.peek(kw::extends) {
            input.parse::<kw::extends>()?;
            Some(input.parse()?)
        } else {
            None
        };
        let body;
        braced!(body in input);
        let mut terminals = Vec::new();
        let mut nonterminals = Vec::new();
        while !body.is_empty() {
            if body.peek(kw::terminals) {
                body.parse::<kw::terminals>()?;
                let block;
                braced!(block in body);
                terminals.extend(parse_comma_separated(&block, parse_terminal_edit)?);
            } else {
                nonterminals.push(parse_nonterminal(&body, extends.is_some())?);
            }
        }
        Ok(LanguageDecl {
            attrs,
            vis,
            name,
            extends,
            terminals,
            nonterminals,
        })
    }
}

fn parse_comma_separated<T>(
    input: ParseStream<'_>,
    item: fn(ParseStream<'_>) -> syn::Result<T>,
) -> syn::Result<Vec<T>> {
    let mut items = Vec::new();
    while !input.is_empty() {
        items.push(item(input)?);
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(items)
}

fn parse_terminal_edit(input: ParseStream<'_>) -> syn::Result<Edit<Terminal>> {
    if input.peek(Token![-]) {
        input.parse::<Token![-]>()?;
        return Ok(Edit::Remove(input.parse()?));
    }
    if input.peek(Token![+]) {
        input.parse::<Token![+]>()?;
    }
    let attrs = input.call(Attribute::parse_outer)?;
    let mut docs = Vec::new();
    let mut variable = false;
    for attr in attrs {
        if attr.path().is_ident("variable") {
            variable = true;
        } else if attr.path().is_ident("doc") {
            docs.push(attr);
        } else {
            return Err(syn::Error::new_spanned(
                attr,
                "expected a doc comment or #[variable]",
            ));
        }
    }
    let name = input.parse()?;
    input.parse::<Token![=]>()?;
    let ty = input.parse()?;
    Ok(Edit::Add(Terminal {
        docs,
        name,
        ty,
        variable,
    }))
}

fn parse_nonterminal(input: ParseStream<'_>, in_extension: bool) -> syn::Result<NonterminalDecl> {
    let docs = input.call(Attribute::parse_outer)?;
    if input.peek(Token![-]) {
        input.parse::<Token![-]>()?;
        let name = input.parse()?;
        if input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
        }
        return Ok(NonterminalDecl::Remove(name));
    }
    let added = input.peek(Token![+]);
    if added {
        input.parse::<Token![+]>()?;
    }
    let name: Ident = input.parse()?;
    let block;
    braced!(block in input);
    if in_extension && !added {
        let productions =
            parse_comma_separated(&block, |input| parse_production_edit(input, true))?;
        return Ok(NonterminalDecl::Modify { name, productions });
    }
    let productions =
        parse_comma_separated(&block, |input| match parse_production_edit(input, false)? {
            Edit::Add(production) => Ok(production),
            Edit::Remove(name) => Err(syn::Error::new(
                name.span(),
                "`-` only makes sense in an extension",
            )),
        })?;
    Ok(NonterminalDecl::Add(Nonterminal {
        docs,
        name,
        productions,
    }))
}

fn parse_production_edit(
    input: ParseStream<'_>,
    in_extension: bool,
) -> syn::Result<Edit<Production>> {
    let docs = input.call(Attribute::parse_outer)?;
    if input.peek(Token![-]) {
        input.parse::<Token![-]>()?;
        return Ok(Edit::Remove(input.parse()?));
    }
    if input.peek(Token![+]) {
        input.parse::<Token![+]>()?;
    } else if in_extension {
        return Err(
            input.error("in an extension, write `+ Production = template` or `- Production`")
        );
    }
    let name = input.parse()?;
    input.parse::<Token![=]>()?;
    // The template runs to the next top-level comma.
    let mut tokens = Vec::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        tokens.push(input.parse::<TokenTree>()?);
    }
    let template = parse_template(tokens.into_iter().collect(), input.span())?;
    Ok(Edit::Add(Production {
        docs,
        name,
        template,
    }))
}

/// Parses a whole production template, which must be exactly one element.
fn parse_template(tokens: TokenStream, span: proc_macro2::Span) -> syn::Result<Template> {
    let mut items = parse_sequence(tokens)?;
    match items.len() {
        1 => Ok(items.remove(0)),
        0 => Err(syn::Error::new(span, "expected a template after `=`")),
        _ => Err(syn::Error::new(
            span,
            "a template is one hole or one parenthesized list",
        )),
    }
}

/// Parses the elements of a template list.
fn parse_sequence(tokens: TokenStream) -> syn::Result<Vec<Template>> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut items = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        // `. hole` ends a list with an optional dotted tail.
        if is_punct(tokens.get(i), '.') && !is_punct(tokens.get(i + 1), '.') {
            let rest: TokenStream = tokens[i + 1..].iter().cloned().collect();
            let mut tail = parse_sequence(rest)?;
            return match (tail.pop(), tail.is_empty()) {
                (Some(hole @ Template::Hole(_)), true) => {
                    items.push(Template::Tail(Box::new(hole)));
                    Ok(items)
                }
                _ => Err(syn::Error::new(
                    tokens[i].span(),
                    "a `.` must be followed by exactly one hole, at the end of a list",
                )),
            };
        }
        let element = match &tokens[i] {
            TokenTree::Group(group) => {
                let bracket = match group.delimiter() {
                    Delimiter::Parenthesis => Bracket::Round,
                    Delimiter::Bracket => Bracket::Square,
                    _ => {
                        return Err(syn::Error::new(
                            group.span(),
                            "templates use ( ) or [ ] for lists",
                        ));
                    }
                };
                i += 1;
                Template::List(parse_sequence(group.stream())?, bracket)
            }
            TokenTree::Literal(literal) => {
                let text: LitStr = syn::parse2(TokenTree::Literal(literal.clone()).into())
                    .map_err(|_| {
                        syn::Error::new(literal.span(), "a keyword literal must be a string")
                    })?;
                i += 1;
                Template::Keyword(text.value(), literal.span())
            }
            TokenTree::Ident(ident) if is_punct(tokens.get(i + 1), ':') => {
                i += 2;
                let binder = matches!(tokens.get(i), Some(TokenTree::Ident(b)) if b == "bind");
                if binder {
                    i += 1;
                }
                let Some(TokenTree::Ident(ty)) = tokens.get(i) else {
                    let span = tokens.get(i).map_or(ident.span(), TokenTree::span);
                    return Err(syn::Error::new(
                        span,
                        "expected a terminal or nonterminal name after `:`",
                    ));
                };
                i += 1;
                Template::Hole(Hole {
                    name: ident.clone(),
                    binder,
                    ty: ty.clone(),
                })
            }
            TokenTree::Ident(ident) => {
                // A keyword, possibly ending in `!`, `*` or `?` as Scheme names do (`set!`).
                let mut keyword = ident.to_string();
                i += 1;
                while let Some(TokenTree::Punct(p)) = tokens.get(i) {
                    if !matches!(p.as_char(), '!' | '*') {
                        break;
                    }
                    keyword.push(p.as_char());
                    i += 1;
                }
                Template::Keyword(keyword, ident.span())
            }
            // Operator keywords such as `+` or `<=`: a run of joined punctuation.
            TokenTree::Punct(p) if OPERATOR_CHARS.contains(p.as_char()) => {
                let mut keyword = String::new();
                while let Some(TokenTree::Punct(q)) = tokens.get(i) {
                    if !OPERATOR_CHARS.contains(q.as_char()) {
                        break;
                    }
                    keyword.push(q.as_char());
                    i += 1;
                    if q.spacing() == proc_macro2::Spacing::Alone {
                        break;
                    }
                }
                Template::Keyword(keyword, p.span())
            }
            TokenTree::Punct(p) => {
                return Err(syn::Error::new(
                    p.span(),
                    format!("unexpected `{}` in template", p.as_char()),
                ));
            }
        };
        // Suffixes: `...` repeats, `?` makes optional.
        if is_punct(tokens.get(i), '.')
            && is_punct(tokens.get(i + 1), '.')
            && is_punct(tokens.get(i + 2), '.')
        {
            i += 3;
            items.push(Template::Repeat(Box::new(element)));
        } else if is_punct(tokens.get(i), '?') {
            i += 1;
            items.push(Template::Optional(Box::new(element)));
        } else {
            items.push(element);
        }
    }
    Ok(items)
}

/// Characters that may form an operator keyword (`.`, `?` and `:` have meanings of their own).
const OPERATOR_CHARS: &str = "+-*/<=>!%&^~@";

fn is_punct(token: Option<&TokenTree>, c: char) -> bool {
    matches!(token, Some(TokenTree::Punct(p)) if p.as_char() == c)
}
