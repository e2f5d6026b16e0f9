//! Production templates: the S-expression shape of each production, as declared in the
//! `languages!` macro, interpreted at run time to print and to parse IR text.
//!
//! `(letrec ([lhs: bind Var rhs: Expr] ...) body: Expr)` becomes
//! `List([Keyword("letrec"), List([Repeat(List([Hole(0), Hole(1)], Square))]), Hole(2)])`.
//! A hole names a field by index; a hole under a `Repeat` is a list field, under an `Optional`
//! an optional one. Each list level has at most one `Repeat` or `Optional` (the macro checks),
//! so matching never backtracks.

use super::sexp::{Bracket, Sexp};
use std::collections::VecDeque;

/// One element of a production's template.
#[derive(Debug)]
pub enum Pat {
    Keyword(&'static str),
    Hole(usize),
    List(&'static [Pat], Bracket),
    /// Zero or more repetitions of the pattern, spliced into the enclosing list.
    Repeat(&'static Pat),
    /// Zero or one occurrence of the pattern, spliced into the enclosing list.
    Optional(&'static Pat),
    /// An optional dotted tail, the last element of a list: `(x y . rest)`.
    Tail(&'static Pat),
}

/// The printed form of one field: what the generated printer hands to [`print()`].
pub enum Printed {
    One(Sexp),
    Many(VecDeque<Sexp>),
    Maybe(Option<Sexp>),
}

/// What matching captured for one field.
#[derive(Debug)]
pub enum Captured<'s> {
    One(&'s Sexp),
    Many(Vec<&'s Sexp>),
    Maybe(Option<&'s Sexp>),
}

/// The shape of a field, so [`matches()`] can prepare its captures.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    One,
    Many,
    Maybe,
}

/// The S-expression captured for a single field (the generated parser's accessor).
pub fn one<'s>(captured: &Captured<'s>) -> &'s Sexp {
    match captured {
        Captured::One(sexp) => sexp,
        // `matches` turns every single field into `One`; an empty list stands in otherwise.
        Captured::Many(_) | Captured::Maybe(_) => &EMPTY,
    }
}

/// The S-expressions captured for a list field.
pub fn many<'c, 's>(captured: &'c Captured<'s>) -> &'c [&'s Sexp] {
    match captured {
        Captured::Many(items) => items,
        Captured::One(_) | Captured::Maybe(_) => &[],
    }
}

/// The S-expression captured for an optional field, if any.
pub fn maybe<'s>(captured: &Captured<'s>) -> Option<&'s Sexp> {
    match captured {
        Captured::Maybe(item) => *item,
        Captured::One(sexp) => Some(sexp),
        Captured::Many(_) => None,
    }
}

static EMPTY: Sexp = Sexp::List(
    Vec::new(),
    Bracket::Round,
    super::sexp::Pos {
        offset: 0,
        end: 0,
        line: 0,
        column: 0,
    },
);

/// The error for an S-expression no production of `nonterminal` matches. `alternatives` are
/// the productions' templates with their leading keywords; when the text starts with a keyword,
/// only the templates with that keyword are listed (`(if)` is a malformed `if`, not a call).
pub fn no_match(
    nonterminal: &str,
    sexp: &Sexp,
    alternatives: &[(Option<&str>, &str)],
) -> super::ParseError {
    let head = match sexp {
        Sexp::List(items, ..) => items.first().and_then(Sexp::as_atom),
        Sexp::Atom(..) => None,
    };
    let same_keyword: Vec<&str> = alternatives
        .iter()
        .filter(|(keyword, _)| keyword.is_some() && *keyword == head)
        .map(|(_, text)| *text)
        .collect();
    let quoted = |texts: &mut dyn Iterator<Item = &str>| {
        texts.map(|text| format!("`{text}`")).collect::<Vec<_>>()
    };
    let message = match (head, same_keyword.is_empty()) {
        (Some(keyword), false) => {
            format!(
                "malformed `{keyword}`: expected {}",
                quoted(&mut same_keyword.into_iter()).join(" or ")
            )
        }
        _ => format!(
            "expected {nonterminal}, one of {}",
            quoted(&mut alternatives.iter().map(|(_, text)| *text)).join(", ")
        ),
    };
    super::ParseError::at(sexp, message)
}

/// Prints a production: fills the holes of `pat` with the printed fields.
pub fn print(pat: &Pat, fields: Vec<Printed>) -> Sexp {
    let mut fields = fields;
    let mut out = Vec::with_capacity(1);
    print_into(pat, &mut fields, &mut out);
    out.pop().unwrap_or_else(|| Sexp::atom("#<empty>"))
}

fn print_into(pat: &Pat, fields: &mut [Printed], out: &mut Vec<Sexp>) {
    match pat {
        Pat::Keyword(keyword) => out.push(Sexp::atom(*keyword)),
        Pat::Hole(index) => {
            let taken = match &mut fields[*index] {
                Printed::One(sexp) => Some(std::mem::replace(sexp, Sexp::atom("#<printed>"))),
                Printed::Many(items) => items.pop_front(),
                Printed::Maybe(item) => item.take(),
            };
            out.extend(taken);
        }
        Pat::List(items, bracket) => {
            let mut list = Vec::with_capacity(items.len());
            for item in *items {
                print_into(item, fields, &mut list);
            }
            // `(. rest)` is written `rest`, as Scheme writes `(lambda args ...)`.
            if list.len() == 2 && list[0].as_atom() == Some(".") {
                out.extend(list.pop());
            } else {
                out.push(Sexp::List(list, *bracket, Default::default()));
            }
        }
        Pat::Repeat(inner) => {
            for _ in 0..repetitions(inner, fields) {
                print_into(inner, fields, out);
            }
        }
        Pat::Optional(inner) => {
            if repetitions(inner, fields) > 0 {
                print_into(inner, fields, out);
            }
        }
        Pat::Tail(inner) => {
            if repetitions(inner, fields) > 0 {
                out.push(Sexp::atom("."));
                print_into(inner, fields, out);
            }
        }
    }
}

/// How many items remain in the first list or optional field under `pat`.
fn repetitions(pat: &Pat, fields: &[Printed]) -> usize {
    match pat {
        Pat::Keyword(_) => 0,
        Pat::Hole(index) => match &fields[*index] {
            Printed::One(_) => 1,
            Printed::Many(items) => items.len(),
            Printed::Maybe(item) => item.is_some() as usize,
        },
        Pat::List(items, _) => items
            .iter()
            .map(|item| repetitions(item, fields))
            .find(|&n| n > 0)
            .unwrap_or(0),
        Pat::Repeat(inner) | Pat::Optional(inner) | Pat::Tail(inner) => repetitions(inner, fields),
    }
}

/// Matches `sexp` against `pat`. `accepts(field, sexp)` says whether a single item may fill
/// hole `field` (terminals accept only their own syntax, so `x: Var` does not match a list).
pub fn matches<'s>(
    pat: &Pat,
    shapes: &[Shape],
    sexp: &'s Sexp,
    accepts: &dyn Fn(usize, &Sexp) -> bool,
) -> Option<Vec<Captured<'s>>> {
    let mut captured: Vec<Captured<'s>> = shapes
        .iter()
        .map(|shape| match shape {
            Shape::One => Captured::Maybe(None),
            Shape::Many => Captured::Many(Vec::new()),
            Shape::Maybe => Captured::Maybe(None),
        })
        .collect();
    if !match_one(pat, sexp, accepts, &mut captured) {
        return None;
    }
    for (shape, capture) in shapes.iter().zip(&mut captured) {
        if let (Shape::One, Captured::Maybe(item)) = (shape, &*capture) {
            *capture = Captured::One((*item)?);
        }
    }
    Some(captured)
}

