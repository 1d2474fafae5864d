#!/usr/bin/env python3
"""Check the policies emitted as code (tests/golden/emit, written by core/tests/emit.rs).

1. Parses every <case>.tf with python-hcl2, rebuilds each aws_iam_policy_document into IAM
   policy JSON and compares it with the policy of the same document in <case>.json (the
   policy set the code was emitted from). Variables map back to their placeholder token
   (var.source_bucket -> ${SOURCE_BUCKET}) and references to the value their binding names
   (the "bindings" of <case>.json), so any difference is a statement, action, resource or
   condition the Terraform would grant differently.
2. Runs cfn-lint on every <case>.yaml (fails on any error, E...). Resources named by the
   case's bindings are defined by the user's template, not this one: stand-ins for them are
   added to a copy before linting.
3. Runs `terraform fmt -check` on the .tf files when a terraform binary is on PATH.

Install: python3 -m pip install python-hcl2==8.1.4 cfn-lint==1.51.0
Usage:   python3 tests/policy_lint/check_emitted.py [golden_dir]
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile


class HclError(Exception):
    pass


# cfn-lint through this interpreter: a `pip install --user` may put its script off PATH.
CFN_LINT = [sys.executable, "-c", "import sys; from cfnlint.runner import main; sys.exit(main())"]

def expr_end(s, i):
    """Index of the `}` closing the interpolation whose body starts at i."""
    depth, quote = 0, False
    while i < len(s):
        c = s[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == '"':
                quote = False
        elif c == '"':
            quote = True
        elif c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    raise HclError(f"unclosed interpolation in {s!r}")


def template(s, refs):
    """The value of an HCL quoted template's inner text."""
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            n = s[i + 1]
            simple = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
            if n in simple:
                out.append(simple[n])
                i += 2
            elif n == "u":
                out.append(chr(int(s[i + 2 : i + 6], 16)))
                i += 6
            elif n == "U":
                out.append(chr(int(s[i + 2 : i + 10], 16)))
                i += 10
            else:
                raise HclError(f"unknown escape in {s!r}")
        elif s.startswith("$${", i) or s.startswith("%%{", i):
            out.append(s[i] + "{")
            i += 3
        elif s.startswith("${", i):
            end = expr_end(s, i + 2)
            out.append(expression(s[i + 2 : end].strip(), refs))
            i = end + 1
        elif s.startswith("%{", i):
            raise HclError(f"template directive in {s!r}")
        else:
            out.append(c)
            i += 1
    return "".join(out)


def expression(e, refs):
    if e.startswith('"') and e.endswith('"'):
        return template(e[1:-1], refs)
    if e.startswith("var."):
        return "${" + e[4:].upper() + "}"
    if e in refs:
        return refs[e]
    raise HclError(f"unknown reference {e}")


def value(raw, refs):
    """A python-hcl2 value: a quoted string, or ${expression} for a bare one."""
    if isinstance(raw, list):
        return [value(v, refs) for v in raw]
    if raw.startswith('"') and raw.endswith('"'):
        return template(raw[1:-1], refs)
    if raw.startswith("${") and raw.endswith("}"):
        return expression(raw[2:-1], refs)
    raise HclError(f"unexpected value {raw!r}")


def unquote(name):
    return name[1:-1] if name.startswith('"') and name.endswith('"') else name


def rebuild(block, refs):
    """IAM policy JSON from an aws_iam_policy_document body."""
    if "source_policy_documents" in block:
        docs = value(block["source_policy_documents"], refs)
        if len(docs) != 1 or set(block) - {"source_policy_documents", "__is_block__", "__comments__"}:
            raise HclError("unexpected source_policy_documents use")
        return json.loads(docs[0])
    policy = {}
    if "version" in block:
        policy["Version"] = value(block["version"], refs)
    if "policy_id" in block:
        policy["Id"] = value(block["policy_id"], refs)
    statements = []
    for st in block.get("statement", []):
        s = {}
        for key, name in (("sid", "Sid"), ("effect", "Effect")):
            if key in st:
                s[name] = value(st[key], refs)
        for key, name in (("actions", "Action"), ("not_actions", "NotAction"),
                          ("resources", "Resource"), ("not_resources", "NotResource")):
            if key in st:
                s[name] = value(st[key], refs)
        for key, name in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
            for p in st.get(key, []):
                kind, ids = value(p["type"], refs), value(p["identifiers"], refs)
                if kind == "*" and ids == ["*"]:
                    s[name] = "*"
                else:
                    s.setdefault(name, {}).setdefault(kind, []).extend(ids)
        for c in st.get("condition", []):
            op, var = value(c["test"], refs), value(c["variable"], refs)
            s.setdefault("Condition", {}).setdefault(op, {}).setdefault(var, []).extend(
                value(c["values"], refs))
        statements.append(s)
    policy["Statement"] = statements
    return policy


def normalize(v, key=None):
    """IAM's one-or-many: a lone string and a one-element list are the same."""
    if isinstance(v, dict):
        return {k: normalize(x, k) for k, x in v.items()}
    if isinstance(v, list):
        return [x if isinstance(x, str) else normalize(x) for x in v]
    if key in ("Principal", "NotPrincipal", "Version", "Id", "Sid", "Effect"):
        return v
    return [v]


