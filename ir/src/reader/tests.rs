//! Snapshot tests of the reader: each syntax class read and written back with `write`.

use expect_test::{Expect, expect};

use crate::datum::Datums;
use crate::reader::read_str;
use crate::writer::write;

/// Reads `input` and writes each datum on its own line, or shows the diagnostic.
fn check(input: &str, expect: Expect) {
    let mut datums = Datums::new();
    let actual = match read_str("test.scm", input, &mut datums) {
        Ok(ids) => ids
            .iter()
            .map(|&id| write(&datums, id) + "\n")
            .collect::<String>(),
        Err(diagnostic) => diagnostic.to_string(),
    };
    expect.assert_eq(&actual);
}

#[test]
fn comments() {
    check(
        "a ; line comment\n#| block #| nested |# still |# b #;(skipped datum) c #; #;d e f",
        expect![[r#"
            a
            b
            c
            f
        "#]],
    );
}

#[test]
fn directives_and_fold_case() {
    check(
        "#!r6rs Abc #!fold-case Abc #\\SPACE |Abc| \"Abc\" #!no-fold-case Abc #!r7rs",
        expect![[r#"
            Abc
            abc
            #\space
            Abc
            "Abc"
            Abc
        "#]],
    );
}

#[test]
fn script_header() {
    check(
        "#!/usr/bin/env scheme-script\n(display 1)",
        expect![[r#"
        (display 1)
    "#]],
    );
}

#[test]
fn booleans() {
    check(
        "#t #f #true #false #T #F",
        expect![[r#"
        #t
        #f
        #t
        #f
        #t
        #f
    "#]],
    );
}

#[test]
fn characters() {
    check(
        r"#\a #\A #\( #\) #\; #\  #\x #\x41 #\x3bb #\λ #\nul #\null #\alarm #\backspace #\tab #\linefeed #\newline #\vtab #\page #\return #\esc #\escape #\space #\delete #\x0",
        expect![[r#"
            #\a
            #\A
            #\(
            #\)
            #\;
            #\space
            #\x
            #\A
            #\λ
            #\λ
            #\null
            #\null
            #\alarm
            #\backspace
            #\tab
            #\newline
            #\newline
            #\xb
            #\xc
            #\return
            #\escape
            #\escape
            #\space
            #\delete
            #\null
        "#]],
    );
}

#[test]
fn strings() {
    check(
        "\"plain\" \"a\\tb\\nc\" \"\\a\\b\\v\\f\\r\" \"q\\\"uote\\\\\" \"\\x41;\\x3bb;\" \"bar\\|\" \"cont\\   \n    inued\" \"raw\nline\" \"crlf\r\nline\" \"\"",
        expect![[r#"
            "plain"
            "a\tb\nc"
            "\a\b\xb;\xc;\r"
            "q\"uote\\"
            "Aλ"
            "bar|"
            "continued"
            "raw\nline"
            "crlf\nline"
            ""
        "#]],
    );
}

#[test]
fn identifiers() {
    check(
        "lambda list->vector <=? a.b $x! ~ ^_ %% &rest *x* / : a+ a- a@ a# 𝔸λ",
        expect![[r#"
            lambda
            list->vector
            <=?
            a.b
            $x!
            ~
            ^_
            %%
            &rest
            *x*
            /
            :
            a+
            a-
            a@
            a#
            𝔸λ
        "#]],
    );
}

#[test]
fn peculiar_identifiers() {
    check(
        "+ - ... ->x -> +a -b +.c .. .a -@ +- +inside",
        expect![[r#"
        +
        -
        ...
        ->x
        ->
        +a
        -b
        +.c
        ..
        .a
        -@
        +-
        +inside
    "#]],
    );
}

#[test]
fn escaped_identifiers() {
    check(
        r"|hello world| |a\|b| |\x41;bc| \x41;bc a\x20;b |\t\n| || |1| |+inf.0| |.|",
        expect![[r#"
            |hello world|
            |a\|b|
            Abc
            Abc
            |a b|
            |\t\n|
            ||
            |1|
            |+inf.0|
            |.|
        "#]],
    );
}

#[test]
fn integers() {
    check(
        "0 -0 +42 -17 123456789012345678901234567890 -9223372036854775808 9223372036854775808",
        expect![[r#"
            0
            0
            42
            -17
            123456789012345678901234567890
            -9223372036854775808
            9223372036854775808
        "#]],
    );
}

#[test]
fn radix_and_exactness_prefixes() {
    check(
        "#x-1F #XfF #o17 #b-101 #d99 #e#x10 #x#e10 #i#b101 #i3 #e3 #x123456789abcdef0123456789",
        expect![[r#"
            -31
            255
            15
            -5
            99
            16
            16
            5.0
            3.0
            3
            90144042682896311822508713865
        "#]],
    );
}

#[test]
fn rationals() {
    check(
        "1/2 -6/4 4/2 #x10/3 #i1/3 #e1/3 0/5",
        expect![[r#"
        1/2
        -3/2
        2
        16/3
        0.3333333333333333
        1/3
        0
    "#]],
    );
}

#[test]
fn decimals() {
    check(
        "0.1 1.5 -2.25 .5 5. 1e10 1E-3 1.5e+3 1s2 1f2 1d2 1l2 1e400 1e-400 -0.0 #i-0 #e1.5 #e1.2e-3 #e1e20 #e-.25 123456789.125",
        expect![[r#"
            0.1
            1.5
            -2.25
            0.5
            5.0
            10000000000.0
            0.001
            1500.0
            100.0
            100.0
            100.0
            100.0
            +inf.0
            0.0
            -0.0
            -0.0
            3/2
            3/2500
            100000000000000000000
            -1/4
            123456789.125
        "#]],
    );
}

#[test]
fn infinities_and_nans() {
    check(
        "+inf.0 -inf.0 +nan.0 -nan.0 +INF.0 #i+inf.0",
        expect![[r#"
        +inf.0
        -inf.0
        +nan.0
        +nan.0
        +inf.0
        +inf.0
    "#]],
    );
}

#[test]
fn complex_numbers_are_rejected() {
    check(
        "1+2i",
        expect![[r#"
        test.scm:1:1: error: complex numbers are not supported
        1+2i
        ^
    "#]],
    );
    check(
        "+i",
        expect![[r#"
        test.scm:1:1: error: complex numbers are not supported
        +i
        ^
    "#]],
    );
    check(
        "1@2",
        expect![[r#"
        test.scm:1:1: error: complex numbers are not supported
        1@2
        ^
    "#]],
    );
}

#[test]
fn lists_and_pairs() {
    check(
        "() (a) (a b c) (a . b) (a b . c) [a b] ([x 1] [y 2]) (a . (b . (c . ()))) ((()))",
        expect![[r#"
            ()
            (a)
            (a b c)
            (a . b)
            (a b . c)
            (a b)
            ((x 1) (y 2))
            (a b c)
            ((()))
        "#]],
    );
}

#[test]
fn vectors_and_bytevectors() {
    check(
        "#() #(a #(b) (c)) #vu8() #vu8(0 1 255) #u8(7 8)",
        expect![[r#"
        #()
        #(a #(b) (c))
        #vu8()
        #vu8(0 1 255)
        #vu8(7 8)
    "#]],
    );
}

#[test]
fn abbreviations() {
    check(
        "'a `(a ,b ,@c) #'x #`(y #,z #,@w) '(quote a) ''a '(quote a b) '(quote . a)",
        expect![[r#"
            'a
            `(a ,b ,@c)
            #'x
            #`(y #,z #,@w)
            ''a
            ''a
            '(quote a b)
            '(quote . a)
        "#]],
    );
}

#[test]
fn datum_labels() {
    check(
        "#0=(a . #0#) (#1=(x) #1#) #2=#(1 #2#) (#3=a #3#) #4=(#4# . #4#) '#5=(q #5#)",
        expect![[r#"
            #0=(a . #0#)
            ((x) (x))
            #0=#(1 #0#)
            (a a)
            #0=(#0# . #0#)
            '#0=(q #0#)
        "#]],
    );
}

#[test]
fn datum_label_scope_is_one_top_level_datum() {
    check(
        "#0=(a) #0#",
        expect![[r#"
        test.scm:1:8: error: datum label #0# is not defined
        #0=(a) #0#
               ^
    "#]],
    );
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let depth = 1_000_000;
    let text = "(".repeat(depth) + &")".repeat(depth);
    let mut datums = Datums::new();
    let ids = read_str("deep.scm", &text, &mut datums).expect("deep nesting reads");
    assert_eq!(ids.len(), 1);
    let written = write(&datums, ids[0]);
    assert_eq!(written.len(), 2 * depth);
    let quotes = "'".repeat(depth) + "x";
    let ids = read_str("quotes.scm", &quotes, &mut datums).expect("deep quotes read");
    assert_eq!(write(&datums, ids[0]), quotes);
}

#[test]
fn spans_point_at_datums() {
    let mut datums = Datums::new();
    let ids = read_str("spans.scm", "  (a\n  \"λ\" b)\n λ  c ()", &mut datums).expect("reads");
    let show = |id| {
        let span = datums.span(id).expect("read datums have spans");
        format!("{}:{} {}..{}", span.line, span.column, span.start, span.end)
    };
    let items = datums.list_items(ids[0]).expect("a proper list");
    let shown: Vec<String> = ids.iter().chain(&items).map(|&id| show(id)).collect();
    expect![[r#"
        [
            "1:3 2..14",
            "3:2 16..18",
            "3:5 20..21",
            "3:7 22..24",
            "1:4 3..4",
            "2:3 7..11",
            "2:7 12..13",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn equal_compares_datum_graphs_across_arenas() {
    let pairs = [
        (
            "(1 \"a\" #(b #\\c) #vu8(1))",
            "(1 \"a\" #(b #\\c) #vu8(1))",
            true,
        ),
        ("(1 2)", "(1 3)", false),
        ("1", "1.0", false),
        ("0.0", "-0.0", false),
        ("+nan.0", "-nan.0", true),
        ("1/2", "2/4", true),
        ("#0=(a a . #0#)", "#0=(a . #0#)", true),
        ("#0=(a b . #0#)", "#0=(a . #0#)", false),
        ("#(1 2)", "#(1 2 3)", false),
    ];
    for (left, right, expected) in pairs {
        let mut a = Datums::new();
        let mut b = Datums::new();
        let x = read_str("left.scm", left, &mut a).expect("reads")[0];
        let y = read_str("right.scm", right, &mut b).expect("reads")[0];
        assert_eq!(
            crate::datum::equal(&a, x, &b, y),
            expected,
            "{left} vs {right}"
        );
    }
}

#[test]
fn fast_paths_agree_with_the_general_rules() {
    use super::identifiers::{check_identifier, is_ordinary_ascii};
    use super::numbers::{parse, parse_grammar};

    let numbers = [
        "0",
        "-0",
        "+0",
        "007",
        "-42",
        "+42",
        "123456789012345678",
        "-123456789012345678",
        "1234567890123456789",
        "99999999999999999999",
        "1.5",
        "-0.0",
        "+0.25",
        "3.",
        ".5",
        "-.5",
        "1.5e3",
        "1.5x",
        "1.2.3",
        "1/2",
        "-",
        "+",
        "+.",
        "1a",
        "0.1",
        "-123.456000",
        "2.2250738585072011e-308",
        "179769313486231570000000000000000000000.0",
    ];
    for text in numbers {
        let fast = parse(text).map(|n| n.map(|n| format!("{n:?}")));
        let general = parse_grammar(text).map(|n| n.map(|n| format!("{n:?}")));
        assert_eq!(fast, general, "{text}");
    }
    // Every ASCII identifier of up to two characters, and some longer ones.
    let printable: Vec<char> = (b' '..=b'~').map(char::from).collect();
    let mut names: Vec<String> = printable.iter().map(char::to_string).collect();
    for &a in &printable {
        for &b in &printable {
            names.push(format!("{a}{b}"));
        }
    }
    names.extend(
        [
            "call/cc", "->x", "a.b", "x1+", "+a", "...", "#x", "a#", "1+",
        ]
        .map(String::from),
    );
    for name in &names {
        let general = check_identifier(name.chars().map(|c| (c, false)));
        if is_ordinary_ascii(name.as_bytes()) {
            assert_eq!(general, Ok(()), "{name}");
        }
    }
}

#[test]
fn positions_count_lines_and_characters_at_every_offset() {
    use super::position::Positions;
    use crate::source::SourceFile;

    // A text mixing ASCII, multi-byte characters and newlines, so that gaps of every length
    // (read a word at a time or byte by byte) start and end anywhere among them.
    let pieces = [
        "a", "bc", " ", "\n", "λ", "日本", "😀", "\r\n", "xyz\n\n", "        ",
    ];
    let mut seed = 12345u32;
    let mut random = |n: u32| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (seed >> 16) % n
    };
    let text: String = (0..400)
        .map(|_| pieces[random(pieces.len() as u32) as usize])
        .collect();
    let file = SourceFile::register("positions.scm", text.as_str());
    let expected = |offset: usize| {
        let before = &text[..offset];
        let line = 1 + before.matches('\n').count() as u32;
        let column = 1 + before.rsplit('\n').next().unwrap_or("").chars().count() as u32;
        (line, column)
    };
    let boundaries: Vec<usize> = (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    for step in [1, 3, 8, 13, 40] {
        let mut positions = Positions::new(file, &text);
        let mut at = 0;
        while at < boundaries.len() {
            let offset = boundaries[at];
            let span = positions.span(offset, offset);
            assert_eq!(
                (span.line, span.column),
                expected(offset),
                "offset {offset}"
            );
            at += 1 + random(step) as usize;
        }
        // An earlier offset rescans from the start.
        let offset = boundaries[boundaries.len() / 3];
        let span = positions.span(offset, offset);
        assert_eq!((span.line, span.column), expected(offset));
    }
}