fn match_one<'s>(
    pat: &Pat,
    sexp: &'s Sexp,
    accepts: &dyn Fn(usize, &Sexp) -> bool,
    captured: &mut [Captured<'s>],
) -> bool {
    match pat {
        Pat::Keyword(keyword) => sexp.as_atom() == Some(*keyword),
        Pat::Hole(index) => {
            if !accepts(*index, sexp) {
                return false;
            }
            match &mut captured[*index] {
                Captured::Many(items) => items.push(sexp),
                Captured::Maybe(item) => *item = Some(sexp),
                Captured::One(_) => return false,
            }
            true
        }
        Pat::List(items, _) => {
            let Sexp::List(elements, ..) = sexp else {
                // An atom is a list with only a dotted tail, if the pattern allows that.
                return match items.split_last() {
                    Some((Pat::Tail(tail), init))
                        if init.iter().all(|i| matches!(i, Pat::Repeat(_))) =>
                    {
                        match_one(tail, sexp, accepts, captured)
                    }
                    _ => false,
                };
            };
            match_list(items, elements, accepts, captured)
        }
        // Only reachable as list elements, where match_list handles them.
        Pat::Repeat(_) | Pat::Optional(_) | Pat::Tail(_) => false,
    }
}

fn match_list<'s>(
    items: &[Pat],
    elements: &'s [Sexp],
    accepts: &dyn Fn(usize, &Sexp) -> bool,
    captured: &mut [Captured<'s>],
) -> bool {
    // A dotted tail is there exactly when the next-to-last element is a `.`.
    if let Some((Pat::Tail(tail), items)) = items.split_last() {
        let dotted = elements.len() >= 2 && elements[elements.len() - 2].as_atom() == Some(".");
        if !dotted {
            return match_list(items, elements, accepts, captured);
        }
        let (init, last) = elements.split_at(elements.len() - 2);
        return match_one(tail, &last[1], accepts, captured)
            && match_list(items, init, accepts, captured);
    }
    let variable = items
        .iter()
        .position(|item| matches!(item, Pat::Repeat(_) | Pat::Optional(_)));
    let Some(at) = variable else {
        return items.len() == elements.len()
            && items
                .iter()
                .zip(elements)
                .all(|(item, element)| match_one(item, element, accepts, captured));
    };
    let fixed = items.len() - 1;
    if elements.len() < fixed {
        return false;
    }
    let middle = elements.len() - fixed;
    let (before, after) = (&items[..at], &items[at + 1..]);
    let (head, rest) = elements.split_at(at);
    let (middle_elements, tail) = rest.split_at(middle);
    if !before
        .iter()
        .zip(head)
        .all(|(item, element)| match_one(item, element, accepts, captured))
    {
        return false;
    }
    let repeated_ok = match &items[at] {
        Pat::Repeat(inner) => middle_elements
            .iter()
            .all(|element| match_one(inner, element, accepts, captured)),
        Pat::Optional(inner) => {
            middle <= 1
                && middle_elements
                    .iter()
                    .all(|element| match_one(inner, element, accepts, captured))
        }
        _ => false,
    };
    repeated_ok
        && after
            .iter()
            .zip(tail)
            .all(|(item, element)| match_one(item, element, accepts, captured))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nanopass::sexp::parse;

    static LETREC: Pat = Pat::List(
        &[
            Pat::Keyword("letrec"),
            Pat::List(
                &[Pat::Repeat(&Pat::List(
                    &[Pat::Hole(0), Pat::Hole(1)],
                    Bracket::Square,
                ))],
                Bracket::Round,
            ),
            Pat::Hole(2),
        ],
        Bracket::Round,
    );
    static SHAPES: [Shape; 3] = [Shape::Many, Shape::Many, Shape::One];

    fn texts(captured: &Captured<'_>) -> String {
        match captured {
            Captured::One(sexp) => sexp.flat(),
            Captured::Many(items) => {
                format!("{:?}", items.iter().map(|s| s.flat()).collect::<Vec<_>>())
            }
            Captured::Maybe(item) => format!("{:?}", item.map(Sexp::flat)),
        }
    }

    /// The captures turned back into printed fields, as the generated printer would pass them.
    fn reprint(captured: &[Captured<'_>]) -> Vec<Printed> {
        captured
            .iter()
            .map(|c| match c {
                Captured::One(s) => Printed::One((*s).clone()),
                Captured::Many(items) => {
                    Printed::Many(items.iter().map(|s| (*s).clone()).collect())
                }
                Captured::Maybe(item) => Printed::Maybe(item.cloned()),
            })
            .collect()
    }

    #[test]
    fn zipped_repeat_matches_and_prints_back() {
        let sexp = &parse("(letrec ([f (lambda () (g))] [g (lambda () (f))]) (f))").unwrap()[0];
        let captured = matches(&LETREC, &SHAPES, sexp, &|_, _| true).unwrap();
        let shown: Vec<String> = captured.iter().map(texts).collect();
        assert_eq!(
            shown,
            [
                "[\"f\", \"g\"]",
                "[\"(lambda () (g))\", \"(lambda () (f))\"]",
                "(f)"
            ]
        );

        let printed = reprint(&captured);
        assert_eq!(
            print(&LETREC, printed).flat(),
            "(letrec ([f (lambda () (g))] [g (lambda () (f))]) (f))"
        );
    }

    #[test]
    fn mismatches_are_rejected() {
        for text in [
            "(letrec ([f]) (f))",
            "(letrec () (f) (g))",
            "(let () x)",
            "letrec",
        ] {
            let sexp = &parse(text).unwrap()[0];
            assert!(
                matches(&LETREC, &SHAPES, sexp, &|_, _| true).is_none(),
                "{text}"
            );
        }
    }

    #[test]
    fn dotted_tail_is_optional() {
        static LAMBDA: Pat = Pat::List(
            &[
                Pat::Keyword("lambda"),
                Pat::List(
                    &[Pat::Repeat(&Pat::Hole(0)), Pat::Tail(&Pat::Hole(1))],
                    Bracket::Round,
                ),
                Pat::Hole(2),
            ],
            Bracket::Round,
        );
        let shapes = [Shape::Many, Shape::Maybe, Shape::One];
        for (text, params, rest) in [
            ("(lambda (x y . r) x)", "[\"x\", \"y\"]", "Some(\"r\")"),
            ("(lambda (x y) x)", "[\"x\", \"y\"]", "None"),
            ("(lambda r x)", "[]", "Some(\"r\")"),
        ] {
            let sexp = &parse(text).unwrap()[0];
            let captured =
                matches(&LAMBDA, &shapes, sexp, &|_, s| s.as_atom() != Some(".")).unwrap();
            assert_eq!(
                (texts(&captured[0]).as_str(), texts(&captured[1]).as_str()),
                (params, rest),
                "{text}"
            );
            let printed = reprint(&captured);
            assert_eq!(print(&LAMBDA, printed).flat(), text);
        }
        let dangling = &parse("(lambda (x .) x)").unwrap()[0];
        assert!(matches(&LAMBDA, &shapes, dangling, &|_, s| s.as_atom() != Some(".")).is_none());
    }

    #[test]
    fn repeat_in_the_middle_leaves_the_fixed_tail() {
        static BEGIN: Pat = Pat::List(
            &[
                Pat::Keyword("begin"),
                Pat::Repeat(&Pat::Hole(0)),
                Pat::Hole(1),
            ],
            Bracket::Round,
        );
        let sexp = &parse("(begin a b c)").unwrap()[0];
        let captured = matches(&BEGIN, &[Shape::Many, Shape::One], sexp, &|_, _| true).unwrap();
        assert_eq!(texts(&captured[0]), "[\"a\", \"b\"]");
        assert_eq!(texts(&captured[1]), "c");
        assert!(
            matches(
                &BEGIN,
                &[Shape::Many, Shape::One],
                &parse("(begin)").unwrap()[0],
                &|_, _| true
            )
            .is_none()
        );
    }
}
