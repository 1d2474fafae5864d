"use strict";
// The help texts of the command and its subcommands.
const { PROG, VERSION } = require("./args.cjs");

const HELP = {
  main: `${PROG} ${VERSION}: lint Amazon S3 replication configurations and generate the
IAM, KMS and bucket policies they need.

Usage: ${PROG} <command> [options] [FILE...]

Commands:
  check      check configurations (XML, AWS CLI JSON, CloudFormation, Terraform, plans)
  policies   generate the policies a configuration needs
  audit      compare your policies with what a configuration needs
  simulate   follow one object through the rules: replicated where, how, by which rule
  explain    describe what a configuration replicates, in plain language
  convert    convert between XML and AWS CLI JSON, or a template/module to either
  rules      list the rules, or show the documentation of one

Options:
  -h, --help      show help (also after a command: ${PROG} check --help)
  -V, --version   print the version

A FILE of "-" reads standard input. Exit codes: 0 no errors, 1 errors found,
2 usage or I/O problem.`,
  check: `Usage: ${PROG} check [--context FILE] [--format text|json|sarif] [--input KIND]
                           [--recursive] [--fail-on error|warning] FILE|DIR...

Check each FILE: an XML PutBucketReplication body, AWS CLI JSON, a CloudFormation template
(YAML or JSON, also cdk.out/*.template.json), a Terraform file (.tf or .tf.json, also
cdktf's cdk.tf.json) or a Terraform plan (terraform show -json). A DIR is a Terraform module
(all its .tf and .tf.json files, the local modules it calls and, after terraform init,
the modules .terraform/modules/modules.json says it installed) plus each template, plan or
replication document in it (a project's other JSON and YAML files are skipped; a cdk.out's
nested Stages are read too). "-" = stdin. In templates and modules a comment
"s3-replication-lint: ignore S3R315" on a finding's line (or alone above it) turns it off. Facts the code states (Regions, versioning, Bucket Keys, ...) are read
from it; --context overrides them.

Options:
  --context FILE    deployment context (JSON: Regions, accounts, keys, ...)
  --format FORMAT   text (code frames, default), json (array of diagnostics, each with
                    "file", and "configuration" for templates and modules), sarif
                    (SARIF 2.1.0 for GitHub code scanning)
  --input KIND      read every FILE as xml, json, cloudformation, terraform or
                    terraform-plan instead of detecting it
  --recursive       read every directory below each DIR too (not hidden ones or
                    node_modules): each Terraform root module with the modules it calls,
                    each template, plan and document, each cdk.out
  --fail-on LEVEL   exit 1 on errors (error, the default) or on warnings too (warning)
  -h, --help        show this help

Exit codes: 0 no errors (warnings allowed unless --fail-on warning), 1 at least one error
(or warning), 2 usage or I/O problem.`,
  policies: `Usage: ${PROG} policies [--context FILE] [--as json|terraform|cloudformation]
                              [--out DIR] FILE|DIR

Generate the role permissions, trust, KMS key and destination bucket policies FILE needs.
Prints the policy set as JSON, or with --out writes one <kind>.json per document to DIR.
With --as terraform or cloudformation: the same policies as code (policies.tf, or the
template policies.yaml, with --out), with variables or parameters for what is unknown.
For a template, Terraform module (DIR) or plan: one policy set per configuration, from the
facts the code states (--context overrides them); with several, JSON is one object keyed by
configuration and --out writes one subdirectory per configuration.

Options:
  --context FILE    deployment context (fills in what the document does not say)
  --as FORMAT       json (default), terraform or cloudformation
  --out DIR         write the documents to DIR (created if missing)
  -h, --help        show this help`,
  audit: `Usage: ${PROG} audit [--context FILE] [--role FILE] [--trust FILE]
                            [--key-policy FILE]... [--bucket-policy FILE]
                            [--format text|json|sarif] FILE

Compare your existing policies (JSON files) with what the configuration FILE needs.

Options:
  --role FILE            permissions policy of the replication role
  --trust FILE           trust policy of the replication role
  --key-policy FILE      key policy of a source or replica KMS key (repeatable)
  --bucket-policy FILE   bucket policy of the destination bucket
  --context FILE         deployment context
  --format FORMAT        text (default), json or sarif
  -h, --help             show this help

Exit codes: 0 no errors, 1 errors found (or FILE unreadable as a configuration), 2 usage.`,
  convert: `Usage: ${PROG} convert --to xml|json [--input KIND] FILE|DIR

Convert FILE to canonical S3 XML or to AWS CLI JSON and print it. A CloudFormation template,
Terraform file or directory (module) or plan is written as the document each of its
configurations deploys; values the code does not fix appear as \${expression}. With several
configurations, XML documents follow one another, each after a comment naming it, and JSON is
one object keyed by configuration.

Options:
  --to FORMAT   xml or json (required)
  --input KIND  read FILE as cloudformation, terraform or terraform-plan
  -h, --help    show this help

Exit codes: 0 converted, 1 the document has errors that block conversion, 2 usage.`,
  simulate: `Usage: ${PROG} simulate --key KEY [--tag KEY=VALUE]... [--encryption ENC]
                               [--delete-marker] [--replica] [--context FILE]
                               [--format text|json] [--configuration ADDRESS] FILE|DIR

Follow one object through the rules of the configuration FILE ("-" = stdin; a template,
Terraform module DIR or plan is read as the configuration it deploys): for each
destination bucket, whether the object is replicated, by which rule (and which other rules
also matched and lost), with what storage class, replica key, owner and RTC; for each rule,
whether it matched and why (not).

Options:
  --key KEY           the object key (required)
  --tag KEY=VALUE     a tag the object had when it was uploaded (repeatable)
  --encryption ENC    none (default), SSE-S3, SSE-KMS, DSSE-KMS or SSE-C
  --delete-marker     the version is a delete marker
  --replica           the object was itself written by replication
  --context FILE      deployment context (Regions and accounts of the buckets, ...)
  --format FORMAT     text (default) or json (the API's Simulation object)
  --configuration ADDRESS  which configuration of a template or module (when several)
  -h, --help          show this help

Exit codes: 0 simulated (whatever the answer), 1 FILE is not a readable configuration,
2 usage or I/O problem.`,
  explain: `Usage: ${PROG} explain [--context FILE] [--format text|json] [--configuration ADDRESS] FILE|DIR

Describe the configuration FILE ("-" = stdin; a template, Terraform module DIR or plan is
read as the configuration it deploys) in plain language: one sentence per rule, destination
by destination, then what no rule replicates.

Options:
  --context FILE      deployment context (Regions and accounts of the buckets, ...)
  --format FORMAT     text (default) or json (the API's Explanation object)
  --configuration ADDRESS  which configuration of a template or module (when several)
  -h, --help          show this help

Exit codes: 0 explained, 1 FILE is not a readable configuration, 2 usage or I/O problem.`,
  rules: `Usage: ${PROG} rules [--format text|json] [CODE]

List every rule (code, severity, name, summary), or print the documentation of CODE
(a code such as S3R201 or a rule name).

Options:
  --format FORMAT   text (default) or json
  -h, --help        show this help`,
};

module.exports = { HELP };
