"use strict";
// `simulate`, `explain` and `convert`: one configuration, read as the core renders it.
const { PROG, parse, oneOf, UsageError } = require("../args.cjs");
const { api, usageOnError, withDocument } = require("../api.cjs");
const { readContext, gatherInputs } = require("../inputs.cjs");
const { out } = require("../output.cjs");

const ENCRYPTIONS = ["none", "SSE-S3", "SSE-KMS", "DSSE-KMS", "SSE-C"];

/** `KEY=VALUE` (the value may be empty or contain `=`) -> [KEY, VALUE]. */
function tagOption(spec) {
  const eq = spec.indexOf("=");
  if (eq <= 0) throw new UsageError(`invalid --tag '${spec}': expected KEY=VALUE`);
  return [spec.slice(0, eq), spec.slice(eq + 1)];
}

/** Says on stderr when S3 would reject the document: the answer assumes it was accepted. */
function warnIfRejected(input, context) {
  const { diagnostics } = usageOnError(() => api.check(input.text, { context }));
  const n = diagnostics.filter((d) => d.severity === "error").length;
  if (n > 0) {
    process.stderr.write(
      `warning: ${input.name} has ${n} error${n === 1 ? "" : "s"} (run '${PROG} check'); the answer assumes S3 accepted it as written\n`,
    );
  }
}

/**
 * The one document `simulate` and `explain` read: an API document as it is, or the single
 * configuration of a template, module or plan as it deploys (`--configuration` picks one of
 * several), with the context its code states (overridden field by field by --context).
 */
function oneDocument(files, command, context, address) {
  if (files.length !== 1) throw new UsageError(`${command} needs exactly one FILE, got ${files.length}`);
  const groups = gatherInputs(files);
  const group = groups.find((g) => g.kind === "terraform") ?? groups[0];
  const first = group.inputs[0];
  const kind = group.kind ?? api.detectInput(first.name, first.text);
  if (kind === "api") return { input: first, context };
  const src = group.inputs.map(({ name, text }) => ({ path: name, text }));
  const checked = usageOnError(() => api.checkFiles(src, { format: kind, context }));
  const converted = usageOnError(() => api.convertFiles(src, { format: kind, to: "json" }));
  const all = converted.configurations;
  const picked = all.filter((c) => address === undefined || c.address === address);
  if (picked.length === 0) {
    throw new UsageError(
      address === undefined
        ? `'${first.name}' holds no replication configuration`
        : `no configuration '${address}' in '${first.name}' (found: ${all.map((c) => c.address).join(", ") || "none"})`,
    );
  }
  if (picked.length > 1) {
    throw new UsageError(`'${first.name}' holds ${picked.length} configurations; pick one with --configuration ADDRESS (${picked.map((c) => c.address).join(", ")})`);
  }
  const c = picked[0];
  if (c.text === undefined) {
    for (const d of c.diagnostics) process.stderr.write(`${c.file}:${d.range.start.line}:${d.range.start.column}: ${d.code} ${d.message}\n`);
    return { status: 1 };
  }
  if (c.unknowns > 0) {
    process.stderr.write(`note: ${c.address}: ${c.unknowns} value(s) are not known until deployment; they are read as the text \${...}\n`);
  }
  const stated = checked.configurations.find((x) => x.address === c.address)?.context;
  return { input: { name: `${c.file} (${c.address})`, text: c.text }, context: stated ?? context };
}

