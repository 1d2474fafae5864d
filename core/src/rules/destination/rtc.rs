//! S3 Replication Time Control and replication metrics (S3R316-S3R321).

use crate::diagnostic::Diagnostic;
use crate::model::{Destination, Rule, Str};
use crate::rules::support::edit::{format_of, string_literal, Node};
use crate::rules::support::fixes::{insert_after, set_fix, set_value_fix};
use crate::rules::support::labels::rule_label;
use crate::rules::{CheckContext, RulePath};

declare_rule! {
    pub static RTC_WITHOUT_METRICS {
        code: "S3R316",
        name: "rtc-without-metrics",
        severity: Error,
        confidence: Documented,
        s3_error: "InvalidRequest: The replication destination must contain both ReplicationTime and Metrics, or neither.",
        summary: "ReplicationTime needs Metrics in the same Destination",
        check: check_rtc_without_metrics,
        docs: r#"## What it does
Reports a `Destination` with `ReplicationTime` but no `Metrics`, and offers to add
`Metrics` with the same status (and `EventThreshold` 15 when enabled). `Metrics` alone is
valid: that is replication metrics without RTC.

## Why it matters
S3 rejects S3 RTC without replication metrics.

## Example
```xml
<Destination>
  <Bucket>arn:aws:s3:::acme-replica</Bucket>
  <ReplicationTime><Status>Enabled</Status><Time><Minutes>15</Minutes></Time></ReplicationTime>
</Destination>
```

## Fix
Add `<Metrics><Status>Enabled</Status><EventThreshold><Minutes>15</Minutes></EventThreshold></Metrics>`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html
- https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ReplicationErrorCodeList
"#,
    }
}

