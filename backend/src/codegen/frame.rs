//! Frame layout and slot allocation — the register allocator of this first backend, which
//! spills everything: every variable and temporary lives in a frame slot, and registers only
//! hold values within the code for one operation. (Liveness analysis and Briggs colouring over
//! virtual registers replace this later; the frame layout and calling convention stay.)
//!
//! A clause's frame is `size` slots below its return address; slot `i` is at
//! `[rsp_at_entry - 8 * (i + 1)]`, i.e. `[rsp + 8 * (size - 1 - i)]` once the prologue has
//! lowered `rsp`. The first slots are the incoming stack arguments, where the caller left them.
//! `size` is odd so that `rsp` is 16-byte aligned in the body, as runtime services need.
//!
//! `size` must be known before the body is emitted, so [`frame_bound`] computes an upper bound
//! from the body: one slot per binder and per operand of a call. Slots are allocated in stack
//! order ([`Frame::mark`], [`Frame::release`]), so the real use never exceeds the bound;
//! [`Frame::temp`] checks it anyway and reports an internal error rather than overwriting the
//! caller's frame.

use super::CompileError;
use ir::lang::explicit_tails::{Arena, ExprId, Visit};
use ir::var::Var;

/// Slots of one clause's frame.
#[derive(Debug)]
pub struct Frame {
    pub size: usize,
    next: usize,
    /// The most slots in use at once, for tests.
    pub high_water: usize,
}

/// The slots every clause reserves besides its parameters: the closure pointer and the four
/// slots where `apply` gathers register arguments.
pub const FIXED_SLOTS: usize = 5;

impl Frame {
    /// A frame of at least `needed` slots.
    pub fn new(needed: usize) -> Frame {
        let size = needed | 1;
        Frame {
            size,
            next: 0,
            high_water: 0,
        }
    }

    /// A fresh slot.
    pub fn temp(&mut self) -> Result<usize, CompileError> {
        if self.next >= self.size {
            return Err(CompileError::new(format!(
                "internal error: frame of {} slots overflowed",
                self.size
            )));
        }
        self.next += 1;
        self.high_water = self.high_water.max(self.next);
        Ok(self.next - 1)
    }

    pub fn mark(&self) -> usize {
        self.next
    }

    /// Frees every slot allocated since `mark`.
    pub fn release(&mut self, mark: usize) {
        self.next = mark;
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

/// An upper bound on the slots `body` needs besides parameters and [`FIXED_SLOTS`].
pub fn frame_bound(arena: &Arena, body: ExprId) -> usize {
    let mut counter = Counter(0);
    counter.expr(arena, body);
    counter.0
}

struct Counter(usize);

impl Visit for Counter {
    fn binder_var(&mut self, _: &Arena, _: Var) {
        self.0 += 1;
    }

    fn expr_call(&mut self, arena: &Arena, f: ExprId, args: &[ExprId]) {
        self.0 += 1 + args.len();
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
    fn frames_are_odd_and_slots_stack_allocated() {
        let mut frame = Frame::new(4);
        assert_eq!(frame.size, 5);
        let mark = frame.mark();
        let a = frame.temp().unwrap();
        let b = frame.temp().unwrap();
        assert_ne!(a, b);
        frame.release(mark);
        assert_eq!(frame.temp().unwrap(), a);
        assert_eq!(frame.disp(0), 32);
        assert_eq!(frame.disp(4), 0);
        for _ in 1..5 {
            frame.temp().unwrap();
        }
        assert!(
            frame.temp().is_err(),
            "a full frame must refuse another slot"
        );
    }
}
