use super::case::{self, Mapping};
use super::*;

fn mapped(s: &str, mapping: Mapping) -> String {
    let codes: Vec<u32> = s.chars().map(|c| c as u32).collect();
    let mut out = String::new();
    case::for_each_mapped(&codes, mapping, |m| out.extend(m));
    out
}

#[test]
fn simple_mappings() {
    assert_eq!(case::simple_upper('ß'), 'ß');
    assert_eq!(case::simple_upper('a'), 'A');
    assert_eq!(case::simple_lower('\u{130}'), 'i');
    assert_eq!(case::simple_title('ǆ'), 'ǅ');
    assert_eq!(case::simple_title('a'), 'A');
    assert_eq!(case::simple_fold('ς'), 'σ');
    assert_eq!(case::simple_fold('ſ'), 's');
    assert_eq!(case::simple_fold('\u{13a0}'), '\u{13a0}');
    assert_eq!(case::simple_fold('\u{ab70}'), '\u{13a0}');
    assert_eq!(case::simple_fold('\u{130}'), '\u{130}');
    assert_eq!(case::simple_upper('\u{1fb3}'), '\u{1fbc}');
}

#[test]
fn full_mappings() {
    assert_eq!(mapped("Straße", Mapping::Upper), "STRASSE");
    assert_eq!(mapped("ΧΑΟΣ", Mapping::Lower), "χαος");
    assert_eq!(mapped("ΧΑΟΣΣ", Mapping::Lower), "χαοσς");
    assert_eq!(mapped("ΧΑΟΣ Σ", Mapping::Lower), "χαος σ");
    assert_eq!(mapped("Straße ΧΑΟΣ", Mapping::Fold), "strasse χαοσ");
    assert_eq!(mapped("kNock KNoCK", Mapping::Title), "Knock Knock");
    assert_eq!(mapped("who's there?", Mapping::Title), "Who's There?");
    assert_eq!(mapped("r6rs R6RS 6rs", Mapping::Title), "R6rs R6rs 6Rs");
    assert_eq!(mapped("ﬂoat a_b", Mapping::Title), "Float A_b");
}

#[test]
fn properties() {
    assert_eq!(CATEGORIES[category('a') as usize], "Ll");
    assert_eq!(CATEGORIES[category('\u{2028}') as usize], "Zl");
    assert_eq!(CATEGORIES[category('\u{10ffff}') as usize], "Cn");
    assert_eq!(CATEGORIES[category('\u{1c5}') as usize], "Lt");
    assert_eq!(digit_value('7'), Some(7));
    assert_eq!(digit_value('\u{667}'), Some(7));
    assert_eq!(digit_value('\u{1d7d9}'), Some(1));
    assert_eq!(digit_value('a'), None);
    assert!(is_cased('a') && !is_cased('1'));
    assert!(is_case_ignorable('\'') && !is_case_ignorable('a'));
}
