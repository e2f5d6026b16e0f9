//! The writer: datums to text with R7RS `write`, `display`, `write-shared` and `write-simple`
//! semantics.
//!
//! `write` output reads back as an `equal?` datum: strings, characters and symbols are escaped
//! as needed, and flonums print as the shortest text that reads back to the same double. Datum
//! labels (`#0=`, `#0#`) mark the pairs and vectors that close a cycle (`write`, `display`) or
//! every shared one (`write_shared`). Traversal uses explicit stacks, never recursion, so
//! arbitrarily deep data prints without overflowing the native stack.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::datum::{Datum, DatumId, Datums};
use crate::reader::{abbreviation_prefix, char_name, is_plain_symbol};
use crate::symbol::Symbol;

/// `write`: machine-readable text; datum labels only where needed to break cycles.
pub fn write(datums: &Datums, id: DatumId) -> String {
    render(datums, id, Labels::Cycles, false)
}

/// `display`: human-readable text (strings and characters unescaped); labels for cycles.
pub fn display(datums: &Datums, id: DatumId) -> String {
    render(datums, id, Labels::Cycles, true)
}

/// `write-shared`: like `write`, with a label on every pair and vector reached more than once.
pub fn write_shared(datums: &Datums, id: DatumId) -> String {
    render(datums, id, Labels::Shared, false)
}

/// A symbol as `write` writes it: bare when it reads back as itself, else in `|...|`.
pub fn write_symbol(symbol: Symbol) -> String {
    let mut out = String::new();
    write_atom(&mut out, &Datum::Symbol(symbol), false);
    out
}

/// `write-simple`: like `write`, without datum labels. R7RS leaves it looping forever on cyclic
/// data; since the compiler must not hang, cyclic data gets labels for its cycles as with
/// [`write()`].
pub fn write_simple(datums: &Datums, id: DatumId) -> String {
    render(datums, id, Labels::None, false)
}

/// Which pairs and vectors get datum labels.
#[derive(Clone, Copy, PartialEq)]
enum Labels {
    None,
    Cycles,
    Shared,
}

