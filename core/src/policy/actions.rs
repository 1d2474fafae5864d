//! Misspelled actions in the namespaces replication policies use (`s3`, `kms`, `sts`): IAM
//! accepts an identity policy naming an action that does not exist, and the statement then
//! grants nothing.
//!
//! An action is unknown when its hash is not among the hashes of every action IAM defines
//! (`tests/data/iam-actions.txt`, from the AWS Service Authorization Reference; a test keeps
//! the table fresh). Sixteen-bit hashes keep the module small; a collision can only hide a
//! misspelling. It is reported when it is a near miss of an action replication uses, with
//! that action: a list can lag behind AWS, and a new action is seldom a few edits from one of
//! these.

use super::audit::Sink;
use super::iam::Policy;
use crate::catalogue::audit as r;

/// The actions replication policies use: what a misspelling is measured against.
const MEANT: &[&str] = &[
    "s3:GetReplicationConfiguration",
    "s3:PutReplicationConfiguration",
    "s3:ListBucket",
    "s3:GetBucketVersioning",
    "s3:GetBucketObjectLockConfiguration",
    "s3:GetObjectVersionForReplication",
    "s3:GetObjectVersionAcl",
    "s3:GetObjectVersionTagging",
    "s3:GetObjectVersion",
    "s3:GetObjectRetention",
    "s3:GetObjectLegalHold",
    "s3:ReplicateObject",
    "s3:ReplicateDelete",
    "s3:ReplicateTags",
    "s3:ObjectOwnerOverrideToBucketOwner",
    "s3:InitiateReplication",
    "s3:PutInventoryConfiguration",
    "s3:GetObject",
    "s3:PutObject",
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:DescribeKey",
    "sts:AssumeRole",
];

/// Hashes ([`hash`]) of every s3, kms and sts action, sorted.
const KNOWN: &[u16] = &[
    1178, 1260, 1320, 1436, 1650, 1899, 2326, 2392, 3071, 3288, 3594, 3718, 3766, 3939, 4053, 4222,
    4564, 4835, 4913, 5663, 5829, 5834, 5987, 6689, 6938, 7882, 8049, 8428, 8467, 8706, 8833, 9116,
    9433, 9524, 10026, 10237, 10281, 10343, 10362, 10532, 10795, 11331, 12120, 12370, 12771, 12889,
    13310, 13781, 14152, 14275, 14284, 14369, 14666, 15220, 15517, 15740, 15768, 16058, 16408,
    16522, 16603, 17082, 17263, 17580, 18222, 18223, 18404, 18430, 18587, 19760, 20061, 20331,
    20361, 20770, 20774, 21247, 21455, 21562, 23226, 23466, 24145, 24174, 24242, 24286, 24404,
    24488, 24657, 24921, 25179, 25292, 25493, 25498, 25694, 25743, 26129, 26997, 27631, 27972,
    28103, 28148, 28173, 28526, 29159, 29495, 29517, 29833, 30078, 30439, 30532, 30771, 31370,
    31405, 31454, 31768, 31978, 32090, 32190, 32237, 32521, 32815, 33075, 33361, 33456, 34179,
    34252, 34316, 35515, 35841, 35984, 36081, 36130, 36365, 36466, 36674, 37125, 37409, 37625,
    37659, 37852, 38299, 39216, 39225, 39279, 39308, 39775, 40018, 40414, 41348, 41908, 41928,
    41967, 42056, 42082, 42667, 42761, 42827, 43052, 43277, 43561, 43580, 45173, 45240, 45355,
    45622, 45809, 46318, 46598, 46781, 47149, 47416, 47822, 48351, 48369, 48934, 49410, 49923,
    50169, 50179, 50187, 50265, 50816, 51265, 52217, 52486, 52566, 52758, 52773, 52838, 52868,
    53338, 53543, 53575, 54177, 54695, 54780, 54855, 55114, 55348, 55569, 55947, 56665, 56900,
    57205, 57335, 57510, 57790, 57868, 58536, 58990, 59326, 59350, 59469, 59554, 60023, 60144,
    60193, 60206, 61093, 61226, 61771, 62150, 62582, 62939, 63012, 63503, 64089, 64325, 64458,
    64640, 65093, 65421,
];

