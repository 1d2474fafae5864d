"use strict";
// `rules`: the list of rules, or one rule's documentation.
const { PROG, parse, oneOf, UsageError } = require("../args.cjs");
const { api } = require("../api.cjs");
const { out } = require("../output.cjs");

function rules(argv) {
  const { opts, files } = parse(argv, { format: "value" });
  if (opts.help) return out(require("../help.cjs").HELP.rules), 0;
  const format = oneOf(opts.format, ["text", "json"], "format") ?? "text";
  const all = api.rules();
  if (files.length > 1) throw new UsageError("rules takes at most one CODE");
  if (files.length === 1) {
    const rule = all.find((r) => r.code === files[0].toUpperCase() || r.name === files[0]);
    if (!rule) throw new UsageError(`no rule '${files[0]}' (run '${PROG} rules' for the list)`);
    out(format === "json" ? JSON.stringify(rule, null, 2) : `# ${rule.code} ${rule.name} (${rule.severity})\n\n${rule.summary}\n\n${rule.docs}`);
    return 0;
  }
  if (format === "json") {
    out(JSON.stringify(all, null, 2));
  } else {
    const width = Math.max(...all.map((r) => r.name.length));
    for (const r of all) out(`${r.code}  ${r.severity.padEnd(7)}  ${r.name.padEnd(width)}  ${r.summary}`);
  }
  return 0;
}

module.exports = { rules };
