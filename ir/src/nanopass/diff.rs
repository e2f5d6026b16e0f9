//! Line diffs between the IR printed before and after a pass (`--dump-ir` with diffs).

/// Lines only in `before` are prefixed `- `, only in `after` `+ `, common ones `  `. Uses a
/// longest-common-subsequence table, falling back to "all removed, all added" when the inputs
/// are too large for it (over 16M line pairs).
pub fn diff(before: &str, after: &str) -> String {
    let old: Vec<&str> = before.lines().collect();
    let new: Vec<&str> = after.lines().collect();
    let mut out = String::new();
    let mut emit = |mark: &str, line: &str| {
        out.push_str(mark);
        out.push_str(line);
        out.push('\n');
    };
    if old.len().saturating_mul(new.len()) > 16 << 20 {
        old.iter().for_each(|line| emit("- ", line));
        new.iter().for_each(|line| emit("+ ", line));
        return out;
    }
    // lcs[i][j]: length of the longest common subsequence of old[i..] and new[j..].
    let width = new.len() + 1;
    let mut lcs = vec![0u32; (old.len() + 1) * width];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            lcs[i * width + j] = if old[i] == new[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        if i < old.len() && j < new.len() && old[i] == new[j] {
            emit("  ", old[i]);
            i += 1;
            j += 1;
        } else if i < old.len()
            && (j == new.len() || lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])
        {
            emit("- ", old[i]);
            i += 1;
        } else {
            emit("+ ", new[j]);
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    #[test]
    fn marks_removed_and_added_lines() {
        let before = "(program\n  (if a b)\n  c)";
        let after = "(program\n  (if a b (void))\n  c)";
        expect![[r#"
              (program
            -   (if a b)
            +   (if a b (void))
                c)
        "#]]
        .assert_eq(&super::diff(before, after));
    }
}
