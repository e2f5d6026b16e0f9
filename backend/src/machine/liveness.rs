//! Control flow and liveness of the virtual registers of one procedure.
//!
//! Successors come from the instructions themselves: a jump to a label of the procedure
//! goes there; a jump elsewhere (the shared stubs: the error exit, the multiple-value return,
//! a tail call through `[rdi + 6]`), a `ret` and `ud2` leave the procedure, so nothing is live
//! after them; a call falls through to its return point (a marked return point's
//! multiple-value entry follows it in straight-line code, so it is covered). Out-of-line slow
//! paths are ordinary code reached by conditional jumps that jump back, so values live across
//! their calls are seen to be.
//!
//! Liveness is the usual backward fixpoint over bit sets indexed by the procedure's own
//! numbering of its virtual registers ([`Locals`]).

use super::{Flow, Inst, Move, Procedure, VReg, flow};
use iced_x86::OpKind;
use std::collections::HashMap;

/// A set of small integers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BitSet(Vec<u64>);

impl BitSet {
    pub fn new(size: usize) -> BitSet {
        BitSet(vec![0; size.div_ceil(64)])
    }

    pub fn insert(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    pub fn remove(&mut self, i: usize) {
        self.0[i / 64] &= !(1 << (i % 64));
    }

    pub fn contains(&self, i: usize) -> bool {
        self.0[i / 64] >> (i % 64) & 1 == 1
    }

    /// Adds `other`'s elements; returns whether any was new.
    pub fn union_with(&mut self, other: &BitSet) -> bool {
        let mut changed = false;
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            let new = *a | b;
            changed |= new != *a;
            *a = new;
        }
        changed
    }

    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &word)| {
            (0..64)
                .filter(move |b| word >> b & 1 == 1)
                .map(move |b| w * 64 + b)
        })
    }
}

/// The procedure's virtual registers, numbered from 0 in order of first appearance.
#[derive(Debug, Default)]
pub struct Locals {
    pub vregs: Vec<VReg>,
    pub index: HashMap<VReg, usize>,
}

impl Locals {
    pub fn of(p: &Procedure) -> Locals {
        let mut locals = Locals::default();
        for i in 0..p.len() {
            if let Inst::Move(Move::Def { dst: v, .. } | Move::Use { src: v, .. }) = p.inst(i) {
                locals.index.entry(v).or_insert_with(|| {
                    locals.vregs.push(v);
                    locals.vregs.len() - 1
                });
            }
        }
        locals
    }
}

/// The successors of each instruction of `p`.
pub fn successors(p: &Procedure) -> Vec<Vec<usize>> {
    let mut labels = HashMap::new();
    for i in 0..p.len() {
        if let Some(id) = p.label(i) {
            labels.insert(id, i);
        }
    }
    let target = |ins: &iced_x86::Instruction| -> Option<usize> {
        (ins.op0_kind() == OpKind::NearBranch64)
            .then(|| labels.get(&ins.near_branch_target()).copied())
            .flatten()
    };
    (0..p.len())
        .map(|i| {
            let next = (i + 1 < p.len()).then_some(i + 1);
            let Inst::Fixed(ins) = p.inst(i) else {
                return next.into_iter().collect();
            };
            match flow(ins) {
                Flow::Jump => target(ins).into_iter().collect(),
                Flow::Branch => next.into_iter().chain(target(ins)).collect(),
                Flow::Exit => Vec::new(),
                Flow::Next | Flow::Call => next.into_iter().collect(),
            }
        })
        .collect()
}

/// The virtual registers live into and out of each instruction.
#[derive(Debug)]
pub struct Liveness {
    pub locals: Locals,
    pub live_in: Vec<BitSet>,
    pub live_out: Vec<BitSet>,
}

