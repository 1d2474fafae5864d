//! "Did you mean": the closest allowed name, for lowering, the deployment context and the
//! template front ends alike.

/// The closest allowed name by case-insensitive edit distance, if it is close enough.
pub fn did_you_mean<'s>(name: &str, allowed: &[&'s str]) -> Option<&'s str> {
    let lower = name.to_ascii_lowercase();
    if lower.len() > 64 {
        return None;
    }
    allowed
        .iter()
        .map(|a| (edit_distance(&lower, &a.to_ascii_lowercase()), *a))
        .filter(|(d, a)| *d <= (a.len() / 3).max(1) || a.eq_ignore_ascii_case(name))
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
