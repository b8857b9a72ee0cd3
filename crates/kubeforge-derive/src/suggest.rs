//! "Did you mean" for misspelt attribute keys, shared by every attribute parser.

/// The candidate closest to `key` by edit distance, when it is close enough (two edits or
/// fewer) to be a likely typo.
pub(crate) fn closest<'a>(
    key: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(c, key), c))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggests_close_keys_only() {
        assert_eq!(
            super::closest("minimun", ["minimum", "maximum"]),
            Some("minimum")
        );
        assert_eq!(super::closest("frobnicate", ["minimum", "maximum"]), None);
    }
}
