// A pass overrides a production that does not exist (`leterc` for `letrec`).
use ir::lang::core_scheme as src;
use ir::lang::no_letrec::{self as dst, from_core_scheme::Cx};
use ir::var::Var;
use nanopass_macros::pass;

#[derive(Default)]
pub struct ConvertLetrec;

#[pass(ir::lang::core_scheme => ir::lang::no_letrec)]
impl ConvertLetrec {
    fn expr_leterc(
        &mut self,
        _cx: &mut Cx<'_>,
        _: (),
        _lhs: &[Var],
        _rhs: &[src::ExprId],
        _body: src::ExprId,
    ) -> dst::ExprId {
        unimplemented!()
    }
}

fn main() {}
