//! `display` and `write` of Scheme values, into a small buffer that goes out through the
//! `write` service. Lists are walked iteratively along their cdrs; nesting in cars recurses
//! (on the Scheme stack, which is large). Cycles are not detected yet.

use crate::context::Context;
use crate::object::{field, header_of, is_object, string_chars, tag};
use crate::services::Services;
use crate::value::*;

/// A flag of the `print` service: `write` rather than `display`.
pub const PRINT_WRITE: u64 = 1;
/// A flag of the `print` service: to stderr rather than stdout.
pub const PRINT_TO_STDERR: u64 = 2;

/// The `print` service: `display`s `value` (or `write`s it with [`PRINT_WRITE`]) to stdout
/// (stderr with [`PRINT_TO_STDERR`]).
///
/// # Safety
/// `ctx` must be the running program's context and `value` a valid value.
pub unsafe extern "sysv64" fn print_service(ctx: *mut Context, value: u64, flags: u64) -> u64 {
    let services = unsafe { &*(*ctx).services };
    let fd = if flags & PRINT_TO_STDERR != 0 { 2 } else { 1 };
    let mut out = Output::new(ctx, services, fd);
    unsafe { print(&mut out, value, flags & PRINT_WRITE != 0) };
    out.flush();
    VOID
}

/// Where printed text goes: a file descriptor through a small buffer, or the characters of a
/// Scheme string. Both live on the stack for one print, so the size difference does not matter.
#[allow(clippy::large_enum_variant)]
enum Sink<'s> {
    Fd {
        services: &'s Services,
        fd: i32,
        buf: [u8; 512],
        len: usize,
    },
    /// Up to `capacity` characters at `data`; `count` counts every character printed, so
    /// when it passes `capacity` the text did not fit and `count` is the length it needs.
    Chars {
        data: *mut u32,
        capacity: usize,
        count: usize,
    },
}

/// Printed output: to a file descriptor ([`Output::new`]) or into a string's characters.
pub struct Output<'s> {
    /// The program's context: printing a bignum computes its digits in heap scratch space.
    pub ctx: *mut Context,
    sink: Sink<'s>,
}

impl<'s> Output<'s> {
    pub fn new(ctx: *mut Context, services: &'s Services, fd: i32) -> Output<'s> {
        Output {
            ctx,
            sink: Sink::Fd {
                services,
                fd,
                buf: [0; 512],
                len: 0,
            },
        }
    }

    /// Output into `capacity` characters at `data` (which may be null when `capacity` is 0:
    /// then it only counts).
    fn chars(ctx: *mut Context, data: *mut u32, capacity: usize) -> Output<'s> {
        Output {
            ctx,
            sink: Sink::Chars {
                data,
                capacity,
                count: 0,
            },
        }
    }

    /// Bytes of ASCII or UTF-8 text.
    pub fn bytes(&mut self, bytes: &[u8]) {
        if let Sink::Chars { .. } = self.sink {
            match core::str::from_utf8(bytes) {
                Ok(text) => text.chars().for_each(|c| self.char(c)),
                Err(_) => bytes.iter().for_each(|&b| self.char(char::from(b))),
            }
            return;
        }
        for &b in bytes {
            if let Sink::Fd { buf, len, .. } = &mut self.sink
                && *len < buf.len()
            {
                buf[*len] = b;
                *len += 1;
                continue;
            }
            self.flush();
            if let Sink::Fd { buf, len, .. } = &mut self.sink {
                buf[0] = b;
                *len = 1;
            }
        }
    }

    pub fn text(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    pub fn char(&mut self, c: char) {
        match &mut self.sink {
            Sink::Fd { .. } => {
                let mut utf8 = [0; 4];
                self.text(c.encode_utf8(&mut utf8));
            }
            Sink::Chars {
                data,
                capacity,
                count,
            } => {
                if *count < *capacity {
                    // SAFETY: `data` has room for `capacity` characters.
                    unsafe { *data.add(*count) = c as u32 };
                }
                *count += 1;
            }
        }
    }

    pub fn integer(&mut self, n: i64) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        let mut m = n.unsigned_abs();
        loop {
            i -= 1;
            digits[i] = b'0' + (m % 10) as u8;
            m /= 10;
            if m == 0 {
                break;
            }
        }
        if n < 0 {
            self.text("-");
        }
        self.bytes(&digits[i..]);
    }

    /// Writes out what the buffer holds (nothing to do for a string).
    pub fn flush(&mut self) {
        if let Sink::Fd {
            services,
            fd,
            buf,
            len,
        } = &mut self.sink
        {
            // SAFETY: the buffer holds `len` initialized bytes. Output errors are ignored, as
            // the runtime's own reports have nowhere to report them.
            unsafe { (services.write)(*fd, buf.as_ptr(), *len) };
            *len = 0;
        }
    }
}

