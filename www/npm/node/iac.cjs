"use strict";
// Templates, modules and plans (CloudFormation, Terraform, `terraform show -json`). Their
// parsers live in a second WebAssembly module, loaded on the first call: they do not fit the
// core module's size budget, and most callers never need them.

const { DocumentError, InternalError, hydratePolicySet } = require("../lib/api.cjs");

const GLUE = "../iac/node/s3_replication_lint.js";
const INTERNAL_ERROR_CODE = "S3R099";
let glue;

function load() {
  if (!glue) glue = require(GLUE);
  return glue;
}

/** Forget a trapped instance: the next call loads a fresh one. */
function reset() {
  glue = undefined;
  try {
    delete require.cache[require.resolve(GLUE)];
  } catch {
    // Nothing cached.
  }
}

const KINDS = ["auto", "api", "cloudformation", "terraform", "terraform-plan"];
const RENDERS = ["none", "text", "text-color", "json", "sarif"];

function checkFiles(files, options = {}) {
  if (!Array.isArray(files) || files.some((f) => !f || typeof f.path !== "string" || typeof f.text !== "string")) {
    throw new TypeError("invalid files: expected an array of { path: string, text: string }");
  }
  const { format = "auto", context, policies = false, render = "none" } = options ?? {};
  if (!KINDS.includes(format)) {
    throw new TypeError(`invalid check options: format ${JSON.stringify(format)} is not one of ${KINDS.map((k) => JSON.stringify(k)).join(", ")}`);
  }
  if (!RENDERS.includes(render)) {
    throw new TypeError(`invalid check options: render ${JSON.stringify(render)} is not one of ${RENDERS.map((k) => JSON.stringify(k)).join(", ")}`);
  }
  let json;
  try {
    json = load().checkFiles(
      JSON.stringify(files),
      format,
      context === undefined || context === null ? undefined : JSON.stringify(context),
      Boolean(policies),
      render,
    );
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) {
      reset();
      const detail = error && error.message ? error.message : String(error);
      const start = { line: 1, column: 1, offset: 0 };
      return {
        configurations: [],
        files: files.map((f) => ({
          file: f.path,
          kind: format,
          diagnostics: [
            {
              code: INTERNAL_ERROR_CODE,
              severity: "error",
              message: `Internal error in s3-replication-lint (${detail}). The file was not checked.`,
              help: "This is a bug in s3-replication-lint, not in your file: please report it with the input that caused it.",
              path: "",
              range: { start, end: start },
            },
          ],
        })),
      };
    }
    throw error;
  }
  const result = JSON.parse(json);
  for (const c of result.configurations) {
    if (c.policies !== undefined) c.policies = hydratePolicySet(c.policies);
  }
  return result;
}

/**
 * Each configuration of templates, a module or a plan as the PutBucketReplication document it
 * deploys, in "xml" or "json": `{ configurations: [{ address, file, text?, diagnostics,
 * unknowns }], files }`.
 */
function convertFiles(files, options = {}) {
  if (!Array.isArray(files) || files.some((f) => !f || typeof f.path !== "string" || typeof f.text !== "string")) {
    throw new TypeError("invalid files: expected an array of { path: string, text: string }");
  }
  const { format = "auto", to } = options ?? {};
  if (!KINDS.includes(format)) {
    throw new TypeError(`invalid convert options: format ${JSON.stringify(format)} is not one of ${KINDS.map((k) => JSON.stringify(k)).join(", ")}`);
  }
  try {
    return JSON.parse(load().convertFiles(JSON.stringify(files), format, String(to)));
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) reset();
    throw error;
  }
}

const TARGETS = ["terraform", "cloudformation"];

/**
 * The policies a replication configuration (XML or AWS CLI JSON) needs, as Terraform or a
 * CloudFormation template: the code, as text. `bindings` name the user's resources
 * (`[{ value, terraform?, cloudformation?: [logicalId, attribute | null] }]`): their values
 * are written as references. Throws a DocumentError when the text is not a readable
 * configuration.
 */
function emitPolicies(text, options = {}) {
  if (typeof text !== "string") {
    throw new TypeError(`text must be a string, got ${text === null ? "null" : typeof text}`);
  }
  const { to, context, bindings } = options ?? {};
  if (!TARGETS.includes(to)) {
    throw new TypeError(`invalid emit options: to ${JSON.stringify(to)} is not one of ${TARGETS.map((k) => JSON.stringify(k)).join(", ")}`);
  }
  if (bindings !== undefined && bindings !== null && !Array.isArray(bindings)) {
    throw new TypeError("invalid emit options: bindings must be an array of { value, terraform?, cloudformation? }");
  }
  let value;
  try {
    value = JSON.parse(
      load().emitPolicies(
        text,
        context === undefined || context === null ? undefined : JSON.stringify(context),
        to,
        bindings === undefined || bindings === null ? undefined : JSON.stringify(bindings),
      ),
    );
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) {
      reset();
      throw new InternalError(error);
    }
    throw error;
  }
  if (value.result === undefined || value.result === null) throw new DocumentError(value.diagnostics);
  return value.result;
}

module.exports = { checkFiles, convertFiles, emitPolicies };
