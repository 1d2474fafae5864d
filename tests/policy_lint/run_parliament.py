#!/usr/bin/env python3
"""Run parliament (the IAM policy linter from PyPI) on every generated golden policy.

Reads tests/golden/policies/*.json (PolicySet documents written by core/tests/policies.rs)
and lints each document's policy. Exits 1 when parliament reports a finding that means the
policy is wrong for IAM: an unknown action or service prefix, a condition key the action
does not support, a resource of the wrong type for the action, or a malformed document.
Other findings (for example RESOURCE_STAR on KMS key policies, whose Resource is always "*")
are printed for information only.

Install: python3 -m pip install parliament==1.6.4
Usage:   python3 tests/policy_lint/run_parliament.py [golden_dir]
         (tests/golden/emit holds policy sets too: the sources of the emitted code)
"""
import glob
import json
import os
import sys

FAIL_ON = {
    "UNKNOWN_ACTION",
    "UNKNOWN_PREFIX",
    "UNKNOWN_CONDITION_FOR_ACTION",
    "RESOURCE_MISMATCH",
    "INVALID_ARN",
    "MALFORMED",
    "MALFORMED_JSON",
    "UNKNOWN_OPERATOR",
    "MISMATCHED_TYPE",
    "DUPLICATE_SID",
    "INVALID_SID",
    "INVALID_VERSION",
    "EXCEPTION",
}

# Documents whose policy is an identity or resource policy parliament understands.
# (Trust policies have no Resource; parliament's resource checks do not apply to them.)
KINDS = {"role-permissions", "batch-replication", "destination-bucket-policy", "kms-key-policy", "deployer"}


def sample(token, what):
    """A value of the right shape for a placeholder, so parliament checks what surrounds it."""
    t = (token + " " + what).upper()
    if "PARTITION" in t:
        return "aws"
    if "REGION" in t:
        return "us-east-1"
    if "KEY" in t:
        return "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-000000000000"
    if "ROLE" in t:
        return "arn:aws:iam::111122223333:role/replication"
    if "ACCOUNT" in t:
        return "111122223333"
    return "example-bucket"


def fill(text, placeholders):
    for p in sorted(placeholders, key=lambda p: -len(p["token"])):
        # Inside JSON strings: the sample must stay a valid JSON string body.
        text = text.replace(p["token"], sample(p["token"], p.get("what", "")))
    return text


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    golden = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "golden", "policies")
    try:
        from parliament import analyze_policy_string
    except ImportError:
        print("parliament is not installed: python3 -m pip install parliament==1.6.4", file=sys.stderr)
        return 2

    files = sorted(glob.glob(os.path.join(golden, "*.json")))
    if not files:
        print(f"no golden policy files in {golden}", file=sys.stderr)
        return 2
    checked = failed = infos = 0
    for path in files:
        with open(path, encoding="utf-8") as fh:
            policy_set = json.load(fh)
        if policy_set.get("synthetic"):
            # Hand-made sets that test an emitter's escaping (tests/golden/emit), not IAM.
            continue
        for doc in policy_set.get("documents", []):
            if doc.get("kind") not in KINDS:
                continue
            checked += 1
            text = fill(json.dumps(doc["policy"]), policy_set.get("placeholders", []))
            result = analyze_policy_string(text)
            for f in result.findings:
                where = f"{os.path.basename(path)} [{doc['kind']}] {doc.get('title', '')}"
                line = f"{f.issue}: {f.detail} {f.location if f.location else ''}".strip()
                if f.issue in FAIL_ON:
                    failed += 1
                    print(f"FAIL {where}: {line}")
                else:
                    infos += 1
                    print(f"info {where}: {line}")
    print(f"parliament: {checked} policies checked, {failed} failing findings, {infos} informational")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
