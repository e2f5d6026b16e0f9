//! The runtime services table: how generated code calls the runtime.
//!
//! The runtime hands the generated entry a pointer to a [`Services`] in `rdi`
//! (System V calling convention). Generated code keeps that pointer and calls
//! a service with `call [reg + OFFSET]`, using the `*_OFFSET` constants below.
//! An indirect call works at any distance, which matters in-process, where the
//! generated code is mapped far away from loko's own code.
//!
//! Both builds fill the table with their own implementations of the same
//! contract: the stub with [`STANDALONE`], loko's in-process loader with
//! services whose `exit` returns control to loko. New services are appended at
//! the end so that existing offsets never change.

use core::mem::offset_of;

use crate::context::Context;
use crate::sys;

/// The generated code's entry point. It receives the services table and
/// returns a value; a standalone executable exits with the low 32 bits of that
/// value as its status when the entry returns instead of calling `exit`.
pub type EntryFn = unsafe extern "sysv64" fn(services: *const Services) -> u64;

#[repr(C)]
pub struct Services {
    /// Writes all of `buf[..len]` to `fd` (retrying short writes and
    /// interrupted calls). Returns `len`, or `-errno` on the first failure.
    pub write: unsafe extern "sysv64" fn(fd: i32, buf: *const u8, len: usize) -> isize,
    /// Ends the Scheme program with `status`. Never returns to its caller.
    pub exit: unsafe extern "sysv64" fn(status: i32) -> !,
    /// The program's arguments: returns `argv` and stores `argc` (the program name first).
    pub args: unsafe extern "sysv64" fn(count: *mut usize) -> *const *const u8,
    /// Maps the heap and the Scheme stack into the context ([`crate::support::init_service`]).
    pub init: unsafe extern "sysv64" fn(ctx: *mut Context) -> u64,
    /// Reports an uncaught error and exits 70 ([`crate::error::error_service`]).
    pub error:
        unsafe extern "sysv64" fn(ctx: *mut Context, kind: u64, who: u64, irritant: u64) -> !,
    /// `display` (`write` when the flag is non-zero) to stdout ([`crate::print::print_service`]).
    pub print: unsafe extern "sysv64" fn(ctx: *mut Context, value: u64, write: u64) -> u64,
    /// `string->symbol`.
    pub string_to_symbol: unsafe extern "sysv64" fn(ctx: *mut Context, string: u64) -> u64,
    /// `command-line`.
    pub command_line: unsafe extern "sysv64" fn(ctx: *mut Context) -> u64,
    /// `equal?`.
    pub equal: unsafe extern "sysv64" fn(a: u64, b: u64) -> u64,
    /// `list->vector` (`who` names the caller in errors).
    pub list_to_vector: unsafe extern "sysv64" fn(ctx: *mut Context, list: u64, who: u64) -> u64,
    /// `append` of two lists.
    pub append: unsafe extern "sysv64" fn(ctx: *mut Context, a: u64, b: u64, who: u64) -> u64,
    /// Generic arithmetic: the operation `op` ([`crate::number::NumberOp`]) on `a` (and `b`),
    /// errors naming `who` ([`crate::number::number_service`]).
    pub number:
        unsafe extern "sysv64" fn(ctx: *mut Context, op: u64, a: u64, b: u64, who: u64) -> u64,
    /// Splits a freshly captured continuation into pieces of bounded size
    /// ([`crate::continuation::split_service`]).
    pub split_continuation: unsafe extern "sysv64" fn(ctx: *mut Context, k: u64),
    /// Questions a macro transformer asks the expander that runs it (`free-identifier=?`,
    /// `syntax-violation`): operation `op` on `a` and `b`. Only loko's expand-time world
    /// answers; elsewhere it is [`no_expander`].
    pub expand: unsafe extern "sysv64" fn(ctx: *mut Context, op: u64, a: u64, b: u64) -> u64,
    /// The value of the environment variable named by `name[..len]` as a NUL-terminated
    /// string, or null when it is not set. Host-specific, like `args`.
    pub env: unsafe extern "sysv64" fn(name: *const u8, len: usize) -> *const u8,
    /// Collects garbage ([`crate::gc::heap::collect_service`]).
    pub collect: unsafe extern "sysv64" fn(
        ctx: *mut Context,
        ret_slot: *mut u64,
        request: u64,
        in_call: u64,
    ) -> u64,
    /// A stack chunk outside the heap for a segment overflow ([`crate::gc::chunks`]).
    pub stack_chunk: unsafe extern "sysv64" fn(ctx: *mut Context, bytes: u64) -> u64,
    /// Character properties and case mappings: operation `op` ([`crate::unicode::UnicodeOp`])
    /// on `a` ([`crate::unicode::unicode_service`]); the string operations allocate.
    pub unicode: unsafe extern "sysv64" fn(ctx: *mut Context, op: u64, a: u64, b: u64) -> u64,
    /// The system calls behind ports: operation `op` on `a`..`d` ([`crate::io::io_service`]).
    pub io: unsafe extern "sysv64" fn(
        ctx: *mut Context,
        op: u64,
        a: u64,
        b: u64,
        c: u64,
        d: u64,
    ) -> u64,
    /// `display`/`write` into a string ([`crate::print::print_to_string_service`]).
    pub print_to_string: unsafe extern "sysv64" fn(
        ctx: *mut Context,
        value: u64,
        write: u64,
        buffer: u64,
        start: u64,
    ) -> u64,
}