/// A step of printing, kept on an explicit stack.
enum Task {
    /// Print a datum.
    Datum(DatumId),
    /// Print the rest of a list whose elements so far have been printed: `id` is the cdr.
    Tail(DatumId),
    /// Print a vector's elements from `index` on, then `)`.
    Vector(DatumId, usize),
    Text(&'static str),
}

fn render(datums: &Datums, root: DatumId, mode: Labels, display: bool) -> String {
    let mut labels = match mode {
        Labels::Shared => shared_nodes(datums, root),
        Labels::Cycles | Labels::None => cycle_nodes(datums, root),
    };
    let mut next_label = 0usize;
    let mut out = String::new();
    let mut stack = vec![Task::Datum(root)];
    while let Some(task) = stack.pop() {
        match task {
            Task::Text(text) => out.push_str(text),
            Task::Datum(id) => {
                if let Some(slot) = labels.get_mut(&id) {
                    if let Some(n) = slot {
                        let _ = write!(out, "#{n}#");
                        continue;
                    }
                    *slot = Some(next_label);
                    let _ = write!(out, "#{next_label}=");
                    next_label += 1;
                }
                match datums.get(id) {
                    Datum::Pair(car, cdr) => {
                        if let Some((prefix, arg)) = abbreviation(datums, &labels, *car, *cdr) {
                            out.push_str(prefix);
                            stack.push(Task::Datum(arg));
                        } else {
                            out.push('(');
                            stack.push(Task::Tail(*cdr));
                            stack.push(Task::Datum(*car));
                        }
                    }
                    Datum::Vector(_) => {
                        out.push_str("#(");
                        stack.push(Task::Vector(id, 0));
                    }
                    atom => write_atom(&mut out, atom, display),
                }
            }
            Task::Tail(id) => match datums.get(id) {
                Datum::Null => out.push(')'),
                Datum::Pair(car, cdr) if !labels.contains_key(&id) => {
                    out.push(' ');
                    stack.push(Task::Tail(*cdr));
                    stack.push(Task::Datum(*car));
                }
                _ => {
                    out.push_str(" . ");
                    stack.push(Task::Text(")"));
                    stack.push(Task::Datum(id));
                }
            },
            Task::Vector(id, index) => {
                let Datum::Vector(items) = datums.get(id) else {
                    continue;
                };
                match items.get(index) {
                    None => out.push(')'),
                    Some(&item) => {
                        if index > 0 {
                            out.push(' ');
                        }
                        stack.push(Task::Vector(id, index + 1));
                        stack.push(Task::Datum(item));
                    }
                }
            }
        }
    }
    out
}

/// The abbreviation (`'x` for `(quote x)`) a pair can print as, with the abbreviated datum.
fn abbreviation(
    datums: &Datums,
    labels: &HashMap<DatumId, Option<usize>>,
    car: DatumId,
    cdr: DatumId,
) -> Option<(&'static str, DatumId)> {
    let Datum::Symbol(symbol) = datums.get(car) else {
        return None;
    };
    let Datum::Pair(arg, nil) = datums.get(cdr) else {
        return None;
    };
    // A labelled cdr must print with its label, so the list cannot be abbreviated.
    if *datums.get(*nil) != Datum::Null || labels.contains_key(&cdr) {
        return None;
    }
    let prefix = abbreviation_prefix(symbol.as_str())?;
    Some((prefix, *arg))
}

fn write_atom(out: &mut String, datum: &Datum, display: bool) {
    match datum {
        Datum::Null => out.push_str("()"),
        Datum::Bool(true) => out.push_str("#t"),
        Datum::Bool(false) => out.push_str("#f"),
        Datum::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Datum::Char(c) if display => out.push(*c),
        Datum::Char(c) => {
            out.push_str("#\\");
            match char_name(*c) {
                Some(name) => out.push_str(name),
                None if c.is_control() || c.is_whitespace() => {
                    let _ = write!(out, "x{:x}", u32::from(*c));
                }
                None => out.push(*c),
            }
        }
        Datum::String(s) if display => out.push_str(s),
        Datum::String(s) => {
            out.push('"');
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    _ => escape_char(out, c),
                }
            }
            out.push('"');
        }
        Datum::Symbol(s) if display || is_plain_symbol(s.as_str()) => out.push_str(s.as_str()),
        Datum::Symbol(s) => {
            out.push('|');
            for c in s.as_str().chars() {
                match c {
                    '|' => out.push_str("\\|"),
                    '\\' => out.push_str("\\\\"),
                    _ => escape_char(out, c),
                }
            }
            out.push('|');
        }
        Datum::Bytevector(bytes) => {
            out.push_str("#vu8(");
            for (i, byte) in bytes.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                let _ = write!(out, "{byte}");
            }
            out.push(')');
        }
        // Compound datums are printed by `render`.
        Datum::Pair(..) | Datum::Vector(_) => {}
    }
}

/// Writes `c` inside a string or `|symbol|`, escaping control characters.
fn escape_char(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        c if c.is_control() => {
            let _ = write!(out, "\\x{:x};", u32::from(c));
        }
        c => out.push(c),
    }
}

/// Pushes the children of a pair or vector onto a work stack, first child on top.
fn push_children<T>(datums: &Datums, id: DatumId, stack: &mut Vec<T>, wrap: fn(DatumId) -> T) {
    match datums.get(id) {
        Datum::Pair(car, cdr) => {
            stack.push(wrap(*cdr));
            stack.push(wrap(*car));
        }
        Datum::Vector(items) => stack.extend(items.iter().rev().copied().map(wrap)),
        _ => {}
    }
}

fn is_compound(datums: &Datums, id: DatumId) -> bool {
    matches!(datums.get(id), Datum::Pair(..) | Datum::Vector(_))
}

/// The pairs and vectors reachable from `root` more than once.
fn shared_nodes(datums: &Datums, root: DatumId) -> HashMap<DatumId, Option<usize>> {
    let mut seen = std::collections::HashSet::new();
    let mut shared = HashMap::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if !is_compound(datums, id) {
            continue;
        }
        if !seen.insert(id) {
            shared.insert(id, None);
            continue;
        }
        push_children(datums, id, &mut stack, |id| id);
    }
    shared
}

