//! The `io` service: the system calls behind ports (`stdlib/ports.scm`). One service with an
//! operation code, like `number`: open, read, write, close, unlink, access and poll over raw
//! system calls (the runtime has no libc). Nothing here allocates, so the service never asks
//! for a retry. Failures come back as the negative errno, a fixnum, which the Scheme side turns
//! into `&i/o` conditions; arguments of the wrong type (the Scheme side checks them, so only a
//! bug gets here) are `-EINVAL`. Writes go through the host's `write` service, so a host that
//! captures output (the expand-time world's fd 2) sees them.

use crate::context::Context;
use crate::object::{header_of, is_object, string_chars};
use crate::sys;
use crate::value::*;

/// The operations, as the service's `op` argument (a fixnum); `stdlib/ports.scm` uses the
/// numbers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(i64)]
pub enum IoOp {
    /// `(path flags)`: opens the file named by the string `path`; the flags are [`OPEN_WRITE`]
    /// and the others below. Gives the file descriptor.
    Open = 0,
    /// `(fd bytevector start count)`: reads at most `count` bytes into the bytevector at
    /// `start`; gives the number read, 0 at the end of the file.
    Read = 1,
    /// `(fd bytevector start end)`: writes the bytes `[start, end)`; gives the number written.
    Write = 2,
    /// `(fd string start end)`: writes the characters `[start, end)` encoded in UTF-8.
    WriteString = 3,
    /// `(fd)`.
    Close = 4,
    /// `(path)`: deletes the file.
    Unlink = 5,
    /// `(path)`: 0 when the file exists.
    Exists = 6,
    /// `(fd)`: 1 when input is ready without blocking, else 0.
    Ready = 7,
    /// `()`: the end-of-file object (not a fixnum: Scheme has no other way to make it).
    EofObject = 8,
}

/// Open flags: for writing (else reading), create when missing, fail when it exists, truncate,
/// append. Scheme's `file-options` map to these.
pub const OPEN_WRITE: i64 = 1;
pub const OPEN_CREATE: i64 = 2;
pub const OPEN_EXCLUSIVE: i64 = 4;
pub const OPEN_TRUNCATE: i64 = 8;
pub const OPEN_APPEND: i64 = 16;

const EINVAL: isize = 22;
const ENAMETOOLONG: isize = 36;

/// The longest path, in bytes of UTF-8, that [`io_service`] takes (Linux's `PATH_MAX`).
const PATH_MAX: usize = 4096;

/// The `io` service: operation `op` (an [`IoOp`] as a fixnum) on `a`..`d`. Returns a fixnum:
/// the result, or `-errno` (except [`IoOp::EofObject`]).
///
/// # Safety
/// `ctx` must be the running program's context and the arguments valid values.
pub unsafe extern "sysv64" fn io_service(
    ctx: *mut Context,
    op: u64,
    a: u64,
    b: u64,
    c: u64,
    d: u64,
) -> u64 {
    if op == fixnum(IoOp::EofObject as i64) {
        return EOF;
    }
    let result = unsafe { run(ctx, op as i64 >> FIXNUM_SHIFT, a, b, c, d) };
    fixnum(result as i64)
}

unsafe fn run(ctx: *mut Context, op: i64, a: u64, b: u64, c: u64, d: u64) -> isize {
    let small = |v: u64| (tag(v) == TAG_FIXNUM).then_some(v as i64 >> FIXNUM_SHIFT);
    let fd = small(a).and_then(|fd| i32::try_from(fd).ok());
    unsafe {
        match op {
            x if x == IoOp::Open as i64 => match small(b) {
                Some(flags) => with_path(a, |path| sys::open(path, open_flags(flags), 0o666)),
                None => -EINVAL,
            },
            x if x == IoOp::Read as i64 => match (fd, byte_range(b, c, d, true)) {
                (Some(fd), Some((data, len))) => loop {
                    let n = sys::read(fd, data, len);
                    if n != sys::EINTR {
                        break n;
                    }
                },
                _ => -EINVAL,
            },
            x if x == IoOp::Write as i64 => match (fd, byte_range(b, c, d, false)) {
                (Some(fd), Some((data, len))) => ((*(*ctx).services).write)(fd, data, len),
                _ => -EINVAL,
            },
            x if x == IoOp::WriteString as i64 => match fd {
                Some(fd) => write_string(ctx, fd, b, c, d),
                None => -EINVAL,
            },
            x if x == IoOp::Close as i64 => fd.map_or(-EINVAL, sys::close),
            x if x == IoOp::Unlink as i64 => with_path(a, |path| sys::unlink(path)),
            x if x == IoOp::Exists as i64 => with_path(a, |path| sys::access(path, 0)),
            x if x == IoOp::Ready as i64 => fd.map_or(-EINVAL, sys::poll_readable),
            _ => -EINVAL,
        }
    }
}

