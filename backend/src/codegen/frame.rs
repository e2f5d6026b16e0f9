//! Frame layout: the size of a clause's frame and its fixed slots.
//!
//! A clause's frame is `size` slots below its return address; slot `i` is at
//! `[rsp_at_entry - 8 * (i + 1)]`, i.e. `[rsp + 8 * (size - 1 - i)]` once the prologue has
//! lowered `rsp`. The first slots are the incoming stack arguments, where the caller left them,
//! then the four slots where `apply` gathers register arguments (in clauses that call it);
//! the register allocator
//! ([`crate::machine::regalloc`]) hands out the rest to values. `size` is odd so that `rsp`
//! is 16-byte aligned in the body, as runtime services need.
//!
//! The body is emitted for a bound on `size` that [`frame_bound`] computes from the body: one
//! slot per binder and per operand of a call, which is at least the number of values the
//! clause has, so the allocation always fits (it reports an internal error otherwise rather
//! than overwriting the caller's frame). The frame then shrinks to the slots the allocation
//! used: instructions relative to its top are marked ([`super::emit::Gen::frame_relative`])
//! and moved by [`crate::machine::lower`].

use super::CompileError;
use ir::lang::explicit_tails::{Arena, Expr, ExprId, Visit};
use ir::var::Var;

/// The fixed slots of one clause's frame.
#[derive(Debug)]
pub struct Frame {
    pub size: usize,
    next: usize,
}

/// The slots every clause reserves besides its parameters: the closure pointer and the four
/// slots where `apply` gathers register arguments.
pub const FIXED_SLOTS: usize = 5;

impl Frame {
    /// A frame of at least `needed` slots.
    pub fn new(needed: usize) -> Frame {
        let size = needed | 1;
        Frame { size, next: 0 }
    }

    /// The next fixed slot.
    pub fn fixed(&mut self) -> Result<usize, CompileError> {
        if self.next >= self.size {
            return Err(CompileError::new(format!(
                "internal error: frame of {} slots overflowed",
                self.size
            )));
        }
        self.next += 1;
        Ok(self.next - 1)
    }

    /// The first slot not fixed: the register allocator's.
    pub fn first_free(&self) -> usize {
        self.next
    }

    /// The `rsp`-relative displacement of slot `i`.
    pub fn disp(&self, slot: usize) -> i32 {
        8 * (self.size as i32 - 1 - slot as i32)
    }

    /// The displacement of the return address (just above the frame).
    pub fn bytes(&self) -> i32 {
        8 * self.size as i32
    }
}

/// What a clause's body needs of its frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// An upper bound on the slots besides parameters and [`FIXED_SLOTS`].
    pub slots: usize,
    /// Whether it calls `apply`, which needs four slots of its own.
    pub apply: bool,
}

pub fn frame_bound(arena: &Arena, body: ExprId) -> Needs {
    let mut counter = Needs::default();
    counter.expr(arena, body);
    counter
}

impl Visit for Needs {
    fn binder_var(&mut self, _: &Arena, _: Var) {
        self.slots += 1;
    }

    fn expr_call(&mut self, arena: &Arena, f: ExprId, args: &[ExprId]) {
        self.slots += 1 + args.len();
        if matches!(arena[f], Expr::Primitive { name } if name.as_str() == "apply") {
            self.apply = true;
        }
        self.expr(arena, f);
        for &a in args {
            self.expr(arena, a);
        }
    }

    fn expr_tail_call(&mut self, arena: &Arena, f: ExprId, args: &[ExprId]) {
        self.expr_call(arena, f, args);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_odd_and_fixed_slots_come_first() {
        let mut frame = Frame::new(4);
        assert_eq!(frame.size, 5);
        assert_eq!(frame.fixed().unwrap(), 0);
        assert_eq!(frame.first_free(), 1);
        assert_eq!(frame.disp(0), 32);
        assert_eq!(frame.disp(4), 0);
        for _ in 1..5 {
            frame.fixed().unwrap();
        }
        assert!(
            frame.fixed().is_err(),
            "a full frame must refuse another slot"
        );
    }
}
