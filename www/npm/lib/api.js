// The public API over the wasm-bindgen glue, shared by every entry point (Node, web, bundler).
// It adds two things the glue lacks and decides nothing about documents:
//  - a Rust panic traps the wasm instance (WebAssembly.RuntimeError); the call then yields an
//    internal-error diagnostic (S3R099) and the module is re-instantiated for the next call;
//  - `version` is known before the module is loaded;
//  - the rule docs: `make pkg` moves them out of the .wasm (its size budget) into
//    `rules-data.js`, generated from the same module; `rules()` returns them from there and
//    SARIF output gets their descriptors back into the log the module renders;
//  - facts the module sends once are given their documented shape again (`hydratePolicySet`).


/** The package version (stamped by `make pkg`; equals the core crate's version). */
export const version = "0.0.0-dev";

/** Code of the diagnostic reported when the engine itself failed. */
export const INTERNAL_ERROR_CODE = "S3R099";

const START = { line: 1, column: 1, offset: 0 };

function internalDiagnostic(error) {
  const detail = error && error.message ? error.message : String(error);
  return {
    code: INTERNAL_ERROR_CODE,
    severity: "error",
    message: `Internal error in s3-replication-lint (${detail}). The document was not checked.`,
    help: "This is a bug in s3-replication-lint, not in your document: please report it with the input that caused it.",
    path: "",
    range: { start: START, end: START },
  };
}

/** Thrown by every function except `check` when the engine itself failed. */
export class InternalError extends Error {
  constructor(cause) {
    const diagnostic = internalDiagnostic(cause);
    super(diagnostic.message);
    this.name = "InternalError";
    this.code = INTERNAL_ERROR_CODE;
    this.diagnostic = diagnostic;
    this.cause = cause;
  }
}

/** Thrown when a function needs a readable document and the text is not one. */
export class DocumentError extends Error {
  constructor(diagnostics) {
    const first = diagnostics[0];
    const where = first ? ` (line ${first.range.start.line}, column ${first.range.start.column})` : "";
    super(
      first
        ? `The document could not be read: ${first.message}${where}`
        : "The document could not be read as a ReplicationConfiguration.",
    );
    this.name = "DocumentError";
    this.diagnostics = diagnostics;
  }
}

/**
 * A policy set as the module sends it (each document's `policy` and the `reasons` of its
 * statements) -> the documented `PolicySet`: `text` (the policy pretty-printed, byte for byte
 * what the core writes) and `statements` (`sid` from the policy, `reason`) are derived on
 * access. Plain enumerable getters, so `JSON.stringify` writes the documented shape.
 */
export function hydratePolicySet(set) {
  if (set === undefined || set === null) return set;
  return {
    documents: set.documents.map(({ kind, title, attachTo, howToApply, policy, reasons }) => {
      let text;
      return {
        kind,
        title,
        attachTo,
        howToApply,
        policy,
        get text() {
          return (text ??= JSON.stringify(policy, null, 2));
        },
        get statements() {
          const list = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
          return list.map((s, i) => ({ sid: s.Sid, reason: reasons[i] }));
        },
      };
    }),
    complete: set.complete,
    placeholders: set.placeholders,
    notes: set.notes,
  };
}

/**
 * Line (1-based), UTF-16 column (1-based) and byte offset of `offset` in the UTF-8 `bytes`,
 * as the core computes them (lines end at "\n"). `starts`: the byte offset of each line.
 */
function position(bytes, starts, offset) {
  const o = Math.min(offset, bytes.length);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= o) lo = mid;
    else hi = mid - 1;
  }
  let column = 1;
  for (let i = starts[lo]; i < o; i++) {
    const b = bytes[i];
    // A lead byte is one UTF-16 unit, a 4-byte sequence's two; continuation bytes none.
    if ((b & 0xc0) !== 0x80) column += b >= 0xf0 ? 2 : 1;
  }
  return { line: lo + 1, column, offset: o };
}

function lineStarts(bytes) {
  const starts = [0];
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * `check`'s diagnostics as the module sends them (byte `span`s, `help` by index into
 * `helps`) -> the documented `Diagnostic`s: `range` (and the ranges of `related` and fix
 * edits) derived from the document's bytes (`documentBytes()`, asked for on the first range
 * read) on first access, fields in the documented order.
 */
