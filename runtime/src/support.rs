//! The services that set up a program and the primitives too large to open-code: `init` (heap
//! and stack), `string->symbol` (interning), `command-line` and `equal?`.

use crate::context::{self, Context};
use crate::continuation;
use crate::error::{ErrorKind, raise};
use crate::object::{
    cons, field, header_of, make_string, reserve, string_bytes, string_chars, tag,
};
use crate::sys;
use crate::value::*;
use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

/// The `init` service: maps the heap ([`crate::gc::heap::init`]) and the Scheme stack and
/// records them in `ctx`. Returns 0, or reports "out of memory" when the mappings fail.
///
/// The stack is reserved lazily (no swap is committed), so its size costs nothing until used.
/// Scheme code runs in the stack's top segment (`crate::continuation`); the stack's lowest
/// [`context::STACK_MARGIN`] bytes are kept for the runtime's own frames.
///
/// # Safety
/// `ctx` must be the program's context with `services` set.
pub unsafe extern "sysv64" fn init_service(ctx: *mut Context) -> u64 {
    let rw = sys::PROT_READ | sys::PROT_WRITE;
    let stack = sys::mmap_lazy(context::STACK_SIZE, rw);
    unsafe {
        if stack < 0 || !crate::gc::heap::init(ctx) {
            // No heap: report with an empty one.
            (*ctx).heap_ptr = 0;
            (*ctx).heap_limit = 0;
            raise(ctx, ErrorKind::OutOfMemory, FALSE, FALSE);
        }
        (*ctx).stack_base = stack as u64;
        (*ctx).stack_floor = stack as u64 + context::STACK_MARGIN as u64;
        (*ctx).stack_top = stack as u64 + context::STACK_SIZE as u64;
        (*ctx).stack_limit = (*ctx).stack_top - continuation::SEGMENT_SIZE;
        (*ctx).segment_top = (*ctx).stack_top;
        (*ctx).seal_floor = (*ctx).stack_top - continuation::SEAL_REGION;
        (*ctx).seals_evacuated = 1;
        (*ctx).chunks = 0;
        (*ctx).spare_chunks = 0;
        (*ctx).chunk_allowance = crate::gc::heap::INITIAL_BUDGET;
        (*ctx).captures = 0;
        (*ctx).cont_link = FALSE;
        (*ctx).winders = NULL;
        (*ctx).stack_depth_limit = fixnum(continuation::DEPTH_LIMIT as i64);
    }
    0
}

/// The `string->symbol` service: the symbol named by the string `s`, made if new.
///
/// # Safety
/// `ctx` must be the running program's context and `s` a string.
pub unsafe extern "sysv64" fn string_to_symbol_service(ctx: *mut Context, s: u64) -> u64 {
    unsafe {
        let name = string_chars(s);
        let mut list = (*ctx).symbols;
        while tag(list) == TAG_PAIR {
            let symbol = field(list, CAR);
            if string_chars(field(symbol, OBJECT_DATA)) == name {
                return symbol;
            }
            list = field(list, CDR);
        }
        // A copy, so that mutating the argument later does not rename the symbol.
        if !reserve(ctx, string_bytes(name.len()) + 16 + 16) {
            return RETRY;
        }
        let (Some(copy), Some(p)) = (
            make_string(ctx, name.iter().copied()),
            crate::object::allocate(ctx, 16),
        ) else {
            return RETRY;
        };
        *p = header(HEADER_SYMBOL, 1);
        *p.add(1) = copy;
        let symbol = p as u64 + TAG_OBJECT;
        let Some(list) = cons(ctx, symbol, (*ctx).symbols) else {
            return RETRY;
        };
        (*ctx).symbols = list;
        symbol
    }
}

/// The `command-line` service: the program's arguments as a list of strings, the program's
/// name first.
///
/// # Safety
/// `ctx` must be the running program's context.
pub unsafe extern "sysv64" fn command_line_service(ctx: *mut Context) -> u64 {
    unsafe {
        let mut count = 0usize;
        let argv = ((*(*ctx).services).args)(&mut count);
        let arg = |i: usize| {
            let arg = *argv.add(i);
            let mut len = 0;
            while *arg.add(len) != 0 {
                len += 1;
            }
            // Arguments that are not UTF-8 get U+FFFD for each bad sequence.
            Utf8Chars {
                bytes: core::slice::from_raw_parts(arg, len),
            }
        };
        let total: usize = (0..count).map(|i| string_bytes(arg(i).count()) + 16).sum();
        if !reserve(ctx, total) {
            return RETRY;
        }
        let mut list = NULL;
        for i in (0..count).rev() {
            let chars = arg(i);
            let n = chars.clone().count();
            let made = make_string(
                ctx,
                CountedChars {
                    inner: chars,
                    left: n,
                },
            )
            .and_then(|s| cons(ctx, s, list));
            let Some(made) = made else {
                return RETRY;
            };
            list = made;
        }
        list
    }
}

/// The `equal?` service: structural equality of pairs, vectors, strings and bytevectors.
///
/// # Safety
/// Both values must be valid.
pub unsafe extern "sysv64" fn equal_service(a: u64, b: u64) -> u64 {
    if unsafe { equal(a, b) } { TRUE } else { FALSE }
}

