//! A change of wording in words, for the audit log: the subject before → after, and for the
//! body only the lines that changed ("3行目「…」→「…」"), so an entry stays readable and
//! still says exactly what was there before.

/// What the change from `old` to `new` of a mail's subject and body did; empty when nothing.
pub fn describe(old: (&str, &str), new: (&str, &str)) -> Vec<String> {
    let mut what = Vec::new();
    if old.0 != new.0 {
        what.push(format!("件名「{}」→「{}」", old.0, new.0));
    }
    if old.1 != new.1 {
        what.push(format!("本文 {}", lines_changed(old.1, new.1).join("、")));
    }
    what
}

/// Line breaks inside one changed stretch, shown on the audit log's single line.
const BREAK: &str = "↵";

/// Above this many line pairs the line-by-line comparison is not worth it: both texts are
/// given whole. (A body is at most 10 000 characters, so this is a far edge.)
const MAX_PAIRS: usize = 250_000;

/// The stretches of lines that differ, each as "N行目「old」→「new」", "N行目に「new」を追加"
/// or "N行目「old」を削除" (N counted in the old text, or the new one for an addition).
pub fn lines_changed(old: &str, new: &str) -> Vec<String> {
    let a: Vec<&str> = old.split('\n').collect();
    let b: Vec<&str> = new.split('\n').collect();
    if a.len() * b.len() > MAX_PAIRS {
        return vec![format!("「{}」→「{}」", a.join(BREAK), b.join(BREAK))];
    }
    // Longest common subsequence of lines, filled from the end.
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    let mut removed: Vec<&str> = Vec::new();
    let mut added: Vec<&str> = Vec::new();
    let (mut at_old, mut at_new) = (1, 1);
    let mut flush = |removed: &mut Vec<&str>, added: &mut Vec<&str>, at_old, at_new| {
        match (removed.is_empty(), added.is_empty()) {
            (true, true) => {}
            (false, true) => out.push(format!("{at_old}行目「{}」を削除", removed.join(BREAK))),
            (true, false) => out.push(format!("{at_new}行目に「{}」を追加", added.join(BREAK))),
            (false, false) => out.push(format!(
                "{at_old}行目「{}」→「{}」",
                removed.join(BREAK),
                added.join(BREAK)
            )),
        }
        removed.clear();
        added.clear();
    };
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            flush(&mut removed, &mut added, at_old, at_new);
            i += 1;
            j += 1;
            at_old = i + 1;
            at_new = j + 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            added.push(b[j]);
            j += 1;
        } else {
            removed.push(a[i]);
            i += 1;
        }
    }
    flush(&mut removed, &mut added, at_old, at_new);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_changed_lines_are_given_with_before_and_after() {
        assert_eq!(
            lines_changed("a\nb\nc\nd", "a\nB\nc\nd"),
            ["2行目「b」→「B」"]
        );
        assert_eq!(
            lines_changed("a\nb\nc", "a\nb\nx\ny\nc"),
            ["3行目に「x↵y」を追加"]
        );
        assert_eq!(lines_changed("a\nb\nc", "a\nc"), ["2行目「b」を削除"]);
        assert_eq!(
            lines_changed("a\nb\nc\nd\ne", "A\nb\nc\nd"),
            ["1行目「a」→「A」", "5行目「e」を削除"]
        );
        assert_eq!(lines_changed("same", "same"), Vec::<String>::new());
        assert_eq!(lines_changed("", "new"), ["1行目「」→「new」"]);
    }

    #[test]
    fn subject_and_body_are_described_together() {
        assert_eq!(
            describe(("件名A", "x\ny"), ("件名B", "x\nz")),
            ["件名「件名A」→「件名B」", "本文 2行目「y」→「z」"]
        );
        assert!(describe(("s", "b"), ("s", "b")).is_empty());
    }

    #[test]
    fn very_long_texts_are_given_whole() {
        let old = "x\n".repeat(600);
        let new = "y\n".repeat(600);
        let out = lines_changed(&old, &new);
        assert_eq!(out.len(), 1);
        assert!(out[0].starts_with("「x↵x"));
    }
}
