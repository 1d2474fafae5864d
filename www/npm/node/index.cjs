"use strict";
// Node entry for `require("s3-replication-lint")`: the wasm-bindgen Node glue (loaded
// synchronously) wrapped by the shared API, plus `checkFiles`, `convertFiles` and
// `emitPolicies` (their module is loaded on first use).
const glue = require("./s3_replication_lint.js");
const { createApi, DocumentError, InternalError, INTERNAL_ERROR_CODE } = require("../lib/api.cjs");
const { checkFiles, convertFiles, emitPolicies } = require("./iac.cjs");

// The rule docs are required only when `rules()` or SARIF output asks (CLI cold start).
let ruleData = null;
const api = createApi(() => glue, () => (ruleData ??= require("../lib/rules-data.cjs")));
/** "api", "cloudformation", "terraform" or "terraform-plan", from a file's name and text. */
const detectInput = (path, text) => glue.detectInput(String(path), String(text));
module.exports = { ...api, checkFiles, convertFiles, emitPolicies, detectInput, DocumentError, InternalError, INTERNAL_ERROR_CODE };
