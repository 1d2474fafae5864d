//! Codes the parsers emit (S3R001-S3R099): the XML and JSON parsers, the schema-driven
//! lowering and the template front ends report them while building the model.

const MALFORMED_XML: &str = "MalformedXML: The XML you provided was not well-formed or did not validate against our published schema";

declare_rule! {
    pub static MALFORMED {
        code: "S3R001",
        name: "malformed-document",
        severity: Error,
        confidence: Observed,
        s3_error: MALFORMED_XML,
        summary: "The document is not well-formed XML or JSON, or its root is not a ReplicationConfiguration",
        reported_by: Parser,
        docs: r#"## What it does
Reports syntax errors: unclosed or mismatched tags, stray characters, invalid JSON, a root
element other than `ReplicationConfiguration`, characters XML forbids (such as NUL), and
invalid UTF-8.

## Why it matters
S3 refuses the whole request with `400 MalformedXML`; the AWS CLI refuses invalid JSON before
sending anything.

## Example
```xml
<ReplicationConfiguration>
  <Role>arn:aws:iam::111122223333:role/replication</Role>
  <Rule><Status>Enabled</Status>
</ReplicationConfiguration>
```

## Fix
Close every element you open, in order; keep one root element.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html
- https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
"#,
    }
}

declare_rule! {
    pub static UNKNOWN_MEMBER {
        code: "S3R002",
        name: "unknown-member",
        severity: Error,
        confidence: Observed,
        s3_error: "XML: MalformedXML. AWS CLI: Unknown parameter in ReplicationConfiguration.Rules[0]: \"X\", must be one of: ...",
        summary: "An element or JSON member that the ReplicationConfiguration schema does not have",
        reported_by: Parser,
        docs: r#"## What it does
Flags names the schema does not allow at that place, suggests the closest allowed name and
lists the allowed ones. CloudFormation spellings (`Id`, `TagFilter`, `TagFilters`) and the
XML/JSON list names (`<Rules>` in XML, `"Rule"` in JSON) get a dedicated explanation.

## Why it matters
S3 validates the XML against its schema and answers `MalformedXML`; the AWS CLI rejects
unknown JSON members client-side.
The answers: XML: MalformedXML. AWS CLI: Unknown parameter in ReplicationConfiguration.Rules[0]: "X", must be one of: ... (the CLI refuses before sending).

## Example
```json
{ "Role": "arn:aws:iam::111122223333:role/r",
  "Rules": [ { "Id": "all", "Status": "Enabled", "Destination": { "Bucket": "arn:aws:s3:::dst" } } ] }
```

## Fix
Use the S3 API names: `ID`, `Tag`, `And.Tags`; in XML repeat `<Rule>` without a wrapper.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html
"#,
    }
}

declare_rule! {
    pub static MISSING_MEMBER {
        code: "S3R003",
        name: "missing-required-member",
        severity: Error,
        confidence: Observed,
        s3_error: "AWS CLI: Missing required parameter in ReplicationConfiguration.Rules[0]: \"Status\"; XML: MalformedXML",
        summary: "A member the schema requires is absent (Role, Rule, Status, Destination, Bucket, ...)",
        reported_by: Parser,
        docs: r#"## What it does
Checks that every required member is present: `Role`, at least one rule, each rule's `Status`
and `Destination`, `Destination/Bucket`, `Tag/Key` and `Tag/Value`, the `Status` of every
status block, `ReplicationTime/Time` and `AccessControlTranslation/Owner`.

## Why it matters
The AWS CLI stops with "Missing required parameter"; S3 answers `MalformedXML`.

## Example
```xml
<Rule><ID>r1</ID><Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination></Rule>
```

## Fix
Add the member; for `Status` that is usually `<Status>Enabled</Status>`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html
"#,
    }
}

declare_rule! {
    pub static WRONG_TYPE {
        code: "S3R004",
        name: "wrong-value-type",
        severity: Error,
        confidence: Observed,
        s3_error: "AWS CLI: Invalid type for parameter ReplicationConfiguration.Rules[0].Priority, value: 1, type: <class 'str'>, valid types: <class 'int'>",
        summary: "A value has the wrong type: text where a number belongs, an object where a string belongs, ...",
        reported_by: Parser,
        docs: r#"## What it does
Checks value types: `Priority` and `Minutes` are integers (JSON numbers, not strings), names
like `Bucket` hold text, blocks like `Destination` hold members, `Rules` is a list.

## Why it matters
The AWS CLI rejects mistyped JSON client-side; S3 rejects non-integer XML with
`MalformedXML`.

## Example
```json
{ "Priority": "1" }
```

## Fix
Write numbers without quotes: `"Priority": 1`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html
"#,
    }
}