/// The `print_to_string` service: `display`s `value` (`write`s it when `write` is not `#f`)
/// into the string `buffer` from index `start` (a fixnum) and returns the
/// index after the text, or `#f` when it does not fit (the buffer then holds a prefix of it).
/// With `buffer` `#f`, returns a fresh string of the text instead, or [`RETRY`] when the heap
/// lacks room for it. Ports print through this (`stdlib/ports.scm`): into their buffer when
/// the text fits, through a fresh string when it does not.
///
/// # Safety
/// `ctx` must be the running program's context and the arguments valid values.
pub unsafe extern "sysv64" fn print_to_string_service(
    ctx: *mut Context,
    value: u64,
    write: u64,
    buffer: u64,
    start: u64,
) -> u64 {
    let write = write != FALSE;
    unsafe {
        if is_object(buffer, HEADER_STRING) {
            let (_, len) = header_of(buffer);
            let start = match start as i64 >> FIXNUM_SHIFT {
                s if tag(start) == TAG_FIXNUM && (0..=len as i64).contains(&s) => s as usize,
                _ => return FALSE,
            };
            let data = (buffer as i64 + OBJECT_DATA as i64) as *mut u32;
            let mut out = Output::chars(ctx, data.add(start), len - start);
            print(&mut out, value, write);
            return match out.sink {
                Sink::Chars { count, .. } if count <= len - start => fixnum((start + count) as i64),
                _ => FALSE,
            };
        }
        let mut measure = Output::chars(ctx, core::ptr::null_mut(), 0);
        print(&mut measure, value, write);
        let Sink::Chars { count, .. } = measure.sink else {
            return FALSE;
        };
        let Some(string) = crate::object::make_string(ctx, core::iter::repeat_n(0, count)) else {
            return RETRY;
        };
        let data = (string as i64 + OBJECT_DATA as i64) as *mut u32;
        let mut out = Output::chars(ctx, data, count);
        print(&mut out, value, write);
        string
    }
}

/// Prints `v`.
///
/// # Safety
/// `v` must be a valid value.
pub unsafe fn print(out: &mut Output<'_>, v: u64, write: bool) {
    match tag(v) {
        TAG_FIXNUM => out.integer(v as i64 >> FIXNUM_SHIFT),
        TAG_PAIR => unsafe { print_list(out, v, write) },
        TAG_CLOSURE => out.text("#<procedure>"),
        TAG_OBJECT => unsafe { print_object(out, v, write) },
        _ => print_immediate(out, v, write),
    }
}

fn print_immediate(out: &mut Output<'_>, v: u64, write: bool) {
    match v {
        FALSE => out.text("#f"),
        TRUE => out.text("#t"),
        NULL => out.text("()"),
        VOID => out.text("#<unspecified>"),
        EOF => out.text("#<eof>"),
        _ if v & IMMEDIATE_MASK == CHAR_TAG => {
            let c = char::from_u32((v >> CHAR_SHIFT) as u32).unwrap_or('\u{fffd}');
            if !write {
                return out.char(c);
            }
            out.text("#\\");
            match c {
                ' ' => out.text("space"),
                '\n' => out.text("newline"),
                '\t' => out.text("tab"),
                '\r' => out.text("return"),
                '\0' => out.text("nul"),
                '\x7f' => out.text("delete"),
                '\x07' => out.text("alarm"),
                '\x08' => out.text("backspace"),
                '\x1b' => out.text("esc"),
                c if (c as u32) < 0x20 => {
                    out.text("x");
                    hex(out, c as u32);
                }
                c => out.char(c),
            }
        }
        _ => out.text("#<unknown>"),
    }
}

fn hex(out: &mut Output<'_>, n: u32) {
    let digits = b"0123456789abcdef";
    let mut started = false;
    for shift in (0..8).rev() {
        let d = (n >> (shift * 4)) & 15;
        if d != 0 || started || shift == 0 {
            started = true;
            out.bytes(&[digits[d as usize]]);
        }
    }
}

/// Whether `write` must put a symbol named `chars` in `|...|` to read back as the same symbol.
/// Conservative: a name that is an identifier by the rules of `ir::reader::identifiers` may
/// still get bars (a number-like `1+`, a peculiar `->x`), which read back all the same.
fn needs_bars(chars: &[u32]) -> bool {
    let initial = |c: char| {
        c.is_ascii_alphabetic()
            || matches!(
                c,
                '!' | '$' | '%' | '&' | '*' | '/' | ':' | '<' | '=' | '>' | '?'
            )
            || matches!(c, '^' | '_' | '~')
            || (!c.is_ascii() && !c.is_whitespace() && !c.is_control())
    };
    let subsequent =
        |c: char| initial(c) || c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | '@' | '#');
    let mut text = chars
        .iter()
        .map(|&c| char::from_u32(c).unwrap_or('\u{fffd}'));
    match text.next() {
        None => true,
        Some('+' | '-') if chars.len() == 1 => false,
        Some('.') if chars.len() == 3 && chars.iter().all(|&c| c == '.' as u32) => false,
        // R6RS's peculiar `->subsequent*`.
        Some('-') if chars.get(1) == Some(&('>' as u32)) => !text.skip(1).all(subsequent),
        Some(first) => !initial(first) || !text.all(subsequent),
    }
}