/// Byte offset of [`Services::write`], for `call [services + WRITE_OFFSET]`.
pub const WRITE_OFFSET: usize = offset_of!(Services, write);
/// Byte offset of [`Services::exit`].
pub const EXIT_OFFSET: usize = offset_of!(Services, exit);
pub const ARGS_OFFSET: usize = offset_of!(Services, args);
pub const INIT_OFFSET: usize = offset_of!(Services, init);
pub const ERROR_OFFSET: usize = offset_of!(Services, error);
pub const PRINT_OFFSET: usize = offset_of!(Services, print);
pub const STRING_TO_SYMBOL_OFFSET: usize = offset_of!(Services, string_to_symbol);
pub const COMMAND_LINE_OFFSET: usize = offset_of!(Services, command_line);
pub const EQUAL_OFFSET: usize = offset_of!(Services, equal);
pub const LIST_TO_VECTOR_OFFSET: usize = offset_of!(Services, list_to_vector);
pub const APPEND_OFFSET: usize = offset_of!(Services, append);
pub const NUMBER_OFFSET: usize = offset_of!(Services, number);
pub const SPLIT_CONTINUATION_OFFSET: usize = offset_of!(Services, split_continuation);
pub const STACK_CHUNK_OFFSET: usize = offset_of!(Services, stack_chunk);
pub const EXPAND_OFFSET: usize = offset_of!(Services, expand);
pub const ENV_OFFSET: usize = offset_of!(Services, env);
pub const COLLECT_OFFSET: usize = offset_of!(Services, collect);
pub const UNICODE_OFFSET: usize = offset_of!(Services, unicode);
pub const IO_OFFSET: usize = offset_of!(Services, io);
pub const PRINT_TO_STRING_OFFSET: usize = offset_of!(Services, print_to_string);

/// The services of a standalone executable: output through `write(2)`,
/// `exit` is `exit_group(2)`.
pub static STANDALONE: Services = Services {
    write: write_all,
    exit: exit_process,
    args: crate::support::standalone_args,
    init: crate::support::init_service,
    error: crate::error::error_service,
    print: crate::print::print_service,
    string_to_symbol: crate::support::string_to_symbol_service,
    command_line: crate::support::command_line_service,
    equal: crate::support::equal_service,
    list_to_vector: crate::support::list_to_vector_service,
    append: crate::support::append_service,
    number: crate::number::number_service,
    split_continuation: crate::continuation::split_service,
    expand: no_expander,
    env: crate::support::standalone_env,
    collect: crate::gc::heap::collect_service,
    stack_chunk: crate::gc::chunks::chunk_service,
    unicode: crate::unicode::unicode_service,
    io: crate::io::io_service,
    print_to_string: crate::print::print_to_string_service,
};

/// The `expand` service outside expansion: there is no expander to ask, so every question
/// gets `#f` (an identifier made at run time resolves to nothing).
///
/// # Safety
/// Always safe; `unsafe` only because the table's field type is.
pub unsafe extern "sysv64" fn no_expander(_ctx: *mut Context, _op: u64, _a: u64, _b: u64) -> u64 {
    crate::value::FALSE
}

/// The `write` service, shared by both builds.
///
/// # Safety
/// `buf` must be valid for reading `len` bytes.
pub unsafe extern "sysv64" fn write_all(fd: i32, buf: *const u8, len: usize) -> isize {
    let mut done = 0;
    while done < len {
        // SAFETY: `done < len`, so the rest of the buffer is in bounds.
        let n = unsafe { sys::write(fd, buf.add(done), len - done) };
        if n == sys::EINTR {
            continue;
        }
        if n < 0 {
            return n;
        }
        done += n as usize;
    }
    len as isize
}

/// The standalone `exit` service: nothing else has to run, so end the process.
///
/// # Safety
/// Always safe; `unsafe` only because the table's field type is.
pub unsafe extern "sysv64" fn exit_process(status: i32) -> ! {
    sys::exit_group(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_stable() {
        // Generated code bakes these in; changing them is an ABI change.
        assert_eq!(WRITE_OFFSET, 0);
        assert_eq!(EXIT_OFFSET, 8);
        assert_eq!(ARGS_OFFSET, 16);
        assert_eq!(EQUAL_OFFSET, 64);
        assert_eq!(APPEND_OFFSET, 80);
        assert_eq!(NUMBER_OFFSET, 88);
        assert_eq!(SPLIT_CONTINUATION_OFFSET, 96);
        assert_eq!(EXPAND_OFFSET, 104);
        assert_eq!(COLLECT_OFFSET, 120);
        assert_eq!(STACK_CHUNK_OFFSET, 128);
        assert_eq!(UNICODE_OFFSET, 136);
        assert_eq!(IO_OFFSET, 144);
        assert_eq!(PRINT_TO_STRING_OFFSET, 152);
        assert_eq!(core::mem::size_of::<Services>(), 160);
    }

    #[test]
    fn write_all_reports_errors() {
        assert_eq!(unsafe { write_all(-1, b"x".as_ptr(), 1) }, -9);
        assert_eq!(unsafe { write_all(-1, b"".as_ptr(), 0) }, 0);
    }
}
