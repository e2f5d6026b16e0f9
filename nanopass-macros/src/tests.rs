//! Unit tests of the macro logic, called on token streams directly: the expansion of a small
//! language (snapshotted, pretty-printed) and the error for each kind of bad input.

use super::{languages_tokens, pass_tokens};
use expect_test::{Expect, expect};
use proc_macro2::TokenStream;
use quote::quote;

/// The expansion as formatted Rust.
fn pretty(tokens: TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(error) => panic!("the expansion is not valid Rust ({error}):\n{tokens}"),
    }
}

/// Checks that expanding `input` gives a compile error with `expected` as its message.
fn check_error(tokens: TokenStream, expected: Expect) {
    let text = tokens.to_string();
    let Some(start) = text.find("compile_error") else {
        panic!("expected an error, got: {text}")
    };
    // `:: core :: compile_error ! { "message" }`: show the message.
    let message = text[start..].split('"').nth(1).unwrap_or_default();
    expected.assert_eq(message);
}

#[test]
fn expansion_of_a_small_language() {
    let out = languages_tokens(quote! {
        /// Numbers and sums.
        pub language Tiny {
            terminals { #[variable] Var = ::ir::var::Var, }
            Expr {
                Ref = x: Var,
                Add = (+ terms: Expr ...),
                Let = (let ([lhs: bind Var rhs: Expr]) body: Expr),
            }
        }
    });
    expect![[r#"
        /// Numbers and sums.
        /**

        Language `Tiny`.

        ```text
        terminals:
          Var = ::ir::var::Var (variable)

        Expr ::= x: Var                                             ; Ref
              | (+ terms: Expr ...)                                ; Add
              | (let ([lhs: bind Var rhs: Expr]) body: Expr)       ; Let

        ```
        */
        #[allow(clippy::all, unused_variables, unused_mut, dead_code)]
        pub mod tiny {
            #[allow(unused_imports)]
            use super::*;
            ///A `Expr` node in an [`Arena`].
            #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
            pub struct ExprId(u32);
            impl ExprId {
                pub fn index(self) -> usize {
                    self.0 as usize
                }
            }
            #[derive(Clone, PartialEq, Debug)]
            pub enum Expr {
                ///`x: Var`
                Ref { x: ::ir::var::Var },
                ///`(+ terms: Expr ...)`
                Add { terms: Vec<ExprId> },
                ///`(let ([lhs: bind Var rhs: Expr]) body: Expr)`
                Let { lhs: ::ir::var::Var, rhs: ExprId, body: ExprId },
            }
            impl ::std::ops::Index<ExprId> for Arena {
                type Output = Expr;
                fn index(&self, id: ExprId) -> &Expr {
                    &self.expr_nodes[id.index()]
                }
            }
            ///Every node of one `Tiny` program, by id.
            #[derive(Clone, Debug, Default)]
            pub struct Arena {
                /// The variables and constants the nodes refer to.
                pub cx: ::ir::nanopass::Context,
                expr_nodes: Vec<Expr>,
            }
            impl Arena {
                pub fn new(cx: ::ir::nanopass::Context) -> Arena {
                    Arena {
                        cx,
                        expr_nodes: Vec::new(),
                    }
                }
                ///Adds a `Ref` node: `x: Var`.
                pub fn expr_ref(&mut self, x: ::ir::var::Var) -> ExprId {
                    self.add_expr(Expr::Ref { x })
                }
                ///Adds a `Add` node: `(+ terms: Expr ...)`.
                pub fn expr_add(&mut self, terms: Vec<ExprId>) -> ExprId {
                    self.add_expr(Expr::Add { terms })
                }
                ///Adds a `Let` node: `(let ([lhs: bind Var rhs: Expr]) body: Expr)`.
                pub fn expr_let(
                    &mut self,
                    lhs: ::ir::var::Var,
                    rhs: ExprId,
                    body: ExprId,
                ) -> ExprId {
                    self.add_expr(Expr::Let { lhs, rhs, body })
                }
                ///Adds a `Expr` node.
                pub fn add_expr(&mut self, node: Expr) -> ExprId {
                    self.expr_nodes.push(node);
                    ExprId((self.expr_nodes.len() - 1) as u32)
                }
            }
            /// A whole program: its arena and its root node.
            #[derive(Clone, Debug)]
            pub struct Tree {
                pub arena: Arena,
                pub root: ExprId,
            }
            /// Every keyword of the language's templates.
            static KEYWORDS: &[&str] = &["+", "let"];
            static TEMPLATE_EXPR_REF: ::ir::nanopass::template::Pat = ::ir::nanopass::template::Pat::Hole(
                0usize,
            );
            static SHAPES_EXPR_REF: [::ir::nanopass::template::Shape; 1usize] = [
                ::ir::nanopass::template::Shape::One,
            ];
            static TEMPLATE_EXPR_ADD: ::ir::nanopass::template::Pat = ::ir::nanopass::template::Pat::List(
                &[
                    ::ir::nanopass::template::Pat::Keyword("+"),
                    ::ir::nanopass::template::Pat::Repeat(
                        &::ir::nanopass::template::Pat::Hole(0usize),
                    ),
                ],
                ::ir::nanopass::sexp::Bracket::Round,
            );
            static SHAPES_EXPR_ADD: [::ir::nanopass::template::Shape; 1usize] = [
                ::ir::nanopass::template::Shape::Many,
            ];
            static TEMPLATE_EXPR_LET: ::ir::nanopass::template::Pat = ::ir::nanopass::template::Pat::List(
                &[
                    ::ir::nanopass::template::Pat::Keyword("let"),
                    ::ir::nanopass::template::Pat::List(
                        &[
                            ::ir::nanopass::template::Pat::List(
                                &[
                                    ::ir::nanopass::template::Pat::Hole(0usize),
                                    ::ir::nanopass::template::Pat::Hole(1usize),
                                ],
                                ::ir::nanopass::sexp::Bracket::Square,
                            ),
                        ],
                        ::ir::nanopass::sexp::Bracket::Round,
                    ),
                    ::ir::nanopass::template::Pat::Hole(2usize),
                ],
                ::ir::nanopass::sexp::Bracket::Round,
            );
            static SHAPES_EXPR_LET: [::ir::nanopass::template::Shape; 3usize] = [
                ::ir::nanopass::template::Shape::One,
                ::ir::nanopass::template::Shape::One,
                ::ir::nanopass::template::Shape::One,
            ];
            impl Arena {
                ///The `Expr` node `id` as an S-expression.
                pub fn sexp_expr(&self, id: ExprId) -> ::ir::nanopass::Sexp {
                    ::ir::nanopass::grow(|| match &self[id] {
                        Expr::Ref { x } => {
                            ::ir::nanopass::template::print(
                                &TEMPLATE_EXPR_REF,
                                vec![
                                    ::ir::nanopass::template::Printed::One({ let x = * x;
                                    ::ir::nanopass::Terminal::print(x, & self.cx) })
                                ],
                            )
                        }
                        Expr::Add { terms } => {
                            ::ir::nanopass::template::print(
                                &TEMPLATE_EXPR_ADD,
                                vec![
                                    ::ir::nanopass::template::Printed::Many(terms.iter().map(| &
                                    x | self.sexp_expr(x)).collect())
                                ],
                            )
                        }
                        Expr::Let { lhs, rhs, body } => {
                            ::ir::nanopass::template::print(
                                &TEMPLATE_EXPR_LET,
                                vec![
                                    ::ir::nanopass::template::Printed::One({ let x = * lhs;
                                    ::ir::nanopass::Terminal::print(x, & self.cx) }),
                                    ::ir::nanopass::template::Printed::One({ let x = * rhs; self
                                    .sexp_expr(x) }), ::ir::nanopass::template::Printed::One({
                                    let x = * body; self.sexp_expr(x) })
                                ],
                            )
                        }
                    })
                }
                fn parse_expr(
                    &mut self,
                    p: &mut ::ir::nanopass::ParseCx<'_>,
                    sexp: &::ir::nanopass::Sexp,
                ) -> Result<ExprId, ::ir::nanopass::ParseError> {
                    ::ir::nanopass::grow(|| {
                        if let Some(captured) = ::ir::nanopass::template::matches(
                            &TEMPLATE_EXPR_ADD,
                            &SHAPES_EXPR_ADD,
                            sexp,
                            &|field: usize, s: &::ir::nanopass::Sexp| -> bool {
                                match field {
                                    0usize => {
                                        !s.as_atom().is_some_and(|atom| KEYWORDS.contains(&atom))
                                    }
                                    _ => true,
                                }
                            },
                        ) {
                            let terms = ::ir::nanopass::template::many(&captured[0usize])
                                .iter()
                                .map(|&s| self.parse_expr(p, s))
                                .collect::<Result<Vec<_>, ::ir::nanopass::ParseError>>()?;
                            return Ok(self.add_expr(Expr::Add { terms }));
                        }
                        if let Some(captured) = ::ir::nanopass::template::matches(
                            &TEMPLATE_EXPR_LET,
                            &SHAPES_EXPR_LET,
                            sexp,
                            &|field: usize, s: &::ir::nanopass::Sexp| -> bool {
                                match field {
                                    0usize => {
                                        <::ir::var::Var as ::ir::nanopass::Terminal>::accepts(s)
                                            && !s.as_atom().is_some_and(|atom| KEYWORDS.contains(&atom))
                                    }
                                    1usize => {
                                        !s.as_atom().is_some_and(|atom| KEYWORDS.contains(&atom))
                                    }
                                    2usize => {
                                        !s.as_atom().is_some_and(|atom| KEYWORDS.contains(&atom))
                                    }
                                    _ => true,
                                }
                            },
                        ) {
                            let lhs = {
                                let s = ::ir::nanopass::template::one(&captured[0usize]);
                                <::ir::var::Var as ::ir::nanopass::Terminal>::parse(s, p)?
                            };
                            let rhs = {
                                let s = ::ir::nanopass::template::one(&captured[1usize]);
                                self.parse_expr(p, s)?
                            };
                            let body = {
                                let s = ::ir::nanopass::template::one(&captured[2usize]);
                                self.parse_expr(p, s)?
                            };
                            return Ok(self.add_expr(Expr::Let { lhs, rhs, body }));
                        }
                        if let Some(captured) = ::ir::nanopass::template::matches(
                            &TEMPLATE_EXPR_REF,
                            &SHAPES_EXPR_REF,
                            sexp,
                            &|field: usize, s: &::ir::nanopass::Sexp| -> bool {
                                match field {
                                    0usize => {
                                        <::ir::var::Var as ::ir::nanopass::Terminal>::accepts(s)
                                            && !s.as_atom().is_some_and(|atom| KEYWORDS.contains(&atom))
                                    }
                                    _ => true,
                                }
                            },
                        ) {
                            let x = {
                                let s = ::ir::nanopass::template::one(&captured[0usize]);
                                <::ir::var::Var as ::ir::nanopass::Terminal>::parse(s, p)?
                            };
                            return Ok(self.add_expr(Expr::Ref { x }));
                        }
                        Err(
                            ::ir::nanopass::template::no_match(
                                "Expr",
                                sexp,
                                &[
                                    (None, "x: Var"),
                                    (Some("+"), "(+ terms: Expr ...)"),
                                    (Some("let"), "(let ([lhs: bind Var rhs: Expr]) body: Expr)"),
                                ],
                            ),
                        )
                    })
                }
            }
            fn accepts_expr(s: &::ir::nanopass::Sexp) -> bool {
                ::ir::nanopass::template::matches(
                        &TEMPLATE_EXPR_REF,
                        &SHAPES_EXPR_REF,
                        s,
                        &|field: usize, s: &::ir::nanopass::Sexp| -> bool {
                            match field {
                                0usize => {
                                    <::ir::var::Var as ::ir::nanopass::Terminal>::accepts(s)
                                        && !s.as_atom().is_some_and(|atom| KEYWORDS.contains(&atom))
                                }
                                _ => true,
                            }
                        },
                    )
                    .is_some()
                    || ::ir::nanopass::template::matches(
                            &TEMPLATE_EXPR_ADD,
                            &SHAPES_EXPR_ADD,
                            s,
                            &|field: usize, s: &::ir::nanopass::Sexp| -> bool {
                                match field {
                                    0usize => {
                                        !s.as_atom().is_some_and(|atom| KEYWORDS.contains(&atom))
                                    }
                                    _ => true,
                                }
                            },
                        )
                        .is_some()
                    || ::ir::nanopass::template::matches(
                            &TEMPLATE_EXPR_LET,
                            &SHAPES_EXPR_LET,
                            s,
                            &|field: usize, s: &::ir::nanopass::Sexp| -> bool {
                                match field {
                                    0usize => {
                                        <::ir::var::Var as ::ir::nanopass::Terminal>::accepts(s)
                                            && !s.as_atom().is_some_and(|atom| KEYWORDS.contains(&atom))
                                    }
                                    1usize => {
                                        !s.as_atom().is_some_and(|atom| KEYWORDS.contains(&atom))
                                    }
                                    2usize => {
                                        !s.as_atom().is_some_and(|atom| KEYWORDS.contains(&atom))
                                    }
                                    _ => true,
                                }
                            },
                        )
                        .is_some()
            }
            impl ::ir::nanopass::Ir for Tree {
                const LANGUAGE: &'static str = "Tiny";
                fn to_sexp(&self) -> ::ir::nanopass::Sexp {
                    self.arena.sexp_expr(self.root)
                }
                fn parse(text: &str) -> Result<Tree, ::ir::nanopass::ParseError> {
                    let sexps = ::ir::nanopass::sexp::parse(text)?;
                    let [sexp] = sexps.as_slice() else {
                        return Err(::ir::nanopass::ParseError {
                            pos: sexps.get(1).map(|s| s.pos()).unwrap_or_default(),
                            message: format!(
                                "expected one {} program, found {} S-expressions", "Tiny", sexps
                                .len()
                            ),
                        });
                    };
                    let mut p = ::ir::nanopass::ParseCx::new(text);
                    let mut arena = Arena::default();
                    let root = arena.parse_expr(&mut p, sexp)?;
                    arena.cx = p.cx;
                    Ok(Tree { arena, root })
                }
                fn verify(&self) -> Result<(), Vec<::ir::nanopass::VerifyError>> {
                    verify_tree(self)
                }
            }
            impl ::std::fmt::Display for Tree {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(&::ir::nanopass::Ir::print(self))
                }
            }
            /// A read-only traversal; every method defaults to visiting the children.
            pub trait Visit {
                ///Visits a `Expr` node: dispatches on its production.
                fn expr(&mut self, arena: &Arena, id: ExprId) {
                    ::ir::nanopass::grow(|| match &arena[id] {
                        Expr::Ref { x } => self.expr_ref(arena, *x),
                        Expr::Add { terms } => self.expr_add(arena, terms),
                        Expr::Let { lhs, rhs, body } => self.expr_let(arena, *lhs, *rhs, *body),
                    })
                }
                ///Visits a `Ref` node's fields.
                fn expr_ref(&mut self, arena: &Arena, x: ::ir::var::Var) {
                    self.terminal_var(arena, x);
                }
                ///Visits a `Add` node's fields.
                fn expr_add(&mut self, arena: &Arena, terms: &[ExprId]) {
                    for &x in terms {
                        self.expr(arena, x);
                    }
                }
                ///Visits a `Let` node's fields.
                fn expr_let(
                    &mut self,
                    arena: &Arena,
                    lhs: ::ir::var::Var,
                    rhs: ExprId,
                    body: ExprId,
                ) {
                    self.binder_var(arena, lhs);
                    self.expr(arena, rhs);
                    self.expr(arena, body);
                }
                ///Visits a `Var` terminal.
                fn terminal_var(&mut self, arena: &Arena, value: ::ir::var::Var) {}
                ///Visits a binding occurrence of a `Var`.
                fn binder_var(&mut self, arena: &Arena, value: ::ir::var::Var) {}
            }
            struct Verifier<'a> {
                arena: &'a Arena,
                state: ::ir::nanopass::verify::Scopes<'a, ::ir::var::Var>,
            }
            impl Verifier<'_> {
                fn expr(&mut self, id: ExprId, outer: &dyn Fn() -> String) {
                    let arena = self.arena;
                    let own = || ::ir::nanopass::truncate(arena.sexp_expr(id).flat(), 160);
                    ::ir::nanopass::grow(|| match &arena[id] {
                        Expr::Ref { x } => {
                            let context: &dyn Fn() -> String = outer;
                            for x in ::std::iter::once(*x) {
                                self.state.reference(x, context);
                            }
                        }
                        Expr::Add { terms } => {
                            let context: &dyn Fn() -> String = &own;
                            for x in terms.iter().copied() {
                                self.expr(x, &own);
                            }
                        }
                        Expr::Let { lhs, rhs, body } => {
                            let context: &dyn Fn() -> String = &own;
                            for v in ::std::iter::once(*lhs) {
                                self.state.bind(v, context);
                            }
                            for x in ::std::iter::once(*rhs) {
                                self.expr(x, &own);
                            }
                            for x in ::std::iter::once(*body) {
                                self.expr(x, &own);
                            }
                            for v in ::std::iter::once(*lhs) {
                                self.state.unbind(v);
                            }
                        }
                    })
                }
            }
            fn verify_tree(tree: &Tree) -> Result<(), Vec<::ir::nanopass::VerifyError>> {
                let arena = &tree.arena;
                let mut errors = Vec::new();
                for (index, node) in arena.expr_nodes.iter().enumerate() {
                    match node {
                        Expr::Ref { x } => {}
                        Expr::Add { terms } => {
                            for child in terms.iter().copied() {
                                if child.index() >= arena.expr_nodes.len() {
                                    errors
                                        .push(::ir::nanopass::VerifyError {
                                            message: format!("child {:?} is not in the arena", child),
                                            context: format!("{} node {}", "Expr::Add", index),
                                        });
                                }
                            }
                        }
                        Expr::Let { lhs, rhs, body } => {
                            for child in ::std::iter::once(*rhs) {
                                if child.index() >= arena.expr_nodes.len() {
                                    errors
                                        .push(::ir::nanopass::VerifyError {
                                            message: format!("child {:?} is not in the arena", child),
                                            context: format!("{} node {}", "Expr::Let", index),
                                        });
                                }
                            }
                            for child in ::std::iter::once(*body) {
                                if child.index() >= arena.expr_nodes.len() {
                                    errors
                                        .push(::ir::nanopass::VerifyError {
                                            message: format!("child {:?} is not in the arena", child),
                                            context: format!("{} node {}", "Expr::Let", index),
                                        });
                                }
                            }
                        }
                    }
                }
                if tree.root.index() >= arena.expr_nodes.len() {
                    errors
                        .push(::ir::nanopass::VerifyError {
                            message: "the root is not in the arena".into(),
                            context: format!("{:?}", tree.root),
                        });
                }
                if !errors.is_empty() {
                    return Err(errors);
                }
                ::ir::nanopass::verify::check_tree(
                    (0, tree.root.index()),
                    &[arena.expr_nodes.len()],
                    &["Expr"],
                    |(kind, index), out| match kind {
                        0usize => {
                            match &arena.expr_nodes[index] {
                                Expr::Ref { x } => {}
                                Expr::Add { terms } => {
                                    out.extend(
                                        terms.iter().copied().map(|child| (0usize, child.index())),
                                    );
                                }
                                Expr::Let { lhs, rhs, body } => {
                                    out.extend(
                                        ::std::iter::once(*rhs).map(|child| (0usize, child.index())),
                                    );
                                    out.extend(
                                        ::std::iter::once(*body)
                                            .map(|child| (0usize, child.index())),
                                    );
                                }
                            }
                        }
                        _ => {}
                    },
                )?;
                let mut verifier = Verifier {
                    arena,
                    state: ::ir::nanopass::verify::Scopes::new(|v| {
                        ::ir::nanopass::Terminal::print(v, &arena.cx).flat()
                    }),
                };
                verifier.expr(tree.root, &|| String::from("the program"));
                verifier.state.finish()
            }
            ///Translating `Tiny` programs into `Tiny` programs.
            pub mod from_tiny {
                #[allow(unused_imports)]
                use super::*;
                /// The translation's context: the source arena being read, the target being built.
                pub struct Cx<'a> {
                    pub src: &'a super::Arena,
                    pub dst: super::Arena,
                }
                /// A pass's translation; override the productions the pass changes.
                pub trait Translate {
                    /// The value passed down from parent to child (`()` if the pass needs none).
                    type Inherited: Clone + Default;
                    ///Translates a `Expr` node: dispatches on its production.
                    fn expr(
                        &mut self,
                        cx: &mut Cx<'_>,
                        inherited: Self::Inherited,
                        id: super::ExprId,
                    ) -> super::ExprId {
                        let src = cx.src;
                        ::ir::nanopass::grow(|| match &src[id] {
                            super::Expr::Ref { x } => self.expr_ref(cx, inherited, *x),
                            super::Expr::Add { terms } => self.expr_add(cx, inherited, terms),
                            super::Expr::Let { lhs, rhs, body } => {
                                self.expr_let(cx, inherited, *lhs, *rhs, *body)
                            }
                        })
                    }
                    ///Translates `x: Var`; by default, field by field.
                    fn expr_ref(
                        &mut self,
                        cx: &mut Cx<'_>,
                        inherited: Self::Inherited,
                        x: ::ir::var::Var,
                    ) -> super::ExprId {
                        let x = self.terminal_var(cx, inherited.clone(), x);
                        cx.dst.add_expr(super::Expr::Ref { x })
                    }
                    ///Translates `(+ terms: Expr ...)`; by default, field by field.
                    fn expr_add(
                        &mut self,
                        cx: &mut Cx<'_>,
                        inherited: Self::Inherited,
                        terms: &[super::ExprId],
                    ) -> super::ExprId {
                        let terms: Vec<_> = terms
                            .iter()
                            .map(|&x| self.expr(cx, inherited.clone(), x))
                            .collect();
                        cx.dst.add_expr(super::Expr::Add { terms })
                    }
                    ///Translates `(let ([lhs: bind Var rhs: Expr]) body: Expr)`; by default, field by field.
                    fn expr_let(
                        &mut self,
                        cx: &mut Cx<'_>,
                        inherited: Self::Inherited,
                        lhs: ::ir::var::Var,
                        rhs: super::ExprId,
                        body: super::ExprId,
                    ) -> super::ExprId {
                        let lhs = self.terminal_var(cx, inherited.clone(), lhs);
                        let rhs = self.expr(cx, inherited.clone(), rhs);
                        let body = self.expr(cx, inherited.clone(), body);
                        cx.dst.add_expr(super::Expr::Let { lhs, rhs, body })
                    }
                    ///Translates a `Var` terminal (binding occurrences included).
                    fn terminal_var(
                        &mut self,
                        cx: &mut Cx<'_>,
                        inherited: Self::Inherited,
                        value: ::ir::var::Var,
                    ) -> ::ir::var::Var {
                        value
                    }
                }
                /// Translates `tree` with `pass`. The target starts with a copy of the source's context
                /// (variables and constants), so ids stay valid across the translation.
                pub fn run<T: Translate + ?Sized>(
                    pass: &mut T,
                    tree: super::Tree,
                ) -> super::Tree {
                    let mut cx = Cx {
                        src: &tree.arena,
                        dst: super::Arena::new(tree.arena.cx.clone()),
                    };
                    let root = pass.expr(&mut cx, Default::default(), tree.root);
                    super::Tree { arena: cx.dst, root }
                }
            }
        }
    "#]].assert_eq(&pretty(out));
}

