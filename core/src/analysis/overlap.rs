//! Which enabled V2 rules overlap, and how: for every rule, the highest-priority rule that
//! shadows it, and the overlapping higher-priority rules with the same or other settings.
//! Rules are grouped by destination and filter so that the work grows with distinct filters,
//! not with pairs of rules; `analyze_pairwise` (tests) is the quadratic definition it must
//! agree with. The `cross_rule::overlap` check words the findings.

use crate::analysis::filter_set::{cmp_str, has_prefix, same_str};
use crate::analysis::{rule_object_set, ObjectSet};
use crate::arn;
use crate::fx::Fx;
use crate::model::{Document, Rule, SchemaVersion};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// Upper bound on compared pairs of rule groups (distinct filters) per document.
pub const MAX_PAIRS: usize = 200_000;

/// One enabled V2 rule that selects some objects.
pub(crate) struct Entry<'a> {
    pub(crate) index: usize,
    pub(crate) rule: &'a Rule,
    pub(crate) bucket: &'a str,
    pub(crate) priority: i64,
    pub(crate) set: ObjectSet<'a>,
    /// Selects SSE-KMS objects (`SseKmsEncryptedObjects` Enabled).
    pub(crate) kms: bool,
    /// Computed once so that comparing two rules' settings allocates nothing.
    pub(crate) settings: Settings<'a>,
    /// Numbers of `settings.compared(false)` and `settings.compared(true)`: two entries'
    /// settings are the same exactly when these numbers are (set by [`analyze`]).
    class: [u32; 2],
    /// The destination bucket name's rank among the document's bucket names (set by
    /// [`entries`]): equal exactly when the names are, ordered as the names are.
    bucket_id: u32,
}

/// The settings the higher-priority rule imposes on shared objects.
#[derive(Clone, Copy)]
pub(crate) struct Settings<'a> {
    pub(crate) delete_markers: &'a str,
    pub(crate) storage_class: Option<&'a str>,
    pub(crate) replica_key: Option<&'a str>,
    pub(crate) replica_modifications: &'a str,
    pub(crate) rtc: bool,
    pub(crate) owner_override: bool,
}

fn same_opt(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same_str(a, b),
        (a, b) => a.is_none() && b.is_none(),
    }
}

/// Field by field, with [`same_str`] (`==` on strs is slow for empty ones, see there).
impl PartialEq for Settings<'_> {
    fn eq(&self, o: &Self) -> bool {
        self.rtc == o.rtc
            && self.owner_override == o.owner_override
            && same_str(self.delete_markers, o.delete_markers)
            && same_str(self.replica_modifications, o.replica_modifications)
            && same_opt(self.storage_class, o.storage_class)
            && same_opt(self.replica_key, o.replica_key)
    }
}

impl Eq for Settings<'_> {}

/// Consistent with `eq`: equal settings hash the same strings and flags.
impl Hash for Settings<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.delete_markers.hash(h);
        self.storage_class.hash(h);
        self.replica_key.hash(h);
        self.replica_modifications.hash(h);
        h.write_u8(u8::from(self.rtc) | u8::from(self.owner_override) << 1);
    }
}

impl<'a> Settings<'a> {
    fn of(rule: &'a Rule) -> Settings<'a> {
        Settings {
            delete_markers: status(rule.delete_marker_replication.as_ref()),
            storage_class: rule.storage_class(),
            replica_key: rule.replica_kms_key(),
            replica_modifications: status(
                rule.source_selection_criteria
                    .as_ref()
                    .and_then(|s| s.replica_modifications.as_ref()),
            ),
            rtc: rule.rtc_enabled(),
            // Any `AccessControlTranslation`: a rule that has one differs from one that has
            // none, whatever its Owner says.
            owner_override: rule
                .destination
                .as_ref()
                .is_some_and(|d| d.access_control_translation.is_some()),
        }
    }

    /// What is compared for the objects two rules share: the replica key only matters when
    /// both rules select SSE-KMS objects. Two rules' settings are the same exactly when
    /// their `compared` values are equal.
    pub(crate) fn compared(self, both_kms: bool) -> Settings<'a> {
        if both_kms {
            self
        } else {
            Settings {
                replica_key: None,
                ..self
            }
        }
    }
}

