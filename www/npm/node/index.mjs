// Node entry for `import ... from "s3-replication-lint"`: re-exports the CommonJS entry.
import { createRequire } from "node:module";

const api = createRequire(import.meta.url)("./index.cjs");

export const check = api.check;
export const checkFiles = api.checkFiles;
export const convertFiles = api.convertFiles;
export const emitPolicies = api.emitPolicies;
export const detectInput = api.detectInput;
export const generatePolicies = api.generatePolicies;
export const auditPolicies = api.auditPolicies;
export const simulate = api.simulate;
export const explain = api.explain;
export const convert = api.convert;
export const rules = api.rules;
export const checkDocuments = api.checkDocuments;
export const renderUnreadable = api.renderUnreadable;
export const version = api.version;
export const DocumentError = api.DocumentError;
export const InternalError = api.InternalError;
export const INTERNAL_ERROR_CODE = api.INTERNAL_ERROR_CODE;
