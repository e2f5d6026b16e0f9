//! Which characters may make up an identifier, shared by the reader (to reject malformed
//! identifiers) and the writer (to decide whether a symbol needs `|...|` to read back).
//!
//! The rules are the union of R6RS and R7RS: R7RS's peculiar identifiers (`+a`, `.a`, `..`)
//! are accepted as well as R6RS's `->x`. Two deliberate liberties, both common among Schemes:
//! any non-ASCII character that is not whitespace is a constituent (instead of consulting the
//! Unicode categories R6RS lists), and `#` may appear after the first character.

/// Whether `c` ends a number or identifier. `|` is one (R7RS), `#` is not.
pub(crate) fn is_delimiter(c: char) -> bool {
    matches!(c, '(' | ')' | '[' | ']' | '"' | ';' | '|') || c.is_whitespace()
}

/// Characters that may start an identifier.
fn is_initial(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(
            c,
            '!' | '$' | '%' | '&' | '*' | '/' | ':' | '<' | '=' | '>' | '?' | '^' | '_' | '~'
        )
        || (!c.is_ascii() && !c.is_whitespace())
}

/// Characters that may follow the first character of an identifier.
fn is_subsequent(c: char) -> bool {
    is_initial(c) || c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | '@' | '#')
}

/// Characters that may follow a leading sign in a peculiar identifier.
fn is_sign_subsequent(c: char) -> bool {
    is_initial(c) || matches!(c, '+' | '-' | '@')
}

/// Whether `text` is an ASCII identifier made of an initial and subsequents, as nearly every
/// identifier is: one table lookup per byte, where [`check_identifier`] works through chars and
/// the rules for peculiar identifiers. `false` means only "check it the general way".
pub(crate) fn is_ordinary_ascii(text: &[u8]) -> bool {
    let Some((&first, rest)) = text.split_first() else {
        return false;
    };
    let class = |b: u8| ASCII_CLASS.get(b as usize).copied().unwrap_or(0);
    class(first) & INITIAL != 0 && rest.iter().all(|&b| class(b) & SUBSEQUENT != 0)
}

const INITIAL: u8 = 1;
const SUBSEQUENT: u8 = 2;

/// [`is_initial`] and [`is_subsequent`] for ASCII bytes, as bits.
static ASCII_CLASS: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8 as char;
        let initial = c.is_ascii_alphabetic()
            || matches!(
                c,
                '!' | '$' | '%' | '&' | '*' | '/' | ':' | '<' | '=' | '>' | '?' | '^' | '_' | '~'
            );
        let subsequent = initial || c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | '@' | '#');
        table[b] = if initial { INITIAL } else { 0 } | if subsequent { SUBSEQUENT } else { 0 };
        b += 1;
    }
    table
};

/// Checks an identifier's characters, each paired with whether it was written as an escape
/// (`\x41;`), since an escaped character is always a constituent. `Err` carries the message.
pub(crate) fn check_identifier(
    chars: impl Iterator<Item = (char, bool)> + Clone,
) -> Result<(), String> {
    let ok = |c: (char, bool), class: fn(char) -> bool| c.1 || class(c.0);
    let rest_ok = |mut rest: std::iter::Skip<_>| -> Result<(), String> {
        match rest.find(|&c| !ok(c, is_subsequent)) {
            Some((c, _)) => Err(format!("invalid character `{c}` in identifier")),
            None => Ok(()),
        }
    };
    let mut it = chars.clone();
    let Some(first) = it.next() else {
        return Err("empty identifier".to_owned());
    };
    if ok(first, is_initial) {
        return rest_ok(chars.skip(1));
    }
    let second = it.next();
    let third = it.next();
    match first.0 {
        '+' | '-' => match second {
            None => Ok(()),
            Some(s) if ok(s, is_sign_subsequent) => rest_ok(chars.skip(2)),
            Some(('.', false)) => match third {
                Some(t) if ok(t, is_sign_subsequent) || t == ('.', false) => rest_ok(chars.skip(3)),
                _ => Err(format!("invalid identifier `{}.`", first.0)),
            },
            Some((c, _)) => Err(format!("invalid character `{c}` in identifier")),
        },
        '.' => match second {
            Some(s) if ok(s, is_sign_subsequent) || s == ('.', false) => rest_ok(chars.skip(2)),
            _ => Err("invalid identifier starting with `.`".to_owned()),
        },
        c => Err(format!("an identifier cannot start with `{c}`")),
    }
}

/// Whether a symbol named `name` can be written as plain text and read back as itself.
pub(crate) fn is_plain_symbol(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && !name
            .chars()
            .any(|c| is_delimiter(c) || c == '\\' || c.is_control())
        && check_identifier(name.chars().map(|c| (c, false))).is_ok()
        && matches!(super::numbers::parse(name), Ok(None))
}
