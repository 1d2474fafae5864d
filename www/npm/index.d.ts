// TypeScript declarations of the s3-replication-lint package. Hand-written to match the
// objects the WebAssembly core returns (serde field names); no `any` anywhere.

/** The version of the package (and of the Rust core inside it). */
export declare const version: string;

/** Code of the diagnostic reported when the engine itself failed (a bug, not your input). */
export declare const INTERNAL_ERROR_CODE: "S3R099";

export type Severity = "error" | "warning" | "info";

/** The two input forms: the PutBucketReplication XML body and the AWS CLI JSON. */
export type DocumentFormat = "xml" | "json";

/** A position in the checked text. */
export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units (what JS strings and editors count). */
  column: number;
  /** Byte offset into the UTF-8 encoding of the text. */
  offset: number;
}

/** Half-open: `end` is just past the last character. */
export interface Range {
  start: Position;
  end: Position;
}

/** Another place that explains a diagnostic (e.g. the first of two duplicate IDs). */
export interface RelatedLocation {
  range: Range;
  message: string;
}

/** Replace the text in `range` by `newText`. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** A fix: edits that do not overlap; apply them from the last to the first. */
export interface Fix {
  /** What applying it does, e.g. "Add <Priority>1</Priority>". */
  title: string;
  edits: TextEdit[];
}

export interface Diagnostic {
  /** Stable code such as `S3R201`; see `rules()` for its documentation. */
  code: string;
  severity: Severity;
  message: string;
  help?: string;
  /** Document path with the SDK member names, e.g. `/Rules/0/Destination/Bucket`. */
  path: string;
  range: Range;
  related?: RelatedLocation[];
  fix?: Fix;
}

/** What a destination looks like in the deployment; every field optional. */
export interface DestinationContext {
  region?: string;
  /** 12-digit account ID owning the destination bucket. */
  account?: string;
  /** Whether the destination uses S3 Bucket Keys. */
  bucketKeys?: boolean;
  defaultEncryption?: "SSE-S3" | "SSE-KMS" | "DSSE-KMS";
  /** The bucket's versioning status; `Disabled` = never enabled. Checked by S3R322. */
  versioning?: "Enabled" | "Suspended" | "Disabled";
}

/** Facts the document does not carry. Every field is optional; unknown fields are an error. */
export interface DeploymentContext {
  /** `aws`, `aws-cn`, `aws-us-gov`, ... (inferred from the Role ARN when absent). */
  partition?: string;
  sourceBucket?: string;
  sourceRegion?: string;
  sourceAccount?: string;
  /** ARNs of the KMS keys that encrypt source objects. */
  sourceKmsKeys?: string[];
  sourceBucketKeys?: boolean;
  /** Whether S3 Batch Replication will use the same role. */
  batchReplication?: boolean;
  objectLock?: boolean;
  /** The source bucket's versioning status; `Disabled` = never enabled. Checked by S3R604. */
  sourceVersioning?: "Enabled" | "Suspended" | "Disabled";
  /** Keyed by destination bucket name or bucket ARN. */
  destinations?: { [bucket: string]: DestinationContext };
}

export interface CheckOptions {
  /** `"auto"` (default) detects XML (`<`) or JSON (`{`). */
  format?: "auto" | DocumentFormat;
  context?: DeploymentContext;
  /** Also generate the policies (`CheckResult.policies`). */
  policies?: boolean;
}

export interface CheckResult {
  format: DocumentFormat;
  /** Sorted by position. */
  diagnostics: Diagnostic[];
  /** With `options.policies`, when the document could be read. */
  policies?: PolicySet;
}

/** A JSON value, as in a policy document. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface IamStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: JsonValue;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: { [operator: string]: { [key: string]: JsonValue } };
  [key: string]: JsonValue | undefined;
}

export interface IamPolicyDocument {
  Version: string;
  Id?: string;
  Statement: IamStatement[];
}

export type PolicyKind =
  | "role-permissions"
  | "trust"
  | "kms-key-policy"
  | "destination-bucket-policy"
  | "batch-replication"
  /** Permissions of the principal that calls PutBucketReplication (not the replication role). */
  | "deployer";

export interface StatementInfo {
  sid: string;
  /** Names the rules and features that need the statement. */
  reason: string;
}

