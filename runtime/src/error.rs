//! Runtime errors: what generated code's out-of-line error paths report.
//!
//! An error exit passes the error kind, `who` and one irritant to the image's common exit.
//! When the program has the base library, the common exit calls its Scheme procedure
//! `$raise-runtime-error` (stdlib/exceptions.scm), which makes an R6RS condition and `raise`s
//! it, so handlers and `guard` see it. Without it (IR programs), and for running out of heap or
//! stack, where Scheme code cannot run yet, the exit calls the `error` service here, which prints
//! the condition (who, message, irritants) to stderr in the same format as the Scheme default
//! handler and exits with status 70 (DESIGN.md decision 11).

use crate::context::Context;
use crate::print::{Output, print};
use crate::value::{FALSE, NULL};

/// What went wrong; generated code passes the number, and stdlib/exceptions.scm classifies
/// it by number (`$raise-runtime-error`), so the numbers never change.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u64)]
pub enum ErrorKind {
    WrongType = 1,
    Overflow = 2,
    WrongArgumentCount = 3,
    NotAProcedure = 4,
    Unbound = 5,
    OutOfMemory = 6,
    StackOverflow = 7,
    IndexOutOfRange = 8,
    DivisionByZero = 9,
    /// `apply`'s last argument is not a list.
    NotAList = 12,
    /// A primitive given an argument count it does not accept, through `apply`.
    Unsupported = 13,
    /// A number of values other than one returned to a continuation that accepts exactly one;
    /// the irritant is the number.
    WrongValueCount = 14,
    /// The Scheme procedure that raises runtime errors returned (it must not).
    RaiseReturned = 15,
}

impl ErrorKind {
    /// Every kind, in number order.
    pub const ALL: [ErrorKind; 13] = [
        ErrorKind::WrongType,
        ErrorKind::Overflow,
        ErrorKind::WrongArgumentCount,
        ErrorKind::NotAProcedure,
        ErrorKind::Unbound,
        ErrorKind::OutOfMemory,
        ErrorKind::StackOverflow,
        ErrorKind::IndexOutOfRange,
        ErrorKind::DivisionByZero,
        ErrorKind::NotAList,
        ErrorKind::Unsupported,
        ErrorKind::WrongValueCount,
        ErrorKind::RaiseReturned,
    ];

    /// The kind numbered `n`.
    pub fn from_number(n: u64) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|&k| k as u64 == n)
    }

    /// The condition's message. The code generator also puts these strings in every image,
    /// for `$raise-runtime-error`.
    pub fn message(self) -> &'static str {
        match self {
            ErrorKind::WrongType => "wrong type argument",
            ErrorKind::Overflow => "result is not a fixnum",
            ErrorKind::WrongArgumentCount => "wrong number of arguments",
            ErrorKind::NotAProcedure => "not a procedure",
            ErrorKind::Unbound => "variable is not bound",
            ErrorKind::OutOfMemory => {
                "out of memory: the heap is exhausted (its limit is LOKO_HEAP, in MiB)"
            }
            ErrorKind::StackOverflow => "stack overflow (recursion too deep)",
            ErrorKind::IndexOutOfRange => "index out of range",
            ErrorKind::DivisionByZero => "division by zero",
            ErrorKind::NotAList => "not a proper list",
            ErrorKind::Unsupported => "unsupported number of arguments",
            ErrorKind::WrongValueCount => {
                "wrong number of values returned to a continuation that accepts one"
            }
            ErrorKind::RaiseReturned => "the runtime error handler returned",
        }
    }

    /// Whether the error exit's irritant means something (otherwise the condition has none).
    pub fn has_irritant(self) -> bool {
        !matches!(
            self,
            ErrorKind::Unbound
                | ErrorKind::OutOfMemory
                | ErrorKind::StackOverflow
                | ErrorKind::RaiseReturned
        )
    }
}

/// The exit status of a program that raised an uncaught exception.
pub const EXIT_STATUS: i32 = 70;

/// The `error` service: reports the error and ends the program.
///
/// # Safety
/// `ctx` must be the running program's context; the values must be valid.
pub unsafe extern "sysv64" fn error_service(
    ctx: *mut Context,
    kind: u64,
    who: u64,
    irritant: u64,
) -> ! {
    let kind = ErrorKind::from_number(kind).unwrap_or(ErrorKind::Unsupported);
    unsafe { report(ctx, kind, who, irritant) }
}

/// Raises an error found by a runtime service: like an error exit of generated code, it
/// jumps to the image's common error exit, which raises a condition in Scheme; the service's
/// own frames are abandoned (services hold nothing that needs releasing, and the exit never
/// returns). Before the program runs, and for running out of heap (the exit cannot allocate
/// a condition then), it reports the error and exits.
///
/// # Safety
/// As for [`error_service`]; the Scheme stack must be the one the generated code runs on.
pub unsafe fn raise(ctx: *mut Context, kind: ErrorKind, who: u64, irritant: u64) -> ! {
    let exit = unsafe { (*ctx).error_exit };
    if exit != 0 && kind != ErrorKind::OutOfMemory {
        // SAFETY: the common exit takes the kind in esi, `who` in rdx, the irritant in rcx,
        // the context in r15 and the allocation pointer in r14, and never returns.
        unsafe {
            core::arch::asm!(
                "mov r15, rdi",
                "mov r14, [rdi + {heap_ptr}]",
                "jmp rax",
                heap_ptr = const crate::context::HEAP_PTR,
                in("rdi") ctx,
                in("rax") exit,
                in("rsi") kind as u64,
                in("rdx") who,
                in("rcx") irritant,
                options(noreturn),
            )
        }
    }
    unsafe { report(ctx, kind, who, irritant) }
}

/// Prints the condition to stderr and exits with [`EXIT_STATUS`].
///
/// # Safety
/// As for [`error_service`].
pub unsafe fn report(ctx: *mut Context, kind: ErrorKind, who: u64, irritant: u64) -> ! {
    let services = unsafe { &*(*ctx).services };
    let mut out = Output::new(ctx, services, 2);
    out.text("Unhandled exception: error\n");
    if who != FALSE {
        out.text("  who: ");
        unsafe { print(&mut out, who, false) };
        out.text("\n");
    }
    out.text("  message: \"");
    out.text(kind.message());
    out.text("\"\n  irritants: ");
    if kind.has_irritant() {
        out.text("(");
        unsafe { print(&mut out, irritant, true) };
        out.text(")");
    } else {
        unsafe { print(&mut out, NULL, true) };
    }
    out.text("\n");
    out.flush();
    unsafe { (services.exit)(EXIT_STATUS) }
}

#[cfg(test)]
mod tests {
    use super::ErrorKind;

    #[test]
    fn kinds_round_trip_through_their_numbers() {
        for kind in ErrorKind::ALL {
            assert_eq!(ErrorKind::from_number(kind as u64), Some(kind));
        }
        assert_eq!(ErrorKind::from_number(10), None);
    }
}
