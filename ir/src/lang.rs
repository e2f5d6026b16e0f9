//! The compiler's intermediate languages, in pipeline order. Each extension says in one line
//! what it changes; the generated rustdoc of each module shows its complete grammar.

nanopass_macros::languages! {
    /// The core language the expander produces: every variable is resolved to a unique binding,
    /// every derived form is expanded, primitives and top-level variables are explicit.
    pub language CoreScheme {
        terminals {
            /// A variable, unique within its program.
            #[variable] Var = ::ir::var::Var,
            /// A quoted constant.
            Const = ::ir::datum::DatumId,
            /// The name of a primitive procedure.
            Prim = ::ir::symbol::Symbol,
            /// The name of a top-level variable (of a library or the program).
            Global = ::ir::symbol::Symbol,
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
            /// A reference to a top-level variable.
            GlobalRef = (global name: Global),
            /// Defines or assigns a top-level variable.
            GlobalSet = ("set-global!" name: Global value: Expr),
            If = (if test: Expr conseq: Expr alt: Expr),
            /// `if` without an alternative; its value is unspecified when the test is false.
            OneArmedIf = (if test: Expr conseq: Expr),
            Set = (set! x: Var value: Expr),
            /// Evaluates the effects in order, then the value.
            Seq = (begin effects: Expr ... value: Expr),
            /// A procedure; `rest`, if present, receives the other arguments as a list.
            Lambda = (lambda (params: bind Var ... . rest: bind Var) body: Expr),
            /// A procedure that picks the first clause that accepts the arguments.
            CaseLambda = ("case-lambda" clauses: Clause ...),
            Letrec = (letrec ([lhs: bind Var rhs: Expr] ...) body: Expr),
            /// Like `letrec`, but the right-hand sides are evaluated and assigned in order.
            LetrecStar = (letrec* ([lhs: bind Var rhs: Expr] ...) body: Expr),
            /// A procedure call.
            Call = (f: Expr args: Expr ...),
        }
        /// One clause of a `case-lambda`.
        Clause {
            Clause = [(params: bind Var ... . rest: bind Var) body: Expr],
        }
    }

    /// Replaces `letrec` and `letrec*` by `fix` (bindings of procedures only) and assignments.
    pub language NoLetrec extends CoreScheme {
        /// A procedure expression, the only right-hand side `fix` allows.
        + Procedure {
            Lambda = (lambda (params: bind Var ... . rest: bind Var) body: Expr),
            CaseLambda = ("case-lambda" clauses: Clause ...),
        }
        Expr {
            - Letrec,
            - LetrecStar,
            - Lambda,
            - CaseLambda,
            + Procedure = p: Procedure,
            /// Binds procedures that may refer to each other (and themselves).
            + Fix = (fix ([lhs: bind Var rhs: Procedure] ...) body: Expr),
        }
    }

    /// Removes the one-armed `if`.
    pub language NoOneArmedIf extends NoLetrec {
        Expr {
            - OneArmedIf,
        }
    }

    /// Replaces `set!` of local variables by boxes (`$box`, `$unbox`, `$set-box!`); adds `let`.
    pub language NoAssignments extends NoOneArmedIf {
        Expr {
            - Set,
            /// Binds the values of the right-hand sides (no procedure is made).
            + Let = (let ([lhs: bind Var rhs: Expr] ...) body: Expr),
        }
    }

    /// Closure conversion: code is bound to labels at the top, closures are explicit objects.
    pub language Closures extends NoAssignments {
        - Procedure,
        Program {
            - Program,
            /// The code of every procedure, bound to labels, then the program's body.
            + WithCode = (program ([labels: bind Var code: Code] ...) body: Expr),
        }
        /// A procedure's code: the variables it reads from its closure, and its clauses.
        + Code {
            Code = (code (free: bind Var ...) clauses: Clause ...),
        }
        /// A closure of the code at `label` holding the values of `free`.
        + MakeClosure {
            MakeClosure = ("make-closure" label: Var free: Var ...),
        }
        Expr {
            - Procedure,
            - Fix,
            /// Allocates closures (which may refer to each other), then evaluates the body.
            + Closures = (closures ([lhs: bind Var closure: MakeClosure] ...) body: Expr),
        }
    }

    /// Marks the calls in tail position, which reuse the caller's frame.
    pub language ExplicitTails extends Closures {
        Expr {
            /// A call whose value is the value of the enclosing procedure.
            + TailCall = ("tail-call" f: Expr args: Expr ...),
        }
    }
}