function simulate(argv) {
  const { opts, files } = parse(argv, {
    key: "value",
    tag: "list",
    encryption: "value",
    "delete-marker": "flag",
    replica: "flag",
    context: "value",
    format: "value",
    configuration: "value",
  });
  if (opts.help) return out(require("../help.cjs").HELP.simulate), 0;
  const format = oneOf(opts.format, ["text", "json"], "format") ?? "text";
  const encryption = oneOf(opts.encryption, ENCRYPTIONS, "encryption") ?? "none";
  if (opts.key === undefined) throw new UsageError("simulate needs --key KEY (the object key)");
  const object = {
    key: opts.key,
    tags: (opts.tag ?? []).map(tagOption),
    encryption,
    deleteMarker: opts["delete-marker"] === true,
    isReplica: opts.replica === true,
  };
  const doc = oneDocument(files, "simulate", readContext(opts.context), opts.configuration);
  if (doc.status !== undefined) return doc.status;
  const { input, context } = doc;
  const render = format === "json" ? undefined : { render: "text", file: input.name };
  const { value: sim, status } = withDocument(input, () => api.simulate(input.text, object, context, render));
  if (sim === undefined) return status;
  warnIfRejected(input, context);
  out(format === "json" ? JSON.stringify(sim, null, 2) : sim);
  return 0;
}

function explain(argv) {
  const { opts, files } = parse(argv, { context: "value", format: "value", configuration: "value" });
  if (opts.help) return out(require("../help.cjs").HELP.explain), 0;
  const format = oneOf(opts.format, ["text", "json"], "format") ?? "text";
  const doc = oneDocument(files, "explain", readContext(opts.context), opts.configuration);
  if (doc.status !== undefined) return doc.status;
  const { input, context } = doc;
  const render = format === "json" ? undefined : { render: "text" };
  const { value: ex, status } = withDocument(input, () => api.explain(input.text, context, render));
  if (ex === undefined) return status;
  warnIfRejected(input, context);
  out(format === "json" ? JSON.stringify(ex, null, 2) : ex);
  return 0;
}

function convert(argv) {
  const { opts, files } = parse(argv, { to: "value", input: "value" });
  if (opts.help) return out(require("../help.cjs").HELP.convert), 0;
  const to = oneOf(opts.to, ["xml", "json"], "to");
  if (to === undefined) throw new UsageError("convert needs --to xml or --to json");
  const kindOption = oneOf(opts.input, ["cloudformation", "terraform", "terraform-plan"], "input");
  if (files.length !== 1) throw new UsageError(`convert needs exactly one FILE, got ${files.length}`);
  const groups = gatherInputs(files);
  const group = groups.find((g) => g.kind === "terraform") ?? groups[0];
  const first = group.inputs[0];
  const kind = kindOption ?? group.kind ?? api.detectInput(first.name, first.text);
  if (kind === "api") {
    const { value: text, status } = withDocument(first, () => api.convert(first.text, to), to);
    if (text === undefined) return status;
    out(text);
    return 0;
  }
  const result = usageOnError(() =>
    api.convertFiles(group.inputs.map(({ name, text }) => ({ path: name, text })), { format: kind, to }),
  );
  const blocked = result.configurations.filter((c) => c.text === undefined);
  const fileErrors = result.files.flatMap((f) => f.diagnostics.filter((d) => d.severity === "error").map((d) => ({ f, d })));
  for (const { f, d } of fileErrors) {
    process.stderr.write(`${f.file}:${d.range.start.line}:${d.range.start.column}: ${d.message}\n`);
  }
  for (const c of blocked) {
    for (const d of c.diagnostics) {
      process.stderr.write(`${c.file}:${d.range.start.line}:${d.range.start.column}: ${c.address}: ${d.code} ${d.message}\n`);
    }
  }
  const done = result.configurations.filter((c) => c.text !== undefined);
  for (const c of done) {
    if (c.unknowns > 0) {
      process.stderr.write(`${c.address}: ${c.unknowns} value(s) not known until deployment, written as \${...}\n`);
    }
  }
  if (done.length === 0) {
    if (fileErrors.length === 0 && blocked.length === 0) process.stderr.write(`${first.name}: no replication configuration found\n`);
    return 1;
  }
  if (done.length === 1) {
    out(done[0].text);
  } else if (to === "json") {
    out(JSON.stringify(Object.fromEntries(done.map((c) => [c.address, JSON.parse(c.text)])), null, 2));
  } else {
    out(done.map((c) => `<!-- ${c.address} (${c.file}) -->\n${c.text}`).join("\n"));
  }
  return blocked.length > 0 || fileErrors.length > 0 ? 1 : 0;
}

module.exports = { simulate, explain, convert };
