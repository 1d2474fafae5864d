import json, copy, os
"""Writes the audit fixtures in audit/ (core/tests/policies.rs reads them). Run: python3 make_audit_fixtures.py"""
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "audit")
SRC = "arn:aws:s3:::acme-logs-use1"
DST = "arn:aws:s3:::acme-backup-usw2"
SKEY = "arn:aws:kms:us-east-1:111122223333:key/11111111-2222-4333-8444-555555555555"
RKEY = "arn:aws:kms:us-west-2:444455556666:key/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
ROLE = "arn:aws:iam::111122223333:role/service-role/s3-replication-acme"

def role_policy():
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "SourceBucketConfig", "Effect": "Allow", "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"], "Resource": SRC},
        {"Sid": "SourceObjectVersions", "Effect": "Allow", "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], "Resource": SRC + "/ledger/*"},
        {"Sid": "ReplicateToBackup", "Effect": "Allow", "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"], "Resource": DST + "/ledger/*"},
        {"Sid": "DecryptSourceObjects", "Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": [SKEY],
         "Condition": {"StringLike": {"kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": [SRC + "/ledger/*"]}}},
        {"Sid": "EncryptReplicas", "Effect": "Allow", "Action": ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"], "Resource": [RKEY],
         "Condition": {"StringLike": {"kms:ViaService": "s3.us-west-2.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": [DST + "/ledger/*", DST]}}},
    ]}

def trust(*services):
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": list(services) if len(services) > 1 else services[0]}, "Action": "sts:AssumeRole"}]}

def bucket_policy():
    return {"Version": "2012-10-17", "Id": "PolicyForDestinationBucket", "Statement": [
        {"Sid": "ReplicationRoleObjects", "Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], "Resource": DST + "/*"},
        {"Sid": "ReplicationRoleBucket", "Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": ["s3:List*", "s3:GetBucketVersioning", "s3:PutBucketVersioning"], "Resource": DST},
        {"Sid": "AllowReplicaOwnershipChange", "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": ["s3:ObjectOwnerOverrideToBucketOwner"], "Resource": DST + "/*"},
    ]}

def key_policy():
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "EnableIAMUserPermissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "AllowSourceReplicationRole", "Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"], "Resource": "*",
         "Condition": {"StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}},
    ]}

def stmt(p, sid):
    return next(s for s in p["Statement"] if s.get("Sid") == sid)

fixtures = {}
def add(name, expect, config="cross-account-kms", context=None, **pol):
    f = {"config": config}
    if context is not None:
        f["context"] = context
    f.update(pol)
    f["expect"] = expect
    fixtures[name] = f

def E(code, path, text=None):
    e = {"code": code, "path": path}
    if text is not None:
        e["text"] = text
    return e

add("correct-cross-account-kms", [], role=role_policy(), trust=trust("s3.amazonaws.com"), keyPolicies=[key_policy()], bucketPolicy=bucket_policy())

p = role_policy(); p["Statement"].append({"Sid": "NoEffect", "Action": "s3:ListBucket", "Resource": SRC})
add("s3r700-statement-without-effect", [E("S3R700", "/role/Statement/5")], role=p)

add("s3r701-trust-wrong-service", [E("S3R701", "/trust/Statement/0/Principal", "ec2.amazonaws.com")], trust=trust("ec2.amazonaws.com"))
t = trust("s3.amazonaws.com"); t["Statement"][0]["Action"] = "sts:TagSession"
add("s3r701-trust-wrong-action", [E("S3R701", "/trust/Statement/0/Action", "sts:TagSession")], trust=t)

p = role_policy(); stmt(p, "SourceBucketConfig")["Resource"] = SRC + "/*"
add("s3r702-bucket-actions-on-object-arn", [E("S3R702", "/role/Statement/0", SRC + "/*"), E("S3R702", "/role/Statement/0", SRC + "/*")], role=p)

p = role_policy(); stmt(p, "SourceObjectVersions")["Action"][0] = "s3:GetObjectVersion"
add("s3r703-get-object-version", [E("S3R703", "/role/Statement/1/Action/0", '"s3:GetObjectVersion"')], role=p)

p = role_policy(); s = stmt(p, "SourceObjectVersions"); s["Action"] = s["Action"][1:]
p["Statement"].insert(2, {"Sid": "WrongPrefix", "Effect": "Allow", "Action": "s3:GetObjectVersionForReplication", "Resource": SRC + "/other/*"})
add("s3r704-read-on-wrong-prefix", [E("S3R704", "/role/Statement/2", SRC + "/other/*")], role=p)

p = role_policy(); stmt(p, "SourceObjectVersions")["Action"].remove("s3:GetObjectVersionAcl")
add("s3r705-no-acl-read", [E("S3R705", "/role/Statement")], role=p)

p = role_policy(); stmt(p, "SourceObjectVersions")["Action"].remove("s3:GetObjectVersionTagging")
add("s3r706-no-tagging-read-2018-style", [E("S3R706", "/role/Statement")], role=p)

p = role_policy(); stmt(p, "ReplicateToBackup")["Action"].remove("s3:ReplicateObject")
add("s3r707-no-replicate-object", [E("S3R707", "/role/Statement")], role=p)

p = role_policy(); stmt(p, "ReplicateToBackup")["Action"].remove("s3:ReplicateDelete")
add("s3r708-no-replicate-delete", [E("S3R708", "/role/Statement")], role=p)

p = role_policy(); p["Statement"].append({"Sid": "NoDeletes", "Effect": "Deny", "Action": "s3:ReplicateDelete", "Resource": DST + "/*"})
add("s3r708-denied-explicitly", [E("S3R708", "/role/Statement/5", "s3:ReplicateDelete")], role=p)

p = role_policy(); stmt(p, "ReplicateToBackup")["Action"].remove("s3:ReplicateTags")
add("s3r709-no-replicate-tags", [E("S3R709", "/role/Statement")], role=p)

p = role_policy(); stmt(p, "ReplicateToBackup")["Action"].remove("s3:ObjectOwnerOverrideToBucketOwner")
add("s3r710-no-owner-override", [E("S3R710", "/role/Statement")], role=p)

p = role_policy(); p["Statement"] = [s for s in p["Statement"] if s["Sid"] != "DecryptSourceObjects"]
add("s3r711-no-source-decrypt", [E("S3R711", "/role/Statement")], role=p)

p = role_policy(); stmt(p, "EncryptReplicas")["Action"].remove("kms:Encrypt")
add("s3r712-no-replica-encrypt", [E("S3R712", "/role/Statement/4/Action", "kms:GenerateDataKey")], role=p)

p = role_policy(); stmt(p, "EncryptReplicas")["Action"].remove("kms:GenerateDataKey")
add("s3r713-no-generate-data-key", [E("S3R713", "/role/Statement")], role=p)

p = role_policy(); stmt(p, "DecryptSourceObjects")["Condition"]["StringLike"]["kms:ViaService"] = "s3.us-west-2.amazonaws.com"
add("s3r714-via-service-swapped", [E("S3R714", "/role/Statement/3/Condition/StringLike/kms:ViaService", "s3.us-west-2.amazonaws.com")], role=p)

ctx_bk = {"sourceBucket": "acme-logs-use1", "sourceRegion": "us-east-1", "sourceKmsKeys": [SKEY], "sourceBucketKeys": True, "objectLock": False,
          "destinations": {"acme-backup-usw2": {"region": "us-west-2", "account": "444455556666", "defaultEncryption": "SSE-KMS"}}}
add("s3r715-object-context-with-bucket-keys", [E("S3R715", "/role/Statement/3/Condition/StringLike/kms:EncryptionContext:aws:s3:arn", SRC + "/ledger/*")], context=ctx_bk, role=role_policy())

p = role_policy(); stmt(p, "EncryptReplicas")["Condition"]["StringLike"]["kms:EncryptionContext:aws:s3:arn"] = [DST + "/ledger/*"]
add("s3r715-bucket-keys-unknown-warning", [E("S3R715", "/role/Statement/4/Condition", DST + "/ledger/*")], role=p)

ctx_ol = dict(ctx_bk); ctx_ol["sourceBucketKeys"] = False; ctx_ol["objectLock"] = True
add("s3r716-object-lock-reads", [E("S3R716", "/role/Statement"), E("S3R716", "/role/Statement")], context=ctx_ol, role=role_policy())

p = role_policy(); p["Statement"].append({"Sid": "Everything", "Effect": "Allow", "Action": "s3:*", "Resource": SRC + "/*"})
add("s3r720-service-wildcard", [E("S3R720", "/role/Statement/5/Action", '"s3:*"')], role=p)

p = role_policy(); p["Statement"].append({"Sid": "AllButIam", "Effect": "Allow", "NotAction": "iam:*", "Resource": SRC + "/*"})
add("s3r720-allow-not-action", [E("S3R720", "/role/Statement/5", "NotAction")], role=p)

p = role_policy(); stmt(p, "ReplicateToBackup")["Resource"] = "*"
add("s3r721-resource-star", [E("S3R721", "/role/Statement/2/Resource", '"*"')], role=p)

b = bucket_policy(); stmt(b, "ReplicationRoleObjects")["Action"].remove("s3:ReplicateDelete")
add("s3r730-bucket-policy-no-replicate-delete", [E("S3R730", "/bucketPolicy/Statement/0/Action", "s3:ReplicateTags")], bucketPolicy=b)

b = bucket_policy(); b["Statement"] = b["Statement"][:2]
add("s3r731-bucket-policy-no-owner-override", [E("S3R731", "/bucketPolicy/Statement")], bucketPolicy=b)

k = key_policy(); k["Statement"] = k["Statement"][:1]
add("s3r732-replica-key-policy-root-only", [E("S3R732", "/keyPolicies/0/Statement/0/Principal", "444455556666:root")], keyPolicies=[k])

k = key_policy(); stmt(k, "AllowSourceReplicationRole")["Condition"]["StringEquals"]["kms:ViaService"] = "s3.us-east-1.amazonaws.com"
add("s3r732-key-policy-via-service-region", [E("S3R732", "/keyPolicies/0/Statement/1/Condition/StringEquals/kms:ViaService", "s3.us-east-1.amazonaws.com")], keyPolicies=[k])

k = key_policy(); stmt(k, "AllowSourceReplicationRole")["Principal"] = {"AWS": "arn:aws:iam::111122223333:root"}
add("correct-key-policy-account-principal", [], keyPolicies=[k])

# The role's account root delegates to IAM: the key policy side is complete (the role's own
# policy must grant the action, which the role audit checks), even when the context's
# sourceAccount contradicts the Role ARN's account (S3R103 reports that).
k = key_policy(); k["Statement"] = k["Statement"][:1] + [{"Sid": "DelegateToSourceAccount", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]
ctx_sa = {"sourceBucket": "acme-logs-use1", "sourceRegion": "us-east-1", "sourceAccount": "999999999999", "sourceKmsKeys": [SKEY], "sourceBucketKeys": False, "objectLock": False,
          "destinations": {"acme-backup-usw2": {"region": "us-west-2", "account": "444455556666", "defaultEncryption": "SSE-KMS"}}}
add("correct-key-policy-root-delegation", [], keyPolicies=[k])
add("correct-key-policy-root-of-role-account", [], context=ctx_sa, keyPolicies=[k])

BSRC = "arn:aws:s3:::acme-reports-use1"; BDST = "arn:aws:s3:::acme-reports-usw2"
def batch_role(initiate=True, inventory=True):
    st = [
        {"Effect": "Allow", "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"] + (["s3:PutInventoryConfiguration"] if inventory else []), "Resource": BSRC},
        {"Effect": "Allow", "Action": ["s3:GetObjectVersion*", "s3:GetObjectRetention", "s3:GetObjectLegalHold"] + (["s3:InitiateReplication"] if initiate else []), "Resource": BSRC + "/*"},
        {"Effect": "Allow", "Action": "s3:Replicate*", "Resource": BDST + "/*"},
    ]
    return {"Version": "2012-10-17", "Statement": st}
add("correct-batch-wildcard-actions", [], config="batch", role=batch_role(), trust=trust("s3.amazonaws.com", "batchoperations.s3.amazonaws.com"))
add("s3r740-no-initiate-replication", [E("S3R740", "/role/Statement/1/Action", "s3:GetObjectLegalHold"), E("S3R740", "/role/Statement/1/Action", "s3:GetObjectLegalHold")], config="batch", role=batch_role(initiate=False))
add("s3r741-trust-without-batch", [E("S3R741", "/trust/Statement")], config="batch", trust=trust("s3.amazonaws.com"))
add("s3r742-no-inventory", [E("S3R742", "/role/Statement/0/Action", "s3:ListBucket")], config="batch", role=batch_role(inventory=False))

t = {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": ["s3.amazonaws.com"]}, "Action": ["sts:AssumeRole"]}}
add("correct-trust-statement-object", [], trust=t)

# Same account: a destination bucket policy that grants the role is enough (IAM allows what
# either the identity or the resource policy allows); a write neither grants is still missing.
SSRC = "arn:aws:s3:::acme-logs-use1"; SDST = "arn:aws:s3:::acme-logs-copy-use1"
SROLE = "arn:aws:iam::111122223333:role/service-role/s3-srr-logs"
def srr_role():
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"], "Resource": SSRC},
        {"Effect": "Allow", "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], "Resource": SSRC + "/*"},
    ]}
def srr_bucket_policy(actions):
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "ReplicationWrites", "Effect": "Allow", "Principal": {"AWS": SROLE}, "Action": actions, "Resource": SDST + "/*"},
    ]}
add("correct-same-account-writes-in-bucket-policy", [], config="srr-same-account", role=srr_role(), bucketPolicy=srr_bucket_policy(["s3:ReplicateObject", "s3:ReplicateTags"]))
denying = srr_role(); denying["Statement"].append({"Effect": "Deny", "Action": "s3:ReplicateObject", "Resource": SDST + "/*"})
add("s3r707-same-account-role-denies-what-the-bucket-policy-grants", [E("S3R707", "/role/Statement/2")], config="srr-same-account", role=denying, bucketPolicy=srr_bucket_policy(["s3:ReplicateObject", "s3:ReplicateTags"]))
add("s3r709-same-account-bucket-policy-without-tags", [E("S3R709", "/role/Statement")], config="srr-same-account", role=srr_role(), bucketPolicy=srr_bucket_policy(["s3:ReplicateObject"]))

os.makedirs(OUT, exist_ok=True)
for n, f in fixtures.items():
    with open(os.path.join(OUT, n + ".json"), "w") as fh:
        json.dump(f, fh, indent=2)
        fh.write("\n")
print(len(fixtures))
