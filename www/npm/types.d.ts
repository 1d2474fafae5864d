// Generated from the Rust types that cross the JavaScript boundary (ts-rs, feature `ts`):
// do not edit. Regenerate with `UPDATE_TYPES=1 cargo test -p s3-replication-lint --test
// typescript_fresh`. The functions and their options are declared in index.d.ts.

/** A rule that also selected the object for a destination but did not govern it. */
export type AlsoMatched = {
  id: string | null;
  index: number;
  priority: number | null;
  reason: SimulationReason;
  detail: string;
};

/** How sure we are that S3 behaves as the rule says. */
export type Confidence = "observed" | "documented" | "emulator" | "inferred";

/** The result for one configuration. */
export type ConfigurationReport = {
  address: string;
  file: string;
  kind: InputKind;
  diagnostics: Array<Diagnostic>;
  /** The deployment context used: what the code says, overridden by the given context. */
  context: DeploymentContext;
  facts: Array<InferredFact>;
  unknowns: Array<UnknownValue>;
  /** The audit of each policy the code has for the configuration (role, keys, bucket). */
  audits: Array<PolicyAudit>;
  /**
   * Values of its generated policies that name resources of the code, and how the code
   * refers to them (for `policies --as terraform|cloudformation`).
   */
  bindings: Array<PolicyBinding>;
};

/** What the user tells us about the deployment. Every field is optional. */
export type DeploymentContext = {
  partition?: string;
  sourceBucket?: string;
  sourceRegion?: string;
  sourceAccount?: string;
  /** KMS key ARNs that encrypt source objects. */
  sourceKmsKeys?: Array<string>;
  /**
   * The source bucket's default encryption: `SSE-S3`, `SSE-KMS` or `DSSE-KMS`. With
   * `SSE-KMS` or `DSSE-KMS` new objects are KMS-encrypted even when the key's ARN is not
   * known (a key the same template or module creates).
   */
  sourceDefaultEncryption?: "SSE-S3" | "SSE-KMS" | "DSSE-KMS";
  sourceBucketKeys?: boolean;
  batchReplication?: boolean;
  objectLock?: boolean;
  /**
   * The source bucket's versioning status: `Enabled`, `Suspended` or `Disabled` (never
   * enabled), as `get-bucket-versioning` reports it.
   */
  sourceVersioning?: "Enabled" | "Suspended" | "Disabled";
  /** Keyed by bucket name or bucket ARN. */
  destinations?: { [key in string]: DestinationContext };
};

export type DestinationContext = {
  region?: string;
  account?: string;
  bucketKeys?: boolean;
  /** `SSE-S3`, `SSE-KMS` or `DSSE-KMS`. */
  defaultEncryption?: "SSE-S3" | "SSE-KMS" | "DSSE-KMS";
  /** The bucket's versioning status: `Enabled`, `Suspended` or `Disabled` (never enabled). */
  versioning?: "Enabled" | "Suspended" | "Disabled";
};

/** One destination bucket and the rules that send objects to it. */
export type DestinationGroup = {
  /** As written in the first rule naming the bucket. */
  bucket: string;
  name: string;
  region: Fact | null;
  account: Fact | null;
  /** Highest priority first. */
  rules: Array<RuleEdge>;
};

/** The answer for one destination bucket. */
export type DestinationOutcome = {
  /** As written in the first rule naming this bucket (usually an ARN). */
  bucket: string;
  /** The bare bucket name. */
  name: string;
  region: Fact | null;
  account: Fact | null;
  replicated: boolean;
  /** The governing rule's ID (`null` when no rule selected the object, or it has no ID). */
  rule: string | null;
  ruleIndex: number | null;
  priority: number | null;
  /**
   * The replica's storage class, `"same as source"` when the rule sets none; `null` when
   * nothing is replicated or the object is a delete marker.
   */
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
  alsoMatched: Array<AlsoMatched>;
  /** One or two plain sentences: what happens and why. */
  detail: string;
};

export type Diagnostic = {
  /** Stable code, e.g. `S3R201`. */
  code: string;
  severity: Severity;
  message: string;
  help?: string;
  /** Document path with the SDK member names, e.g. `/Rules/0/Destination/Bucket`. */
  path: string;
  /**
   * Where it is, as lines and UTF-16 columns (filled in from `span` by
   * `Diagnostic::resolve`).
   */
  range: Range;
  related?: Array<RelatedLocation>;
  fix?: Fix;
};

