// TypeScript declarations of the s3-replication-lint package: the functions, their options
// and the envelopes the JS wrapper builds, by hand. The values the WebAssembly core returns
// (diagnostics, policies, simulations, ...) are declared in types.d.ts, generated from the
// Rust types (core/tests/typescript_fresh.rs). No `any` anywhere.

import type {
  ConfigurationReport,
  DeploymentContext,
  Diagnostic,
  DocumentFormat,
  Explanation,
  FileResult,
  InputKind,
  ObjectEncryption,
  PolicyBinding,
  PolicySet,
  RuleInfo,
  Simulation,
} from "./types.js";

export * from "./types.js";

/** The version of the package (and of the Rust core inside it). */
export declare const version: string;

/** Code of the diagnostic reported when the engine itself failed (a bug, not your input). */
export declare const INTERNAL_ERROR_CODE: "S3R099";

export interface CheckOptions {
  /** `"auto"` (default) detects XML (`<`) or JSON (`{`). */
  format?: "auto" | DocumentFormat;
  context?: DeploymentContext;
  /** Also generate the policies (`CheckResult.policies`). */
  policies?: boolean;
  /** Also render the diagnostics as the CLI prints them (`CheckResult.rendered`). */
  render?: RenderOutput;
  /** The document's name in `rendered` (default `<input>`). */
  file?: string;
}

/**
 * What the CLI prints: code frames and a summary line (`"text"`, `"text-color"` with ANSI
 * colours), the JSON array of diagnostics each with `file` (`"json"`), or a SARIF 2.1.0 log
 * (`"sarif"`). `"none"`: nothing rendered.
 */
export type RenderOutput = "none" | "text" | "text-color" | "json" | "sarif";

export interface CheckResult {
  format: DocumentFormat;
  /** Sorted by position. */
  diagnostics: Diagnostic[];
  /** With `options.policies`, when the document could be read. */
  policies?: PolicySet;
  /** With `options.render`: the output, ending with a newline. */
  rendered?: string;
}

/** Output rendered by the core, and whether it holds an error (the CLI's exit code 1). */
export interface RenderedCheck {
  rendered: string;
  errors: boolean;
}

/** The user's current policies, as JSON texts. Any may be left out. */
export interface UserPolicies {
  /** Permissions policy of the replication role. */
  role?: string;
  /** Trust policy of the replication role. */
  trust?: string;
  /** Key policies of the source and replica KMS keys, in any order. */
  keyPolicies?: string[];
  /** Bucket policy of the destination bucket (cross-account). */
  bucketPolicy?: string;
}

/** One tag: `[key, value]`, `{ key, value }` or the AWS SDK's `{ Key, Value }`. */
export type ObjectTag =
  | readonly [key: string, value: string]
  | { readonly key: string; readonly value: string }
  | { readonly Key: string; readonly Value: string };

/** The object `simulate` follows through the rules. */
export interface SimulatedObject {
  /** The object key, e.g. `ledger/2024/01.csv`. */
  key: string;
  /** The tags the object had when it was uploaded: `{ env: "prod" }` or a list of tags. */
  tags?: { readonly [key: string]: string } | readonly ObjectTag[];
  /** Default `"none"`. */
  encryption?: ObjectEncryption;
  /** The version is a delete marker (created by a DELETE without a version ID). */
  deleteMarker?: boolean;
  /** The object was itself written by replication. */
  isReplica?: boolean;
}

/** A document to check with `checkDocuments`. */
export interface NamedDocument {
  /** Path or name shown to users and written as the SARIF artifact location. */
  file: string;
  text: string;
}

/**
 * Parse and check a replication configuration (XML or AWS CLI JSON). Never throws for a bad
 * document: problems are diagnostics. Throws `Error` for invalid options.
 */
export declare function check(text: string, options?: CheckOptions): CheckResult;

