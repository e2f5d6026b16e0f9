//! The command line that an in-process program sees through the `args` service, set by the
//! driver (`--program FILE ARGS...`) before running the image, and its environment (the
//! `env` service: loko's own).

use std::ffi::CString;
use std::sync::Mutex;

/// The arguments as C strings, and the pointer array the service hands out. Both live until
/// the next [`set_program_args`]; programs only read them while running.
struct Args {
    _strings: Vec<CString>,
    pointers: Vec<*const u8>,
}

// SAFETY: the pointers point into `_strings`, which the same value owns.
unsafe impl Send for Args {}

static ARGS: Mutex<Option<Args>> = Mutex::new(None);

/// Sets what `(command-line)` returns in programs run in-process: the program's name first.
/// Arguments containing NUL bytes are cut at the first one.
pub fn set_program_args(args: &[String]) {
    let strings: Vec<CString> = args
        .iter()
        .map(|a| {
            let bytes: Vec<u8> = a.bytes().take_while(|&b| b != 0).collect();
            CString::new(bytes).unwrap_or_default()
        })
        .collect();
    let pointers = strings.iter().map(|s| s.as_ptr() as *const u8).collect();
    let mut args = ARGS.lock().unwrap_or_else(|e| e.into_inner());
    *args = Some(Args {
        _strings: strings,
        pointers,
    });
}

/// The host `args` service.
///
/// # Safety
/// `count` must be writable.
pub(crate) unsafe extern "sysv64" fn host_args(count: *mut usize) -> *const *const u8 {
    let args = ARGS.lock().unwrap_or_else(|e| e.into_inner());
    match &*args {
        Some(args) => {
            unsafe { *count = args.pointers.len() };
            args.pointers.as_ptr()
        }
        None => {
            unsafe { *count = 0 };
            std::ptr::null()
        }
    }
}

/// Values handed out by [`host_env`], kept alive for the rest of the process (a handful of
/// variables read at start-up).
static ENV_VALUES: Mutex<Vec<CString>> = Mutex::new(Vec::new());

/// The host `env` service: loko's own environment.
///
/// # Safety
/// `name` must be valid for reading `len` bytes.
pub(crate) unsafe extern "sysv64" fn host_env(name: *const u8, len: usize) -> *const u8 {
    let name = unsafe { std::slice::from_raw_parts(name, len) };
    let Ok(name) = std::str::from_utf8(name) else {
        return std::ptr::null();
    };
    let Some(value) = std::env::var_os(name) else {
        return std::ptr::null();
    };
    let Ok(value) = CString::new(value.into_encoded_bytes()) else {
        return std::ptr::null();
    };
    let mut values = ENV_VALUES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = values.iter().find(|v| **v == value) {
        return known.as_ptr() as *const u8;
    }
    values.push(value);
    values
        .last()
        .map_or(std::ptr::null(), |v| v.as_ptr() as *const u8)
}