#[test]
fn unknown_type_names_the_token() {
    check_error(
        languages_tokens(quote! { pub language L { E { Ref = x: Vr } } }),
        expect!["`Vr` is not a terminal or nonterminal of language `L`"],
    );
}

#[test]
fn binder_of_a_nonvariable_is_a_field_of_the_wrong_kind() {
    check_error(
        languages_tokens(quote! {
            pub language L { terminals { C = u32 } E { K = (k c: bind C) } }
        }),
        expect!["`bind` needs a #[variable] terminal, but `C` is not one"],
    );
}

#[test]
fn removing_a_misspelled_production() {
    check_error(
        languages_tokens(quote! {
            pub language A { E { Lit = (lit), Letrec = (letrec) } }
            pub language B extends A { E { - Leterc } }
        }),
        expect!["no production `Leterc` in `E` of language `A`"],
    );
}

#[test]
fn extending_an_unknown_language() {
    check_error(
        languages_tokens(quote! { pub language B extends Nope { E { + X = (x) } } }),
        expect!["unknown language `Nope` (a language can only extend one declared before it)"],
    );
}

#[test]
fn ambiguous_templates_are_rejected() {
    check_error(
        languages_tokens(quote! {
            pub language L { E { Two = (f a: E ... b: E ...), One = (one) } }
        }),
        expect!["at most one `...` or `?` element per list (otherwise the text is ambiguous)"],
    );
    check_error(
        languages_tokens(quote! {
            pub language L { E { Nested = (f (a: E ...) ...), One = (one) } }
        }),
        expect!["nested `...` or `?` is not supported"],
    );
}

