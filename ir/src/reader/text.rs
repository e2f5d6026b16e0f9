//! Characters and escapes: character names (`#\space`), and the backslash escapes shared by
//! strings and `|...|` symbols (`\n`, `\x41;`, line continuations).

/// The character a `#\name` denotes: R6RS and R7RS names both. `name` is already case-folded
/// when `#!fold-case` is in effect.
pub(crate) fn char_from_name(name: &str) -> Option<char> {
    Some(match name {
        "nul" | "null" => '\0',
        "alarm" => '\x07',
        "backspace" => '\x08',
        "tab" => '\t',
        "linefeed" | "newline" => '\n',
        "vtab" => '\x0B',
        "page" => '\x0C',
        "return" => '\r',
        "esc" | "escape" => '\x1B',
        "space" => ' ',
        "delete" => '\x7F',
        _ => return None,
    })
}

/// The name `write` uses for `c` (R7RS names, which this reader also accepts), if it has one.
pub(crate) fn char_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\0' => "null",
        '\x07' => "alarm",
        '\x08' => "backspace",
        '\t' => "tab",
        '\n' => "newline",
        '\r' => "return",
        '\x1B' => "escape",
        ' ' => "space",
        '\x7F' => "delete",
        _ => return None,
    })
}

/// A Unicode scalar value from hex digits (`41` in `\x41;` or `#\x41`), or an error message.
pub(crate) fn scalar_from_hex(hex: &str) -> Result<char, String> {
    if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("bad hex escape `{hex}`"));
    }
    u32::from_str_radix(hex, 16)
        .ok()
        .and_then(char::from_u32)
        .ok_or_else(|| format!("`{hex}` is not a Unicode scalar value"))
}

/// What a backslash escape in a string or `|symbol|` stands for.
pub(crate) enum Escape {
    /// The escape denotes one character and is `len` bytes long after the backslash.
    Char(char, usize),
    /// A line continuation (`\`, spaces, line ending, spaces) `len` bytes long: it denotes
    /// nothing.
    Continuation(usize),
}

/// Decodes the escape whose text starts just after a backslash. `Err` is a message; the
/// offending text starts at the backslash.
pub(crate) fn escape(after: &str) -> Result<Escape, String> {
    let mut chars = after.chars();
    let Some(c) = chars.next() else {
        return Err("backslash at end of input".to_owned());
    };
    let simple = match c {
        'a' => Some('\x07'),
        'b' => Some('\x08'),
        't' => Some('\t'),
        'n' => Some('\n'),
        'v' => Some('\x0B'),
        'f' => Some('\x0C'),
        'r' => Some('\r'),
        '"' => Some('"'),
        '\\' => Some('\\'),
        '|' => Some('|'),
        _ => None,
    };
    if let Some(c) = simple {
        return Ok(Escape::Char(c, 1));
    }
    if c == 'x' || c == 'X' {
        let rest = &after[1..];
        let end = rest
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(rest.len());
        if rest[end..].starts_with(';') {
            return Ok(Escape::Char(scalar_from_hex(&rest[..end])?, end + 2));
        }
        return Err("hex escape `\\x` must end with `;`".to_owned());
    }
    // A line continuation: intraline whitespace, one line ending, intraline whitespace.
    let is_intraline = |c: char| c == ' ' || c == '\t';
    let leading = after.len() - after.trim_start_matches(is_intraline).len();
    let rest = &after[leading..];
    let ending = if rest.starts_with("\r\n") {
        2
    } else if rest.starts_with(['\n', '\r', '\u{85}', '\u{2028}']) {
        rest.chars().next().map_or(1, char::len_utf8)
    } else {
        return Err(format!("unknown escape `\\{c}`"));
    };
    let after_ending = &rest[ending..];
    let trailing = after_ending.len() - after_ending.trim_start_matches(is_intraline).len();
    Ok(Escape::Continuation(leading + ending + trailing))
}