/**
 * Check several documents (XML or AWS CLI JSON) and render them together, as the CLI prints
 * them: one summary line for all (`N files: ...`), one SARIF run.
 */
export declare function checkDocuments(
  files: readonly NamedDocument[],
  options?: { format?: "auto" | DocumentFormat; context?: DeploymentContext; render?: Exclude<RenderOutput, "none"> },
): RenderedCheck;

/** The language of a file, from its name and its text. */
export declare function detectInput(path: string, text: string): InputKind;

/** One file of a template set or a Terraform module. */
export interface SourceFile {
  /** Shown in results and used to detect the language (`.tf`, `.yaml`, ...). */
  path: string;
  text: string;
}

export interface CheckFilesOptions {
  /** What the files are; `"auto"` (default) detects it from the first file. */
  format?: "auto" | InputKind;
  /** Overrides, field by field, what the code states. */
  context?: DeploymentContext;
  /** Also generate each configuration's policies. */
  policies?: boolean;
  /** Also render the whole result as the CLI prints it. */
  render?: "none" | "text" | "text-color" | "json" | "sarif";
}

/**
 * One replication configuration of a template, module or plan. Paths in its diagnostics are
 * in the file's terms, e.g. `...main.rule[0].destination.bucket`; `context` is what the code
 * states, overridden by `options.context`; a managed policy attached from elsewhere is listed
 * in `audits` as `attached-policy`. Pass `bindings` to `emitPolicies`.
 */
export interface ConfigurationResult extends ConfigurationReport {
  /**
   * The PutBucketReplication document it deploys, as AWS CLI JSON; values the code does not
   * fix are written as `${expression}`. Pass it with `context` to `simulate` or `explain`.
   * Absent when structural errors (S3R0xx) block the translation.
   */
  document?: string;
  /** With `options.policies`: the least-privilege policies it needs. */
  policies?: PolicySet;
}

export interface CheckFilesResult {
  configurations: ConfigurationResult[];
  files: FileResult[];
  /** With `options.render`. */
  rendered?: string;
}

/**
 * Check CloudFormation templates, a Terraform module (pass all its `.tf` files; those of its
 * local child modules with their directories, e.g. `modules/replication/main.tf`, are read
 * through the `module` blocks that call them) or a Terraform plan. Their readers are a
 * second WebAssembly module, loaded on the first call (Node only for now).
 */
export declare function checkFiles(files: SourceFile[], options?: CheckFilesOptions): CheckFilesResult;

/** One configuration as the PutBucketReplication document it deploys. */
export interface ConvertedConfiguration {
  address: string;
  file: string;
  /** The document; absent when structural errors block the conversion (see `diagnostics`). */
  text?: string;
  diagnostics: Diagnostic[];
  /** How many values the code does not fix; they are written as `${expression}`. */
  unknowns: number;
}

export interface ConvertFilesOptions {
  format?: "auto" | InputKind;
  to: "xml" | "json";
}

export interface ConvertFilesResult {
  configurations: ConvertedConfiguration[];
  files: FileResult[];
}

/** Each configuration of templates, a module or a plan as XML or AWS CLI JSON. */
export declare function convertFiles(files: SourceFile[], options: ConvertFilesOptions): ConvertFilesResult;

export interface EmitPoliciesOptions {
  to: "terraform" | "cloudformation";
  context?: DeploymentContext;
  /** Values your code names (from `checkFiles`' configurations): emitted as references. */
  bindings?: PolicyBinding[];
}

/**
 * The policies the configuration needs as code: Terraform (`aws_iam_policy_document` data
 * sources, the role, its policies, the destination bucket policy; placeholders as variables)
 * or a CloudFormation template (placeholders as parameters; key policy additions under
 * `Metadata`). Same statements, actions and conditions as `generatePolicies`. Throws
 * `DocumentError` when the text is not a readable configuration. Node only for now (its
 * module is loaded on first use, like `checkFiles`'s).
 */
export declare function emitPolicies(text: string, options: EmitPoliciesOptions): string;