pub fn analyze(p: &Procedure) -> Liveness {
    let locals = Locals::of(p);
    let n = locals.vregs.len();
    let succ = successors(p);
    let mut live_in = vec![BitSet::new(n); p.len()];
    let mut live_out = vec![BitSet::new(n); p.len()];
    let mut changed = true;
    while changed {
        changed = false;
        for i in (0..p.len()).rev() {
            let mut out = BitSet::new(n);
            for &s in &succ[i] {
                out.union_with(&live_in[s]);
            }
            let mut inn = out.clone();
            match p.inst(i) {
                Inst::Move(Move::Def { dst, .. }) => inn.remove(locals.index[&dst]),
                Inst::Move(Move::Use { src, .. }) => inn.insert(locals.index[&src]),
                Inst::Fixed(_) => {}
            }
            changed |= live_in[i].union_with(&inn);
            live_out[i] = out;
        }
    }
    Liveness {
        locals,
        live_in,
        live_out,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::Builder;
    use super::*;
    use iced_x86::code_asm::*;

    /// Prints the procedure `build` writes, each instruction with the values live out of it.
    fn check(build: impl FnOnce(&mut Builder), expected: expect_test::Expect) {
        let mut b = Builder::new();
        build(&mut b);
        let out = b.procedure(|p| {
            let live = analyze(p);
            let mut out = String::new();
            let mut i = 0;
            for line in p.to_string().lines() {
                if line.ends_with(':') {
                    out.push_str(line);
                    out.push('\n');
                    continue;
                }
                let names: Vec<String> = live.live_out[i]
                    .iter()
                    .map(|k| live.locals.vregs[k].to_string())
                    .collect();
                let line = format!("{line:<28}; {}", names.join(" "));
                out.push_str(line.trim_end());
                out.push('\n');
                i += 1;
            }
            out
        });
        expected.assert_eq(&out);
    }

    #[test]
    fn values_are_live_from_definition_to_last_use_along_both_arms_and_slow_paths() {
        check(
            |b| {
                let (x, y, t) = (b.vreg(), b.vreg(), b.vreg());
                let mut slow = b.a.create_label();
                let mut back = b.a.create_label();
                let mut other = b.a.create_label();
                let mut end = b.a.create_label();
                b.def(x, rdx);
                b.def(y, rcx);
                b.use_(rax, x);
                b.a.test(al, 7).unwrap();
                b.a.jnz(slow).unwrap();
                b.a.set_label(&mut back).unwrap();
                b.def(t, rax);
                b.a.cmp(rax, 6).unwrap();
                b.a.je(other).unwrap();
                b.use_(rax, t);
                b.a.jmp(end).unwrap();
                b.a.set_label(&mut other).unwrap();
                b.use_(rax, y);
                b.a.set_label(&mut end).unwrap();
                b.a.ret().unwrap();
                // The slow path: a service call, then back to the fast path.
                b.a.set_label(&mut slow).unwrap();
                b.a.call(qword_ptr(rax + 8)).unwrap();
                b.a.jmp(back).unwrap();
            },
            expect_test::expect![[r#"
                    mov v0, rdx             ; v0
                    mov v1, rcx             ; v0 v1
                    mov rax, v0             ; v1
                    test al,7               ; v1
                    jne L1                  ; v1
                L2:
                    mov v2, rax             ; v1 v2
                    cmp rax,6               ; v1 v2
                    je L3                   ; v1 v2
                    mov rax, v2             ;
                    jmp L4                  ;
                L3:
                    mov rax, v1             ;
                L4:
                    ret                     ;
                L1:
                    call qword ptr [rax+8]  ; v1
                    jmp L2                  ; v1
            "#]],
        );
    }

    #[test]
    fn nothing_is_live_after_a_tail_call_or_an_exit_to_a_stub() {
        check(
            |b| {
                let f = b.vreg();
                let stub = b.a.create_label();
                let mut done = b.a.create_label();
                b.def(f, rdi);
                b.a.cmp(rsi, 1).unwrap();
                b.a.jne(stub).unwrap();
                b.a.jmp(done).unwrap();
                b.a.set_label(&mut done).unwrap();
                b.use_(rdi, f);
                b.a.jmp(qword_ptr(rdi + 6)).unwrap();
                b.use_(rax, f);
            },
            expect_test::expect![[r#"
                    mov v0, rdi             ; v0
                    cmp rsi,1               ; v0
                    jne L1                  ; v0
                    jmp L2                  ; v0
                L2:
                    mov rdi, v0             ;
                    jmp qword ptr [rdi+6]   ;
                    mov rax, v0             ;
            "#]],
        );
    }
}
