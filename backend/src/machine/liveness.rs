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

/// A borrowed set: one of [`Liveness`]'s, or a [`BitSet`]'s words.
#[derive(Clone, Copy, Debug)]
pub struct Bits<'a>(&'a [u64]);

impl BitSet {
    pub fn new(size: usize) -> BitSet {
        BitSet(vec![0; size.div_ceil(64)])
    }

    pub fn insert(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    pub fn contains(&self, i: usize) -> bool {
        self.bits().contains(i)
    }

    /// Adds `other`'s elements.
    pub fn union_with(&mut self, other: Bits) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a |= b;
        }
    }

    pub fn bits(&self) -> Bits<'_> {
        Bits(&self.0)
    }

    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.bits().iter()
    }
}

impl<'a> Bits<'a> {
    pub fn contains(self, i: usize) -> bool {
        self.0[i / 64] >> (i % 64) & 1 == 1
    }

    pub fn iter(self) -> impl Iterator<Item = usize> + 'a {
        self.0.iter().enumerate().flat_map(|(w, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let b = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    w * 64 + b
                })
            })
        })
    }
}

/// The procedure's virtual registers, numbered from 0 in order of first appearance. A
/// procedure's virtual registers were made while it was emitted, so they are a range of
/// numbers, indexed directly.
#[derive(Debug, Default)]
pub struct Locals {
    pub vregs: Vec<VReg>,
    first: u32,
    local: Vec<u32>,
}

impl Locals {
    pub fn of(p: &Procedure) -> Locals {
        let mut locals = Locals::default();
        let mentioned = (0..p.len()).flat_map(|i| p.inst(i).vregs());
        let (mut low, mut high) = (u32::MAX, 0);
        for v in mentioned.clone() {
            low = low.min(v.0);
            high = high.max(v.0);
        }
        if low > high {
            return locals;
        }
        locals.first = low;
        locals.local = vec![u32::MAX; (high - low + 1) as usize];
        for v in mentioned {
            let slot = &mut locals.local[(v.0 - low) as usize];
            if *slot == u32::MAX {
                *slot = locals.vregs.len() as u32;
                locals.vregs.push(v);
            }
        }
        locals
    }

    /// The local number of `v`, which the procedure mentions.
    pub fn index(&self, v: VReg) -> usize {
        self.local[(v.0 - self.first) as usize] as usize
    }
}

/// The successors of each instruction of `p` (at most two: the next one, a jump's target).
pub fn successors(p: &Procedure) -> Vec<[Option<u32>; 2]> {
    let mut labels = HashMap::new();
    for i in 0..p.len() {
        if let Some(id) = p.label(i) {
            labels.insert(id, i as u32);
        }
    }
    let target = |ins: &iced_x86::Instruction| -> Option<u32> {
        (ins.op0_kind() == OpKind::NearBranch64)
            .then(|| labels.get(&ins.near_branch_target()).copied())
            .flatten()
    };
    (0..p.len())
        .map(|i| {
            let next = (i + 1 < p.len()).then_some(i as u32 + 1);
            let Inst::Fixed(ins) = p.inst(i) else {
                return [next, None];
            };
            match flow(ins) {
                Flow::Jump => [target(ins), None],
                Flow::Branch => [next, target(ins)],
                Flow::Exit => [None, None],
                Flow::Next | Flow::Call => [next, None],
            }
        })
        .collect()
}

/// The virtual registers live into and out of each instruction, as bit sets of
/// [`Locals`] numbers, `words` words each, stored one after the other.
#[derive(Debug)]
pub struct Liveness {
    pub locals: Locals,
    words: usize,
    live_in: Vec<u64>,
    live_out: Vec<u64>,
}

impl Liveness {
    pub fn live_in(&self, i: usize) -> Bits<'_> {
        Bits(&self.live_in[i * self.words..(i + 1) * self.words])
    }

    pub fn live_out(&self, i: usize) -> Bits<'_> {
        Bits(&self.live_out[i * self.words..(i + 1) * self.words])
    }
}

pub fn analyze(p: &Procedure) -> Liveness {
    let locals = Locals::of(p);
    let words = locals.vregs.len().div_ceil(64);
    let succ = successors(p);
    let mut live_in = vec![0u64; p.len() * words];
    let mut live_out = vec![0u64; p.len() * words];
    let mut set = vec![0u64; words];
    let mut changed = words > 0;
    while changed {
        changed = false;
        for i in (0..p.len()).rev() {
            set.fill(0);
            for s in succ[i].into_iter().flatten() {
                let from = &live_in[s as usize * words..][..words];
                for (a, b) in set.iter_mut().zip(from) {
                    *a |= b;
                }
            }
            live_out[i * words..][..words].copy_from_slice(&set);
            match p.inst(i) {
                Inst::Move(Move::Def { dst, .. }) => {
                    let k = locals.index(dst);
                    set[k / 64] &= !(1 << (k % 64));
                }
                Inst::Move(Move::Use { src, .. }) => {
                    let k = locals.index(src);
                    set[k / 64] |= 1 << (k % 64);
                }
                Inst::Uses(_, uses) => {
                    for v in uses.uses() {
                        let k = locals.index(v);
                        set[k / 64] |= 1 << (k % 64);
                    }
                }
                Inst::Fixed(_) => {}
            }
            for (old, new) in live_in[i * words..][..words].iter_mut().zip(&set) {
                let merged = *old | new;
                if merged != *old {
                    *old = merged;
                    changed = true;
                }
            }
        }
    }
    Liveness {
        locals,
        words,
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
                let names: Vec<String> = live
                    .live_out(i)
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
                    call qword ptr [rax+8]           ; preserves nothing; v1
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
