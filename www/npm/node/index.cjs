"use strict";
// Node entry for `require("s3-replication-lint")`: the wasm-bindgen Node glue (loaded
// synchronously) wrapped by the shared API.
const glue = require("./s3_replication_lint.js");
const { createApi, DocumentError, InternalError, INTERNAL_ERROR_CODE } = require("../lib/api.cjs");

const api = createApi(() => glue);
module.exports = { ...api, DocumentError, InternalError, INTERNAL_ERROR_CODE };
