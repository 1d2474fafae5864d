//! What language a file is written in: a PutBucketReplication document (XML or AWS CLI
//! JSON), a CloudFormation template, a Terraform module file or a Terraform plan. Always
//! compiled (the npm core module routes files with it); the readers of the last three are in
//! `iac` (feature `iac`).

use serde::Serialize;

/// The languages a file can be read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum InputKind {
    /// A PutBucketReplication body (XML) or the AWS CLI's JSON.
    Api,
    // kebab-case would say `cloud-formation`; every other place says `cloudformation`.
    #[serde(rename = "cloudformation")]
    CloudFormation,
    Terraform,
    TerraformPlan,
}

impl InputKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::Api => "api",
            InputKind::CloudFormation => "cloudformation",
            InputKind::Terraform => "terraform",
            InputKind::TerraformPlan => "terraform-plan",
        }
    }

    /// What it is, in a sentence: "CloudFormation template", ...
    pub fn describe(self) -> &'static str {
        match self {
            InputKind::Api => "PutBucketReplication document",
            InputKind::CloudFormation => "CloudFormation template",
            InputKind::Terraform => "Terraform file",
            InputKind::TerraformPlan => "Terraform plan",
        }
    }

    pub fn parse(name: &str) -> Option<InputKind> {
        Some(match name {
            "api" | "xml" | "json" => InputKind::Api,
            "cloudformation" | "cfn" => InputKind::CloudFormation,
            "terraform" | "tf" | "hcl" => InputKind::Terraform,
            "terraform-plan" | "plan" => InputKind::TerraformPlan,
            _ => return None,
        })
    }
}

/// Guess the language of a file from its name and content.
pub fn detect(path: &str, text: &str) -> InputKind {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".tf")
        || lower.ends_with(".tf.json")
        || lower.ends_with(".tfvars")
        || lower.ends_with(".tfvars.json")
        // `terraform init`'s manifest of the modules it installed.
        || lower.replace('\\', "/").ends_with(".terraform/modules/modules.json")
    {
        return InputKind::Terraform;
    }
    // The first 64 KiB, cut on a character boundary.
    let mut cut = text.len().min(64 * 1024);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &text[..cut];
    let body = head.trim_start_matches('\u{feff}').trim_start();
    if body.starts_with('<') && !lower.ends_with(".tf") {
        return InputKind::Api;
    }
    let json = body.starts_with('{');
    if json
        && head.contains("\"format_version\"")
        && (head.contains("\"planned_values\"")
            || head.contains("\"resource_changes\"")
            || head.contains("\"terraform_version\""))
    {
        return InputKind::TerraformPlan;
    }
    let key = |k: &str| {
        if json {
            has_json_key(head, k)
        } else {
            has_yaml_key(head, k)
        }
    };
    if key("AWSTemplateFormatVersion") || key("Resources") {
        return InputKind::CloudFormation;
    }
    if lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".template") {
        return InputKind::CloudFormation;
    }
    if json && looks_like_terraform_json(head) {
        return InputKind::Terraform;
    }
    if !json && looks_like_hcl(head) {
        return InputKind::Terraform;
    }
    InputKind::Api
}

/// `"key"` used as a member name (followed by `:`), not as a value.
fn has_json_key(text: &str, key: &str) -> bool {
    let quoted = format!("\"{key}\"");
    text.match_indices(&quoted)
        .any(|(i, _)| text[i + quoted.len()..].trim_start().starts_with(':'))
}

fn has_yaml_key(text: &str, key: &str) -> bool {
    text.lines().any(|l| {
        l.strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with(':'))
    })
}

fn looks_like_hcl(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start();
        [
            "resource \"",
            "provider \"",
            "variable \"",
            "module \"",
            "data \"",
            "locals {",
            "terraform {",
        ]
        .iter()
        .any(|p| l.starts_with(p))
    })
}

/// Terraform's JSON syntax (`cdktf synth` output, a pasted `.tf.json`): every top-level
/// property is one of Terraform's top-level block types (`"//"` a comment), and one of them
/// declares something. The API's JSON has `Role`/`Rules`, a template `Resources`, a plan
/// `format_version`.
fn looks_like_terraform_json(text: &str) -> bool {
    const BLOCKS: [&str; 13] = [
        "resource",
        "data",
        "provider",
        "terraform",
        "variable",
        "output",
        "locals",
        "module",
        "moved",
        "import",
        "removed",
        "check",
        "ephemeral",
    ];
    let keys = top_level_keys(text);
    keys.iter().any(|k| {
        matches!(
            *k,
            "resource" | "data" | "provider" | "terraform" | "module" | "variable"
        )
    }) && keys.iter().all(|k| *k == "//" || BLOCKS.contains(k))
}

/// The property names of the JSON object `text` starts with (as far as `text` goes; the
/// names are not unescaped, which Terraform's never need).
fn top_level_keys(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    // At depth 1, a string right after `{` or `,` is a key.
    let mut expect_key = false;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => {
                depth += 1;
                expect_key = depth == 1 && bytes[i] == b'{';
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            b',' => expect_key = depth == 1,
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if expect_key {
                    if let Some(k) = text.get(start..i.min(text.len())) {
                        keys.push(k);
                    }
                    expect_key = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    keys
}