/// What is reported for one rule (an entry): only the rule a message names and counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Findings {
    /// The highest-priority rule that covers all of this rule's objects.
    pub(crate) shadowed_by: Option<usize>,
    /// The highest-priority overlapping rule with other settings (not covering this one).
    pub(crate) conflict: Option<usize>,
    /// How many overlapping higher-priority rules have other settings.
    pub(crate) conflicts: usize,
    /// The highest-priority overlapping rule with the same settings (not covering this one).
    pub(crate) governing: Option<usize>,
    /// How many overlapping higher-priority rules have the same settings.
    pub(crate) governed: usize,
}

impl Findings {
    /// A shadowed rule is reported as such and nothing else: drop what else was counted, so
    /// that the analysis need not count it (see [`relate`]).
    pub(crate) fn settle(&mut self) {
        if self.shadowed_by.is_some() {
            *self = Findings {
                shadowed_by: self.shadowed_by,
                ..Findings::default()
            };
        }
    }
}

/// The result of the analysis, per entry (entries are in document order).
pub(crate) struct Analysis<'a> {
    pub(crate) entries: Vec<Entry<'a>>,
    /// Settled (see [`Findings::settle`]).
    pub(crate) findings: Vec<Findings>,
    /// [`MAX_PAIRS`] was reached: findings may be missing and counts are lower bounds.
    pub(crate) limited: bool,
}

/// A str as a hash-map key, compared with [`same_str`].
#[derive(Clone, Copy)]
struct Text<'a>(&'a str);

impl PartialEq for Text<'_> {
    fn eq(&self, o: &Self) -> bool {
        same_str(self.0, o.0)
    }
}

impl Eq for Text<'_> {}

impl Hash for Text<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.0.hash(h);
    }
}

pub(crate) fn entries(doc: &Document) -> Vec<Entry<'_>> {
    // Rules mostly share a few destinations: remember the last bucket names extracted.
    let mut recent: Vec<(&str, &str, u32)> = Vec::new();
    let mut names: HashMap<Text, u32, BuildHasherDefault<Fx>> = HashMap::default();
    let mut list: Vec<Entry> = doc
        .rules
        .iter()
        .enumerate()
        .filter_map(|(index, rule)| {
            if !rule.is_enabled() || rule.schema_version() != Some(SchemaVersion::V2) {
                return None;
            }
            let priority = rule.priority.as_ref()?.value;
            let destination = rule.destination_bucket()?;
            let (bucket, bucket_id) = match recent.iter().find(|(d, ..)| same_str(d, destination)) {
                Some(&(_, name, id)) => (name, id),
                None => {
                    let name = arn::bucket_name(destination);
                    let next = names.len() as u32;
                    let id = *names.entry(Text(name)).or_insert(next);
                    if recent.len() == 8 {
                        recent.remove(0);
                    }
                    recent.push((destination, name, id));
                    (name, id)
                }
            };
            let set = rule_object_set(rule).ok()?;
            if set.is_empty() {
                return None;
            }
            Some(Entry {
                index,
                rule,
                bucket,
                priority,
                set,
                kms: rule.sse_kms_enabled(),
                settings: Settings::of(rule),
                class: [0; 2],
                bucket_id,
            })
        })
        .collect();
    // Number the names in their order, so that sorting by number is sorting by name.
    let mut sorted: Vec<(&str, u32)> = names.into_iter().map(|(t, id)| (t.0, id)).collect();
    crate::sort::sort_by(&mut sorted, |a, b| cmp_str(a.0, b.0));
    let mut rank = vec![0u32; sorted.len()];
    for (r, &(_, id)) in sorted.iter().enumerate() {
        rank[id as usize] = r as u32;
    }
    for e in &mut list {
        e.bucket_id = rank[e.bucket_id as usize];
    }
    list
}

