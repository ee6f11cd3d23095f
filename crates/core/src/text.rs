//! Text helpers shared by every layer: "did you mean …?" suggestions for typed names
//! (configuration keys, command names).

/// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbouring characters each cost 1 (so `MUSCI` is one step from `MUSIC`). Quadratic: meant
/// for short names.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j - 1] + cost)
                .min(d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// The candidate nearest to `word`, if it is at most `max` edits away. On a tie the earlier
/// candidate wins, so callers control the order of preference.
pub fn closest<T>(
    word: &str,
    candidates: impl IntoIterator<Item = (T, impl AsRef<str>)>,
    max: usize,
) -> Option<T> {
    let mut best: Option<(usize, T)> = None;
    for (value, name) in candidates {
        let d = edit_distance(word, name.as_ref());
        if d <= max && best.as_ref().is_none_or(|(b, _)| d < *b) {
            best = Some((d, value));
        }
    }
    best.map(|(_, v)| v)
}

/// Replaces each `{key}` of `template` with `value(key)`; keys without a value, and an
/// unclosed `{`, stay as written. One pass: a value containing `{key}` is not expanded again
/// (user names cannot inject placeholders). Used by level-up and welcome texts.
pub fn fill_placeholders(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let key = &after[..close];
        match value(key) {
            Some(v) => out.push_str(&v),
            None => {
                out.push('{');
                out.push_str(key);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_fill_known_keys_once() {
        let v = |k: &str| (k == "a").then(|| "{a}".to_string());
        assert_eq!(fill_placeholders("x{a}y{b}z{", v), "x{a}y{b}z{");
        assert_eq!(fill_placeholders("{a}{a}", |_| Some("1".into())), "11");
        assert_eq!(fill_placeholders("none", |_| None), "none");
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("MUSCI", "MUSIC"), 1, "a swap is one edit");
        assert_eq!(edit_distance("PREFX", "PREFIX"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("héllo", "hello"), 1, "characters, not bytes");
    }

    #[test]
    fn closest_prefers_nearest_then_first() {
        let names = ["ping", "pong", "help"];
        let pick = |w: &str, max| closest(w, names.iter().map(|n| (*n, *n)), max);
        assert_eq!(pick("pnig", 2), Some("ping"));
        assert_eq!(pick("pxng", 2), Some("ping"), "tie: the earlier candidate");
        assert_eq!(pick("hlep", 2), Some("help"));
        assert_eq!(pick("zzzzzz", 2), None);
        assert_eq!(pick("pong", 0), Some("pong"));
    }
}
