//! The [`Translator`] of CloudFormation's `ReplicationConfiguration` to the API's tree (JSON
//! member names), with unknown values and findings recorded.
use super::{Eval, Template};
use crate::catalogue::parse as codes;
use crate::diagnostic::Diagnostic;
use crate::iac::eval::{self, Names, Value};
use crate::iac::Unknown;
use crate::schema::{self, Kind, Shape};
use crate::source::Span;
use crate::syntax::{Content, Member, Node};

/// CloudFormation's `ReplicationConfiguration` -> the API's tree (JSON member names).
pub(super) struct Translator<'t, 'x> {
    pub(super) template: &'x Template<'t>,
    pub(super) unknowns: Vec<Unknown>,
    pub(super) tainted: Vec<Span>,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) path: String,
}

impl<'t> Translator<'t, '_> {
    pub(super) fn object(
        &mut self,
        node: &'t Node<'static>,
        shape: &'static Shape,
    ) -> Option<Node<'static>> {
        let Content::Object(members) = &node.content else {
            self.diagnostics.push(Diagnostic::new(
                codes::WRONG_TYPE.code,
                codes::WRONG_TYPE.severity,
                node.span,
                self.path.clone(),
                format!(
                    "`{}` must be an object, found {}",
                    shape.name,
                    node.content.kind()
                ),
            ));
            return None;
        };
        let mut out = Vec::new();
        for m in members {
            let Some(f) = eval::field(shape, &m.name, Names::CloudFormation) else {
                self.unknown_property(m, shape);
                continue;
            };
            let len = self.path.len();
            self.path.push('.');
            self.path.push_str(&m.name);
            if let Some(value) = self.value(&m.value, &f.kind, f.list, node.span) {
                out.push(eval::member(f.json, m.name_span, m.span, value));
            }
            self.path.truncate(len);
        }
        // A rule with neither `Prefix` nor `Filter` deploys as a V1 rule for the whole
        // bucket (CloudFormation sends `Prefix ""`, as the AWS provider does): AWS's own
        // templates write it so (aws-cloudformation-templates RainModules/bucket.yml), and
        // without `Filter` CDK's rules deploy as V1 (aws/aws-cdk#30966).
        let [prefix, filter] = [schema::rule::PREFIX, schema::rule::FILTER]
            .map(|at| schema::RULE.fields.get(at).map_or("", |f| f.json));
        if std::ptr::eq(shape, &schema::RULE)
            && !out.iter().any(|m| m.name == prefix || m.name == filter)
            && !self.tainted.contains(&node.span)
        {
            out.push(eval::member(
                prefix,
                node.span,
                node.span,
                eval::scalar(&Value::Str(String::new()), &Kind::String, node.span),
            ));
        }
        Some(eval::object(out, node.span))
    }

    fn unknown_property(&mut self, m: &Member<'static>, shape: &'static Shape) {
        let allowed = eval::names_in(shape, Names::CloudFormation);
        let mut msg = format!(
            "Unknown property `{}` in `{}` (CloudFormation)",
            m.name, self.path
        );
        let api_only = shape
            .fields
            .iter()
            .any(|f| f.cfn.is_empty() && (f.json == m.name || f.xml == m.name));
        if api_only {
            msg.push_str(
                "; CloudFormation's AWS::S3::Bucket does not support it (the S3 API does)",
            );
        }
        let mut d = Diagnostic::new(
            codes::UNKNOWN_MEMBER.code,
            codes::UNKNOWN_MEMBER.severity,
            m.name_span,
            self.path.clone(),
            msg,
        );
        if let Some(s) = crate::lower::did_you_mean(&m.name, &allowed) {
            d = d.with_help(format!(
                "Did you mean `{s}`? Allowed here: {}.",
                allowed.join(", ")
            ));
        } else {
            d = d.with_help(format!("Allowed here: {}.", allowed.join(", ")));
        }
        self.diagnostics.push(d);
    }

    pub(super) fn value(
        &mut self,
        node: &'t Node<'static>,
        kind: &'static Kind,
        list: bool,
        // The object or list holding the value: when the value is an unknown structure, the
        // shape of that parent is unknown too.
        parent_span: Span,
    ) -> Option<Node<'static>> {
        if matches!(kind, Kind::Struct(_)) || list {
            if let Some((_, a, b)) = self.template.undecided_if(node) {
                // A structure chosen at deployment: read the branch that makes one (the
                // first when both do), the object holding it not verified (its shape, and
                // what other members it makes wrong or right, depend on the condition).
                self.tainted.push(parent_span);
                let pick = if self.template.is_no_value(a) { b } else { a };
                if self.template.is_no_value(pick) {
                    return None;
                }
                return self.value(pick, kind, list, parent_span);
            }
        }
        // A replica key written with the stack's `${AWS::Region}`/`${AWS::AccountId}`: a key
        // of the source bucket's Region and account.
        let key = self.path.ends_with(".ReplicaKmsKeyID");
        self.template.stack_pseudo.set(key);
        let evaluated = self.template.eval(node, 0);
        self.template.stack_pseudo.set(false);
        match evaluated {
            Eval::NoValue => None,
            Eval::Node(n) => {
                if list {
                    let Content::Array(items) = &n.content else {
                        return Some(self.shaped(n, kind));
                    };
                    let mut out = Vec::new();
                    for (i, item) in items.iter().enumerate() {
                        let len = self.path.len();
                        self.path.push_str(&format!("[{i}]"));
                        if let Some(v) = self.value(item, kind, false, n.span) {
                            out.push(v);
                        }
                        self.path.truncate(len);
                    }
                    Some(eval::array(out, n.span))
                } else {
                    Some(self.shaped(n, kind))
                }
            }
            Eval::Scalar(v) => {
                // A parameter's stand-in matters where it names a resource a policy names
                // too (the destination bucket, the role); elsewhere the value is just unknown
                // (a replica key parameter may hold a key ARN, an alias ARN or a bare ID: what
                // a grant on it means is not known).
                let named = [".Bucket", ".Role"].iter().any(|p| self.path.ends_with(p));
                let v = match v {
                    Value::Partial { text, expr, .. }
                        if text.contains(eval::PARAMETER_STAND_IN) && !named =>
                    {
                        Value::Unknown(expr)
                    }
                    v => v,
                };
                let unknown = matches!(v, Value::Unknown(_) | Value::Partial { .. });
                if unknown && (matches!(kind, Kind::Struct(_)) || list) {
                    // A whole block the template does not fix: the rule's shape is unknown.
                    self.tainted.push(parent_span);
                    return None;
                }
                self.unknowns.extend(v.unknown_at(node.span));
                if matches!(kind, Kind::Struct(_)) || list {
                    // A scalar where a structure belongs: let the lowering say so.
                    return Some(Node {
                        content: Content::Text(std::borrow::Cow::Owned(
                            v.as_text().unwrap_or_default(),
                        )),
                        span: node.span,
                    });
                }
                Some(eval::scalar(&v, kind, node.span))
            }
            Eval::List(_) => {
                self.tainted.push(parent_span);
                None
            }
        }
    }

    fn shaped(&mut self, n: &'t Node<'static>, kind: &'static Kind) -> Node<'static> {
        match kind {
            Kind::Struct(shape) => self.object(n, shape).unwrap_or(Node {
                content: Content::Null,
                span: n.span,
            }),
            // A structure where a scalar belongs: keep it so the lowering reports its type.
            _ => n.clone(),
        }
    }
}
