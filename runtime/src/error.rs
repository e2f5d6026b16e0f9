//! Runtime errors: what generated code's out-of-line error paths report. There are no exception
//! handlers yet, so every error is an uncaught exception: the condition (who, message,
//! irritants) goes to stderr and the program exits with status 70 (DESIGN.md decision 11).

use crate::context::Context;
use crate::print::{Output, print};
use crate::value::{FALSE, NULL, TAG_PAIR};

/// What went wrong; generated code passes the number.
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
    /// `error`: the irritant is `(message irritant ...)`.
    User = 10,
    /// `assertion-violation`: as `User`.
    Assertion = 11,
    /// `apply`'s last argument is not a list.
    NotAList = 12,
    /// A primitive given an argument count it does not accept, through `apply`.
    Unsupported = 13,
    /// A number of values other than one returned to a continuation that accepts exactly one;
    /// the irritant is the number.
    WrongValueCount = 14,
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
    let kind = match kind {
        1 => ErrorKind::WrongType,
        2 => ErrorKind::Overflow,
        3 => ErrorKind::WrongArgumentCount,
        4 => ErrorKind::NotAProcedure,
        5 => ErrorKind::Unbound,
        6 => ErrorKind::OutOfMemory,
        7 => ErrorKind::StackOverflow,
        8 => ErrorKind::IndexOutOfRange,
        9 => ErrorKind::DivisionByZero,
        10 => ErrorKind::User,
        11 => ErrorKind::Assertion,
        12 => ErrorKind::NotAList,
        14 => ErrorKind::WrongValueCount,
        _ => ErrorKind::Unsupported,
    };
    unsafe { raise(ctx, kind, who, irritant) }
}

/// Prints the condition to stderr and exits with [`EXIT_STATUS`].
///
/// # Safety
/// As for [`error_service`].
pub unsafe fn raise(ctx: *mut Context, kind: ErrorKind, who: u64, irritant: u64) -> ! {
    let services = unsafe { &*(*ctx).services };
    let mut out = Output::new(ctx, services, 2);
    let (message, irritants) = match kind {
        ErrorKind::WrongType => ("wrong type argument", Some(irritant)),
        ErrorKind::Overflow => ("result is not a fixnum", Some(irritant)),
        ErrorKind::WrongArgumentCount => ("wrong number of arguments", Some(irritant)),
        ErrorKind::NotAProcedure => ("not a procedure", Some(irritant)),
        ErrorKind::Unbound => ("variable is not bound", None),
        ErrorKind::OutOfMemory => ("out of memory", None),
        ErrorKind::StackOverflow => ("stack overflow (recursion too deep)", None),
        ErrorKind::IndexOutOfRange => ("index out of range", Some(irritant)),
        ErrorKind::DivisionByZero => ("division by zero", Some(irritant)),
        ErrorKind::NotAList => ("not a proper list", Some(irritant)),
        ErrorKind::Unsupported => ("unsupported number of arguments", Some(irritant)),
        ErrorKind::WrongValueCount => (
            "wrong number of values returned to a continuation that accepts one",
            Some(irritant),
        ),
        ErrorKind::User | ErrorKind::Assertion => ("", None),
    };
    out.text(match kind {
        ErrorKind::Assertion => "Unhandled exception: assertion violation\n",
        _ => "Unhandled exception: error\n",
    });
    if who != FALSE {
        out.text("  who: ");
        unsafe { print(&mut out, who, false) };
        out.text("\n");
    }
    out.text("  message: ");
    match kind {
        ErrorKind::User | ErrorKind::Assertion if irritant & 7 == TAG_PAIR => unsafe {
            // The irritant is (message irritant ...).
            let message = crate::object::field(irritant, crate::value::CAR);
            let rest = crate::object::field(irritant, crate::value::CDR);
            print(&mut out, message, true);
            out.text("\n  irritants: ");
            print(&mut out, rest, true);
        },
        _ => {
            out.text("\"");
            out.text(message);
            out.text("\"");
            out.text("\n  irritants: ");
            match irritants {
                Some(value) => unsafe {
                    out.text("(");
                    print(&mut out, value, true);
                    out.text(")");
                },
                None => unsafe { print(&mut out, NULL, true) },
            }
        }
    }
    out.text("\n");
    out.flush();
    unsafe { (services.exit)(EXIT_STATUS) }
}
