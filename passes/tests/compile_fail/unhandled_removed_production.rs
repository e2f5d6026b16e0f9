// `no_letrec` removes `letrec` and changes `lambda`, but this pass handles neither.
use nanopass_macros::pass;

#[derive(Default)]
pub struct ForgetsLetrec;

#[pass(ir::lang::core_scheme => ir::lang::no_letrec)]
impl ForgetsLetrec {}

fn main() {}