unsafe fn print_list(out: &mut Output<'_>, mut v: u64, write: bool) {
    out.text("(");
    let mut first = true;
    while tag(v) == TAG_PAIR {
        if !first {
            out.text(" ");
        }
        first = false;
        unsafe {
            print(out, field(v, CAR), write);
            v = field(v, CDR);
        }
    }
    if v != NULL {
        out.text(" . ");
        unsafe { print(out, v, write) };
    }
    out.text(")");
}

unsafe fn print_object(out: &mut Output<'_>, v: u64, write: bool) {
    let (kind, len) = unsafe { header_of(v) };
    let data = (v as i64 + OBJECT_DATA as i64) as *const u64;
    match kind {
        HEADER_STRING => {
            let chars = unsafe { string_chars(v) };
            if write {
                out.text("\"");
            }
            for &c in chars {
                let c = char::from_u32(c).unwrap_or('\u{fffd}');
                match c {
                    '"' if write => out.text("\\\""),
                    '\\' if write => out.text("\\\\"),
                    '\n' if write => out.text("\\n"),
                    '\t' if write => out.text("\\t"),
                    '\r' if write => out.text("\\r"),
                    c => out.char(c),
                }
            }
            if write {
                out.text("\"");
            }
        }
        HEADER_SYMBOL => unsafe {
            let chars = string_chars(*data);
            let bars = write && needs_bars(chars);
            if bars {
                out.text("|");
            }
            for &c in chars {
                match char::from_u32(c).unwrap_or('\u{fffd}') {
                    '|' if bars => out.text("\\|"),
                    '\\' if bars => out.text("\\\\"),
                    c if bars && c.is_control() => {
                        out.text("\\x");
                        hex(out, c as u32);
                        out.text(";");
                    }
                    c => out.char(c),
                }
            }
            if bars {
                out.text("|");
            }
        },
        HEADER_VECTOR => {
            out.text("#(");
            for i in 0..len {
                if i > 0 {
                    out.text(" ");
                }
                unsafe { print(out, *data.add(i), write) };
            }
            out.text(")");
        }
        HEADER_BYTEVECTOR => {
            out.text("#vu8(");
            let bytes = data as *const u8;
            for i in 0..len {
                if i > 0 {
                    out.text(" ");
                }
                out.integer(i64::from(unsafe { *bytes.add(i) }));
            }
            out.text(")");
        }
        HEADER_BOX => out.text("#<box>"),
        HEADER_FLONUM | HEADER_BIGNUM | HEADER_RATNUM => unsafe {
            crate::number::text::write_number(out.ctx, v, 10, &mut |b| out.bytes(&[b]))
        },
        HEADER_RECORD => unsafe { print_record(out, v) },
        _ => out.text("#<object>"),
    }
}

/// `#<record NAME>`, NAME being the record type's; `#<record-type NAME>` for a record-type
/// descriptor (a record whose type is the descriptors' type, the one record type that is its
/// own type).
unsafe fn print_record(out: &mut Output<'_>, v: u64) {
    // SAFETY: `v` is a record: its descriptor is at OBJECT_DATA.
    let rtd = unsafe { field(v, OBJECT_DATA) };
    let is_record = |x: u64| is_object(x, HEADER_RECORD);
    // SAFETY: checked to be a record before its descriptor is read.
    let is_descriptor = is_record(rtd) && unsafe { field(rtd, OBJECT_DATA) } == rtd;
    let (text, named) = if is_descriptor {
        ("#<record-type", v)
    } else {
        ("#<record", rtd)
    };
    out.text(text);
    // SAFETY: a record-type descriptor is a record whose field 0 is its name; the length
    // check keeps a malformed one from being read past its end.
    if is_record(named) && unsafe { header_of(named).1 } >= 2 {
        let name = unsafe { field(named, RECORD_FIELDS) };
        if is_object(name, HEADER_SYMBOL) {
            out.text(" ");
            unsafe { print(out, name, false) };
        }
    }
    out.text(">");
}

#[cfg(test)]
mod tests {
    use super::needs_bars;

    fn bars(name: &str) -> bool {
        needs_bars(&name.chars().map(u32::from).collect::<Vec<u32>>())
    }

    #[test]
    fn symbols_that_would_not_read_back_get_bars() {
        for plain in [
            "abc",
            "list->vector",
            "+",
            "-",
            "...",
            "set-car!",
            "λ",
            "a1+.@#",
            "->",
            "->x",
        ] {
            assert!(!bars(plain), "{plain}");
        }
        for odd in [
            "", "foo bar", "1abc", "a|b", "a(b", ".", "#t", "+1", "a;b", "a\"b", "-x", "->x y",
        ] {
            assert!(bars(odd), "{odd:?}");
        }
    }
}