unsafe fn equal(mut a: u64, mut b: u64) -> bool {
    loop {
        if a == b {
            return true;
        }
        if tag(a) == TAG_PAIR && tag(b) == TAG_PAIR {
            unsafe {
                if !equal(field(a, CAR), field(b, CAR)) {
                    return false;
                }
                a = field(a, CDR);
                b = field(b, CDR);
            }
            continue;
        }
        if tag(a) != TAG_OBJECT || tag(b) != TAG_OBJECT {
            return false;
        }
        let ((ka, la), (kb, lb)) = unsafe { (header_of(a), header_of(b)) };
        if matches!(ka, HEADER_FLONUM | HEADER_BIGNUM | HEADER_RATNUM) {
            return unsafe { crate::number::eqv(a, b) };
        }
        if ka != kb || la != lb {
            return false;
        }
        let data = |v: u64| (v as i64 + OBJECT_DATA as i64) as *const u8;
        return match ka {
            HEADER_STRING => unsafe { string_chars(a) == string_chars(b) },
            HEADER_BYTEVECTOR => unsafe {
                core::slice::from_raw_parts(data(a), la) == core::slice::from_raw_parts(data(b), lb)
            },
            HEADER_VECTOR => (0..la).all(|i| unsafe {
                equal(
                    *(data(a) as *const u64).add(i),
                    *(data(b) as *const u64).add(i),
                )
            }),
            _ => false,
        };
    }
}

#[derive(Clone)]
struct Utf8Chars<'a> {
    bytes: &'a [u8],
}

impl Iterator for Utf8Chars<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.bytes.is_empty() {
            return None;
        }
        let chunk = self.bytes.utf8_chunks().next()?;
        if let Some(c) = chunk.valid().chars().next() {
            self.bytes = &self.bytes[c.len_utf8()..];
            return Some(c as u32);
        }
        self.bytes = &self.bytes[chunk.invalid().len().max(1)..];
        Some(0xfffd)
    }
}

struct CountedChars<'a> {
    inner: Utf8Chars<'a>,
    left: usize,
}

impl Iterator for CountedChars<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        self.left = self.left.saturating_sub(1);
        self.inner.next()
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for CountedChars<'_> {}

/// The standalone executable's arguments, recorded by `_start`.
static ARGC: AtomicUsize = AtomicUsize::new(0);
static ARGV: AtomicPtr<*const u8> = AtomicPtr::new(core::ptr::null_mut());

static ENVP: AtomicPtr<*const u8> = AtomicPtr::new(core::ptr::null_mut());

/// Records the process's arguments for [`standalone_args`] and its environment (`envp`, a
/// null-terminated array of `NAME=value` strings) for [`standalone_env`].
pub fn set_standalone_args(argc: usize, argv: *const *const u8, envp: *const *const u8) {
    ARGC.store(argc, Ordering::Relaxed);
    ARGV.store(argv as *mut _, Ordering::Relaxed);
    ENVP.store(envp as *mut _, Ordering::Relaxed);
}

/// The standalone `env` service: looks `name` up in the environment the kernel gave the
/// process.
///
/// # Safety
/// `name` must be valid for reading `len` bytes.
pub unsafe extern "sysv64" fn standalone_env(name: *const u8, len: usize) -> *const u8 {
    let mut entry = ENVP.load(Ordering::Relaxed);
    if entry.is_null() {
        return core::ptr::null();
    }
    unsafe {
        let name = core::slice::from_raw_parts(name, len);
        while !(*entry).is_null() {
            let s = *entry;
            let matches = (0..len).all(|i| *s.add(i) == name[i]) && *s.add(len) == b'=';
            if matches {
                return s.add(len + 1);
            }
            entry = entry.add(1);
        }
    }
    core::ptr::null()
}

/// The standalone `args` service: the arguments the kernel gave the process.
///
/// # Safety
/// `count` must be writable.
pub unsafe extern "sysv64" fn standalone_args(count: *mut usize) -> *const *const u8 {
    unsafe { *count = ARGC.load(Ordering::Relaxed) };
    ARGV.load(Ordering::Relaxed)
}

/// The elements of the proper list `list`, or "not a proper list" for `who`.
///
/// # Safety
/// `ctx` must be the running program's context and the values valid.
unsafe fn list_length(ctx: *mut Context, list: u64, who: u64) -> usize {
    let mut n = 0;
    let mut tail = list;
    while tag(tail) == TAG_PAIR {
        n += 1;
        tail = unsafe { field(tail, CDR) };
    }
    if tail != NULL {
        unsafe { raise(ctx, ErrorKind::NotAList, who, list) };
    }
    n
}

/// The `list->vector` service.
///
/// # Safety
/// `ctx` must be the running program's context and the values valid.
pub unsafe extern "sysv64" fn list_to_vector_service(
    ctx: *mut Context,
    list: u64,
    who: u64,
) -> u64 {
    unsafe {
        let n = list_length(ctx, list, who);
        let Some(p) = crate::object::allocate(ctx, 8 * (n + 1)) else {
            return RETRY;
        };
        *p = header(HEADER_VECTOR, n as u64);
        let mut tail = list;
        for i in 0..n {
            *p.add(1 + i) = field(tail, CAR);
            tail = field(tail, CDR);
        }
        p as u64 + TAG_OBJECT
    }
}

/// The `append` service for two arguments: a copy of the list `a` ending in `b`.
///
/// # Safety
/// `ctx` must be the running program's context and the values valid.
pub unsafe extern "sysv64" fn append_service(ctx: *mut Context, a: u64, b: u64, who: u64) -> u64 {
    unsafe {
        let n = list_length(ctx, a, who);
        if n == 0 {
            return b;
        }
        let Some(first) = crate::object::allocate(ctx, 16 * n) else {
            return RETRY;
        };
        let mut tail = a;
        for i in 0..n {
            let cell = first.add(2 * i);
            *cell = field(tail, CAR);
            *cell.add(1) = if i + 1 == n {
                b
            } else {
                cell.add(2) as u64 + TAG_PAIR
            };
            tail = field(tail, CDR);
        }
        first as u64 + TAG_PAIR
    }
}
