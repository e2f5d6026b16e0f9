//! The compiler's intermediate languages, in pipeline order. Each extension says in one line
//! what it changes; the generated rustdoc of each module shows its complete grammar.

nanopass_macros::languages! {
    /// The core language the expander produces: every variable is resolved to a unique binding,
    /// every derived form is expanded, primitives are referenced explicitly.
    pub language CoreScheme {
        terminals {
            /// A variable, unique within its program.
            #[variable] Var = ::ir::var::Var,
            /// A quoted constant.
            Const = ::ir::datum::DatumId,
            /// The name of a primitive procedure.
            Prim = ::ir::symbol::Symbol,
        }
        /// A whole program.
        Program {
            Program = (program body: Expr),
        }
        Expr {
            /// A variable reference.
            Ref = x: Var,
            Quote = (quote value: Const),
            /// A reference to a primitive procedure.
            Primitive = (primitive name: Prim),
            If = (if test: Expr conseq: Expr alt: Expr),
            /// `if` without an alternative; its value is unspecified when the test is false.
            OneArmedIf = (if test: Expr conseq: Expr),
            Set = (set! x: Var value: Expr),
            /// Evaluates the effects in order, then the value.
            Seq = (begin effects: Expr ... value: Expr),
            Lambda = (lambda (params: bind Var ...) body: Expr),
            Letrec = (letrec ([lhs: bind Var rhs: Expr] ...) body: Expr),
            /// A procedure call.
            Call = (f: Expr args: Expr ...),
        }
    }

    /// Replaces `letrec` by `fix` (bindings of lambdas only) and assignments.
    pub language NoLetrec extends CoreScheme {
        /// A procedure expression, the only right-hand side `fix` allows.
        + Lambda {
            Lambda = (lambda (params: bind Var ...) body: Expr),
        }
        Expr {
            - Letrec,
            - Lambda,
            + Lambda = l: Lambda,
            /// Binds procedures that may refer to each other (and themselves).
            + Fix = (fix ([lhs: bind Var rhs: Lambda] ...) body: Expr),
        }
    }

    /// Removes the one-armed `if`.
    pub language NoOneArmedIf extends NoLetrec {
        Expr {
            - OneArmedIf,
        }
    }
}