declare_rule! {
    pub static STATUS_MISMATCH {
        code: "S3R317",
        name: "rtc-metrics-status-mismatch",
        severity: Error,
        confidence: Documented,
        s3_error: "InvalidRequest: ReplicationTime and ReplicationMetrics must have the same status.",
        summary: "S3 RTC is Enabled but Metrics is Disabled",
        check: check_status_mismatch,
        docs: r#"## What it does
Reports S3 RTC (`ReplicationTime`) Enabled with `Metrics` Disabled in one destination; the fix
enables the metrics. The reverse, RTC Disabled with metrics Enabled (metrics without RTC), is
not reported: S3 accepts it.

## Why it matters
S3 RTC needs replication metrics, and S3 refuses RTC enabled with metrics disabled. AWS's error
list words the check as "the same status", but a real `PutBucketReplication` with
`ReplicationTime` Disabled and `Metrics` Enabled (no `EventThreshold`) was accepted (crossplane
provider-aws #1129), as is the console's metrics-only setting.

## Example
```xml
<ReplicationTime><Status>Enabled</Status><Time><Minutes>15</Minutes></Time></ReplicationTime>
<Metrics><Status>Disabled</Status></Metrics>
```

## Fix
Enable the metrics, or disable S3 RTC.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ReplicationErrorCodeList
- https://github.com/crossplane-contrib/provider-aws/pull/1129
"#,
    }
}

declare_rule! {
    pub static MINUTES {
        code: "S3R318",
        name: "rtc-minutes-not-15",
        severity: Error,
        confidence: Documented,
        s3_error: "InvalidArgument: Replication-ReplicationTimeValue-Minutes value must be 15 / EventThreshold-ReplicationTimeValue-Minutes value must be 15",
        summary: "ReplicationTime/Time/Minutes and Metrics/EventThreshold/Minutes must be 15",
        check: check_minutes,
        docs: r#"## What it does
Checks that `Minutes` is present and 15 in `ReplicationTime/Time` and in
`Metrics/EventThreshold`; a fix writes 15.

## Why it matters
15 minutes is the only threshold S3 RTC supports; any other value is rejected.

## Example
```xml
<ReplicationTime><Status>Enabled</Status><Time><Minutes>30</Minutes></Time></ReplicationTime>
```

## Fix
`<Minutes>15</Minutes>`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html
- https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ReplicationErrorCodeList
"#,
    }
}

declare_rule! {
    pub static EVENT_THRESHOLD_MISSING {
        code: "S3R319",
        name: "rtc-event-threshold-missing",
        severity: Error,
        confidence: Documented,
        s3_error: "InvalidArgument: ReplicationMetrics must contain an EventThreshold",
        summary: "With S3 RTC enabled, Metrics needs EventThreshold",
        check: check_event_threshold_missing,
        docs: r#"## What it does
Reports `Metrics` without `EventThreshold` when `ReplicationTime` is enabled in the same
destination, and offers to add `<EventThreshold><Minutes>15</Minutes></EventThreshold>`.

## Why it matters
S3 RTC reports replication that exceeds the threshold; S3 refuses RTC metrics without it.

## Example
```xml
<ReplicationTime><Status>Enabled</Status><Time><Minutes>15</Minutes></Time></ReplicationTime>
<Metrics><Status>Enabled</Status></Metrics>
```

## Fix
Add `<EventThreshold><Minutes>15</Minutes></EventThreshold>` to `Metrics`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ReplicationErrorCodeList
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_Metrics.html
"#,
    }
}

declare_rule! {
    pub static EVENT_THRESHOLD_WITHOUT_RTC {
        code: "S3R320",
        name: "event-threshold-without-rtc",
        severity: Error,
        confidence: Observed,
        s3_error: "InvalidArgument: Metrics cannot contain an event threshold when ReplicationTime is not specified or Disabled",
        summary: "Metrics/EventThreshold without enabled S3 RTC",
        check: check_event_threshold_without_rtc,
        docs: r#"## What it does
Reports `Metrics/EventThreshold` in a destination without enabled `ReplicationTime`.

## Why it matters
The threshold only means something for S3 RTC, and AWS's metrics-only examples omit it. S3
refuses it with `InvalidArgument: Metrics cannot contain an event threshold when
ReplicationTime is not specified or Disabled` (reported against the real S3 API in
crossplane-contrib/provider-aws issue 1117; the fix in PR 1129, which leaves out
`EventThreshold` for metrics only, was then accepted).

## Example
```xml
<Metrics><Status>Enabled</Status><EventThreshold><Minutes>15</Minutes></EventThreshold></Metrics>
```

## Fix
Remove `EventThreshold`, or enable S3 RTC with `ReplicationTime`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html
- https://github.com/crossplane-contrib/provider-aws/issues/1117
- https://github.com/crossplane-contrib/provider-aws/pull/1129
"#,
    }
}

declare_rule! {
    pub static COST {
        code: "S3R321",
        name: "rtc-metrics-cost",
        severity: Info,
        confidence: Documented,
        summary: "S3 RTC and replication metrics are billed",
        check: check_cost,
        docs: r#"## What it does
Notes enabled S3 RTC (a per-GB fee on top of replication, plus metrics) or enabled
replication metrics (billed as CloudWatch custom metrics), and that delete markers are outside
the RTC 15-minute objective.

## Why it matters
These features cost money per rule and destination.

## Example
```xml
<ReplicationTime><Status>Enabled</Status><Time><Minutes>15</Minutes></Time></ReplicationTime>
<Metrics><Status>Enabled</Status><EventThreshold><Minutes>15</Minutes></EventThreshold></Metrics>
```

## Fix
Nothing to fix if you need them.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html
- https://aws.amazon.com/s3/pricing/
"#,
    }
}

fn status_of(s: &Option<crate::model::Val<Str>>) -> Option<&str> {
    s.as_ref().map(|v| v.as_str())
}

fn check_rtc_without_metrics(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(d) = &rule.destination else { continue };
        let Some(rt) = &d.replication_time else {
            continue;
        };
        if d.metrics.is_some() {
            continue;
        }
        let status = status_of(&rt.status).unwrap_or("Enabled");
        let status = if status == "Disabled" {
            "Disabled"
        } else {
            "Enabled"
        };
        let mut members = vec![Node::Leaf(
            "Status",
            string_literal(status, format_of(doc, cx.text)),
        )];
        if status == "Enabled" {
            members.push(Node::Block(
                "EventThreshold",
                vec![Node::Leaf("Minutes", "15".into())],
            ));
        }
        let edit = insert_after(doc, cx.text, &rt.meta, Node::Block("Metrics", members));
        let diag = cx.report(
            &RTC_WITHOUT_METRICS,
            rt.meta.name_span,
            format!("{}/Destination/ReplicationTime", Rule::path(i)),
            "ReplicationTime (S3 RTC) needs Metrics in the same Destination",
        );
        if let Some(e) = edit {
            set_fix(diag, format!("Add Metrics ({status})"), vec![e]);
        }
    }
}

fn check_status_mismatch(cx: &mut CheckContext) {
    let src = cx.text;
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(d) = &rule.destination else { continue };
        let (Some(rt), Some(m)) = (&d.replication_time, &d.metrics) else {
            continue;
        };
        let (Some(rs), Some(ms)) = (&rt.status, &m.status) else {
            continue;
        };
        if rs.value == ms.value {
            continue;
        }
        // Metrics without RTC (RTC Disabled, metrics Enabled) is accepted by S3; only the
        // documented refusal, RTC on without metrics, is reported.
        if rs.as_str() == "Disabled" && ms.as_str() == "Enabled" {
            continue;
        }
        let diag = cx.report(
            &STATUS_MISMATCH,
            ms.span(),
            format!("{}/Destination/Metrics/Status", Rule::path(i)),
            format!(
                "Metrics is {} but ReplicationTime is {}; they must have the same status",
                ms.value, rs.value
            ),
        );
        *diag = diag
            .clone()
            .with_related(rs.span(), "ReplicationTime status");
        if matches!(rs.as_str(), "Enabled" | "Disabled") {
            set_value_fix(
                diag,
                src,
                ms.span(),
                rs.as_str(),
                format!("Set Metrics/Status to {}", rs.value),
            );
        }
    }
}