fn status(s: Option<&crate::model::StatusBlock>) -> &str {
    s.and_then(|b| b.status.as_ref())
        .map_or("absent", |v| v.as_str())
}

/// Does entry `a` rank before entry `b`: higher priority, then earlier in the document.
fn outranks(list: &[Entry], a: usize, b: usize) -> bool {
    (list[a].priority, std::cmp::Reverse(list[a].index))
        > (list[b].priority, std::cmp::Reverse(list[b].index))
}

/// Keep the better-ranked of `slot` and `candidate`.
fn offer(list: &[Entry], slot: &mut Option<usize>, candidate: usize) {
    if slot.is_none_or(|cur| outranks(list, candidate, cur)) {
        *slot = Some(candidate);
    }
}

/// The identity of an object set, independent of the order of its tags and exclusions.
struct SetKey<'a> {
    tags: Vec<(&'a str, &'a str)>,
    excluded_prefixes: Vec<&'a str>,
    excluded_tags: Vec<(&'a str, &'a str)>,
}

fn cmp_tag(a: &(&str, &str), b: &(&str, &str)) -> Ordering {
    cmp_str(a.0, b.0).then_with(|| cmp_str(a.1, b.1))
}

/// Lexicographic, as slices compare.
fn cmp_slices<T>(a: &[T], b: &[T], cmp: impl Fn(&T, &T) -> Ordering) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        match cmp(x, y) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    a.len().cmp(&b.len())
}

/// Sorted without duplicates.
fn sorted<T: Copy>(v: &[T], cmp: impl Fn(&T, &T) -> Ordering) -> Vec<T> {
    let mut v = v.to_vec();
    crate::sort::sort_by(&mut v, &cmp);
    v.dedup_by(|a, b| cmp(a, b) == Ordering::Equal);
    v
}

impl<'a> SetKey<'a> {
    fn of(set: &ObjectSet<'a>) -> SetKey<'a> {
        SetKey {
            tags: sorted(&set.tags, cmp_tag),
            excluded_prefixes: sorted(&set.excluded_prefixes, |a, b| cmp_str(a, b)),
            excluded_tags: sorted(&set.excluded_tags, cmp_tag),
        }
    }

    /// Tags, then excluded prefixes, then excluded tags, each as sorted slices compare.
    fn cmp(&self, o: &SetKey) -> Ordering {
        cmp_slices(&self.tags, &o.tags, cmp_tag)
            .then_with(|| {
                cmp_slices(&self.excluded_prefixes, &o.excluded_prefixes, |a, b| {
                    cmp_str(a, b)
                })
            })
            .then_with(|| cmp_slices(&self.excluded_tags, &o.excluded_tags, cmp_tag))
    }
}

/// Rules with one destination, one object set and one SSE-KMS selection.
struct Group {
    /// Entry whose set stands for the group (its highest-ranked member).
    first: usize,
    kms: bool,
    /// Where the group's entries are in the analysis's `order`: highest priority first,
    /// then document order.
    members: std::ops::Range<usize>,
}

/// A group's members partitioned by compared settings (built only for larger groups).
struct Classes {
    /// `(settings class, priority, member)` for every member, by class, then highest
    /// priority first.
    by_class: Vec<(u32, i64, usize)>,
    /// The highest-ranked member whose settings differ from the top member's.
    top_other: Option<usize>,
}

/// Groups up to this size are scanned instead of indexed by settings.
const SCAN: usize = 8;

impl Classes {
    fn new(list: &[Entry], members: &[usize], both_kms: bool) -> Classes {
        let k = usize::from(both_kms);
        let mut by_class: Vec<(u32, usize, usize)> = members
            .iter()
            .enumerate()
            .map(|(rank, &m)| (list[m].class[k], rank, m))
            .collect();
        // Members keep their rank order within a class.
        crate::sort::sort(&mut by_class);
        let top = list[members[0]].class[k];
        let top_other = members.iter().copied().find(|&m| list[m].class[k] != top);
        Classes {
            by_class: by_class
                .into_iter()
                .map(|(c, _, m)| (c, list[m].priority, m))
                .collect(),
            top_other,
        }
    }