#[test]
fn duplicate_names_are_rejected() {
    check_error(
        languages_tokens(quote! { pub language L { E { P = (p a: E a: E), Q = (q) } } }),
        expect!["field `a` appears twice"],
    );
    check_error(
        languages_tokens(quote! { pub language L { E { P = (p), P = (q) } } }),
        expect!["production `P` is already in `E` (remove it with `- P` first)"],
    );
}

#[test]
fn pass_expansion_names_the_trait_and_the_pass() {
    let out = pass_tokens(
        quote!(ir::lang::core_scheme => ir::lang::no_letrec),
        quote! {
            /// Replaces letrec.
            impl ConvertLetrec {
                fn expr_letrec(&mut self) {}
            }
        },
    );
    expect![[r#"
        /// Replaces letrec.
        impl ir::lang::no_letrec::from_core_scheme::Translate for ConvertLetrec {
            type Inherited = ();
            fn expr_letrec(&mut self) {}
        }
        impl ::ir::nanopass::Pass for ConvertLetrec {
            const NAME: &'static str = "convert_letrec";
            const DOC: &'static str = "Replaces letrec.";
            type Input = ir::lang::core_scheme::Tree;
            type Output = ir::lang::no_letrec::Tree;
            fn run(&mut self, input: ir::lang::core_scheme::Tree) -> ir::lang::no_letrec::Tree {
                ir::lang::no_letrec::from_core_scheme::run(self, input)
            }
        }
    "#]]
    .assert_eq(&pretty(out));
}

#[test]
fn pass_errors() {
    check_error(
        pass_tokens(quote!(a => b), quote!(impl Tr for X {})),
        expect!["#[pass] goes on an inherent `impl Pass { ... }`; it supplies the trait itself"],
    );
    check_error(
        pass_tokens(quote!(a -> b), quote!(impl X {})),
        expect!["expected `=>`"],
    );
    check_error(
        pass_tokens(quote!(a => (x)), quote!(impl X {})),
        expect!["expected `()` (an analysis) or a language module path"],
    );
}