fn tag(v: u64) -> u64 {
    v & TAG_MASK
}

fn open_flags(flags: i64) -> usize {
    const O_WRONLY: usize = 1;
    const O_CREAT: usize = 0o100;
    const O_EXCL: usize = 0o200;
    const O_TRUNC: usize = 0o1000;
    const O_APPEND: usize = 0o2000;
    const O_CLOEXEC: usize = 0o2000000;
    let mut result = O_CLOEXEC;
    for (flag, bits) in [
        (OPEN_WRITE, O_WRONLY),
        (OPEN_CREATE, O_CREAT),
        (OPEN_EXCLUSIVE, O_EXCL),
        (OPEN_TRUNCATE, O_TRUNC),
        (OPEN_APPEND, O_APPEND),
    ] {
        if flags & flag != 0 {
            result |= bits;
        }
    }
    result
}

/// The bytes `[start, start + count)` (`[start, end)` when `count_is_length` is false) of the
/// bytevector `bv`, when in bounds.
unsafe fn byte_range(
    bv: u64,
    start: u64,
    last: u64,
    count_is_length: bool,
) -> Option<(*mut u8, usize)> {
    if !is_object(bv, HEADER_BYTEVECTOR) || tag(start) != TAG_FIXNUM || tag(last) != TAG_FIXNUM {
        return None;
    }
    let (_, len) = unsafe { header_of(bv) };
    let start = usize::try_from(start as i64 >> FIXNUM_SHIFT).ok()?;
    let last = usize::try_from(last as i64 >> FIXNUM_SHIFT).ok()?;
    let end = if count_is_length {
        start.checked_add(last)?
    } else {
        last
    };
    if start > end || end > len {
        return None;
    }
    let data = (bv as i64 + OBJECT_DATA as i64) as *mut u8;
    Some((unsafe { data.add(start) }, end - start))
}

/// Writes the characters `[start, end)` of `string` to `fd` in UTF-8, a buffer at a time.
unsafe fn write_string(ctx: *mut Context, fd: i32, string: u64, start: u64, end: u64) -> isize {
    if !is_object(string, HEADER_STRING) || tag(start) != TAG_FIXNUM || tag(end) != TAG_FIXNUM {
        return -EINVAL;
    }
    let chars = unsafe { string_chars(string) };
    let (start, end) = (start as i64 >> FIXNUM_SHIFT, end as i64 >> FIXNUM_SHIFT);
    let (Ok(start), Ok(end)) = (usize::try_from(start), usize::try_from(end)) else {
        return -EINVAL;
    };
    let Some(chars) = chars.get(start..end) else {
        return -EINVAL;
    };
    let write = unsafe { (*(*ctx).services).write };
    let mut buf = [0u8; 1024];
    let mut len = 0;
    for &c in chars {
        if len + 4 > buf.len() {
            let n = unsafe { write(fd, buf.as_ptr(), len) };
            if n < 0 {
                return n;
            }
            len = 0;
        }
        let c = char::from_u32(c).unwrap_or('\u{fffd}');
        len += c.encode_utf8(&mut buf[len..]).len();
    }
    let n = unsafe { write(fd, buf.as_ptr(), len) };
    if n < 0 {
        return n;
    }
    (end - start) as isize
}

/// Calls `f` with `path` (a Scheme string) as a NUL-terminated UTF-8 string on the stack.
unsafe fn with_path(path: u64, f: impl FnOnce(*const u8) -> isize) -> isize {
    if !is_object(path, HEADER_STRING) {
        return -EINVAL;
    }
    let mut buf = [0u8; PATH_MAX + 1];
    let mut len = 0;
    for &c in unsafe { string_chars(path) } {
        let c = char::from_u32(c).unwrap_or('\u{fffd}');
        if c == '\0' {
            return -EINVAL;
        }
        if len + c.len_utf8() >= buf.len() {
            return -ENAMETOOLONG;
        }
        len += c.encode_utf8(&mut buf[len..]).len();
    }
    buf[len] = 0;
    f(buf.as_ptr())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_flags_map_to_linux() {
        assert_eq!(open_flags(0), 0o2000000);
        assert_eq!(
            open_flags(OPEN_WRITE | OPEN_CREATE | OPEN_TRUNCATE),
            0o2000000 | 1 | 0o100 | 0o1000
        );
        assert_eq!(
            open_flags(OPEN_WRITE | OPEN_CREATE | OPEN_EXCLUSIVE),
            0o2000000 | 1 | 0o100 | 0o200
        );
    }
}
