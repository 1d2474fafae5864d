"use strict";
// Command-line arguments: `node:util`'s parseArgs, with the command's own messages for what
// it rejects, and the errors that mean "usage" (exit code 2).
const { parseArgs } = require("node:util");

const PROG = "s3-replication-lint";

/** The package version. */
const VERSION = require("../../package.json").version;

class UsageError extends Error {}

/**
 * Parse `argv` against `spec` ({ name: "value" | "flag" | "list" }): `{ opts, files }`.
 * `-h`/`--help` set `opts.help`; "-" and everything after "--" are files.
 */
function parse(argv, spec) {
  const options = { help: { type: "boolean", short: "h" } };
  for (const [name, kind] of Object.entries(spec)) {
    options[name] = kind === "flag" ? { type: "boolean" } : { type: "string", multiple: kind === "list" };
  }
  // Not strict: the tokens are checked below, so the messages stay the command's own.
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const opts = {};
  const files = [];
  for (const token of tokens) {
    if (token.kind === "positional") files.push(token.value);
    if (token.kind !== "option") continue;
    const arg = argv[token.index];
    if (arg === "-h" || arg === "--help") {
      opts.help = true;
      continue;
    }
    const name = token.name;
    const kind = arg.startsWith("--") && name !== "help" ? spec[name] : undefined;
    if (kind === undefined) throw new UsageError(`unknown option '${arg}'`);
    if (kind === "flag") {
      if (token.inlineValue) throw new UsageError(`option '--${name}' takes no value`);
      opts[name] = true;
      continue;
    }
    if (token.value === undefined) throw new UsageError(`option '--${name}' needs a value`);
    if (kind === "list") (opts[name] ??= []).push(token.value);
    else if (name in opts) throw new UsageError(`option '--${name}' given twice`);
    else opts[name] = token.value;
  }
  return { opts, files };
}

/** `value` when it is one of `allowed` (undefined when absent), else a usage error. */
function oneOf(value, allowed, option) {
  if (value === undefined) return undefined;
  if (!allowed.includes(value)) {
    throw new UsageError(`invalid value '${value}' for --${option}: expected ${allowed.join(", ")}`);
  }
  return value;
}

module.exports = { parse, oneOf, PROG, VERSION, UsageError };