fn check_minutes(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(d) = &rule.destination else { continue };
        let time = d
            .replication_time
            .as_ref()
            .and_then(|r| r.time.as_ref())
            .map(|t| {
                (
                    t,
                    "/Destination/ReplicationTime/Time",
                    "ReplicationTime/Time",
                )
            });
        let threshold = d
            .metrics
            .as_ref()
            .and_then(|m| m.event_threshold.as_ref())
            .map(|t| {
                (
                    t,
                    "/Destination/Metrics/EventThreshold",
                    "Metrics/EventThreshold",
                )
            });
        for (m, tail, what) in time.into_iter().chain(threshold) {
            let path = RulePath::new(i, tail);
            match &m.minutes {
                Some(v) if v.value == 15 => {}
                Some(v) => {
                    let diag = cx.report(
                        &MINUTES,
                        v.span(),
                        path.with_suffix("/Minutes"),
                        format!("{what}/Minutes is {}; S3 accepts only 15", v.value),
                    );
                    set_fix(diag, "Write 15", vec![(v.span(), "15".to_string())]);
                }
                None => {
                    cx.report(
                        &MINUTES,
                        m.meta.name_span,
                        path,
                        format!("{what} has no Minutes; it must contain <Minutes>15</Minutes>"),
                    );
                }
            }
        }
    }
}

fn rtc_enabled(d: &Destination) -> bool {
    d.replication_time.as_ref().is_some_and(|r| r.is_enabled())
}

fn check_event_threshold_missing(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(d) = &rule.destination else { continue };
        if !rtc_enabled(d) {
            continue;
        }
        let Some(m) = &d.metrics else { continue };
        if m.event_threshold.is_some() {
            continue;
        }
        let edit = m.status.as_ref().and_then(|s| {
            insert_after(
                doc,
                cx.text,
                &s.meta,
                Node::Block("EventThreshold", vec![Node::Leaf("Minutes", "15".into())]),
            )
        });
        let diag = cx.report(
            &EVENT_THRESHOLD_MISSING,
            m.meta.name_span,
            format!("{}/Destination/Metrics", Rule::path(i)),
            "With S3 RTC enabled, Metrics must contain EventThreshold with Minutes 15",
        );
        if let Some(e) = edit {
            set_fix(diag, "Add EventThreshold of 15 minutes", vec![e]);
        }
    }
}

fn check_event_threshold_without_rtc(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(d) = &rule.destination else { continue };
        let Some(et) = d.metrics.as_ref().and_then(|m| m.event_threshold.as_ref()) else {
            continue;
        };
        if rtc_enabled(d) {
            continue;
        }
        let why = if d.replication_time.is_some() {
            "ReplicationTime is disabled"
        } else {
            "there is no ReplicationTime"
        };
        let diag = cx.report(
            &EVENT_THRESHOLD_WITHOUT_RTC,
            et.meta.name_span,
            format!("{}/Destination/Metrics/EventThreshold", Rule::path(i)),
            format!(
                "Metrics has an EventThreshold but {why}; S3 refuses the threshold without S3 RTC"
            ),
        );
        diag.help =
            Some("Remove EventThreshold for metrics only, or enable ReplicationTime.".into());
        // The status that disables it: a template's unknown value there leaves this unverified.
        if let Some(rs) = d.replication_time.as_ref().and_then(|r| r.status.as_ref()) {
            *diag = diag
                .clone()
                .with_related(rs.span(), "ReplicationTime status");
        }
    }
}

fn check_cost(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        if !rule.is_enabled() {
            continue;
        }
        let Some(d) = &rule.destination else { continue };
        // One per rule can be many: written only if the engine keeps it.
        if let Some(rt) = d.replication_time.as_ref().filter(|r| r.is_enabled()) {
            let span = rt.meta.name_span;
            cx.report_later(&COST, span, move || {
                let mut msg = format!(
                    "S3 RTC is enabled for {}: it adds a per-GB fee and CloudWatch metrics charges",
                    rule_label(rule, i)
                );
                if rule.delete_markers_enabled() {
                    msg.push_str("; delete markers are replicated outside the 15-minute objective");
                }
                let path = format!("{}/Destination/ReplicationTime", Rule::path(i));
                Diagnostic::new(COST.code, COST.severity, span, path, msg)
            });
        } else if let Some(m) = d.metrics.as_ref().filter(|m| m.is_enabled()) {
            let span = m.meta.name_span;
            cx.report_later(&COST, span, move || {
                Diagnostic::new(
                    COST.code,
                    COST.severity,
                    span,
                    format!("{}/Destination/Metrics", Rule::path(i)),
                    format!(
                        "Replication metrics are enabled for {}: they are billed as CloudWatch custom metrics",
                        rule_label(rule, i)
                    ),
                )
            });
        }
    }
}