export type DocumentFormat = "xml" | "json";

/** The answer of `explain`. */
export type Explanation = {
  /**
   * An opening sentence, then one sentence per rule (destination by destination, highest
   * priority first), then one per rule that cannot be read.
   */
  summary: Array<string>;
  /** What is not replicated: uncovered keys and tags, disabled rules, skipped KMS objects. */
  gaps: Array<string>;
  /** The rules grouped by destination bucket, in document order. */
  destinations: Array<DestinationGroup>;
};

export type Fact = {
  value: string;
  source: FactSource;
};

/** Where a fact came from, so messages can say "inferred from the Role ARN". */
export type FactSource = "context" | "roleArn" | "accountElement" | "bucketArn" | "bucketName" | "keyArn" | "code";

/** Findings about a file as a whole (syntax errors, "no configuration here"). */
export type FileResult = {
  file: string;
  kind: InputKind;
  diagnostics: Array<Diagnostic>;
};

export type Fix = {
  /** What applying the fix does, e.g. "Add <Priority>1</Priority>". */
  title: string;
  edits: Array<TextEdit>;
};

/** A context fact read from the code. */
export type InferredFact = {
  /**
   * The context field, e.g. `sourceRegion` or `destinations.dst-bucket.region`; for the
   * Region of a KMS key the code defines (no context field holds it), `region of ADDRESS`.
   */
  field: string;
  value: string;
  file: string;
  line: number;
  /** What it was read from, e.g. `provider "aws" (alias west): region`. */
  from: string;
};

/** The languages a file can be read as. */
export type InputKind = "api" | "cloudformation" | "terraform" | "terraform-plan";

/** How the source object is encrypted. */
export type ObjectEncryption = "none" | "SSE-S3" | "SSE-KMS" | "DSSE-KMS" | "SSE-C";

/** A fact the generator did not know; its token stands in the policies. */
export type Placeholder = {
  /** The text standing in the policies, e.g. `${SOURCE_BUCKET}`. */
  token: string;
  what: string;
  howToFill: string;
};

/** The audit of one policy found in the code. */
export type PolicyAudit = {
  address: string;
  file: string;
  /**
   * `permissions`, `trust`, `key-policy` or `bucket-policy`; `attached-policy` for a policy
   * attached here but defined in other files (reported as not verified).
   */
  kind: "permissions" | "trust" | "key-policy" | "bucket-policy" | "attached-policy";
  diagnostics: Array<Diagnostic>;
};

/**
 * A value in the generated policies that the user's code names (a bucket, role or key ARN):
 * emitted as a reference to the user's resource instead of a literal.
 *
 * `value` is matched as a whole token (not inside a longer bucket name or ARN), so
 * `arn:aws:s3:::src` binds `arn:aws:s3:::src/*` but not `arn:aws:s3:::src2/*`. A binding
 * without a reference for the language being emitted is ignored there.
 */
export type PolicyBinding = {
  /**
   * The literal as it appears in policy strings, e.g. `arn:aws:s3:::src` (may be a
   * stand-in such as `${ROLE_ARN}`).
   */
  value: string;
  /** A Terraform expression, e.g. `aws_s3_bucket.source.arn`. */
  terraform?: string | null;
  /**
   * A CloudFormation logical ID and attribute: `("Source", Some("Arn"))` is
   * `!GetAtt Source.Arn` (`${Source.Arn}` inside `!Sub`); no attribute is `!Ref Source`.
   */
  cloudformation?: [string, string | null] | null;
};

export type PolicyDocument = {
  kind: PolicyKind;
  title: string;
  /** The ARN (or placeholder) of what the policy attaches to: role, key or bucket. */
  attachTo: string;
  howToApply: string;
  /** The policy, keys in conventional order (serializes as a JSON object). */
  policy: IamPolicyDocument;
  /** `policy` pretty-printed (two-space indent). */
  text: string;
  /** One entry per statement, in statement order. */
  statements: Array<StatementInfo>;
};

/** What a generated document is and where it goes. */
export type PolicyKind = "role-permissions" | "trust" | "kms-key-policy" | "destination-bucket-policy" | "batch-replication" | "deployer";

/** Something the user should know about the generated set. */
export type PolicyNote = {
  severity: Severity;
  message: string;
};