/**
 * The policies the configuration needs (role permissions, trust, KMS key and destination
 * bucket policies). Throws `DocumentError` when the text is not a readable configuration.
 */
export declare function generatePolicies(text: string, context?: DeploymentContext): PolicySet;

/**
 * Compare the user's policies with what the configuration needs. Each diagnostic's range
 * points into the policy text it is about; its `path` starts with `/role`, `/trust`,
 * `/keyPolicies/<i>` or `/bucketPolicy`. Throws `DocumentError` when the configuration
 * cannot be read.
 */
export declare function auditPolicies(
  text: string,
  policies: UserPolicies,
  context: DeploymentContext | undefined,
  options: AuditOptions & { render: Exclude<RenderOutput, "none"> },
): RenderedCheck;
export declare function auditPolicies(
  text: string,
  policies: UserPolicies,
  context?: DeploymentContext,
  options?: AuditOptions,
): Diagnostic[];

/**
 * With `render`, `auditPolicies` returns the findings as the CLI prints them, each in the
 * file it points into (`files` names them; default `<input>` for the configuration).
 */
export interface AuditOptions {
  render?: RenderOutput;
  files?: AuditFileNames;
}

/** The names `auditPolicies` shows each file by when rendering. */
export interface AuditFileNames {
  configuration?: string;
  role?: string;
  trust?: string;
  bucketPolicy?: string;
  keyPolicies?: string[];
}

/**
 * Follow one object through the rules: per destination, whether and how it is replicated
 * and which rule governs; per rule, whether it matched and why (not). Throws `DocumentError`
 * when the text is not a readable configuration, `TypeError` for an invalid object.
 */
export declare function simulate(
  text: string,
  object: SimulatedObject,
  context: DeploymentContext | undefined,
  options: SimulateOptions & { render: "text" },
): string;
export declare function simulate(
  text: string,
  object: SimulatedObject,
  context?: DeploymentContext,
  options?: SimulateOptions,
): Simulation;

/** With `render: "text"`, `simulate` returns the text the CLI prints, naming the configuration `file` (default `<input>`). */
export interface SimulateOptions {
  render?: "none" | "text";
  file?: string;
}

/**
 * The configuration in plain language: one sentence per rule (grouped by destination), the
 * objects no rule covers, and the rules as edges per destination (filters, priorities,
 * storage class, keys, RTC, shadowed rules). Throws `DocumentError` when the text is not a
 * readable configuration.
 */
export declare function explain(
  text: string,
  context: DeploymentContext | undefined,
  options: ExplainOptions & { render: "text" },
): string;
export declare function explain(text: string, context?: DeploymentContext, options?: ExplainOptions): Explanation;

/** With `render: "text"`, `explain` returns the text the CLI prints. */
export interface ExplainOptions {
  render?: "none" | "text";
}

/**
 * Convert to canonical S3 XML or to AWS CLI JSON. Throws `DocumentError` (with the parser's
 * diagnostics) when the document has syntax or structure errors that would lose information.
 */
export declare function convert(text: string, to: DocumentFormat): string;

/** Metadata and documentation of every rule, in code order. */
export declare function rules(): RuleInfo[];

/**
 * Why `text` is not a readable document (the diagnostics of the `DocumentError` a call
 * throws), as code frames naming `file`. `to`: the target, for `convert`'s errors.
 */
export declare function renderUnreadable(
  text: string,
  file: string,
  options?: { color?: boolean; to?: DocumentFormat },
): string;

/** The document could not be read; `diagnostics` say why. */
export declare class DocumentError extends Error {
  readonly name: "DocumentError";
  readonly diagnostics: Diagnostic[];
}

/** The engine failed (a bug). `check` reports it as an S3R099 diagnostic instead. */
export declare class InternalError extends Error {
  readonly name: "InternalError";
  readonly code: "S3R099";
  readonly diagnostic: Diagnostic;
}
