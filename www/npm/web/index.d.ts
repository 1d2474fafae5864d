// The web (ES module) entry: the same API, loaded explicitly.
export * from "../index.js";

/** Where to load the module from: a URL, a fetch Response, bytes or a compiled module. */
export type InitInput =
  | string
  | URL
  | Request
  | Response
  | BufferSource
  | WebAssembly.Module
  | Promise<Response | BufferSource | WebAssembly.Module>;

/**
 * Load the WebAssembly module (once; later calls do nothing). Without an argument it fetches
 * `s3_replication_lint_bg.wasm` next to this file.
 */
export default function init(input?: InitInput): Promise<void>;
export { init };

/** Load synchronously from bytes or a compiled module (e.g. in Node or a worker). */
export declare function initSync(module: BufferSource | WebAssembly.Module): void;