function hydrateDiagnostics(list, helps, documentBytes) {
  let bytes;
  let starts;
  const range = ([start, end]) => {
    bytes ??= documentBytes();
    starts ??= lineStarts(bytes);
    return { start: position(bytes, starts, start), end: position(bytes, starts, end) };
  };
  const withRange = (object, span) => {
    let value;
    Object.defineProperty(object, "range", {
      get: () => (value ??= range(span)),
      set: (v) => {
        value = v;
      },
      enumerable: true,
      configurable: true,
    });
    return object;
  };
  return list.map(({ code, severity, message, help, path, span, related, fix }) => {
    const d = help === undefined ? { code, severity, message, path } : { code, severity, message, help: helps[help], path };
    withRange(d, span);
    if (related !== undefined) d.related = related.map((r) => Object.assign(withRange({}, r.span), { message: r.message }));
    if (fix !== undefined) {
      d.fix = { title: fix.title, edits: fix.edits.map((e) => Object.assign(withRange({}, e.span), { newText: e.newText })) };
    }
    return d;
  });
}

/** The encryption names `simulate` understands. */
const ENCRYPTIONS = ["none", "SSE-S3", "SSE-KMS", "DSSE-KMS", "SSE-C"];

/**
 * An object's tags as `[key, value, key, value, ...]`, from `{ key: value }`, `[[key, value]]`,
 * `[{ key, value }]` or the SDK's `[{ Key, Value }]`.
 */
function tagList(tags) {
  if (tags === undefined || tags === null) return [];
  const bad = (at) =>
    new TypeError(
      `invalid object: ${at} must be a tag: tags are { key: value } or an array of [key, value] pairs or { key, value } objects, with string keys and values`,
    );
  const out = [];
  const add = (key, value, at) => {
    if (typeof key !== "string" || typeof value !== "string") throw bad(at);
    out.push(key, value);
  };
  if (Array.isArray(tags)) {
    tags.forEach((tag, i) => {
      const at = `tags[${i}]`;
      if (Array.isArray(tag)) {
        if (tag.length !== 2) throw bad(at);
        add(tag[0], tag[1], at);
      } else if (tag !== null && typeof tag === "object") {
        if ("key" in tag || "value" in tag) add(tag.key, tag.value, at);
        else add(tag.Key, tag.Value, at);
      } else {
        throw bad(at);
      }
    });
  } else if (typeof tags === "object") {
    for (const [key, value] of Object.entries(tags)) add(key, value, `tags[${JSON.stringify(key)}]`);
  } else {
    throw bad("tags");
  }
  return out;
}

function isTrap(error) {
  return typeof WebAssembly !== "undefined" && error instanceof WebAssembly.RuntimeError;
}

function guessFormat(text) {
  const first = typeof text === "string" ? text.trimStart().charAt(0) : "";
  return first === "{" || first === "[" ? "json" : "xml";
}

/**
 * Build the API over `bindings()`, which returns the loaded glue module (or throws when it is
 * not loaded yet). `bindings().__wbg_reset_state()` re-instantiates the module. `ruleData()`
 * returns `{ RULES, SARIF_RULES }` (lib/rules-data.js): asked for only by `rules()` and
 * SARIF output, so a command that prints neither does not load the ~0.5 MB of docs.
 */
