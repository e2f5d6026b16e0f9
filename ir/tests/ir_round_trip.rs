//! Property test of the generated printer, parser and verifier: random well-formed CoreScheme
//! programs, built with the arena builders, verify, print, parse back to the same text, and
//! verify again. Covers every production, the dotted tail in both forms, and quoted datums.

mod prng;

use ir::datum::Datum;
use ir::lang::core_scheme::{Arena, ClauseId, ExprId, Tree};
use ir::nanopass::Ir;
use ir::number::Number;
use ir::symbol::Symbol;
use ir::var::Var;
use prng::Rng;

const PROGRAMS: u64 = 2_000;

/// Builds random expressions that only refer to variables in scope.
struct Generator {
    rng: Rng,
    arena: Arena,
    scope: Vec<Var>,
    fresh: u32,
}

impl Generator {
    fn var(&mut self) -> Var {
        self.fresh += 1;
        let names = ["x", "list->vector", "a.b", "+", "..."];
        let name = names[self.rng.below(names.len() as u64) as usize];
        self.arena.cx.vars.fresh(Symbol::intern(name))
    }

    /// Binds `count` fresh variables (and maybe a rest variable) around `body`.
    fn binding<T>(
        &mut self,
        count: u64,
        with_rest: bool,
        body: impl FnOnce(&mut Self) -> T,
    ) -> (Vec<Var>, Option<Var>, T) {
        let params: Vec<Var> = (0..count).map(|_| self.var()).collect();
        let rest = with_rest.then(|| self.var());
        let depth = self.scope.len();
        self.scope.extend(params.iter().copied().chain(rest));
        let result = body(self);
        self.scope.truncate(depth);
        (params, rest, result)
    }

    fn exprs(&mut self, count: u64, depth: u32) -> Vec<ExprId> {
        (0..count).map(|_| self.expr(depth)).collect()
    }

    fn clause(&mut self, depth: u32) -> ClauseId {
        let count = self.rng.below(3);
        let with_rest = self.rng.below(2) == 0;
        let (params, rest, body) = self.binding(count, with_rest, |g| g.expr(depth));
        self.arena.clause_clause(params, rest, body)
    }

    fn expr(&mut self, depth: u32) -> ExprId {
        let choice = if depth == 0 {
            self.rng.below(3)
        } else {
            self.rng.below(14)
        };
        let depth = depth.saturating_sub(1);
        match choice {
            0 if !self.scope.is_empty() => {
                let x = self.scope[self.rng.below(self.scope.len() as u64) as usize];
                self.arena.expr_ref(x)
            }
            0 | 1 => {
                let datums = &mut self.arena.cx.datums;
                let datum = match self.rng.below(4) {
                    0 => Datum::Number(Number::Fixnum(self.rng.next() as i64 >> 3)),
                    1 => Datum::Bool(self.rng.below(2) == 0),
                    2 => Datum::String("a \"quoted\" string".into()),
                    // Compound constants with brackets, quotes and delimiters inside strings,
                    // characters and symbols, which IR text must keep as one constant.
                    _ => {
                        let quote = datums.symbol("quote");
                        let odd = datums.symbol("odd ) |symbol|");
                        let quoted = datums.list(&[quote, odd]);
                        let paren = datums.add(Datum::Char(')'));
                        let string = datums.add(Datum::String("a ) and \n ] inside".into()));
                        let bytes = datums.add(Datum::Bytevector(vec![0, 255]));
                        let vector = datums.add(Datum::Vector(vec![paren, string, bytes]));
                        let lambda = datums.add(Datum::Char('λ'));
                        let list = datums.list(&[quoted, vector, lambda]);
                        return self.arena.expr_quote(list);
                    }
                };
                let id = datums.add(datum);
                self.arena.expr_quote(id)
            }
            2 => self.arena.expr_primitive(Symbol::intern("car")),
            3 => self.arena.expr_global_ref(Symbol::intern("(lib)::name")),
            4 => {
                let value = self.expr(depth);
                self.arena.expr_global_set(Symbol::intern("top"), value)
            }
            5 => {
                let [t, c, a] = [self.expr(depth), self.expr(depth), self.expr(depth)];
                self.arena.expr_if(t, c, a)
            }
            6 => {
                let [t, c] = [self.expr(depth), self.expr(depth)];
                self.arena.expr_one_armed_if(t, c)
            }
            7 if !self.scope.is_empty() => {
                let x = self.scope[self.rng.below(self.scope.len() as u64) as usize];
                let value = self.expr(depth);
                self.arena.expr_set(x, value)
            }
            8 => {
                let count = self.rng.below(3);
                let effects = self.exprs(count, depth);
                let value = self.expr(depth);
                self.arena.expr_seq(effects, value)
            }
            9 => {
                let count = self.rng.below(3);
                let with_rest = self.rng.below(3) == 0;
                let (params, rest, body) = self.binding(count, with_rest, |g| g.expr(depth));
                self.arena.expr_lambda(params, rest, body)
            }
            10 => {
                let count = 1 + self.rng.below(2);
                let clauses = (0..count).map(|_| self.clause(depth)).collect();
                self.arena.expr_case_lambda(clauses)
            }
            11 | 12 => {
                let count = self.rng.below(3);
                let star = choice == 12;
                let (lhs, _, (rhs, body)) = self.binding(count, false, |g| {
                    let rhs = g.exprs(count, depth);
                    (rhs, g.expr(depth))
                });
                if star {
                    self.arena.expr_letrec_star(lhs, rhs, body)
                } else {
                    self.arena.expr_letrec(lhs, rhs, body)
                }
            }
            _ => {
                let f = self.expr(depth);
                let count = self.rng.below(3);
                let args = self.exprs(count, depth);
                self.arena.expr_call(f, args)
            }
        }
    }
}

#[test]
fn random_programs_print_parse_and_verify() {
    for seed in 0..PROGRAMS {
        let mut generator = Generator {
            rng: Rng::new(seed),
            arena: Arena::default(),
            scope: Vec::new(),
            fresh: 0,
        };
        let body = generator.expr(5);
        let root = generator.arena.program_program(body);
        let tree = Tree {
            arena: generator.arena,
            root,
        };
        if let Err(errors) = tree.verify() {
            panic!("seed {seed}: the generated program does not verify: {errors:?}\n{tree}");
        }
        let text = tree.print();
        let parsed = Tree::parse(&text).unwrap_or_else(|e| panic!("seed {seed}: {e}\n{text}"));
        assert_eq!(
            parsed.print(),
            text,
            "seed {seed}: printing the parsed program differs"
        );
        if let Err(errors) = parsed.verify() {
            panic!("seed {seed}: the parsed program does not verify: {errors:?}\n{text}");
        }
    }
}
