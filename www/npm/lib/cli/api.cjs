"use strict";
// The package API as the CLI uses it. The module (its compile is most of a cold start) loads
// on the first use, so `--help` and `--version` do not pay for it.
const { UsageError } = require("./args.cjs");

let loaded = null;
const api = new Proxy({}, { get: (_, name) => (loaded ??= require("../../node/index.cjs"))[name] });

/** Wrap API errors caused by bad arguments (invalid context fields, ...) as usage errors. */
function usageOnError(fn) {
  try {
    return fn();
  } catch (error) {
    if (error instanceof api.DocumentError || error instanceof api.InternalError) throw error;
    throw new UsageError(error.message);
  }
}

/** Run `fn` (an API call needing a readable document): `{ value }`, or `{ status: 1 }` after
 * printing why the document could not be read (`to`: the conversion's target, for convert). */
function withDocument(input, fn, to) {
  try {
    return { value: usageOnError(fn) };
  } catch (error) {
    if (error instanceof api.DocumentError) return { status: documentFailed(error, input, to) };
    throw error;
  }
}

/** A DocumentError: show why the configuration could not be read; exit 1. */
function documentFailed(error, input, to) {
  const color = Boolean(process.stderr.isTTY) && !process.env.NO_COLOR;
  process.stderr.write(`${api.renderUnreadable(input.text, input.name, { color, to })}\n`);
  process.stderr.write(`${input.name}: ${error.message}\n`);
  return 1;
}

module.exports = { usageOnError, withDocument, documentFailed, api };
