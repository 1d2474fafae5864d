// `s3-replication-lint/editor`: importing this module defines <s3-replication-editor> (the
// live editor in a shadow root) and exports `mount(element, options)`. The element's code,
// its stylesheet and the editor's WebAssembly (built from web/ by `make pkg`) sit next to
// this file; the module is fetched and instantiated once per page, however many editors.
export { mount, load, S3ReplicationEditor } from "./s3-replication-editor.js";
