//! Raw Linux x86-64 system calls: the runtime's only way to talk to the kernel.
//!
//! The stub has no libc, and the in-process host shares these functions so
//! that both builds reach the kernel the same way. Each wrapper returns the raw
//! kernel result: a non-negative value, or `-errno`.

use core::arch::asm;

const SYS_READ: usize = 0;
const SYS_WRITE: usize = 1;
const SYS_OPEN: usize = 2;
const SYS_CLOSE: usize = 3;
const SYS_POLL: usize = 7;
const SYS_ACCESS: usize = 21;
const SYS_UNLINK: usize = 87;
const SYS_MMAP: usize = 9;
const SYS_MPROTECT: usize = 10;
const SYS_MUNMAP: usize = 11;
const SYS_EXIT_GROUP: usize = 231;

pub const PROT_NONE: usize = 0;
pub const PROT_READ: usize = 1;
pub const PROT_WRITE: usize = 2;
pub const PROT_EXEC: usize = 4;
pub const MAP_PRIVATE: usize = 0x02;
pub const MAP_ANONYMOUS: usize = 0x20;

/// `-EINTR`: the call was interrupted by a signal before doing anything.
pub const EINTR: isize = -4;

/// The size of a page, which is also the granularity of `mmap`/`mprotect`.
pub const PAGE_SIZE: usize = 4096;

/// # Safety
/// `buf` must be valid for reading `len` bytes.
pub unsafe fn write(fd: i32, buf: *const u8, len: usize) -> isize {
    unsafe { syscall3(SYS_WRITE, fd as usize, buf as usize, len) as isize }
}

/// # Safety
/// `buf` must be valid for writing `len` bytes.
pub unsafe fn read(fd: i32, buf: *mut u8, len: usize) -> isize {
    unsafe { syscall3(SYS_READ, fd as usize, buf as usize, len) as isize }
}

/// Opens the file at the NUL-terminated `path` with `open(2)`'s `flags` and `mode`.
///
/// # Safety
/// `path` must point at a NUL-terminated string.
pub unsafe fn open(path: *const u8, flags: usize, mode: usize) -> isize {
    unsafe { syscall3(SYS_OPEN, path as usize, flags, mode) as isize }
}

pub fn close(fd: i32) -> isize {
    // SAFETY: closing a descriptor touches no memory.
    unsafe { syscall3(SYS_CLOSE, fd as usize, 0, 0) as isize }
}

/// `access(2)`.
///
/// # Safety
/// `path` must point at a NUL-terminated string.
pub unsafe fn access(path: *const u8, mode: usize) -> isize {
    unsafe { syscall3(SYS_ACCESS, path as usize, mode, 0) as isize }
}

/// `unlink(2)`.
///
/// # Safety
/// `path` must point at a NUL-terminated string.
pub unsafe fn unlink(path: *const u8) -> isize {
    unsafe { syscall3(SYS_UNLINK, path as usize, 0, 0) as isize }
}

/// Whether `fd` has input ready now (`poll(2)` with no timeout): 1, 0, or `-errno`.
pub fn poll_readable(fd: i32) -> isize {
    const POLLIN: u16 = 1;
    // struct pollfd { int fd; short events; short revents; }
    let mut pollfd = [0u8; 8];
    pollfd[..4].copy_from_slice(&fd.to_ne_bytes());
    pollfd[4..6].copy_from_slice(&POLLIN.to_ne_bytes());
    // SAFETY: one pollfd structure, valid for reading and writing.
    unsafe { syscall3(SYS_POLL, pollfd.as_mut_ptr() as usize, 1, 0) as isize }
}

/// Ends the whole process (every thread) with `status`.
pub fn exit_group(status: i32) -> ! {
    unsafe {
        asm!(
            "syscall",
            in("rax") SYS_EXIT_GROUP,
            in("rdi") status as isize as usize,
            options(noreturn, nostack),
        )
    }
}

/// Maps `len` bytes of fresh zeroed memory with protection `prot`; returns
/// the address or `-errno`.
pub fn mmap_anonymous(len: usize, prot: usize) -> isize {
    // SAFETY: an anonymous private mapping with no address hint cannot
    // replace any existing mapping.
    unsafe {
        syscall6(
            SYS_MMAP,
            0,
            len,
            prot,
            MAP_PRIVATE | MAP_ANONYMOUS,
            usize::MAX, // fd -1
            0,
        ) as isize
    }
}

/// Like [`mmap_anonymous`], but without reserving swap (`MAP_NORESERVE`): pages cost nothing
/// until touched, so the runtime can map a large heap and stack up front.
pub fn mmap_lazy(len: usize, prot: usize) -> isize {
    const MAP_NORESERVE: usize = 0x4000;
    // SAFETY: as for `mmap_anonymous`.
    unsafe {
        syscall6(
            SYS_MMAP,
            0,
            len,
            prot,
            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
            usize::MAX,
            0,
        ) as isize
    }
}

/// # Safety
/// Changing the protection of memory that Rust code still uses (e.g. making
/// it read-only while it is borrowed mutably) is undefined behaviour.
pub unsafe fn mprotect(addr: *mut u8, len: usize, prot: usize) -> isize {
    unsafe { syscall3(SYS_MPROTECT, addr as usize, len, prot) as isize }
}

/// # Safety
/// Nothing may use the unmapped memory afterwards.
pub unsafe fn munmap(addr: *mut u8, len: usize) -> isize {
    unsafe { syscall3(SYS_MUNMAP, addr as usize, len, 0) as isize }
}

unsafe fn syscall3(n: usize, a1: usize, a2: usize, a3: usize) -> usize {
    let ret: usize;
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") n => ret,
            in("rdi") a1,
            in("rsi") a2,
            in("rdx") a3,
            // The kernel clobbers rcx (return address) and r11 (rflags).
            out("rcx") _,
            out("r11") _,
            options(nostack),
        );
    }
    ret
}

unsafe fn syscall6(
    n: usize,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
    a5: usize,
    a6: usize,
) -> usize {
    let ret: usize;
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") n => ret,
            in("rdi") a1,
            in("rsi") a2,
            in("rdx") a3,
            in("r10") a4,
            in("r8") a5,
            in("r9") a6,
            out("rcx") _,
            out("r11") _,
            options(nostack),
        );
    }
    ret
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_protect_unmap() {
        let addr = mmap_anonymous(PAGE_SIZE, PROT_READ | PROT_WRITE);
        assert!(addr > 0, "mmap failed: {addr}");
        let p = addr as *mut u8;
        unsafe {
            p.write(42);
            assert_eq!(mprotect(p, PAGE_SIZE, PROT_READ), 0);
            assert_eq!(p.read(), 42);
            assert_eq!(munmap(p, PAGE_SIZE), 0);
        }
    }

    #[test]
    fn write_to_a_bad_fd_fails() {
        assert_eq!(unsafe { write(-1, b"x".as_ptr(), 1) }, -9); // EBADF
    }
}
