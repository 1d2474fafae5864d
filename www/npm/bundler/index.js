// Entry for bundlers and browsers importing "s3-replication-lint" (not Node): loads the
// module with top-level await from the .wasm beside the web entry. webpack 5, Vite and Parcel
// emit that file because of the `new URL(..., import.meta.url)` below; with esbuild, copy
// web/s3_replication_lint_bg.wasm next to your bundle (see README).
import init from "../web/index.js";

await init(new URL("../web/s3_replication_lint_bg.wasm", import.meta.url));

export { check, generatePolicies, auditPolicies, simulate, explain, convert, rules, checkDocuments, renderUnreadable, version, DocumentError, InternalError, INTERNAL_ERROR_CODE } from "../web/index.js";