/// FNV-1a of the lowercase action, folded to 16 bits (IAM compares action names without case).
fn hash(action: &str) -> u16 {
    let mut h: u32 = 0x811c_9dc5;
    for b in action.bytes() {
        h ^= u32::from(b.to_ascii_lowercase());
        h = h.wrapping_mul(0x0100_0193);
    }
    ((h >> 16) ^ (h & 0xffff)) as u16
}

/// Edits (insert, delete, substitute) between two short ASCII-lowercase words.
fn distance(a: &[u8], b: &[u8]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// The action replication uses that `action` is a near miss of, or `None` when `action` is
/// known, has a wildcard, is in another namespace or is not close to one of them.
pub fn misspelled(action: &str) -> Option<String> {
    let (service, name) = action.split_once(':')?;
    let service = service.to_ascii_lowercase();
    if !matches!(service.as_str(), "s3" | "kms" | "sts")
        || name.is_empty()
        || name.contains(['*', '?'])
        || name.len() > 80
        || KNOWN.binary_search(&hash(action)).is_ok()
    {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    let limit = (name.len() / 4).clamp(1, 3);
    MEANT
        .iter()
        .filter_map(|m| m.split_once(':').filter(|(s, _)| *s == service))
        .map(|(s, n)| {
            (
                distance(lower.as_bytes(), n.to_ascii_lowercase().as_bytes()),
                s,
                n,
            )
        })
        .filter(|(d, ..)| *d <= limit)
        .min_by_key(|(d, ..)| *d)
        .map(|(_, s, n)| format!("{s}:{n}"))
}

/// Report every misspelled action of `p`'s statements.
pub(super) fn check(p: &Policy, sink: &mut Sink) {
    for s in &p.statements {
        for a in &s.actions {
            if let Some(meant) = misspelled(&a.value) {
                let effect = if s.deny {
                    "denies nothing"
                } else {
                    "grants nothing"
                };
                sink.report(
                    &r::UNKNOWN_ACTION,
                    a.span,
                    &a.path,
                    format!(
                        "`{}` is not an action; did you mean `{meant}`? As written it {effect}",
                        a.value
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{hash, misspelled, KNOWN, MEANT};

    #[test]
    fn the_table_holds_every_action_and_nothing_else() {
        let list = include_str!("../../tests/data/iam-actions.txt");
        let mut hashes: Vec<u16> = list
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(hash)
            .collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(
            hashes, KNOWN,
            "regenerate KNOWN from tests/data/iam-actions.txt"
        );
        for m in MEANT {
            assert!(list.lines().any(|l| l == *m), "{m} is not an action");
        }
    }

    #[test]
    fn near_misses_only() {
        assert_eq!(
            misspelled("s3:ReplicationTags").as_deref(),
            Some("s3:ReplicateTags")
        );
        assert_eq!(
            misspelled("s3:GetObjectVersionForReplicaton").as_deref(),
            Some("s3:GetObjectVersionForReplication")
        );
        assert_eq!(misspelled("kms:Decript").as_deref(), Some("kms:Decrypt"));
        assert_eq!(
            misspelled("sts:AssumeRol").as_deref(),
            Some("sts:AssumeRole")
        );
        // Known (IAM compares action names case-insensitively), wildcards, other namespaces,
        // names far from every action replication uses, and real actions near one of them.
        assert_eq!(misspelled("s3:replicateobject"), None);
        assert_eq!(misspelled("s3:Replicate*"), None);
        assert_eq!(misspelled("iam:PassRol"), None);
        assert_eq!(misspelled("s3:PutSomethingBrandNewThatAwsShipped"), None);
        assert_eq!(misspelled("no-colon"), None);
        for real in [
            "sts:AssumeRoot",
            "s3:PutBucketVersioning",
            "s3:PutObjectRetention",
            "kms:Verify",
            "s3:GetObjectAcl",
        ] {
            assert_eq!(misspelled(real), None, "{real}");
        }
    }
}