/// The pairs and vectors that close a cycle: those reached again while still being visited
/// (back edges of a depth-first search). Labelling them is enough to make output finite.
fn cycle_nodes(datums: &Datums, root: DatumId) -> HashMap<DatumId, Option<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Active,
        Done,
    }
    enum Step {
        Enter(DatumId),
        Leave(DatumId),
    }
    let mut cycles = HashMap::new();
    if !is_compound(datums, root) {
        return cycles;
    }
    let mut state = HashMap::new();
    let mut stack = vec![Step::Enter(root)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Leave(id) => {
                state.insert(id, State::Done);
            }
            Step::Enter(id) => {
                if !is_compound(datums, id) {
                    continue;
                }
                match state.get(&id) {
                    Some(State::Active) => {
                        cycles.insert(id, None);
                    }
                    Some(State::Done) => {}
                    None => {
                        state.insert(id, State::Active);
                        stack.push(Step::Leave(id));
                        push_children(datums, id, &mut stack, Step::Enter);
                    }
                }
            }
        }
    }
    cycles
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::reader::read_str;

    /// Reads `input` and prints each datum with all four writers, one line each.
    fn check(input: &str, expect: Expect) {
        let mut datums = Datums::new();
        let ids = read_str("writer.scm", input, &mut datums).expect("test input reads");
        let mut out = String::new();
        for id in ids {
            out += &format!("write        {}\n", write(&datums, id));
            out += &format!("display      {}\n", display(&datums, id));
            out += &format!("write_shared {}\n", write_shared(&datums, id));
            out += &format!("write_simple {}\n", write_simple(&datums, id));
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn strings_characters_and_symbols() {
        check(
            r#"("a\"b\\c\n" #\a #\space #\x3bb |a b| sym)"#,
            expect![[r#"
            write        ("a\"b\\c\n" #\a #\space #\λ |a b| sym)
            display      (a"b\c
             a   λ a b sym)
            write_shared ("a\"b\\c\n" #\a #\space #\λ |a b| sym)
            write_simple ("a\"b\\c\n" #\a #\space #\λ |a b| sym)
        "#]],
        );
    }

    #[test]
    fn shared_structure_is_labelled_only_by_write_shared() {
        check(
            "(#0=(x y) #0# #1=#(1) #1#)",
            expect![[r#"
            write        ((x y) (x y) #(1) #(1))
            display      ((x y) (x y) #(1) #(1))
            write_shared (#0=(x y) #0# #1=#(1) #1#)
            write_simple ((x y) (x y) #(1) #(1))
        "#]],
        );
    }

    #[test]
    fn cycles_are_labelled_by_every_writer() {
        check(
            "#0=(a b . #0#) #1=#(1 #1#) (#2=(c . #2#) #2#)",
            expect![[r#"
            write        #0=(a b . #0#)
            display      #0=(a b . #0#)
            write_shared #0=(a b . #0#)
            write_simple #0=(a b . #0#)
            write        #0=#(1 #0#)
            display      #0=#(1 #0#)
            write_shared #0=#(1 #0#)
            write_simple #0=#(1 #0#)
            write        (#0=(c . #0#) #0#)
            display      (#0=(c . #0#) #0#)
            write_shared (#0=(c . #0#) #0#)
            write_simple (#0=(c . #0#) #0#)
        "#]],
        );
    }

    #[test]
    fn deep_data_prints_without_recursion() {
        let depth = 200_000;
        let mut datums = Datums::new();
        let mut id = datums.add(Datum::Null);
        for _ in 0..depth {
            let tail = datums.add(Datum::Null);
            let vector = datums.add(Datum::Vector(vec![id]));
            id = datums.add(Datum::Pair(vector, tail));
        }
        let text = write_shared(&datums, id);
        assert_eq!(text.len(), depth * "(#())".len() + "()".len());
        assert!(text.starts_with("(#((#("));
    }
}
