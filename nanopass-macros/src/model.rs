//! The languages as the macro understands them: first as declared (with `+`/`-` edits for
//! extensions), then resolved into complete grammars that the generators read.

use proc_macro2::{Span, TokenStream};
use syn::{Attribute, Ident, Type, Visibility};

/// One `language` block as written.
pub struct LanguageDecl {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub name: Ident,
    pub extends: Option<Ident>,
    pub terminals: Vec<Edit<Terminal>>,
    pub nonterminals: Vec<NonterminalDecl>,
}

/// An entry of a language block: in a base language everything is `Add`; an extension says
/// `+ entry` to add and `- Name` to remove.
pub enum Edit<T> {
    Add(T),
    Remove(Ident),
}

/// A nonterminal block: a new one (`Add`), a removal, or edits to an inherited one.
pub enum NonterminalDecl {
    Add(Nonterminal),
    Remove(Ident),
    Modify {
        name: Ident,
        productions: Vec<Edit<Production>>,
    },
}

#[derive(Clone)]
pub struct Terminal {
    pub docs: Vec<Attribute>,
    pub name: Ident,
    pub ty: Type,
    /// Marked `#[variable]`: binders and references of this terminal are checked for scope.
    pub variable: bool,
}

#[derive(Clone)]
pub struct Nonterminal {
    pub docs: Vec<Attribute>,
    pub name: Ident,
    pub productions: Vec<Production>,
}

#[derive(Clone)]
pub struct Production {
    pub docs: Vec<Attribute>,
    pub name: Ident,
    pub template: Template,
}

/// A production's S-expression shape with typed holes.
#[derive(Clone)]
pub enum Template {
    Keyword(String, Span),
    Hole(Hole),
    List(Vec<Template>, Bracket),
    /// `pattern ...`: zero or more, spliced into the enclosing list.
    Repeat(Box<Template>),
    /// `pattern ?`: zero or one, spliced into the enclosing list.
    Optional(Box<Template>),
    /// `. hole` at the end of a list: an optional dotted tail, as in `(x y . rest)`.
    Tail(Box<Template>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Bracket {
    Round,
    Square,
}

#[derive(Clone)]
pub struct Hole {
    pub name: Ident,
    pub binder: bool,
    pub ty: Ident,
}

/// A language with every inherited entry filled in.
#[derive(Clone)]
pub struct Language {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub name: Ident,
    pub module: Ident,
    pub parent: Option<Ident>,
    pub terminals: Vec<Terminal>,
    pub nonterminals: Vec<Nonterminal>,
}

/// How many values a field holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Multiplicity {
    One,
    Many,
    Maybe,
}

/// What a field holds: the index of a terminal or a nonterminal of its language.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Terminal(usize),
    Nonterminal(usize),
}

/// A field of a production, derived from a hole of its template.
#[derive(Clone)]
pub struct Field {
    pub name: Ident,
    pub kind: Kind,
    pub multiplicity: Multiplicity,
    pub binder: bool,
}

impl Language {
    pub fn terminal(&self, name: &str) -> Option<usize> {
        self.terminals.iter().position(|t| t.name == name)
    }

    pub fn nonterminal(&self, name: &str) -> Option<usize> {
        self.nonterminals.iter().position(|n| n.name == name)
    }

    /// The kind of a type name, if it names a terminal or nonterminal of this language.
    pub fn kind_of(&self, ty: &Ident) -> Option<Kind> {
        let name = ty.to_string();
        self.terminal(&name)
            .map(Kind::Terminal)
            .or_else(|| self.nonterminal(&name).map(Kind::Nonterminal))
    }

    /// The index of the `#[variable]` terminal, if the language has one.
    pub fn variable(&self) -> Option<usize> {
        self.terminals.iter().position(|t| t.variable)
    }

    /// The fields of a production in template order. Resolution has checked every hole's type.
    pub fn fields(&self, production: &Production) -> Vec<Field> {
        let mut fields = Vec::new();
        collect_fields(self, &production.template, Multiplicity::One, &mut fields);
        fields
    }

    /// The Rust type of a terminal, as tokens.
    pub fn terminal_type(&self, index: usize) -> TokenStream {
        let ty = &self.terminals[index].ty;
        quote::quote!(#ty)
    }
}

fn collect_fields(
    lang: &Language,
    template: &Template,
    multiplicity: Multiplicity,
    out: &mut Vec<Field>,
) {
    match template {
        Template::Keyword(..) => {}
        Template::Hole(hole) => {
            if let Some(kind) = lang.kind_of(&hole.ty) {
                out.push(Field {
                    name: hole.name.clone(),
                    kind,
                    multiplicity,
                    binder: hole.binder,
                });
            }
        }
        Template::List(items, _) => items
            .iter()
            .for_each(|item| collect_fields(lang, item, multiplicity, out)),
        Template::Repeat(inner) => collect_fields(lang, inner, Multiplicity::Many, out),
        Template::Optional(inner) | Template::Tail(inner) => {
            collect_fields(lang, inner, Multiplicity::Maybe, out)
        }
    }
}

/// `CoreScheme` → `core_scheme`.
pub fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
