//! The object set of one rule's filter, and the relations between two such sets.
//!
//! A filter selects the objects whose key starts with a prefix, that carry every required tag
//! (exact key and value), and that match none of the exclusions (`Not`: a prefix, a tag, or an
//! `Or` of prefixes and tags). Prefixes are literal strings compared with starts-with; an object
//! carries at most one value per tag key. Under these semantics the relations below are exact
//! for well-formed filters; malformed filters (which S3 rejects anyway) are [`Unanalyzable`].

use crate::model::{Filter, Not, Rule, Tag};
use std::borrow::Cow;

/// Why a rule's selection cannot be reasoned about. S3 rejects every one of these shapes,
/// so callers skip such rules rather than guess.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unanalyzable {
    /// Neither `Filter` nor a rule-level `Prefix`.
    NoFilter,
    /// Both `Filter` and a rule-level `Prefix`.
    FilterAndPrefix,
    /// `Filter` or `Not` with more than one child, or an empty `And`/`Not`/`Or`.
    Shape,
    /// A `Tag` without `Key` or `Value`.
    IncompleteTag,
}

/// The objects one rule selects, borrowed from the document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectSet<'a> {
    /// Keys must start with this ("" = every key).
    pub prefix: &'a str,
    /// Every one of these tags must be present with exactly this value.
    pub tags: Vec<(&'a str, &'a str)>,
    /// Keys starting with any of these are excluded.
    pub excluded_prefixes: Vec<&'a str>,
    /// Objects carrying any of these tags are excluded.
    pub excluded_tags: Vec<(&'a str, &'a str)>,
}

/// An object key and tags that two sets both match, borrowed from the sets where possible.
pub type SharedObject<'a> = (Cow<'a, str>, Vec<(&'a str, &'a str)>);

/// How two object sets relate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// No object matches both.
    Disjoint,
    /// Same objects.
    Equal,
    /// Every object of the first also matches the second (and not conversely).
    Subset,
    /// Every object of the second also matches the first (and not conversely).
    Superset,
    /// Some objects match both, each has objects the other lacks.
    Overlap,
}

fn tag_pair(t: &Tag) -> Result<(&str, &str), Unanalyzable> {
    match (&t.key, &t.value) {
        (Some(k), Some(v)) => Ok((k.as_str(), v.as_str())),
        _ => Err(Unanalyzable::IncompleteTag),
    }
}

/// The object set of `rule` (V1 rule-level prefix or V2 filter).
pub fn rule_object_set(rule: &Rule) -> Result<ObjectSet<'_>, Unanalyzable> {
    match (&rule.filter, &rule.prefix) {
        (Some(f), None) => filter_object_set(f),
        (None, Some(p)) => Ok(ObjectSet {
            prefix: p.as_str(),
            ..ObjectSet::default()
        }),
        (None, None) => Err(Unanalyzable::NoFilter),
        (Some(_), Some(_)) => Err(Unanalyzable::FilterAndPrefix),
    }
}

/// The object set of a V2 `Filter` (an empty filter selects every object).
pub fn filter_object_set(f: &Filter) -> Result<ObjectSet<'_>, Unanalyzable> {
    let children = usize::from(f.prefix.is_some())
        + usize::from(f.tag.is_some())
        + usize::from(f.and.is_some())
        + usize::from(f.not.is_some());
    if children > 1 {
        return Err(Unanalyzable::Shape);
    }
    let mut set = ObjectSet::default();
    if let Some(p) = &f.prefix {
        set.prefix = p.as_str();
    }
    if let Some(t) = &f.tag {
        set.tags.push(tag_pair(t)?);
    }
    if let Some(a) = &f.and {
        if a.prefix.is_none() && a.tags.is_empty() && a.not.is_none() {
            return Err(Unanalyzable::Shape);
        }
        if let Some(p) = &a.prefix {
            set.prefix = p.as_str();
        }
        for t in &a.tags {
            set.tags.push(tag_pair(t)?);
        }
        if let Some(n) = &a.not {
            add_exclusions(&mut set, n)?;
        }
    }
    if let Some(n) = &f.not {
        add_exclusions(&mut set, n)?;
    }
    Ok(set)
}

