//! In-process execution: maps an [`Image`] into loko's own address space and runs it.
//!
//! This is how `--program`, the REPL and `eval` run compiled code (DESIGN.md
//! decision 2). The image gets one anonymous mapping laid out as in an
//! executable (data, then code at [`Image::code_offset`]); everything is
//! copied and relocated while the mapping is R+W, then the code pages are
//! switched to R+X. No page is ever writable and executable at once.
//!
//! The program gets the host's [`Services`]: `write` is the runtime's own,
//! `exit` returns control to loko (see the `trampoline` module), so
//! [`run_image`] reports [`Outcome::Exited`] and the caller decides what to do
//! — `--program` exits with that status, the REPL carries on.

use std::fmt;

use runtime::services::write_all;
use runtime::{EntryFn, Services, sys};

use crate::image::{Image, ImageError, Location, Section};
use crate::trampoline;
pub use crate::trampoline::exit_to_host;

pub use crate::trampoline::Outcome;

/// The services that in-process generated code calls.
pub static HOST_SERVICES: Services = Services {
    write: write_all,
    exit: exit_to_host,
    args: crate::args::host_args,
    init: runtime::support::init_service,
    error: runtime::error::error_service,
    print: runtime::print::print_service,
    string_to_symbol: runtime::support::string_to_symbol_service,
    command_line: runtime::support::command_line_service,
    equal: runtime::support::equal_service,
    list_to_vector: runtime::support::list_to_vector_service,
    append: runtime::support::append_service,
    number: runtime::number::number_service,
    split_continuation: runtime::continuation::split_service,
    expand: runtime::services::no_expander,
    env: crate::args::host_env,
    collect: runtime::gc::heap::collect_service,
    stack_chunk: runtime::gc::chunks::chunk_service,
    unicode: runtime::unicode::unicode_service,
    io: runtime::io::io_service,
    print_to_string: runtime::print::print_to_string_service,
};

/// Why an image could not be mapped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    Image(ImageError),
    /// A memory-mapping system call failed with this errno.
    Map {
        call: &'static str,
        errno: i32,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Image(e) => write!(f, "invalid image: {e}"),
            LoadError::Map { call, errno } => write!(f, "{call} failed: errno {errno}"),
        }
    }
}

impl std::error::Error for LoadError {}

impl From<ImageError> for LoadError {
    fn from(e: ImageError) -> Self {
        LoadError::Image(e)
    }
}

/// Maps `image`, runs its entry with [`HOST_SERVICES`], and unmaps it.
pub fn run_image(image: &Image) -> Result<Outcome, LoadError> {
    let loaded = LoadedImage::map(image)?;
    // SAFETY: the image came from loko's code generator, which is trusted to
    // emit code that follows the entry contract.
    Ok(unsafe { loaded.run() })
}

/// Places `image` at `base`, inside a mapping the caller owns (R+W, at least
/// [`Image::placed_size`] bytes from `base`, page-aligned), relocated for
/// `base`, and makes its code pages R+X. Returns the entry's address. This is
/// how loko's expand-time world adds images to one address range (see
/// `codegen::Attach`); the caller never unmaps the range while code in it can
/// run.
///
/// # Safety
/// `base` must satisfy the above and nothing else may use those bytes.
pub unsafe fn place_image(image: &Image, base: *mut u8) -> Result<u64, LoadError> {
    image.validate()?;
    let len = image.placed_size() as usize;
    let (code, data) = image.relocated(base as u64);
    let code_offset = image.code_offset() as usize;
    // SAFETY: the caller gives `len` writable bytes at `base`.
    unsafe {
        std::ptr::copy_nonoverlapping(data.as_ptr(), base, data.len());
        std::ptr::copy_nonoverlapping(code.as_ptr(), base.add(code_offset), code.len());
        check(
            "mprotect",
            sys::mprotect(
                base.add(code_offset),
                len - code_offset,
                sys::PROT_READ | sys::PROT_EXEC,
            ),
        )?;
    }
    Ok(image.address(
        base as u64,
        Location {
            section: Section::Code,
            offset: image.entry,
        },
    ))
}

/// Runs the entry at `entry` (placed by [`place_image`]) with `services`.
///
/// # Safety
/// `entry` must be the entry of a placed image whose code follows [`EntryFn`].
pub unsafe fn run_entry(entry: u64, services: &Services) -> Outcome {
    // SAFETY: the caller vouches for `entry`.
    unsafe {
        let entry: EntryFn = std::mem::transmute(entry as usize);
        trampoline::call_entry(entry, services)
    }
}

/// An image mapped into this process; unmapped on drop.
#[derive(Debug)]
pub struct LoadedImage {
    base: *mut u8,
    len: usize,
    code_start: u64,
    code_len: usize,
    entry: u64,
}

impl LoadedImage {
    /// Maps, copies and relocates `image`, then makes its code R+X.
    pub fn map(image: &Image) -> Result<LoadedImage, LoadError> {
        image.validate()?;
        let len = image.placed_size() as usize;
        let base = check(
            "mmap",
            sys::mmap_anonymous(len, sys::PROT_READ | sys::PROT_WRITE),
        )?;
        let base = base as *mut u8;
        // From here on, dropping `loaded` unmaps.
        let mut loaded = LoadedImage {
            base,
            len,
            code_start: image.address(
                base as u64,
                Location {
                    section: Section::Code,
                    offset: 0,
                },
            ),
            code_len: image.code.len(),
            entry: 0,
        };
        // SAFETY: the mapping is `len` bytes, R+W, ours alone (`placed_size` accounts for
        // the data and the code).
        loaded.entry = unsafe { place_image(image, base)? };
        Ok(loaded)
    }

    /// The address range of the code, for debugging and tests.
    pub fn code_range(&self) -> std::ops::Range<u64> {
        self.code_start..self.code_start + self.code_len as u64
    }

    /// Runs the entry with [`HOST_SERVICES`].
    ///
    /// # Safety
    /// The image's code must follow the [`EntryFn`] contract.
    pub unsafe fn run(&self) -> Outcome {
        // SAFETY: `entry` is inside the R+X code mapped by `map`.
        unsafe {
            let entry: EntryFn = std::mem::transmute(self.entry as usize);
            trampoline::call_entry(entry, &HOST_SERVICES)
        }
    }
}

impl Drop for LoadedImage {
    fn drop(&mut self) {
        // SAFETY: the mapping is ours and nothing runs in it any more.
        // Failure would mean a bad address, which `map` never produces.
        unsafe { sys::munmap(self.base, self.len) };
    }
}

/// Turns a raw system call result into the value or a [`LoadError`].
fn check(call: &'static str, result: isize) -> Result<usize, LoadError> {
    if result < 0 {
        Err(LoadError::Map {
            call,
            errno: -result as i32,
        })
    } else {
        Ok(result as usize)
    }
}
