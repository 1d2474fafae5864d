//! `cdk.out/manifest.json`: the environment (`aws://<account>/<region>`) of each stack
//! `cdk synth` wrote. A template's pseudo parameters `AWS::Region` and `AWS::AccountId` are
//! that stack's, so its Region and account checks run without a deployment context.

use super::{InferredFact, SourceFile};
use crate::source::LineIndex;

/// The environment of one stack template, and where the manifest says so.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Environment {
    pub account: Option<String>,
    pub region: Option<String>,
    pub fact: Option<(String, u32, String)>,
}

/// Whether a file is a CDK cloud assembly manifest (not a template).
pub fn is_manifest(f: &SourceFile) -> bool {
    let name = f.path.rsplit(['/', '\\']).next().unwrap_or(&f.path);
    name == "manifest.json" && f.text.contains("\"artifacts\"")
}

/// The environment the manifests among `files` give the template `template` (by file name).
pub fn environment(files: &[SourceFile], template: &SourceFile) -> Environment {
    let name = template
        .path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(&template.path);
    for m in files.iter().filter(|f| is_manifest(f)) {
        // Manifests are small and machine-written; an unreadable one is simply not used.
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&m.text) else {
            continue;
        };
        let Some(artifacts) = v["artifacts"].as_object() else {
            continue;
        };
        for (stack, a) in artifacts {
            if a["type"] != "aws:cloudformation:stack"
                || a["properties"]["templateFile"].as_str() != Some(name)
            {
                continue;
            }
            let Some(env) = a["environment"].as_str() else {
                continue;
            };
            let (account, region) = parse(env);
            let at = format!("\"{stack}\"");
            let line = m.text.find(&at).map_or(1, |i| {
                LineIndex::new(&m.text).position(&m.text, i as u32).line
            });
            return Environment {
                account,
                region,
                fact: Some((
                    m.path.clone(),
                    line,
                    format!("manifest.json: artifacts.{stack}.environment"),
                )),
            };
        }
    }
    Environment::default()
}

/// `aws://123456789012/eu-west-1`; `unknown-account`/`unknown-region` (an environment-agnostic
/// stack) and anything malformed stay unknown.
fn parse(env: &str) -> (Option<String>, Option<String>) {
    let Some(rest) = env.strip_prefix("aws://") else {
        return (None, None);
    };
    let (account, region) = rest.split_once('/').unwrap_or((rest, ""));
    let account = crate::arn::is_account_id(account).then(|| account.to_string());
    let region = crate::arn::looks_like_region(region).then(|| region.to_string());
    (account, region)
}

impl Environment {
    /// The facts it states, as the report lists them.
    pub fn facts(&self) -> Vec<InferredFact> {
        let Some((file, line, from)) = &self.fact else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (field, value) in [
            ("sourceRegion", &self.region),
            ("sourceAccount", &self.account),
        ] {
            if let Some(v) = value {
                out.push(InferredFact {
                    field: field.to_string(),
                    value: v.clone(),
                    file: file.clone(),
                    line: *line,
                    from: from.clone(),
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn environments() {
        assert_eq!(
            parse("aws://111122223333/eu-west-1"),
            (Some("111122223333".into()), Some("eu-west-1".into()))
        );
        assert_eq!(parse("aws://unknown-account/unknown-region"), (None, None));
        assert_eq!(
            parse("aws://111122223333/"),
            (Some("111122223333".into()), None)
        );
        assert_eq!(parse("nonsense"), (None, None));
    }
}