fn add_exclusions<'a>(set: &mut ObjectSet<'a>, n: &'a Not) -> Result<(), Unanalyzable> {
    let children = usize::from(n.prefix.is_some())
        + usize::from(n.tag.is_some())
        + usize::from(n.or.is_some());
    if children != 1 {
        return Err(Unanalyzable::Shape);
    }
    if let Some(p) = &n.prefix {
        set.excluded_prefixes.push(p.as_str());
    }
    if let Some(t) = &n.tag {
        set.excluded_tags.push(tag_pair(t)?);
    }
    if let Some(or) = &n.or {
        if or.prefixes.is_empty() && or.tags.is_empty() {
            return Err(Unanalyzable::Shape);
        }
        set.excluded_prefixes
            .extend(or.prefixes.iter().map(|p| p.as_str()));
        for t in &or.tags {
            set.excluded_tags.push(tag_pair(t)?);
        }
    }
    Ok(())
}

/// `a.starts_with(b)`. The string helpers below never hand an empty string to `memcmp`:
/// an empty `&str` usually has a dangling pointer, and some `memcmp` implementations (glibc's
/// EVEX one) take a very slow path for it, so a plain `==` or `starts_with` on a tag-only
/// rule's empty prefix cost up to a hundred times a normal comparison.
#[inline]
pub fn has_prefix(a: &str, b: &str) -> bool {
    b.is_empty() || a.starts_with(b)
}

/// `a == b` (see [`has_prefix`]).
#[inline]
pub fn same_str(a: &str, b: &str) -> bool {
    a.len() == b.len() && (a.is_empty() || a == b)
}

/// `a.cmp(b)` (see [`has_prefix`]).
#[inline]
pub fn cmp_str(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_empty() || b.is_empty() {
        a.len().cmp(&b.len())
    } else {
        a.cmp(b)
    }
}

/// `a == b` for two tags (see [`has_prefix`]).
#[inline]
pub fn same_tag(a: (&str, &str), b: (&str, &str)) -> bool {
    same_str(a.0, b.0) && same_str(a.1, b.1)
}

fn has_tag(tags: &[(&str, &str)], t: (&str, &str)) -> bool {
    tags.iter().any(|&x| same_tag(x, t))
}

/// True when one of `a`, `b` starts with the other.
pub fn prefixes_related(a: &str, b: &str) -> bool {
    has_prefix(a, b) || has_prefix(b, a)
}

/// Adds `(k, v)` to `tags` unless present; false when `k` is already required with another value.
fn merge_tag<'a>(tags: &mut Vec<(&'a str, &'a str)>, (k, v): (&'a str, &'a str)) -> bool {
    match tags.iter().find(|(k2, _)| same_str(k2, k)) {
        Some((_, v2)) => same_str(v2, v),
        None => {
            tags.push((k, v));
            true
        }
    }
}

/// A key starting with `prefix` and starting with none of the `excluded` prefixes (each of
/// which is longer than `prefix` or unrelated to it). `None` only when no such key exists.
fn witness_key<'k>(prefix: &'k str, excluded: [&[&str]; 2]) -> Option<Cow<'k, str>> {
    let all = || excluded.iter().flat_map(|s| s.iter());
    if all().any(|e| has_prefix(prefix, e)) {
        return None;
    }
    if !prefix.is_empty() {
        // Every exclusion that could apply is strictly longer, so the prefix itself escapes it.
        return Some(Cow::Borrowed(prefix));
    }
    // Keys are non-empty: find one character no exclusion starts with. There are fewer
    // exclusions than candidates, so this ends after at most `excluded.len() + 1` tries.
    let candidates = ('a'..='z')
        .chain('0'..='9')
        .chain((0x00C0u32..).filter_map(char::from_u32));
    for c in candidates.take(all().count() + 1) {
        if !all().any(|e| e.starts_with(c)) {
            return Some(Cow::Owned(c.to_string()));
        }
    }
    None
}

impl<'a> ObjectSet<'a> {
    /// Does an object with this key and these tags match? (`tags` are the object's tags; an
    /// object has at most one value per key.)
    pub fn matches(&self, key: &str, tags: &[(&str, &str)]) -> bool {
        has_prefix(key, self.prefix)
            && self.tags.iter().all(|&t| has_tag(tags, t))
            && !self.excluded_prefixes.iter().any(|e| has_prefix(key, e))
            && !self.excluded_tags.iter().any(|&t| has_tag(tags, t))
    }

    /// True when no object can match (conflicting tag values, or an exclusion that covers the
    /// whole prefix or a required tag). Equivalent to `self.example().is_none()`, without
    /// building the example.
    pub fn is_empty(&self) -> bool {
        let conflicting_tags = self.tags.iter().enumerate().any(|(i, (k, v))| {
            self.tags[..i]
                .iter()
                .any(|(k2, v2)| same_str(k2, k) && !same_str(v2, v))
        });
        conflicting_tags
            || self.excluded_tags.iter().any(|&t| has_tag(&self.tags, t))
            || self
                .excluded_prefixes
                .iter()
                .any(|e| has_prefix(self.prefix, e))
    }

