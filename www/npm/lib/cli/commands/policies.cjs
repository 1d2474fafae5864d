"use strict";
// `policies`: the policies a configuration needs, as JSON documents or as code.
const { mkdirSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const { parse, oneOf, UsageError } = require("../args.cjs");
const { api, usageOnError, withDocument } = require("../api.cjs");
const { readContext, gatherInputs } = require("../inputs.cjs");
const { out } = require("../output.cjs");

/** Print a policy set, or write its documents to `dir`; then its placeholders and notes. */
function emitPolicies(set, dir) {
  if (dir === undefined) {
    out(JSON.stringify(set, null, 2));
  } else {
    try {
      mkdirSync(dir, { recursive: true });
      const seen = new Map();
      for (const doc of set.documents) {
        const n = (seen.get(doc.kind) ?? 0) + 1;
        seen.set(doc.kind, n);
        const path = join(dir, `${doc.kind}${n > 1 ? `-${n}` : ""}.json`);
        writeFileSync(path, doc.text.endsWith("\n") ? doc.text : `${doc.text}\n`);
        out(`${path}: ${doc.title}`);
      }
    } catch (error) {
      throw new UsageError(`cannot write to '${dir}': ${error.code ?? error.message}`);
    }
  }
  for (const p of set.placeholders) {
    process.stderr.write(`note: ${p.token} stands for ${p.what}; ${p.howToFill}\n`);
  }
  for (const n of set.notes) process.stderr.write(`${n.severity}: ${n.message}\n`);
}

/** Print policies as code, or write them to `dir` as policies.tf / policies.yaml. */
function emitCode(code, as, dir) {
  if (dir === undefined) return out(code);
  const path = join(dir, as === "terraform" ? "policies.tf" : "policies.yaml");
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, code);
  } catch (error) {
    throw new UsageError(`cannot write to '${dir}': ${error.code ?? error.message}`);
  }
  out(path);
}

/**
 * Templates, modules and plans as code: each configuration's deployed document, with the
 * context its code states and the bindings to its resources when the check names them.
 */
function emitConfigurations(files, kind, sets, as, dir) {
  const converted = usageOnError(() => api.convertFiles(files, { format: kind, to: "json" }));
  let failed = 0;
  const codes = [];
  for (const c of sets) {
    const doc = converted.configurations.find((d) => d.address === c.address && d.file === c.file);
    if (!doc || doc.text === undefined) {
      process.stderr.write(`${c.file}: ${c.address}: cannot be converted to a document, so no code is emitted\n`);
      failed++;
      continue;
    }
    const bindings = Array.isArray(c.bindings) ? c.bindings : undefined;
    codes.push([c, usageOnError(() => api.emitPolicies(doc.text, { to: as, context: c.context, bindings }))]);
  }
  for (const [c, code] of codes) {
    if (codes.length === 1 && sets.length === 1) emitCode(code, as, dir);
    // Both languages comment with `#`: one file per configuration would be clearer; --out does that.
    else if (dir === undefined) out(`# ${c.address} (${c.file})\n${code}`);
    else emitCode(code, as, join(dir, c.address.replace(/[^A-Za-z0-9._-]/g, "_")));
  }
  return failed ? 1 : 0;
}

function policies(argv) {
  const { opts, files } = parse(argv, { context: "value", out: "value", as: "value" });
  if (opts.help) return out(require("../help.cjs").HELP.policies), 0;
  const as = oneOf(opts.as, ["json", "terraform", "cloudformation"], "as") ?? "json";
  const context = readContext(opts.context);
  if (files.length !== 1) throw new UsageError(`policies needs exactly one FILE, got ${files.length}`);
  const groups = gatherInputs(files);
  const group = groups.find((g) => g.kind === "terraform") ?? groups[0];
  const input = group.inputs[0];
  const kind = group.kind ?? api.detectInput(input.name, input.text);
  if (kind !== "api") {
    const result = usageOnError(() =>
      api.checkFiles(group.inputs.map(({ name, text }) => ({ path: name, text })), { format: kind, context, policies: true }),
    );
    const sets = result.configurations.filter((c) => c.policies);
    if (sets.length === 0) {
      process.stderr.write(`${input.name}: no replication configuration to derive policies from\n`);
      return 1;
    }
    if (as !== "json") {
      return emitConfigurations(group.inputs.map(({ name, text }) => ({ path: name, text })), kind, sets, as, opts.out);
    }
    if (sets.length === 1) {
      emitPolicies(sets[0].policies, opts.out);
    } else if (opts.out === undefined) {
      out(JSON.stringify(Object.fromEntries(sets.map((c) => [c.address, c.policies])), null, 2));
    } else {
      for (const c of sets) emitPolicies(c.policies, join(opts.out, c.address.replace(/[^A-Za-z0-9._-]/g, "_")));
    }
    return 0;
  }
  if (as !== "json") {
    const { value: code, status } = withDocument(input, () => api.emitPolicies(input.text, { to: as, context }));
    if (code === undefined) return status;
    emitCode(code, as, opts.out);
    return 0;
  }
  const { value: set, status } = withDocument(input, () => api.generatePolicies(input.text, context));
  if (set === undefined) return status;
  emitPolicies(set, opts.out);
  return 0;
}

module.exports = { policies };