def check_terraform(golden):
    import hcl2

    failed = checked = 0
    for tf in sorted(glob.glob(os.path.join(golden, "*.tf"))):
        base = os.path.basename(tf)
        with open(tf.removesuffix(".tf") + ".json", encoding="utf-8") as fh:
            twin = json.load(fh)
        refs = {b["terraform"]: b["value"] for b in twin.get("bindings", []) if b.get("terraform")}
        with open(tf, encoding="utf-8") as fh:
            parsed = hcl2.load(fh)
        blocks = []
        for data in parsed.get("data", []):
            for kind, named in data.items():
                if unquote(kind) == "aws_iam_policy_document":
                    blocks.extend(named.items())
        documents = twin.get("documents", [])
        if len(blocks) != len(documents):
            print(f"FAIL {base}: {len(blocks)} policy documents, {len(documents)} in the JSON")
            failed += 1
            continue
        for (name, body), doc in zip(blocks, documents):
            checked += 1
            try:
                got = rebuild(body, refs)
            except (HclError, ValueError, KeyError) as e:
                print(f"FAIL {base} {unquote(name)}: {e}")
                failed += 1
                continue
            if normalize(got) != normalize(doc["policy"]):
                print(f"FAIL {base} {unquote(name)} differs from its JSON policy:")
                print("  terraform:", json.dumps(got, ensure_ascii=False))
                print("  json:     ", json.dumps(doc["policy"], ensure_ascii=False))
                failed += 1
    print(f"python-hcl2: {checked} policy documents rebuilt, {failed} differing")
    return failed == 0


def stand_in(logical, values):
    """A resource for a logical ID the user's template defines, of the type its bound values
    name (a bucket ARN or name, a role ARN, a key ARN, or the placeholders standing for them)."""
    joined = " ".join(values)
    if ":s3:::" in joined or "SOURCE_BUCKET" in joined:
        body = "Type: AWS::S3::Bucket"
    elif (":iam::" in joined and ":role/" in joined) or "ROLE_ARN" in joined:
        body = ("Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n"
                "        Version: \"2012-10-17\"\n        Statement:\n          - Effect: Allow\n"
                "            Principal:\n              Service: s3.amazonaws.com\n"
                "            Action: sts:AssumeRole")
    elif ":kms:" in joined or "KMS_KEY" in joined:
        body = "Type: AWS::KMS::Key"
    else:
        body = "Type: AWS::SNS::Topic"
    return f"  {logical}:\n    {body}\n"


def check_cloudformation(golden):
    failed = 0
    files = sorted(glob.glob(os.path.join(golden, "*.yaml")))
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            with open(path.removesuffix(".yaml") + ".json", encoding="utf-8") as fh:
                twin = json.load(fh)
            # `Resources:` is the template's last section: stand-ins go at its end.
            # Pseudo parameters (`AWS::Partition`) are CloudFormation's own.
            bound = {}
            for b in twin.get("bindings", []):
                cfn = b.get("cloudformation")
                if cfn and not cfn[0].startswith("AWS::") and f"\n  {cfn[0]}:\n" not in text:
                    bound.setdefault(cfn[0], []).append(b["value"])
            for logical, values in bound.items():
                text += stand_in(logical, values)
            copy = os.path.join(tmp, os.path.basename(path))
            with open(copy, "w", encoding="utf-8") as fh:
                fh.write(text)
            run = subprocess.run(CFN_LINT + ["--format", "parseable", copy],
                                 capture_output=True, text=True)
            for line in run.stdout.splitlines():
                parts = line.split(":")
                rule = parts[5] if len(parts) > 5 else ""
                if rule.startswith("E"):
                    failed += 1
                    print(f"FAIL {os.path.basename(path)}: {line}")
                elif line.strip():
                    print(f"info {os.path.basename(path)}: {line}")
            if run.returncode not in (0, 2, 4, 6, 8, 10, 12, 14) and not run.stdout:
                failed += 1
                print(f"FAIL {os.path.basename(path)}: cfn-lint exited {run.returncode}: {run.stderr}")
    print(f"cfn-lint: {len(files)} templates, {failed} errors")
    return failed == 0


def check_fmt(golden):
    if shutil.which("terraform") is None:
        print("terraform fmt: skipped (no terraform on PATH)")
        return True
    run = subprocess.run(["terraform", "fmt", "-check", "-diff", golden],
                         capture_output=True, text=True)
    if run.returncode != 0:
        print(f"FAIL terraform fmt -check:\n{run.stdout}")
        return False
    print("terraform fmt: every .tf is formatted")
    return True


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    golden = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "golden", "emit")
    try:
        import hcl2  # noqa: F401
    except ImportError:
        print("python-hcl2 is not installed: python3 -m pip install python-hcl2==8.1.4", file=sys.stderr)
        return 2
    try:
        import cfnlint  # noqa: F401
    except ImportError:
        print("cfn-lint is not installed: python3 -m pip install cfn-lint==1.51.0", file=sys.stderr)
        return 2
    if not glob.glob(os.path.join(golden, "*.tf")):
        print(f"no emitted files in {golden}", file=sys.stderr)
        return 2
    ok = check_terraform(golden)
    ok = check_cloudformation(golden) and ok
    ok = check_fmt(golden) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