    /// An object (key, tags) this set matches, if any.
    pub fn example(&self) -> Option<(String, Vec<(String, String)>)> {
        self.intersection_witness(&ObjectSet::default())
    }

    /// Required tags of both sets, or `None` when they require different values for a key.
    fn merged_tags(&self, other: &ObjectSet<'a>) -> Option<Vec<(&'a str, &'a str)>> {
        let mut tags = Vec::with_capacity(self.tags.len() + other.tags.len());
        for t in self.tags.iter().chain(other.tags.iter()) {
            if !merge_tag(&mut tags, *t) {
                return None;
            }
        }
        Some(tags)
    }

    /// An object matching both sets, if one exists.
    pub fn intersection_witness(
        &self,
        other: &ObjectSet<'a>,
    ) -> Option<(String, Vec<(String, String)>)> {
        let (key, tags) = self.shared_object(other)?;
        Some((
            key.into_owned(),
            tags.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ))
    }

    /// [`Self::intersection_witness`] borrowing from the sets where it can: the key (the
    /// longer prefix, or one character when both prefixes are empty) and the tags.
    pub fn shared_object(&self, other: &ObjectSet<'a>) -> Option<SharedObject<'a>> {
        if !prefixes_related(self.prefix, other.prefix) {
            return None;
        }
        let prefix = if self.prefix.len() >= other.prefix.len() {
            self.prefix
        } else {
            other.prefix
        };
        let tags = self.merged_tags(other)?;
        let excluded_tag_hit = self
            .excluded_tags
            .iter()
            .chain(other.excluded_tags.iter())
            .any(|&t| has_tag(&tags, t));
        if excluded_tag_hit {
            return None;
        }
        let key = witness_key(prefix, [&self.excluded_prefixes, &other.excluded_prefixes])?;
        Some((key, tags))
    }

    /// Can one object match both sets?
    pub fn overlaps(&self, other: &ObjectSet<'a>) -> bool {
        // Cheap rejections first: the cross-rule pass calls this for many pairs.
        if !prefixes_related(self.prefix, other.prefix) {
            return false;
        }
        for (k, v) in &self.tags {
            if other
                .tags
                .iter()
                .any(|(k2, v2)| same_str(k2, k) && !same_str(v2, v))
            {
                return false;
            }
        }
        // Without exclusions, the longer prefix with the union of tags is a common object.
        let no_exclusions =
            |s: &ObjectSet| s.excluded_prefixes.is_empty() && s.excluded_tags.is_empty();
        if no_exclusions(self) && no_exclusions(other) {
            return true;
        }
        self.shared_object(other).is_some()
    }

    /// Is every object matched by `self` also matched by `other`? Exact for non-empty `self`;
    /// an empty `self` is a subset of anything.
    pub fn is_subset_of(&self, other: &ObjectSet<'a>) -> bool {
        if self.is_empty() {
            return true;
        }
        if !has_prefix(self.prefix, other.prefix) {
            return false;
        }
        if !other.tags.iter().all(|&t| has_tag(&self.tags, t)) {
            return false;
        }
        // Each exclusion of `other` must already be impossible for objects of `self`.
        let prefix_ok = other.excluded_prefixes.iter().all(|e| {
            if has_prefix(self.prefix, e) {
                // Every object of `self` is excluded by `other` (and `self` is not empty).
                false
            } else if has_prefix(e, self.prefix) {
                self.excluded_prefixes
                    .iter()
                    .any(|mine| has_prefix(e, mine))
            } else {
                true
            }
        });
        if !prefix_ok {
            return false;
        }
        other.excluded_tags.iter().all(|(k, v)| {
            self.tags
                .iter()
                .any(|(k2, v2)| same_str(k2, k) && !same_str(v2, v))
                || has_tag(&self.excluded_tags, (k, v))
        })
    }

    /// The relation of `self` to `other`.
    pub fn relation(&self, other: &ObjectSet<'a>) -> Relation {
        if !self.overlaps(other) {
            return Relation::Disjoint;
        }
        match (self.is_subset_of(other), other.is_subset_of(self)) {
            (true, true) => Relation::Equal,
            (true, false) => Relation::Subset,
            (false, true) => Relation::Superset,
            (false, false) => Relation::Overlap,
        }
    }

    /// A short human description: `keys starting with "logs/", tag env=prod, except ...`.
    pub fn describe(&self) -> String {
        let mut s = String::with_capacity(64);
        self.describe_into(&mut s);
        s
    }

    /// Appends [`Self::describe`] to `s`.
    pub fn describe_into(&self, s: &mut String) {
        if self.prefix.is_empty() {
            s.push_str("all keys");
        } else {
            s.push_str("keys starting with \"");
            s.push_str(self.prefix);
            s.push('"');
        }
        for (k, v) in &self.tags {
            for part in [" with tag ", k, "=", v] {
                s.push_str(part);
            }
        }
        let mut first = true;
        let mut except = |s: &mut String, parts: &[&str]| {
            s.push_str(if first { ", except " } else { " or " });
            first = false;
            for part in parts {
                s.push_str(part);
            }
        };
        for e in &self.excluded_prefixes {
            except(s, &["keys starting with \"", e, "\""]);
        }
        for (k, v) in &self.excluded_tags {
            except(s, &["tag ", k, "=", v]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{And, Or, Val};

    fn set(prefix: &'static str, tags: &[(&'static str, &'static str)]) -> ObjectSet<'static> {
        ObjectSet {
            prefix,
            tags: tags.to_vec(),
            ..ObjectSet::default()
        }
    }

    fn excl(
        mut s: ObjectSet<'static>,
        prefixes: &[&'static str],
        tags: &[(&'static str, &'static str)],
    ) -> ObjectSet<'static> {
        s.excluded_prefixes.extend_from_slice(prefixes);
        s.excluded_tags.extend_from_slice(tags);
        s
    }

    fn tag(k: &str, v: &str) -> Tag {
        Tag {
            key: Some(Val::new(k.to_string())),
            value: Some(Val::new(v.to_string())),
            ..Tag::default()
        }
    }

    #[test]
    fn string_helpers_agree_with_std() {
        let empty = String::new();
        let words = [empty.as_str(), "", "a", "a/", "ab", "a/b", "b", "\0", "é"];
        for a in words {
            for b in words {
                assert_eq!(has_prefix(a, b), a.starts_with(b), "{a:?} {b:?}");
                assert_eq!(same_str(a, b), a == b, "{a:?} {b:?}");
                assert_eq!(cmp_str(a, b), a.cmp(b), "{a:?} {b:?}");
                assert_eq!(same_tag((a, b), (b, a)), a == b, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn relation_table() {
        use Relation::*;
        let cases: Vec<(ObjectSet, ObjectSet, Relation)> = vec![
            (set("", &[]), set("", &[]), Equal),
            (set("a/", &[]), set("", &[]), Subset),
            (set("", &[]), set("a/", &[]), Superset),
            (set("a/", &[]), set("b/", &[]), Disjoint),
            (set("star", &[]), set("starship", &[]), Superset),
            (set("logs", &[]), set("logs-old/", &[]), Superset),
            (set("", &[("env", "prod")]), set("", &[]), Subset),
            (
                set("", &[("env", "prod")]),
                set("", &[("env", "dev")]),
                Disjoint,
            ),
            (
                set("", &[("env", "prod")]),
                set("", &[("team", "a")]),
                Overlap,
            ),
            (
                set("a/", &[("env", "prod")]),
                set("", &[("env", "prod")]),
                Subset,
            ),
            (set("a/", &[]), set("", &[("env", "prod")]), Overlap),
            // Exclusions.
            (set("a/", &[]), excl(set("", &[]), &["a/"], &[]), Disjoint),
            (set("a/", &[]), excl(set("", &[]), &["b/"], &[]), Subset),
            (
                set("a/", &[]),
                excl(set("", &[]), &["a/tmp/"], &[]),
                Overlap,
            ),
            (
                excl(set("a/", &[]), &["a/t"], &[]),
                excl(set("", &[]), &["a/tmp/"], &[]),
                Subset,
            ),
            (
                excl(set("a/", &[]), &["a/tmp"], &[]),
                excl(set("", &[]), &["a/tmp/"], &[]),
                Subset,
            ),
            (
                set("", &[("env", "prod")]),
                excl(set("", &[]), &[], &[("env", "dev")]),
                Subset,
            ),
            (
                set("", &[("env", "prod")]),
                excl(set("", &[]), &[], &[("env", "prod")]),
                Disjoint,
            ),
            (
                set("", &[]),
                excl(set("", &[]), &[], &[("env", "dev")]),
                Superset,
            ),
            (
                excl(set("", &[]), &[], &[("env", "dev")]),
                excl(set("", &[]), &[], &[("env", "dev")]),
                Equal,
            ),
        ];
        for (i, (a, b, want)) in cases.iter().enumerate() {
            assert_eq!(a.relation(b), *want, "case {i}: {a:?} vs {b:?}");
        }
    }

    #[test]
    fn empty_sets() {
        assert!(excl(set("a/", &[]), &["a"], &[]).is_empty());
        assert!(excl(set("", &[]), &[""], &[]).is_empty());
        assert!(excl(set("", &[("k", "v")]), &[], &[("k", "v")]).is_empty());
        assert!(set("", &[("k", "v"), ("k", "w")]).is_empty());
        assert!(!excl(set("", &[]), &["a", "b", "c"], &[]).is_empty());
        assert!(!excl(set("a/", &[]), &["a/x"], &[]).is_empty());
        // An empty set is a subset of anything, and overlaps nothing.
        let empty = excl(set("a/", &[]), &["a"], &[]);
        assert!(empty.is_subset_of(&set("b/", &[])));
        assert!(!empty.overlaps(&set("", &[])));
    }

    #[test]
    fn witnesses_match_both() {
        let pairs = [
            (excl(set("", &[]), &["a", "b"], &[]), set("", &[("k", "v")])),
            (
                set("logs/", &[("k", "v")]),
                excl(set("logs", &[]), &["logs/tmp"], &[("k", "w")]),
            ),
        ];
        for (a, b) in &pairs {
            let (key, tags) = a.intersection_witness(b).expect("overlap");
            let tags: Vec<(&str, &str)> =
                tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            assert!(a.matches(&key, &tags), "{key}");
            assert!(b.matches(&key, &tags), "{key}");
        }
    }

    #[test]
    fn matching() {
        let s = excl(
            set("logs/", &[("env", "prod")]),
            &["logs/tmp/"],
            &[("pii", "yes")],
        );
        assert!(s.matches("logs/a", &[("env", "prod")]));
        assert!(!s.matches("logs/a", &[("env", "dev")]));
        assert!(!s.matches("logs/tmp/a", &[("env", "prod")]));
        assert!(!s.matches("logs/a", &[("env", "prod"), ("pii", "yes")]));
        assert!(!s.matches("other", &[("env", "prod")]));
    }

    #[test]
    fn from_filters() {
        let f = Filter {
            and: Some(Box::new(And {
                prefix: Some(Val::new("a/".to_string())),
                tags: vec![tag("env", "prod")],
                not: Some(Box::new(Not {
                    or: Some(Or {
                        prefixes: vec![Val::new("a/tmp/".to_string())],
                        tags: vec![tag("pii", "yes")],
                        ..Or::default()
                    }),
                    ..Not::default()
                })),
                ..And::default()
            })),
            ..Filter::default()
        };
        let s = filter_object_set(&f).unwrap();
        assert_eq!(s.prefix, "a/");
        assert_eq!(s.tags, vec![("env", "prod")]);
        assert_eq!(s.excluded_prefixes, vec!["a/tmp/"]);
        assert_eq!(s.excluded_tags, vec![("pii", "yes")]);

        let two = Filter {
            prefix: Some(Val::new("a".to_string())),
            tag: Some(tag("k", "v")),
            ..Filter::default()
        };
        assert_eq!(filter_object_set(&two), Err(Unanalyzable::Shape));
        let empty_not = Filter {
            not: Some(Box::default()),
            ..Filter::default()
        };
        assert_eq!(filter_object_set(&empty_not), Err(Unanalyzable::Shape));
        let half_tag = Filter {
            tag: Some(Tag {
                key: Some(Val::new("k".to_string())),
                ..Tag::default()
            }),
            ..Filter::default()
        };
        assert_eq!(
            filter_object_set(&half_tag),
            Err(Unanalyzable::IncompleteTag)
        );
        assert_eq!(
            filter_object_set(&Filter::default()),
            Ok(ObjectSet::default())
        );

        let v1 = Rule {
            prefix: Some(Val::new("x/".to_string())),
            ..Rule::default()
        };
        assert_eq!(rule_object_set(&v1).unwrap().prefix, "x/");
        assert_eq!(
            rule_object_set(&Rule::default()),
            Err(Unanalyzable::NoFilter)
        );
    }

    #[test]
    fn describes() {
        let s = excl(set("logs/", &[("env", "prod")]), &["logs/tmp/"], &[]);
        assert_eq!(
            s.describe(),
            "keys starting with \"logs/\" with tag env=prod, except keys starting with \"logs/tmp/\""
        );
    }
}