export interface PolicyDocument {
  kind: PolicyKind;
  title: string;
  /** ARN (or placeholder) of the role, key or bucket the policy attaches to. */
  attachTo: string;
  howToApply: string;
  policy: IamPolicyDocument;
  /** `policy`, pretty-printed with two-space indentation. */
  text: string;
  statements: StatementInfo[];
}

/** A fact the generator did not know; `token` stands in the policies in its place. */
export interface Placeholder {
  token: string;
  what: string;
  howToFill: string;
}

export interface PolicyNote {
  severity: Severity;
  message: string;
}

export interface PolicySet {
  documents: PolicyDocument[];
  /** False while a placeholder remains or when there was nothing to grant. */
  complete: boolean;
  placeholders: Placeholder[];
  notes: PolicyNote[];
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

export type Confidence = "observed" | "documented" | "emulator" | "inferred";

export interface RuleInfo {
  code: string;
  /** kebab-case name. */
  name: string;
  severity: Severity;
  summary: string;
  /** The S3 error this rule anticipates, as users would search for it. */
  s3Error?: string;
  /** How sure the project is that S3 behaves as the rule says. */
  confidence: Confidence;
  /** Markdown: What it does / Why it matters / Example / Fix / References. */
  docs: string;
}

/** How the simulated object is encrypted at rest in the source bucket. */
export type ObjectEncryption = "none" | "SSE-S3" | "SSE-KMS" | "DSSE-KMS" | "SSE-C";

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

/** Where a fact about a bucket came from. */
export type FactSource = "context" | "roleArn" | "accountElement" | "bucketArn" | "bucketName" | "keyArn";

/** A Region or account ID, with where it came from (`context` = the deployment context). */
export interface Fact {
  value: string;
  source: FactSource;
}

/** Why a rule does, or does not, replicate the simulated object. */
export type SimulationReason =
  /** Governs its destination for this object and replicates it. */
  | "replicates"
  /** Selects the object, but a higher-priority rule governs the same destination. */
  | "lowerPriority"
  /** The rule's `Status` is not `Enabled`. */
  | "ruleDisabled"
  /** The key does not start with the rule's prefix. */
  | "prefixMismatch"
  /** A tag the filter requires is missing or has another value. */
  | "tagMismatch"
  /** The object matches the filter's `Not` exclusion. */
  | "excludedByNot"
  /** An SSE-KMS or DSSE-KMS object, and the rule does not opt in with `SseKmsEncryptedObjects`. */
  | "kmsNotSelected"
  /** A delete marker this rule does not replicate (V2 without `DeleteMarkerReplication`, or a tag filter). */
  | "deleteMarkerNotReplicated"
  /** The object is a replica: S3 does not replicate replicas again. */
  | "replicaNotReplicated"
  /** The rule has no destination bucket or a filter S3 rejects. */
  | "invalidRule";

/** A rule that also selected the object for a destination, and why it did not govern. */
export interface AlsoMatched {
  id: string | null;
  /** Index of the rule in the document (`/Rules/<index>`). */
  index: number;
  priority: number | null;
  reason: SimulationReason;
  detail: string;
}

/** What happens to the object at one destination bucket. */
export interface DestinationOutcome {
  /** As written in the first rule naming the bucket (usually an ARN). */
  bucket: string;
  /** The bare bucket name. */
  name: string;
  region: Fact | null;
  account: Fact | null;
  replicated: boolean;
  /** ID of the governing rule (`null` when no rule selected the object, or it has no ID). */
  rule: string | null;
  ruleIndex: number | null;
  priority: number | null;
  /** The replica's storage class (`"same as source"` when the rule sets none); `null` when nothing is replicated or for a delete marker. */
  storageClass: string | null;
  /** How the replica is encrypted, in words; `null` when nothing is replicated. */
  replicaEncryption: string | null;
  /** The key SSE-KMS/DSSE-KMS replicas are encrypted with (KMS objects only). */
  replicaKmsKeyId: string | null;
  /** KMS objects only: S3 uses the source key's multi-Region replica. */
  useSourceMultiRegionKey: boolean;
  /** Replicas are owned by the destination account (`AccessControlTranslation`). */
  ownerOverride: boolean;
  /** S3 Replication Time Control applies (15-minute SLA; not for delete markers). */
  rtc: boolean;
  alsoMatched: AlsoMatched[];
  /** What happens and why, in one or two sentences. */
  detail: string;
}

/** The verdict of one rule. */
export interface RuleOutcome {
  id: string | null;
  /** Index of the rule in the document (`/Rules/<index>`). */
  index: number;
  priority: number | null;
  /** Bucket name of the rule's destination, if it names one. */
  destination: string | null;
  /** The rule selects the object (enabled, filter and encryption criteria match). */
  matched: boolean;
  reason: SimulationReason;
  detail: string;
}

/** The answer of `simulate`. */
export interface Simulation {
  /** One entry per distinct destination bucket, in document order. */
  destinations: DestinationOutcome[];
  /** One entry per rule, in document order. */
  rules: RuleOutcome[];
  /** Facts about this object that hold whatever the rules say. */
  notes: string[];
}

/** One rule, as an edge from the source bucket to its destination. */
export interface RuleEdge {
  id: string | null;
  /** Index of the rule in the document (`/Rules/<index>`). */
  index: number;
  priority: number | null;
  enabled: boolean;
  /** Short description of the objects the filter selects; `null` if it cannot be read. */
  filter: string | null;
  /** `null`: replicas keep the source object's class. */
  storageClass: string | null;
  /** The rule opts SSE-KMS/DSSE-KMS objects in (`SseKmsEncryptedObjects`). */
  kmsObjects: boolean;
  replicaKmsKeyId: string | null;
  useSourceMultiRegionKey: boolean;
  deleteMarkers: boolean;
  replicaModifications: boolean;
  ownerOverride: boolean;
  rtc: boolean;
  metrics: boolean;
  /** Index of a higher-priority rule to the same bucket that selects every object this one does: this rule never applies. */
  shadowedBy: number | null;
  /** Indexes of higher-priority rules to the same bucket that select some of the same objects (they win there). */
  overlappedBy: number[];
  /** The rule in one plain sentence. */
  sentence: string;
}

/** One destination bucket and the rules that send objects to it. */
export interface DestinationGroup {
  /** As written in the first rule naming the bucket. */
  bucket: string;
  name: string;
  region: Fact | null;
  account: Fact | null;
  /** Highest priority first. */
  rules: RuleEdge[];
}

/** The answer of `explain`. */
export interface Explanation {
  /** An opening sentence, then one sentence per rule (destination by destination, highest priority first), then one per unreadable rule. */
  summary: string[];
  /** What is not replicated: uncovered keys and tags, disabled rules, skipped KMS objects. */
  gaps: string[];
  /** The rules grouped by destination bucket, in document order. */
  destinations: DestinationGroup[];
}

/** One file's diagnostics, for `renderSarif`. */
export interface FileReport {
  /** Path or name shown to users and written as the SARIF artifact location. */
  file: string;
  /** The text the diagnostics were found in. */
  text: string;
  diagnostics: Diagnostic[];
}

/**
 * Parse and check a replication configuration (XML or AWS CLI JSON). Never throws for a bad
 * document: problems are diagnostics. Throws `Error` for invalid options.
 */
export declare function check(text: string, options?: CheckOptions): CheckResult;

/** What a file is written in. */
export type InputKind = "api" | "cloudformation" | "terraform" | "terraform-plan";

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

/** A value the code does not fix; findings that rest on it are reported as not verified. */
export interface UnknownValue {
  /** The expression as written, e.g. `var.replica_account` or `!GetAtt Role.Arn`. */
  expression: string;
}

/** A deployment fact read from the code. */
export interface InferredFact {
  /** The context field, e.g. `sourceRegion` or `destinations.my-bucket.region`. */
  field: string;
  value: string;
  file: string;
  /** 1-based line in `file`. */
  line: number;
  /** What it was read from, e.g. `provider "aws.replica": region`. */
  from: string;
}

/** One replication configuration of a template, module or plan. */
export interface ConfigurationResult {
  /** `Resources.Source`, `aws_s3_bucket_replication_configuration.main`, a plan address. */
  address: string;
  /** The file the configuration is written in; diagnostics' ranges point into it. */
  file: string;
  kind: InputKind;
  /** Paths are in the file's terms, e.g. `...main.rule[0].destination.bucket`. */
  diagnostics: Diagnostic[];
  /** The context used: what the code states, overridden by `options.context`. */
  context: DeploymentContext;
  facts: InferredFact[];
  unknowns: UnknownValue[];
  /**
   * The policies the code has for this configuration (its role's trust and permissions, the
   * key policies of its keys, its destination bucket policy), each audited where it is
   * written; a managed policy attached from elsewhere is listed as `attached-policy`.
   */
  audits: PolicyAudit[];
  /** Values of its generated policies that name the code's own resources: pass them to `emitPolicies`. */
  bindings: PolicyBinding[];
  /**
   * The PutBucketReplication document it deploys, as AWS CLI JSON; values the code does not
   * fix are written as `${expression}`. Pass it with `context` to `simulate` or `explain`.
   * Absent when structural errors (S3R0xx) block the translation.
   */
  document?: string;
  /** With `options.policies`: the least-privilege policies it needs. */
  policies?: PolicySet;
}

/** The audit of one policy found in the code. */
export interface PolicyAudit {
  /** Where it is written, e.g. `aws_iam_role_policy.replication.policy`. */
  address: string;
  /** The file it is in; its diagnostics' ranges point into it. */
  file: string;
  kind: "permissions" | "trust" | "key-policy" | "bucket-policy" | "attached-policy";
  /** S3R7xx findings; paths start with `address`. */
  diagnostics: Diagnostic[];
}

/** Findings about a file as a whole: syntax errors, no configuration found. */
export interface FileResult {
  file: string;
  kind: InputKind;
  diagnostics: Diagnostic[];
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
 * through the `module` blocks that call them) or a Terraform plan. Their readers are a second WebAssembly module, loaded on the first call
 * (Node only for now).
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

/** Each configuration of templates, a module or a plan as XML or AWS CLI JSON. */
export declare function convertFiles(
  files: SourceFile[],
  options: { format?: "auto" | InputKind; to: "xml" | "json" },
): { configurations: ConvertedConfiguration[]; files: FileResult[] };

/**
 * A value in the generated policies that your code names (a bucket, role or key ARN): the
 * emitted code refers to your resource instead of repeating the literal.
 */
export interface PolicyBinding {
  /** The literal as it appears in the policies, e.g. `arn:aws:s3:::photos`. */
  value: string;
  /** A Terraform expression, e.g. `aws_s3_bucket.photos.arn`. */
  terraform?: string;
  /**
   * A logical ID and attribute: `["Photos", "Arn"]` is `!GetAtt Photos.Arn`, `["Photos", null]`
   * is `!Ref Photos`.
   */
  cloudformation?: [logicalId: string, attribute: string | null];
}

export interface EmitPoliciesOptions {
  to: "terraform" | "cloudformation";
  context?: DeploymentContext;
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
  context?: DeploymentContext,
): Diagnostic[];

/**
 * Follow one object through the rules: per destination, whether and how it is replicated
 * and which rule governs; per rule, whether it matched and why (not). Throws `DocumentError`
 * when the text is not a readable configuration, `TypeError` for an invalid object.
 */
export declare function simulate(
  text: string,
  object: SimulatedObject,
  context?: DeploymentContext,
): Simulation;

/**
 * The configuration in plain language: one sentence per rule (grouped by destination), the
 * objects no rule covers, and the rules as edges per destination (filters, priorities,
 * storage class, keys, RTC, shadowed rules). Throws `DocumentError` when the text is not a
 * readable configuration.
 */
export declare function explain(text: string, context?: DeploymentContext): Explanation;

/**
 * Convert to canonical S3 XML or to AWS CLI JSON. Throws `DocumentError` (with the parser's
 * diagnostics) when the document has syntax or structure errors that would lose information.
 */
export declare function convert(text: string, to: DocumentFormat): string;

/** Metadata and documentation of every rule, in code order. */
export declare function rules(): RuleInfo[];

/** Code frames with a caret under each range, as the CLI prints them. */
export declare function renderText(
  text: string,
  file: string,
  diagnostics: readonly Diagnostic[],
  color?: boolean,
): string;

/** `2 errors, 1 warning, 0 infos`. */
export declare function renderSummary(diagnostics: readonly Diagnostic[]): string;

/** A SARIF 2.1.0 log (as JSON text) for GitHub code scanning. */
export declare function renderSarif(files: readonly FileReport[]): string;

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