export type PolicySet = {
  documents: Array<PolicyDocument>;
  /**
   * False when a placeholder remains (see `placeholders`), there was nothing to grant, or
   * facts the policies rest on contradict each other (a note says which).
   */
  complete: boolean;
  placeholders: Array<Placeholder>;
  notes: Array<PolicyNote>;
};

/** One end of a range as editors want it. */
export type Position = {
  /** 1-based line. */
  line: number;
  /** 1-based column in UTF-16 code units. */
  column: number;
  /** Byte offset into the UTF-8 text. */
  offset: number;
};

export type Range = {
  start: Position;
  end: Position;
};

export type RelatedLocation = {
  range: Range;
  message: string;
};

/** One rule as an edge from the source bucket to its destination. */
export type RuleEdge = {
  id: string | null;
  index: number;
  priority: number | null;
  enabled: boolean;
  /** Short description of the objects the filter selects; `null` if it cannot be read. */
  filter: string | null;
  /** `null` = the source object's class. */
  storageClass: string | null;
  /** The rule opts SSE-KMS/DSSE-KMS objects in. */
  kmsObjects: boolean;
  replicaKmsKeyId: string | null;
  useSourceMultiRegionKey: boolean;
  deleteMarkers: boolean;
  replicaModifications: boolean;
  ownerOverride: boolean;
  rtc: boolean;
  metrics: boolean;
  /**
   * Index of a higher-priority enabled rule to the same bucket that selects every object
   * this one does: this rule never applies.
   */
  shadowedBy: number | null;
  /**
   * Indexes of higher-priority enabled rules to the same bucket that select some of the
   * same objects (they win there).
   */
  overlappedBy: Array<number>;
  sentence: string;
};

/** Everything about a code except how it is found: what the registry, docs and UIs show. */
export type RuleInfo = {
  /** Stable code, `S3R` + three digits. Never reused. */
  code: string;
  /** kebab-case name. */
  name: string;
  severity: Severity;
  summary: string;
  /** The S3 (or AWS CLI) error this rule mirrors, as users would search for it. */
  s3Error?: string;
  confidence: Confidence;
  /** Markdown with the sections What it does / Why it matters / Example / Fix / References. */
  docs: string;
};

/** The verdict of one rule. */
export type RuleOutcome = {
  id: string | null;
  index: number;
  priority: number | null;
  /** Bucket name of the rule's destination, if it names one. */
  destination: string | null;
  /** The rule selects the object (enabled, filter and encryption criteria match). */
  matched: boolean;
  reason: SimulationReason;
  detail: string;
};

/**
 * How serious a finding is. Declared here (not beside `Diagnostic`) so the catalogue stays
 * a leaf; `crate::diagnostic` re-exports it.
 */
export type Severity = "error" | "warning" | "info";

/** The answer of `simulate`. */
export type Simulation = {
  /** One entry per distinct destination bucket, in document order. */
  destinations: Array<DestinationOutcome>;
  /** One entry per rule, in document order. */
  rules: Array<RuleOutcome>;
  /** Facts about this object that hold whatever the rules say. */
  notes: Array<string>;
};

/** Why a rule does (not) replicate the object. */
export type SimulationReason = "replicates" | "lowerPriority" | "ruleDisabled" | "prefixMismatch" | "tagMismatch" | "excludedByNot" | "kmsNotSelected" | "deleteMarkerNotReplicated" | "replicaNotReplicated" | "invalidRule";

/** Why one statement is there. */
export type StatementInfo = {
  sid: string;
  /** Names the rules/features that need the statement. */
  reason: string;
};

/** A replacement of the text in `range` (the bytes in `span`) by `new_text`. */
export type TextEdit = {
  range: Range;
  newText: string;
};

/** A value the code does not fix (a reference, a variable without default, an intrinsic). */
export type UnknownValue = {
  /** The expression as written. */
  expression: string;
};

/** A JSON value, as in a policy document. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One statement of an IAM, KMS key or bucket policy. */
export interface IamStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: JsonValue;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: { [operator: string]: { [key: string]: JsonValue } };
  [key: string]: JsonValue | undefined;
}

/** A policy document as AWS takes it. */
export interface IamPolicyDocument {
  Version: string;
  Id?: string;
  Statement: IamStatement[];
}
