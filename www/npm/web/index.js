// Browser / ES-module entry: `import init, { check } from "s3-replication-lint/web"`.
// Call `await init()` (fetches the .wasm next to this file, or the URL/bytes you pass) or
// `initSync(bytesOrModule)` once before any other function.
import * as glue from "./s3_replication_lint.js";
import { createApi, DocumentError, InternalError, INTERNAL_ERROR_CODE } from "../lib/api.js";
import * as ruleData from "../lib/rules-data.js";

let loaded = false;

export default async function init(input) {
  if (!loaded) {
    await glue.default(input === undefined ? undefined : { module_or_path: input });
    loaded = true;
  }
}

export function initSync(module) {
  if (!loaded) {
    glue.initSync({ module });
    loaded = true;
  }
}

export { init, DocumentError, InternalError, INTERNAL_ERROR_CODE };

const api = createApi(() => {
  if (!loaded) {
    throw new Error("s3-replication-lint: the WebAssembly module is not loaded yet; call `await init()` first");
  }
  return glue;
}, () => ruleData);

export const check = api.check;
export const generatePolicies = api.generatePolicies;
export const auditPolicies = api.auditPolicies;
export const simulate = api.simulate;
export const explain = api.explain;
export const convert = api.convert;
export const rules = api.rules;
export const checkDocuments = api.checkDocuments;
export const renderUnreadable = api.renderUnreadable;
export const version = api.version;