    /// The members in settings class `class`, highest priority first.
    fn members(&self, class: u32) -> &[(u32, i64, usize)] {
        let start = self.by_class.partition_point(|&(c, ..)| c < class);
        let end = self.by_class.partition_point(|&(c, ..)| c <= class);
        &self.by_class[start..end]
    }
}

/// The entries of every group, one group after another, with their priorities.
struct Ranked {
    /// Entries by group, each group's highest priority first, then document order.
    order: Vec<usize>,
    /// `priority[i]` is the priority of entry `order[i]`.
    priority: Vec<i64>,
}

impl Ranked {
    fn members(&self, g: &Group) -> (&[usize], &[i64]) {
        (
            &self.order[g.members.clone()],
            &self.priority[g.members.clone()],
        )
    }
}

/// The overlapping, not covering rules of group `hi` above entry `l`, split by settings.
fn add_overlaps(
    list: &[Entry],
    ranked: &Ranked,
    hi: &Group,
    classes: &mut [Option<Classes>; 2],
    l: usize,
    found: &mut Findings,
) {
    let p = list[l].priority;
    let (members, priorities) = ranked.members(hi);
    let higher = priorities.partition_point(|&h| h > p);
    if higher == 0 {
        return;
    }
    let both_kms = list[l].kms && hi.kms;
    let k = usize::from(both_kms);
    let mine = list[l].class[k];
    let above = &members[..higher];
    if members.len() <= SCAN {
        for &h in above {
            if list[h].class[k] == mine {
                found.governed += 1;
                offer(list, &mut found.governing, h);
            } else {
                found.conflicts += 1;
                offer(list, &mut found.conflict, h);
            }
        }
        return;
    }
    let classes = classes[k].get_or_insert_with(|| Classes::new(list, members, both_kms));
    let same = classes.members(mine);
    let n_same = same.partition_point(|&(_, hp, _)| hp > p);
    if let Some(&(_, _, best)) = same.first().filter(|_| n_same > 0) {
        found.governed += n_same;
        offer(list, &mut found.governing, best);
    }
    if n_same < higher {
        found.conflicts += higher - n_same;
        // The top member differs from this rule, or else the best differing member is the
        // highest-ranked one outside the top member's settings (it is above `p`: some are).
        let top = above[0];
        let best = if list[top].class[k] != mine {
            Some(top)
        } else {
            classes.top_other
        };
        if let Some(b) = best {
            offer(list, &mut found.conflict, b);
        }
    }
}

/// Every rule of group `lo` against the higher-priority rules of group `hi`; `subset`:
/// every object of `lo`'s set is in `hi`'s.
fn relate(
    list: &[Entry],
    ranked: &Ranked,
    (lo, hi): (&Group, &Group),
    subset: bool,
    hi_classes: &mut [Option<Classes>; 2],
    found: &mut [Findings],
) {
    let (lo_members, lo_priorities) = ranked.members(lo);
    let (hi_members, hi_priorities) = ranked.members(hi);
    // Only the rules below `hi`'s highest priority can be governed by it (members are
    // sorted by priority, highest first).
    let (top, p) = (hi_members[0], hi_priorities[0]);
    // The higher rule takes every object of the lower one only if it also selects the
    // SSE-KMS objects the lower one replicates.
    if (!lo.kms || hi.kms) && subset {
        let below = lo_priorities.partition_point(|&l| l >= p);
        for &l in &lo_members[below..] {
            offer(list, &mut found[l].shadowed_by, top);
        }
        return;
    }
    // Rules below the top priority of `lo` are shadowed by its top rule, and so are rules
    // a covering group has reached: what else they overlap is not reported
    // ([`Findings::settle`]). That leaves the rules with `lo`'s top priority, if below `p`.
    let lo_top = lo_priorities[0];
    if lo_top >= p {
        return;
    }
    for (&l, &lp) in lo_members.iter().zip(lo_priorities) {
        if lp < lo_top {
            break;
        }
        if found[l].shadowed_by.is_none() {
            add_overlaps(list, ranked, hi, hi_classes, l, &mut found[l]);
        }
    }
}

/// Sorts `order` by destination and prefix (both as strings), then object set and SSE-KMS
/// selection, then rank, and cuts it into groups.
fn group(list: &[Entry], order: &mut [usize]) -> Vec<Group> {
    let same_place =
        |a: &Entry, b: &Entry| a.bucket_id == b.bucket_id && same_str(a.set.prefix, b.set.prefix);
    // The first 16 bytes of a prefix as a number (zero-padded) order prefixes as strings do,
    // unless they are equal; only then are the strings compared.
    let head = |p: &str| {
        let mut a = [0u8; 16];
        let n = p.len().min(16);
        a[..n].copy_from_slice(&p.as_bytes()[..n]);
        u128::from_be_bytes(a)
    };
    let mut keys: Vec<(u32, u128, usize)> = order
        .iter()
        .map(|&e| (list[e].bucket_id, head(list[e].set.prefix), e))
        .collect();
    crate::sort::sort_by(&mut keys, |a, b| {
        (a.0, a.1)
            .cmp(&(b.0, b.1))
            .then_with(|| cmp_str(list[a.2].set.prefix, list[b.2].set.prefix))
            .then(a.2.cmp(&b.2))
    });
    for (o, k) in order.iter_mut().zip(&keys) {
        *o = k.2;
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let head = &list[order[start]];
        let end = start
            + order[start..]
                .iter()
                .position(|&e| !same_place(head, &list[e]))
                .unwrap_or(order.len() - start);
        let run = &mut order[start..end];
        let rank = |x: &Entry, y: &Entry| y.priority.cmp(&x.priority).then(x.index.cmp(&y.index));
        if run.len() == 1 {
            groups.push(Group {
                first: run[0],
                kms: list[run[0]].kms,
                members: start..end,
            });
        } else {
            // Only rules with one destination and prefix need their sets compared.
            let mut keyed: Vec<(SetKey, usize)> =
                run.iter().map(|&e| (SetKey::of(&list[e].set), e)).collect();
            crate::sort::sort_by(&mut keyed, |(ka, a), (kb, b)| {
                let (x, y) = (&list[*a], &list[*b]);
                ka.cmp(kb).then(x.kms.cmp(&y.kms)).then_with(|| rank(x, y))
            });
            let mut at = start;
            for (i, (key, e)) in keyed.iter().enumerate() {
                run[i] = *e;
                let next = keyed.get(i + 1).filter(|(k2, e2)| {
                    key.cmp(k2) == Ordering::Equal && list[*e].kms == list[*e2].kms
                });
                if next.is_none() {
                    groups.push(Group {
                        first: run[at - start],
                        kms: list[*e].kms,
                        members: at..start + i + 1,
                    });
                    at = start + i + 1;
                }
            }
        }
        start = end;
    }
    groups
}

/// Runs the analysis on every enabled V2 rule of `doc`.
pub(crate) fn analyze(doc: &Document) -> Analysis<'_> {
    let mut list = entries(doc);
    let mut found: Vec<Findings> = vec![Findings::default(); list.len()];
    let mut limited = false;
    if list.len() < 2 {
        return Analysis {
            entries: list,
            findings: found,
            limited,
        };
    }
    // Number the distinct compared settings, so that comparing them is comparing numbers
    // (without a replica key, both compared settings are the same).
    let mut ids: HashMap<Settings, u32, BuildHasherDefault<Fx>> =
        HashMap::with_capacity_and_hasher(list.len(), BuildHasherDefault::default());
    for e in list.iter_mut() {
        let next = ids.len() as u32;
        e.class[0] = *ids.entry(e.settings.compared(false)).or_insert(next);
        e.class[1] = if e.settings.replica_key.is_none() {
            e.class[0]
        } else {
            let next = ids.len() as u32;
            *ids.entry(e.settings).or_insert(next)
        };
    }
    let list = list;
    let mut order: Vec<usize> = (0..list.len()).collect();
    let groups = group(&list, &mut order);
    let priority = order.iter().map(|&e| list[e].priority).collect();
    let ranked = Ranked { order, priority };
    let mut classes: Vec<[Option<Classes>; 2]> = groups.iter().map(|_| [None, None]).collect();
    let mut pairs = 0usize;
    let mut stack: Vec<usize> = Vec::new();
    'outer: for (c, group) in groups.iter().enumerate() {
        let (members, _) = ranked.members(group);
        let head = &list[group.first];
        let (bucket, prefix) = (head.bucket_id, head.set.prefix);
        // Within a group every rule is covered by the group's highest-priority rule.
        let top = members[0];
        for &m in &members[1..] {
            if list[top].priority > list[m].priority {
                offer(&list, &mut found[m].shadowed_by, top);
            }
        }
        while let Some(&s) = stack.last() {
            let other = &list[groups[s].first];
            if other.bucket_id == bucket && has_prefix(prefix, other.set.prefix) {
                break;
            }
            stack.pop();
        }
        for &s in &stack {
            pairs += 1;
            if pairs > MAX_PAIRS {
                limited = true;
                break 'outer;
            }
            let other = &groups[s];
            let (outer, inner) = (&list[other.first].set, &head.set);
            if !outer.overlaps(inner) {
                continue;
            }
            let inner_in_outer = inner.is_subset_of(outer);
            // The outer prefix starts the inner one: the outer set can only be inside the
            // inner one if the prefixes are equal.
            let outer_in_inner =
                outer.prefix.len() == inner.prefix.len() && outer.is_subset_of(inner);
            relate(
                &list,
                &ranked,
                (other, group),
                outer_in_inner,
                &mut classes[c],
                &mut found,
            );
            relate(
                &list,
                &ranked,
                (group, other),
                inner_in_outer,
                &mut classes[s],
                &mut found,
            );
        }
        stack.push(c);
    }
    found.iter_mut().for_each(Findings::settle);
    Analysis {
        entries: list,
        findings: found,
        limited,
    }
}

/// The definition the grouped analysis must agree with: every pair of entries compared
/// directly (quadratic; for tests).
#[cfg(test)]
pub(crate) fn analyze_pairwise(doc: &Document) -> Vec<Findings> {
    let list = entries(doc);
    let mut found = vec![Findings::default(); list.len()];
    for lo in 0..list.len() {
        for hi in 0..list.len() {
            let (l, h) = (&list[lo], &list[hi]);
            if l.bucket != h.bucket || h.priority <= l.priority || !l.set.overlaps(&h.set) {
                continue;
            }
            let f = &mut found[lo];
            if (!l.kms || h.kms) && l.set.is_subset_of(&h.set) {
                offer(&list, &mut f.shadowed_by, hi);
            } else if l.settings.compared(l.kms && h.kms) == h.settings.compared(l.kms && h.kms) {
                f.governed += 1;
                offer(&list, &mut f.governing, hi);
            } else {
                f.conflicts += 1;
                offer(&list, &mut f.conflict, hi);
            }
        }
    }
    found.iter_mut().for_each(Findings::settle);
    found
}
