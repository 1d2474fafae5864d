"use strict";
// Printing what the core rendered.

/** Whether text output may carry ANSI colours. */
const color = () => Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

/** Print `s`, ending with one newline. */
const out = (s) => process.stdout.write(s.endsWith("\n") ? s : `${s}\n`);

/** `"text-color"` for text on a terminal, else `format` itself. */
const renderOf = (format) => (format === "text" && color() ? "text-color" : format);

/** Merge SARIF logs into one run: results concatenated, rule descriptors once each. */
function mergeSarif(logs) {
  const [first, ...rest] = logs.map((l) => JSON.parse(l));
  const run = first.runs[0];
  const ids = new Set((run.tool.driver.rules ?? []).map((r) => r.id));
  for (const log of rest) {
    const other = log.runs[0];
    for (const r of other.tool.driver.rules ?? []) {
      if (!ids.has(r.id)) {
        ids.add(r.id);
        run.tool.driver.rules.push(r);
      }
    }
    run.results.push(...(other.results ?? []));
    if (other.artifacts) run.artifacts = [...(run.artifacts ?? []), ...other.artifacts];
  }
  return JSON.stringify(first, null, 2);
}

module.exports = { mergeSarif, color, out, renderOf };
