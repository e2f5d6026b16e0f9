// A field names something that is not a terminal or nonterminal, and a binder is not a variable.
nanopass_macros::languages! {
    pub language Wrong {
        terminals {
            #[variable] Var = ir::var::Var,
            Const = ir::datum::DatumId,
        }
        Expr {
            Quote = (quote value: Datum),
        }
    }
}

nanopass_macros::languages! {
    pub language AlsoWrong {
        terminals {
            #[variable] Var = ir::var::Var,
            Const = ir::datum::DatumId,
        }
        Expr {
            Ref = x: Var,
            Let = (let ([c: bind Const e: Expr]) body: Expr),
        }
    }
}

fn main() {}