declare_rule! {
    pub static REPEATED_MEMBER {
        code: "S3R005",
        name: "repeated-member",
        severity: Warning,
        confidence: Inferred,
        s3_error: MALFORMED_XML,
        summary: "An element that may appear once appears several times",
        reported_by: Parser,
        docs: r#"## What it does
Flags a second `<Role>`, `<Filter>`, `<Destination>`, `<Prefix>` directly in `<Filter>`, and
every other element the schema allows only once. The first one is kept for further checks.

## Why it matters
The published schema allows these elements once, so S3 most likely refuses the document with
`MalformedXML`; if it does not, it keeps one of the copies, and nothing says which. This is a
warning rather than an error because S3's response to this case has not been observed.
Evidence: searched public bug trackers (Terraform AWS provider, Pulumi, Crossplane, ACK, CDK,
LocalStack, moto) for S3's answer; none found.

## Example
```xml
<Filter><Prefix>a/</Prefix><Prefix>b/</Prefix></Filter>
```

## Fix
Keep one. To match several prefixes, write one rule per prefix, or use `Not`/`Or` to exclude.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRuleFilter.html
"#,
    }
}

declare_rule! {
    pub static SIZE_LIMIT {
        code: "S3R006",
        name: "document-limits",
        severity: Error,
        confidence: Documented,
        s3_error: "The maximum size of a replication configuration is 2 MB",
        summary: "The document exceeds S3's 2 MB limit, or the nesting depth or node count this tool accepts",
        reported_by: Parser,
        docs: r#"## What it does
Reports documents over 2 MB (S3's limit), nesting deeper than any valid configuration can be,
and inputs so large that checking them is refused to keep the editor responsive.

## Why it matters
S3 refuses configurations over 2 MB. Deep nesting or millions of nodes are never a valid
configuration; they are usually a paste accident or hostile input.

## Example
A 3 MB document with 10,000 rules.

## Fix
Stay within 1,000 rules and 2 MB; merge rules that share a destination and settings.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationConfiguration.html
"#,
    }
}

declare_rule! {
    pub static FORBIDDEN_MARKUP {
        code: "S3R007",
        name: "forbidden-markup",
        severity: Error,
        confidence: Inferred,
        s3_error: MALFORMED_XML,
        summary: "A DOCTYPE or an entity other than the five predefined XML entities",
        reported_by: Parser,
        docs: r#"## What it does
Refuses `<!DOCTYPE ...>` declarations and entity references other than `&lt;`, `&gt;`,
`&amp;`, `&apos;`, `&quot;` and character references.

## Why it matters
Document type declarations enable entity expansion attacks ("billion laughs") and external
entity reads. A replication configuration never needs them; this tool never expands them.
Evidence: searched public bug trackers (Terraform AWS provider, Pulumi, Crossplane, ACK, CDK,
LocalStack, moto) for S3's answer; none found.

## Example
```xml
<!DOCTYPE r [<!ENTITY a "aaaa">]>
<ReplicationConfiguration><Role>&a;</Role></ReplicationConfiguration>
```

## Fix
Remove the DOCTYPE and write the text out.

## References
- https://owasp.org/www-community/vulnerabilities/XML_External_Entity_(XXE)_Processing
"#,
    }
}

declare_rule! {
    pub static NAMESPACE {
        code: "S3R008",
        name: "xml-namespace",
        severity: Warning,
        confidence: Inferred,
        s3_error: MALFORMED_XML,
        summary: "The root element declares a namespace other than S3's",
        reported_by: Parser,
        docs: r#"## What it does
Checks that `xmlns` on `<ReplicationConfiguration>` is absent or exactly
`http://s3.amazonaws.com/doc/2006-03-01/`.

## Why it matters
Elements in another namespace are not S3's elements, so a namespace-aware parser will not
find any of them and S3 would answer `MalformedXML`. This is a warning, not an error, because
S3's handling of a wrong namespace has not been observed. Omitting the namespace is fine:
AWS's own examples do.
Evidence: searched public bug trackers (Terraform AWS provider, Pulumi, Crossplane, ACK, CDK,
LocalStack, moto) for S3's answer; none found.

## Example
```xml
<ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01">
```

## Fix
Use `xmlns="http://s3.amazonaws.com/doc/2006-03-01/"` (with the trailing slash) or drop it.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html
"#,
    }
}

declare_rule! {
    pub static ATTRIBUTE {
        code: "S3R009",
        name: "xml-attribute",
        severity: Warning,
        confidence: Inferred,
        s3_error: MALFORMED_XML,
        summary: "An XML attribute other than xmlns; the schema has none",
        reported_by: Parser,
        docs: r#"## What it does
Flags attributes such as `<Rule id="x">`. Values belong in child elements.

## Why it matters
The S3 schema defines no attributes. S3 may refuse the document (`MalformedXML`) or ignore
the attribute, which silently drops the value you meant to set; either way it is not doing
what the text suggests. A warning, because S3's response has not been observed.
Evidence: searched public bug trackers (Terraform AWS provider, Pulumi, Crossplane, ACK, CDK,
LocalStack, moto) for S3's answer; none found.

## Example
```xml
<Rule id="archive">
```

## Fix
Move the value into the matching element, e.g. `<ID>archive</ID>`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html
"#,
    }
}

declare_rule! {
    pub static UNEXPECTED_TEXT {
        code: "S3R010",
        name: "unexpected-text",
        severity: Warning,
        confidence: Inferred,
        s3_error: MALFORMED_XML,
        summary: "Text where only elements belong",
        reported_by: Parser,
        docs: r#"## What it does
Flags character data inside elements that only contain other elements, such as
`<Destination>arn:aws:s3:::dst</Destination>`.

## Why it matters
The schema has no mixed content: S3 either refuses the document (`MalformedXML`) or ignores
the text, in which case the value is simply missing (reported separately as an error when the
member is required). A warning, because S3's response to stray text has not been observed.
Evidence: searched public bug trackers (Terraform AWS provider, Pulumi, Crossplane, ACK, CDK,
LocalStack, moto) for S3's answer; none found.

## Example
```xml
<Destination>arn:aws:s3:::dst</Destination>
```

## Fix
Wrap the value in the element it belongs to: `<Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination>`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_Destination.html
"#,
    }
}

declare_rule! {
    pub static DUPLICATE_KEY {
        code: "S3R011",
        name: "duplicate-json-key",
        severity: Warning,
        confidence: Observed,
        summary: "The same JSON key twice in one object; the AWS CLI silently keeps only the last",
        reported_by: Parser,
        docs: r#"## What it does
Flags a key repeated in one JSON object, pointing at both occurrences.

## Why it matters
The AWS CLI's JSON reader keeps the last value and drops the others without a word, so a
setting you can see in the file is not the one sent. This tool also uses the last value.

## Example
```json
{ "Status": "Enabled", "Status": "Disabled" }
```

## Fix
Delete the copy you do not mean.

## References
- https://docs.python.org/3/library/json.html#repeated-names-within-an-object
"#,
    }
}

declare_rule! {
    pub static WRAPPED_OUTPUT {
        code: "S3R012",
        name: "get-bucket-replication-output",
        severity: Info,
        confidence: Observed,
        s3_error: "Unknown parameter in ReplicationConfiguration: \"ReplicationConfiguration\", must be one of: Role, Rules",
        summary: "The JSON is `get-bucket-replication` output; `put-bucket-replication` wants the inner object",
        reported_by: Parser,
        docs: r#"## What it does
Accepts `{"ReplicationConfiguration": {...}}`, checks the inner document, and tells you that
the wrapper must go before you pass the file to `put-bucket-replication`.

## Why it matters
Passing the wrapped form to `--replication-configuration` fails client-side with "Missing
required parameter ... Role".
The AWS CLI refuses the wrapper: `Unknown parameter in ReplicationConfiguration: "ReplicationConfiguration", must be one of: Role, Rules`.

## Example
```json
{ "ReplicationConfiguration": { "Role": "...", "Rules": [] } }
```

## Fix
Pass only the inner object, e.g. `jq .ReplicationConfiguration`.

## References
- https://docs.aws.amazon.com/cli/latest/reference/s3api/put-bucket-replication.html
"#,
    }
}

declare_rule! {
    pub static NO_CONFIGURATION {
        code: "S3R013",
        name: "no-configuration-found",
        severity: Info,
        confidence: Documented,
        summary: "A CloudFormation template, Terraform module or plan holds no replication configuration",
        reported_by: Parser,
        docs: r#"## What it does
Says when a template, module or plan was read without error but holds no replication
configuration: no `AWS::S3::Bucket` with `Properties.ReplicationConfiguration`, no
`aws_s3_bucket_replication_configuration` resource and no `replication_configuration` block
of an `aws_s3_bucket`, or none in a plan's `planned_values`.

## Why it matters
A CI step that checks the wrong file, or a module whose configuration sits in a remote child
module (or a local one whose files were not given), would otherwise pass in silence.

## Example
```yaml
Resources:
  Logs:
    Type: AWS::S3::Bucket
```

## Fix
Point the check at the files that declare the replication configuration.

## References
- https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-replicationconfiguration.html
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_replication_configuration
"#,
    }
}

declare_rule! {
    pub static UNSUPPORTED_CONSTRUCT {
        code: "S3R014",
        name: "iac-construct-not-followed",
        severity: Info,
        confidence: Documented,
        summary: "A Terraform or CloudFormation construct this tool does not evaluate (dynamic blocks, count, for_each, remote child modules)",
        reported_by: Parser,
        docs: r#"## What it does
Names the parts of a module or template whose replication rules cannot be read statically:
`dynamic "rule"` blocks, `count`/`for_each` on a replication resource or a module block (read
once), rules built by expressions, and child modules that are not read: remote sources
(registry, git, http, `s3::`...), local ones whose files are not among the inputs, cycles and
nesting deeper than 8. The rest of the configuration is still checked.

## Why it matters
What is not read is not checked; saying so beats a silent pass.

## Example
```hcl
resource "aws_s3_bucket_replication_configuration" "main" {
  bucket = "src"
  role   = "arn:aws:iam::111122223333:role/replication"
  dynamic "rule" {
    for_each = var.rules
    content {
      status = "Enabled"
    }
  }
}
```

## Fix
Check the plan instead (`terraform show -json plan.out`), where Terraform has expanded them.

## References
- https://developer.hashicorp.com/terraform/language/expressions/dynamic-blocks
- https://developer.hashicorp.com/terraform/internals/json-format
"#,
    }
}

declare_rule! {
    pub static IAC_VALUE_DROPPED {
        code: "S3R015",
        name: "terraform-value-dropped",
        severity: Warning,
        confidence: Documented,
        summary: "The AWS provider silently drops a value written in the module (filter precedence, V1 priority)",
        reported_by: Parser,
        docs: r#"## What it does
Reports values of an `aws_s3_bucket_replication_configuration` that the AWS provider does not
send: inside `filter`, a `tag` replaces `and`, and either replaces `prefix`; a rule-level
`prefix` next to a `filter` block is ignored; `priority` on a rule without `filter` (a V1
rule) is never sent.

## Why it matters
The configuration S3 receives is not the one the module shows: a rule meant for `logs/` with
tag `class=a` replicates every object tagged `class=a`.

## Example
```hcl
resource "aws_s3_bucket_replication_configuration" "main" {
  bucket = "src"
  role   = "arn:aws:iam::111122223333:role/replication"
  rule {
    status = "Enabled"
    filter {
      prefix = "logs/"
      tag {
        key   = "class"
        value = "a"
      }
    }
    delete_marker_replication {
      status = "Disabled"
    }
    destination {
      bucket = "arn:aws:s3:::dst"
    }
  }
}
```

## Fix
Write both conditions in `and { prefix = "logs/" tags = { class = "a" } }`; add `filter {}` to
rules that need a priority.

## References
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_replication_configuration
- https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/s3/bucket_replication_configuration.go
"#,
    }
}

declare_rule! {
    pub static INTERNAL_ERROR {
        code: "S3R099",
        name: "internal-error",
        severity: Error,
        confidence: Inferred,
        summary: "The linter itself failed; the document may be fine",
        reported_by: Host,
        docs: r#"## What it does
Reports a bug in this tool instead of crashing the page or the CLI.

## Why it matters
A diagnostic you can act on beats a dead editor. The document was not fully checked.

## Example
Not reproducible on purpose; please report the document that caused it.

## Fix
Report the input to the maintainers.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html
"#,
    }
}