export function createApi(bindings, ruleData) {
  function call(name, args) {
    const glue = bindings();
    try {
      return glue[name](...args);
    } catch (error) {
      if (!isTrap(error)) throw error;
      try {
        glue.__wbg_reset_state();
      } catch (resetError) {
        throw new InternalError(resetError);
      }
      throw new InternalError(error);
    }
  }

  function text(value, what) {
    if (typeof value !== "string") {
      throw new TypeError(`${what} must be a string, got ${value === null ? "null" : typeof value}`);
    }
    return value;
  }

  // `check` takes the document as UTF-8 bytes (see `check` in core/src/wasm/check.rs), encoded into
  // one reused buffer (at most 4 MiB, kept): `encode` allocates a fresh one per call, 0.3-0.7 ms
  // at 1000 rules against ~0.1 ms; the glue copies the bytes into the module's memory anyway.
  const utf8 = new TextEncoder();
  const SCRATCH_MAX = 4 << 20;
  let scratch = new Uint8Array(0);
  function utf8Bytes(source) {
    if (source.length > SCRATCH_MAX) return utf8.encode(source);
    if (scratch.length < source.length) {
      scratch = new Uint8Array(Math.min(SCRATCH_MAX, Math.max(2 * source.length, 1 << 16)));
    }
    const { read, written } = utf8.encodeInto(source, scratch);
    // Text that grows past the buffer when encoded (mostly non-ASCII) takes the plain path.
    return read === source.length ? scratch.subarray(0, written) : utf8.encode(source);
  }
  // Structured values cross into the module as JSON text and come back as JSON text.
  const json = (value) => (value === undefined || value === null ? undefined : JSON.stringify(value));
  const parsed = (name, args) => JSON.parse(call(name, args));

  // The module renders SARIF with docs-less rule descriptors; put the real ones back
  // (serde_json's pretty form is JSON.stringify's with two-space indentation).
  function withRuleDocs(sarif) {
    const log = JSON.parse(sarif);
    const { SARIF_RULES } = ruleData();
    for (const run of log.runs) run.tool.driver.rules = SARIF_RULES;
    return `${JSON.stringify(log, null, 2)}\n`;
  }
  const RENDERS = ["none", "text", "text-color", "json", "sarif"];
  function renderOption(value, what) {
    if (value === undefined || value === null) return undefined;
    if (!RENDERS.includes(value)) {
      throw new TypeError(`invalid ${what}: render ${JSON.stringify(value)} is not one of ${RENDERS.map((r) => JSON.stringify(r)).join(", ")}`);
    }
    return value;
  }

  // `{ result?, diagnostics }` from the core -> the result, or a DocumentError.
  function outcome(value) {
    if (value.result === undefined || value.result === null) throw new DocumentError(value.diagnostics);
    return value.result;
  }

  // Plain-object arguments are spread into the module's parameters; unknown keys are errors,
  // so a typo is not silently ignored.
  function fields(value, what, allowed) {
    if (value === undefined || value === null) return {};
    if (typeof value !== "object" || Array.isArray(value)) throw new TypeError(`invalid ${what}: expected an object`);
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        throw new TypeError(`invalid ${what}: unknown field \`${key}\`, expected one of ${allowed.map((k) => `\`${k}\``).join(", ")}`);
      }
    }
    return value;
  }
  // `render: "text"` (the result as the CLI's text) or nothing (the structured result).
  function textRender(value, what) {
    if (value === undefined || value === null || value === "none") return false;
    if (value !== "text") throw new TypeError(`invalid ${what}: render ${JSON.stringify(value)} is not one of "none", "text"`);
    return true;
  }
  const optionalText = (value, what) => (value === undefined || value === null ? undefined : text(value, what));

  // `simulate`'s object, spread into the module's arguments (tags as a flat key/value list).
  function objectArgs(object) {
    if (object === undefined || object === null || typeof object !== "object" || Array.isArray(object)) {
      throw new TypeError('invalid object: expected an object such as { key: "photos/cat.jpg" }');
    }
    const o = fields(object, "object", ["key", "tags", "encryption", "deleteMarker", "isReplica"]);
    if (typeof o.key !== "string") throw new TypeError("invalid object: key must be a string");
    const encryption = o.encryption === undefined || o.encryption === null ? "none" : o.encryption;
    if (!ENCRYPTIONS.includes(encryption)) {
      throw new TypeError(`invalid object: encryption must be one of ${ENCRYPTIONS.map((e) => `"${e}"`).join(", ")}`);
    }
    const flag = (value, name) => {
      if (value === undefined || value === null) return false;
      if (typeof value !== "boolean") throw new TypeError(`invalid object: ${name} must be a boolean`);
      return value;
    };
    return [o.key, tagList(o.tags), encryption, flag(o.deleteMarker, "deleteMarker"), flag(o.isReplica, "isReplica")];
  }

  return {
    check(source, options) {
      text(source, "text");
      const o = fields(options, "check options", ["format", "context", "policies", "render", "file"]);
      const format = optionalText(o.format, "check options: format");
      const render = renderOption(o.render, "check options");
      const file = optionalText(o.file, "check options: file");
      try {
        const result = parsed("check", [utf8Bytes(source), format, json(o.context), o.policies === true, render, file]);
        // Ranges are derived on access, after later calls may have reused the encoding
        // buffer: the text is encoded again then, only if a range is read (a copy of the
        // bytes on every call cost ~0.4 ms at 1000 rules, read or not).
        result.diagnostics = hydrateDiagnostics(result.diagnostics, result.helps, () => utf8.encode(source));
        delete result.helps;
        if (result.policies !== undefined) result.policies = hydratePolicySet(result.policies);
        if (render === "sarif") result.rendered = withRuleDocs(result.rendered);
        return result;
      } catch (error) {
        if (!(error instanceof InternalError)) throw error;
        const format = options && (options.format === "xml" || options.format === "json")
          ? options.format
          : guessFormat(source);
        return { format, diagnostics: [error.diagnostic] };
      }
    },
    checkDocuments(files, options) {
      if (!Array.isArray(files)) throw new TypeError("invalid files: expected an array of { file: string, text: string }");
      const o = fields(options, "check options", ["format", "context", "render"]);
      const render = renderOption(o.render, "check options") ?? "text";
      if (render === "none") throw new TypeError('invalid check options: checkDocuments needs a render other than "none"');
      const names = files.map((f, i) => text(f && f.file, `files[${i}].file`));
      const texts = files.map((f, i) => text(f && f.text, `files[${i}].text`));
      const result = parsed("checkDocuments", [names, texts, optionalText(o.format, "check options: format"), json(o.context), render]);
      if (render === "sarif") result.rendered = withRuleDocs(result.rendered);
      return result;
    },
    generatePolicies(source, context) {
      return hydratePolicySet(outcome(parsed("generatePolicies", [text(source, "text"), json(context)])));
    },
    auditPolicies(source, policies, context, options) {
      const p = fields(policies, "policies", ["role", "trust", "keyPolicies", "bucketPolicy"]);
      const keys = p.keyPolicies === undefined || p.keyPolicies === null ? [] : p.keyPolicies;
      if (!Array.isArray(keys)) throw new TypeError("invalid policies: keyPolicies must be an array of strings");
      const o = fields(options, "audit options", ["render", "files"]);
      const render = renderOption(o.render, "audit options");
      // The names each file is shown by, when rendering: configuration, role, trust, bucket policy, key policies.
      const f = fields(o.files, "audit options: files", ["configuration", "role", "trust", "bucketPolicy", "keyPolicies"]);
      const name = (value, what) => optionalText(value, `audit options: files.${what}`) ?? "";
      const keyNames = Array.isArray(f.keyPolicies) ? f.keyPolicies : [];
      const names = render === undefined || render === "none"
        ? []
        : [
            optionalText(f.configuration, "audit options: files.configuration") ?? "<input>",
            name(f.role, "role"),
            name(f.trust, "trust"),
            name(f.bucketPolicy, "bucketPolicy"),
            ...keys.map((_, i) => name(keyNames[i], `keyPolicies[${i}]`)),
          ];
      const result = outcome(
        parsed("auditPolicies", [
          text(source, "text"),
          optionalText(p.role, "policies: role"),
          optionalText(p.trust, "policies: trust"),
          keys.map((k, i) => text(k, `policies: keyPolicies[${i}]`)),
          optionalText(p.bucketPolicy, "policies: bucketPolicy"),
          json(context),
          render,
          names,
        ]),
      );
      if (render === "sarif") result.rendered = withRuleDocs(result.rendered);
      return result;
    },
    simulate(source, object, context, options) {
      const args = objectArgs(object);
      const o = fields(options, "simulate options", ["render", "file"]);
      const asText = textRender(o.render, "simulate options");
      const file = asText ? (optionalText(o.file, "simulate options: file") ?? "<input>") : undefined;
      return outcome(parsed("simulate", [text(source, "text"), ...args, json(context), file]));
    },
    explain(source, context, options) {
      const o = fields(options, "explain options", ["render"]);
      return outcome(parsed("explain", [text(source, "text"), json(context), textRender(o.render, "explain options")]));
    },
    convert(source, to) {
      return outcome(parsed("convert", [text(source, "text"), text(to, "the target format")]));
    },
    rules() {
      // A fresh copy per call, as when it came from the module.
      return JSON.parse(JSON.stringify(ruleData().RULES));
    },
    renderUnreadable(source, file, options) {
      const o = fields(options, "render options", ["color", "to"]);
      const to = optionalText(o.to, "render options: to");
      return call("renderUnreadable", [text(source, "text"), text(file, "file"), o.color === true, to]);
    },
    version,
  };
}
