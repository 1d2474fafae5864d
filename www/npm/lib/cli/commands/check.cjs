"use strict";
// `check` and `audit`: diagnostics, rendered by the core as text, JSON or SARIF.
const { parse, oneOf, UsageError } = require("../args.cjs");
const { api, usageOnError, documentFailed } = require("../api.cjs");
const { readContext, readInput, gatherInputs } = require("../inputs.cjs");
const { out, renderOf, mergeSarif } = require("../output.cjs");

function check(argv) {
  const { opts, files } = parse(argv, {
    context: "value",
    format: "value",
    input: "value",
    recursive: "flag",
    "fail-on": "value",
  });
  if (opts.help) return out(require("../help.cjs").HELP.check), 0;
  const format = oneOf(opts.format, ["text", "json", "sarif"], "format") ?? "text";
  const input = oneOf(opts.input, ["xml", "json", "cloudformation", "terraform", "terraform-plan"], "input");
  // Exit code 1 on errors (the default), or on warnings too.
  const failing = oneOf(opts["fail-on"], ["error", "warning"], "fail-on") === "warning" ? ["error", "warning"] : ["error"];
  if (files.length === 0) throw new UsageError("check needs at least one FILE (or - for stdin)");
  const context = readContext(opts.context);
  const render = renderOf(format);
  const documents = [];
  const rendered = [];
  let errors = false;
  for (const group of gatherInputs(files, { recursive: opts.recursive === true })) {
    const first = group.inputs[0];
    const kind =
      input === "xml" || input === "json" ? "api" : (input ?? group.kind ?? api.detectInput(first.name, first.text));
    if (kind === "api") {
      documents.push({ file: first.name, text: first.text });
      continue;
    }
    const result = usageOnError(() =>
      api.checkFiles(
        group.inputs.map(({ name, text }) => ({ path: name, text })),
        { format: kind, context, render },
      ),
    );
    const all = [
      ...result.configurations.flatMap((c) => [...c.diagnostics, ...c.audits.flatMap((a) => a.diagnostics)]),
      ...result.files.flatMap((f) => f.diagnostics),
    ];
    errors ||= all.some((d) => failing.includes(d.severity));
    rendered.push(result.rendered);
  }
  // The API documents, checked and rendered together (one summary line, one SARIF run).
  let checked;
  if (documents.length > 0) {
    checked = usageOnError(() => api.checkDocuments(documents, { format: input === "xml" || input === "json" ? input : "auto", context, render }));
    errors ||= checked.errors;
    // Warnings: the documents' own diagnostics (the rendered check says only whether it found errors).
    if (!errors && failing.includes("warning")) {
      const format = input === "xml" || input === "json" ? input : undefined;
      errors = documents.some(({ text }) =>
        usageOnError(() => api.check(text, { format, context })).diagnostics.some((d) => d.severity === "warning"),
      );
    }
  }
  if (rendered.length === 0) {
    out(checked.rendered);
  } else if (format === "json") {
    const own = checked ? JSON.parse(checked.rendered) : [];
    out(JSON.stringify([...own, ...rendered.flatMap((r) => JSON.parse(r))], null, 2));
  } else if (format === "sarif") {
    const logs = checked ? [checked.rendered, ...rendered] : rendered;
    out(logs.length === 1 ? logs[0] : mergeSarif(logs));
  } else {
    if (checked) out(checked.rendered);
    for (const r of rendered) out(r);
  }
  return errors ? 1 : 0;
}

function audit(argv) {
  const { opts, files } = parse(argv, {
    context: "value",
    role: "value",
    trust: "value",
    "key-policy": "list",
    "bucket-policy": "value",
    format: "value",
  });
  if (opts.help) return out(require("../help.cjs").HELP.audit), 0;
  const format = oneOf(opts.format, ["text", "json", "sarif"], "format") ?? "text";
  const context = readContext(opts.context);
  if (files.length !== 1) throw new UsageError(`audit needs exactly one FILE, got ${files.length}`);
  const input = readInput(files[0]);
  const read = (file) => (file === undefined ? undefined : readInput(file));
  const role = read(opts.role);
  const trust = read(opts.trust);
  const keys = (opts["key-policy"] ?? []).map(read);
  const bucket = read(opts["bucket-policy"]);
  if (!role && !trust && keys.length === 0 && !bucket) {
    throw new UsageError("audit needs at least one of --role, --trust, --key-policy, --bucket-policy");
  }
  const policies = { role: role?.text, trust: trust?.text, keyPolicies: keys.map((k) => k.text), bucketPolicy: bucket?.text };
  // Each finding is shown in the file its path points into.
  const names = { configuration: input.name, role: role?.name, trust: trust?.name, bucketPolicy: bucket?.name, keyPolicies: keys.map((k) => k.name) };
  let result;
  try {
    result = usageOnError(() => api.auditPolicies(input.text, policies, context, { render: renderOf(format), files: names }));
  } catch (error) {
    if (error instanceof api.DocumentError) return documentFailed(error, input);
    throw error;
  }
  out(result.rendered);
  return result.errors ? 1 : 0;
}

module.exports = { check, audit };
