//! Start-up of a standalone executable: `_start`, the image table, the panic handler.
//!
//! Only built with the `stub` feature. The kernel jumps to `_start` with the
//! initial stack (argc, argv, envp, auxv) and no libc to set anything up; the
//! stub finds the generated code through the patched [`IMAGE_TABLE`] and calls
//! its entry with the standalone [`Services`](crate::Services).

use core::fmt::{self, Write};
use core::panic::PanicInfo;

use crate::services::{self, EntryFn};
use crate::sys;
use crate::table::{ImageTable, MAGIC};

/// Exit status for internal runtime failures, as for uncaught Scheme
/// exceptions (DESIGN.md decision 11).
const EXIT_FAILURE: i32 = 70;

/// The table `loko --compile` patches (see [`crate::table`]). It is read with
/// a volatile load: the compiler must not fold the unpatched initial value.
/// Reading it from `stub_main` also keeps it alive under `--gc-sections`.
#[unsafe(export_name = "loko_image_table")]
#[used]
pub static mut IMAGE_TABLE: ImageTable = ImageTable::UNPATCHED;

/// Room for the program headers that `loko --compile` adds.
///
/// The linker puts the sections right after the program header table, so the
/// table cannot grow in place. This note, which the linker places first in the
/// first segment (the stub is linked with `--build-id=none` so that no other
/// note comes before it), is deleted by the ELF writer, and the program header
/// table grows into the space it leaves. Notes are never garbage-collected.
#[unsafe(link_section = ".note.loko.reserve")]
#[used]
static PHDR_RESERVE: ReserveNote = ReserveNote {
    namesz: 5,
    descsz: RESERVE_DESC as u32,
    kind: 1,
    name: *b"loko\0\0\0\0",
    desc: [0; RESERVE_DESC],
};

/// Six program headers of 56 bytes, less the note's own header and name.
const RESERVE_DESC: usize = 6 * 56 - 20;

/// An ELF note (`Elf64_Nhdr` followed by its name and description).
#[repr(C)]
struct ReserveNote {
    namesz: u32,
    descsz: u32,
    kind: u32,
    name: [u8; 8],
    desc: [u8; RESERVE_DESC],
}

/// The process entry point named by the ELF header.
///
/// # Safety
/// Only the kernel calls this, with the System V initial process stack.
#[unsafe(naked)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _start() -> ! {
    core::arch::naked_asm!(
        // Mark the outermost frame for debuggers and unwinders.
        "xor ebp, ebp",
        // Pass the initial stack (argc, argv...) to stub_main.
        "mov rdi, rsp",
        // The ABI wants rsp ≡ 0 (mod 16) before a call.
        "and rsp, -16",
        "call {main}",
        "ud2",
        main = sym stub_main,
    )
}

/// Reads the image table and runs the generated code.
///
/// `initial_stack` points at argc, followed by the argv pointers.
unsafe extern "sysv64" fn stub_main(initial_stack: *const usize) -> ! {
    // SAFETY: the kernel's initial stack holds argc, argc argument pointers and a null, then
    // the environment pointers up to a null.
    unsafe {
        let argc = *initial_stack;
        let argv = initial_stack.add(1) as *const *const u8;
        crate::support::set_standalone_args(argc, argv, argv.add(argc + 1));
    }
    // SAFETY: nothing writes the table at run time; the volatile read only
    // stops the optimizer from assuming its initial value.
    let table = unsafe { core::ptr::read_volatile(&raw const IMAGE_TABLE) };
    if table.magic != MAGIC || table.entry == 0 {
        fail(format_args!(
            "loko runtime: no Scheme program is linked into this executable\n"
        ));
    }
    // SAFETY: the ELF writer stored the address of code that follows the
    // `EntryFn` contract, in a segment the kernel mapped R+X.
    let status = unsafe {
        let entry: EntryFn = core::mem::transmute(table.entry as usize);
        entry(&services::STANDALONE)
    };
    sys::exit_group(status as i32)
}

#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    fail(format_args!("loko runtime: {info}\n"))
}

fn fail(message: fmt::Arguments) -> ! {
    let _ = Stderr.write_fmt(message);
    sys::exit_group(EXIT_FAILURE)
}

struct Stderr;

impl Write for Stderr {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        // SAFETY: `s` is a valid buffer of `s.len()` bytes.
        match unsafe { services::write_all(2, s.as_ptr(), s.len()) } {
            n if n < 0 => Err(fmt::Error),
            _ => Ok(()),
        }
    }
}
