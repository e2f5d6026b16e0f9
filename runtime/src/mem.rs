//! memcpy, memmove, memset, memcmp, bcmp and strlen for the standalone executable.
//!
//! rustc emits calls to these symbols, and on linux-gnu compiler_builtins
//! leaves them to libc, which the stub does not link. They are exported under
//! their C names only with the `stub` feature: in the host build they would
//! replace libc's, so there they are ordinary (tested) functions. They use
//! `rep movsb`/`rep stosb` (fast on every CPU with ERMS) rather than Rust loops,
//! which LLVM would turn back into calls to these very functions.

use core::arch::asm;

/// # Safety
/// The C contract: `dst` and `src` valid for `n` bytes and not overlapping.
#[cfg_attr(feature = "stub", unsafe(no_mangle))]
pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    unsafe {
        asm!(
            "rep movsb",
            inout("rcx") n => _,
            inout("rdi") dst => _,
            inout("rsi") src => _,
            options(nostack, preserves_flags),
        );
    }
    dst
}

/// # Safety
/// The C contract: `dst` and `src` valid for `n` bytes; they may overlap.
#[cfg_attr(feature = "stub", unsafe(no_mangle))]
pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    if (dst as usize).wrapping_sub(src as usize) >= n {
        // dst is below src, or past its end: a forward copy never reads a
        // byte it has already overwritten.
        return unsafe { memcpy(dst, src, n) };
    }
    // Copy backwards, from the last byte down.
    unsafe {
        asm!(
            "std",
            "rep movsb",
            "cld",
            inout("rcx") n => _,
            inout("rdi") dst.add(n).wrapping_sub(1) => _,
            inout("rsi") src.add(n).wrapping_sub(1) => _,
            options(nostack),
        );
    }
    dst
}

/// # Safety
/// The C contract: `dst` valid for `n` bytes.
#[cfg_attr(feature = "stub", unsafe(no_mangle))]
pub unsafe extern "C" fn memset(dst: *mut u8, c: i32, n: usize) -> *mut u8 {
    unsafe {
        asm!(
            "rep stosb",
            inout("rcx") n => _,
            inout("rdi") dst => _,
            in("al") c as u8,
            options(nostack, preserves_flags),
        );
    }
    dst
}

/// # Safety
/// The C contract: `a` and `b` valid for `n` bytes.
#[cfg_attr(feature = "stub", unsafe(no_mangle))]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    for i in 0..n {
        // SAFETY: i < n.
        let (x, y) = unsafe { (*a.add(i), *b.add(i)) };
        if x != y {
            return i32::from(x) - i32::from(y);
        }
    }
    0
}

/// # Safety
/// The C contract: `a` and `b` valid for `n` bytes.
#[cfg_attr(feature = "stub", unsafe(no_mangle))]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    unsafe { memcmp(a, b, n) }
}

/// `strlen`, which LLVM makes of the loops that measure C strings (`command-line`).
///
/// # Safety
/// The C contract: `s` points to a NUL-terminated string.
#[cfg_attr(feature = "stub", unsafe(no_mangle))]
pub unsafe extern "C" fn strlen(s: *const u8) -> usize {
    let mut n = 0;
    // SAFETY: the string is NUL-terminated; volatile reads keep LLVM from turning this loop
    // into a call to strlen itself.
    while unsafe { core::ptr::read_volatile(s.add(n)) } != 0 {
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_and_fill() {
        let mut buf = *b"abcdefgh";
        unsafe {
            memcpy(buf.as_mut_ptr(), b"XY".as_ptr(), 2);
            memset(buf.as_mut_ptr().add(6), i32::from(b'z'), 2);
        }
        assert_eq!(&buf, b"XYcdefzz");
        assert_eq!(buf[2], b'c', "memcpy and memset must not touch other bytes");
    }

    #[test]
    fn move_handles_overlap_both_ways() {
        let mut buf = *b"0123456789";
        unsafe { memmove(buf.as_mut_ptr().add(2), buf.as_ptr(), 5) };
        assert_eq!(&buf, b"0101234789");
        let mut buf = *b"0123456789";
        unsafe { memmove(buf.as_mut_ptr(), buf.as_ptr().add(3), 5) };
        assert_eq!(&buf, b"3456756789");
    }

    #[test]
    fn string_length() {
        assert_eq!(unsafe { strlen(c"abc".as_ptr().cast()) }, 3);
    }

    #[test]
    fn compare() {
        unsafe {
            assert_eq!(memcmp(b"abc".as_ptr(), b"abc".as_ptr(), 3), 0);
            assert!(memcmp(b"abc".as_ptr(), b"abd".as_ptr(), 3) < 0);
            assert!(bcmp(b"b".as_ptr(), b"a".as_ptr(), 1) != 0);
        }
    }
}
