//! Entering generated code from loko, and leaving it when the program exits.
//!
//! In-process, a Scheme program's `exit` must end the program, not loko: the
//! REPL goes on, and `--program` exits only after loko has cleaned up. So the
//! host's `exit` service unwinds to where loko entered the program, in the
//! manner of `longjmp`: [`enter`] saves the callee-saved registers on the
//! stack and records the stack pointer; [`resume`] restores that stack pointer
//! and returns from `enter` a second way, with a flag set.
//!
//! This skips only generated code's frames and the `exit` service's own,
//! none of which holds anything to drop. It does not restore MXCSR or the x87
//! control word; generated code must leave them alone (it does: no service
//! changes them).

use std::cell::Cell;
use std::ptr;

use runtime::{EntryFn, Services, sys};

/// How a run of generated code ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The entry returned this value.
    Returned(u64),
    /// The program called the `exit` service with this status.
    Exited(i32),
}

thread_local! {
    /// Where the innermost active [`call_entry`] saved its stack pointer.
    /// Null outside generated code.
    static RESUME_SP: Cell<*mut u64> = const { Cell::new(ptr::null_mut()) };
}

/// Calls `entry(services)` and reports how it ended.
///
/// # Safety
/// `entry` must be generated code following [`EntryFn`], mapped executable.
pub(crate) unsafe fn call_entry(entry: EntryFn, services: &Services) -> Outcome {
    let mut saved_sp = 0u64;
    // One pointer for both `enter` (which writes) and `exit_to_host` (which
    // reads), so neither access invalidates the other.
    let saved_sp: *mut u64 = &raw mut saved_sp;
    // Nested runs (eval inside a macro transformer...) each resume to their
    // own caller.
    let outer = RESUME_SP.replace(saved_sp);
    // SAFETY: `saved_sp` outlives the call; `enter` follows the C ABI.
    let result = unsafe { enter(entry, services, saved_sp) };
    RESUME_SP.set(outer);
    if result.exited != 0 {
        Outcome::Exited(result.value as i32)
    } else {
        Outcome::Returned(result.value)
    }
}

/// The host `exit` service: returns from the innermost [`call_entry`].
///
/// # Safety
/// Must be called only by generated code (through the services table).
pub unsafe extern "sysv64" fn exit_to_host(status: i32) -> ! {
    let saved_sp = RESUME_SP.get();
    if saved_sp.is_null() {
        // Called outside any run: there is nothing to return to.
        sys::exit_group(status);
    }
    // SAFETY: `saved_sp` belongs to an active `call_entry` further up this
    // thread's stack, whose `enter` frame is intact.
    unsafe { resume(*saved_sp, i64::from(status)) }
}

/// Two integers returned in rax:rdx.
#[repr(C)]
struct EnterResult {
    value: u64,
    exited: u64,
}

/// Saves the callee-saved registers, stores the stack pointer in `*saved_sp`
/// and calls `entry(services)`. Returns `{value, 0}` when the entry returns,
/// `{status, 1}` when [`resume`] is called.
#[unsafe(naked)]
unsafe extern "sysv64" fn enter(
    entry: EntryFn,
    services: *const Services,
    saved_sp: *mut u64,
) -> EnterResult {
    core::arch::naked_asm!(
        "push rbp",
        "push rbx",
        "push r12",
        "push r13",
        "push r14",
        "push r15",
        // Return address + 6 pushes + 8 = 64 bytes: rsp is 16-byte aligned
        // again for the call.
        "sub rsp, 8",
        "mov [rdx], rsp",
        "mov rax, rdi",
        "mov rdi, rsi",
        "call rax",
        "xor edx, edx",
        "add rsp, 8",
        "pop r15",
        "pop r14",
        "pop r13",
        "pop r12",
        "pop rbx",
        "pop rbp",
        "ret",
    )
}

/// Returns from the `enter` activation whose stack pointer is `saved_sp`,
/// with result `{status, 1}`.
#[unsafe(naked)]
unsafe extern "sysv64" fn resume(saved_sp: u64, status: i64) -> ! {
    core::arch::naked_asm!(
        "mov rsp, rdi",
        "mov rax, rsi",
        "mov edx, 1",
        // The ABI requires the direction flag clear at calls and returns.
        "cld",
        "add rsp, 8",
        "pop r15",
        "pop r14",
        "pop r13",
        "pop r12",
        "pop rbx",
        "pop rbp",
        "ret",
    )
}
