//! Text -> syntax tree -> model (XML rules are lowered as soon as each is parsed). Format
//! detection, limits shared by both parsers, and the `get-bucket-replication` wrapper.

pub mod json;
pub mod xml;

use crate::catalogue::parse as codes;
use crate::diagnostic::Diagnostic;
use crate::lower::Lowerer;

use crate::model::{Document, Format};
use crate::source::Span;
use crate::syntax::{Content, Member, Node};

/// The result of parsing: the model (if the text was well-formed enough) and diagnostics.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub format: Format,
    pub document: Option<Document>,
    pub diagnostics: Vec<Diagnostic>,
}

/// S3's documented maximum size of a replication configuration.
pub const S3_MAX_BYTES: usize = 2 * 1024 * 1024;
/// Beyond this we refuse to parse at all (keeps memory and time bounded).
pub const HARD_MAX_BYTES: usize = 16 * 1024 * 1024;
/// A valid configuration nests 7 levels deep; anything far deeper is refused.
pub const MAX_DEPTH: usize = 32;
/// Upper bound on syntax nodes (10,000 rules of a realistic size fit easily).
pub const MAX_NODES: usize = 2_000_000;

/// Length of a leading UTF-8 byte order mark, if any.
pub fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        3
    } else {
        0
    }
}

pub fn detect(text: &str) -> Option<Format> {
    match text[bom_len(text)..].trim_start().as_bytes().first() {
        Some(b'<') => Some(Format::Xml),
        Some(b'{') | Some(b'[') => Some(Format::Json),
        _ => None,
    }
}

/// Parse and lower, diagnostics with byte spans only: the engine's `parse` and `check` (the
/// public ones) resolve line and column once for everything they report.
pub fn parse_unresolved(text: &str, format: Option<Format>) -> Parsed {
    let mut diagnostics = Vec::new();
    // A template, module or plan pasted where a PutBucketReplication document belongs: say
    // what it is and where it is read, instead of reporting its members as unknown.
    if format.is_none() {
        let kind = crate::input::detect("", text);
        if kind != crate::input::InputKind::Api {
            let at = text.len() - text[bom_len(text)..].trim_start().len();
            let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
            diagnostics.push(
                Diagnostic::new(
                    codes::MALFORMED.code,
                    codes::MALFORMED.severity,
                    Span::new(at, end),
                    "",
                    format!(
                        "This is a {}, not a PutBucketReplication document",
                        kind.describe()
                    ),
                )
                .with_help("Check it with `s3-replication-lint check FILE` (or a directory), or `checkFiles` in the npm package, which read templates, Terraform modules and plans."),
            );
            return Parsed {
                format: Format::Json,
                document: None,
                diagnostics,
            };
        }
    }
    let format = match format.or_else(|| detect(text)) {
        Some(f) => f,
        None => {
            let at = text.len() - text[bom_len(text)..].trim_start().len();
            let message = if text.trim().is_empty() {
                "The document is empty".to_string()
            } else {
                "This is neither XML (starts with `<`) nor JSON (starts with `{`)".to_string()
            };
            let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            diagnostics.push(
                Diagnostic::new(codes::MALFORMED.code, codes::MALFORMED.severity, Span::new(at, end), "", message)
                    .with_help("Paste a PutBucketReplication XML body or the JSON given to `aws s3api put-bucket-replication --replication-configuration`."),
            );
            return Parsed {
                format: Format::Xml,
                document: None,
                diagnostics,
            };
        }
    };
    if text.len() > HARD_MAX_BYTES {
        diagnostics.push(Diagnostic::new(
            codes::SIZE_LIMIT.code,
            codes::SIZE_LIMIT.severity,
            Span::empty(0),
            "",
            format!(
                "The document is {} bytes; S3 accepts at most 2 MB and this tool refuses to check more than {} MB",
                text.len(),
                HARD_MAX_BYTES / (1024 * 1024)
            ),
        ));
        return Parsed {
            format,
            document: None,
            diagnostics,
        };
    }
    if text.len() > S3_MAX_BYTES {
        diagnostics.push(Diagnostic::new(
            codes::SIZE_LIMIT.code,
            codes::SIZE_LIMIT.severity,
            Span::empty(0),
            "",
            format!(
                "The document is {} bytes; the maximum size of a replication configuration is 2 MB (2,097,152 bytes)",
                text.len()
            ),
        ));
    }
    let document = match format {
        Format::Xml => xml::parse_document(text, &mut diagnostics),
        Format::Json => json::parse_tree_into(text, &mut diagnostics)
            .and_then(|node| json_root(node, &mut diagnostics))
            .map(|root| {
                let mut lowerer = Lowerer::new(format);
                let doc = lowerer.document(&root);
                diagnostics.append(&mut lowerer.diagnostics);
                doc
            }),
    };
    Parsed {
        format,
        document,
        diagnostics,
    }
}

/// The JSON root must be an object; unwrap `{"ReplicationConfiguration": {...}}` with a note.
fn json_root<'a>(node: Node<'a>, diagnostics: &mut Vec<Diagnostic>) -> Option<Member<'a>> {
    let span = node.span;
    let Content::Object(mut members) = node.content else {
        diagnostics.push(Diagnostic::new(
            codes::WRONG_TYPE.code,
            codes::WRONG_TYPE.severity,
            span,
            "",
            format!(
                "The replication configuration must be a JSON object, found {}",
                node.content.kind()
            ),
        ));
        return None;
    };
    if members.len() == 1
        && members[0].name == "ReplicationConfiguration"
        && matches!(members[0].value.content, Content::Object(_))
    {
        let inner = members.pop().expect("one member");
        diagnostics.push(
            Diagnostic::new(
                codes::WRAPPED_OUTPUT.code,
                codes::WRAPPED_OUTPUT.severity,
                inner.name_span,
                "",
                "This is `get-bucket-replication` output; the inner object was checked",
            )
            .with_help("`put-bucket-replication --replication-configuration` wants only the inner object (e.g. `jq .ReplicationConfiguration`)."),
        );
        return Some(inner);
    }
    Some(Member {
        name: "ReplicationConfiguration".into(),
        name_span: Span::new(span.start as usize, span.start as usize + 1),
        span,
        value: Node {
            content: Content::Object(members),
            span,
        },
    })
}
