// Declarations of `s3-replication-lint/editor`: the <s3-replication-editor> custom element
// and `mount()`. Importing the module defines the element (a side effect).
import type { DeploymentContext, Diagnostic, DocumentFormat, PolicySet } from "../index.js";

/** `detail` of the `change` and `ready` events, and what `mount`'s `onChange` receives. */
export interface EditorChangeDetail {
  /** The document as it is in the editor. */
  text: string;
  /** The format the document was read as. */
  format: DocumentFormat;
  /** The diagnostics of the document, sorted by position. */
  diagnostics: Diagnostic[];
  /** The generated policies; `null` when the document could not be read. */
  policies: PolicySet | null;
  /** True when no diagnostic is an error. */
  valid: boolean;
}

/** Panels next to the editor; a space- or comma-separated list in the attribute. */
export type EditorPanel = "diagnostics" | "policies" | "context";

export type EditorTheme = "light" | "dark" | "auto";

/** Options of `mount` (all optional). */
export interface MountOptions {
  /** The initial document. */
  value?: string;
  /** The deployment context, as an object or JSON text. */
  context?: DeploymentContext | string;
  /** Read the document as XML or JSON; detected when absent. */
  format?: DocumentFormat;
  readonly?: boolean;
  /** Which panels to show (all when absent): `"diagnostics policies"` or a list. */
  panels?: string | readonly EditorPanel[];
  /** Called after every edit. */
  onChange?: (detail: EditorChangeDetail) => void;
}

/** A mounted editor. */
export interface EditorHandle {
  /** The document as it is in the editor now. */
  getValue(): string;
  /** Replace the document (not undoable). */
  setValue(text: string): void;
  /** Replace the deployment context (object or JSON text); throws for an invalid context. */
  setContext(context: DeploymentContext | string): void;
  setReadonly(readonly: boolean): void;
  focus(): void;
  /** The latest change detail, as JSON text (`JSON.parse` it into an `EditorChangeDetail`). */
  snapshot(): string;
  /** Unmount the editor and release it. */
  destroy(): void;
}

/**
 * Render an editor into `element` (for frameworks that prefer a function to the custom
 * element). Loads the WebAssembly module on first use. The editor's stylesheet must reach
 * `element`: add `s3-replication-lint/editor/style.css` to the document or to the shadow
 * root that holds `element`.
 */
export declare function mount(element: Element, options?: MountOptions): Promise<EditorHandle>;

/** Fetch and instantiate the editor's WebAssembly module (once per page); resolves when ready. */
export declare function load(): Promise<unknown>;

export interface S3ReplicationEditorEventMap extends HTMLElementEventMap {
  change: CustomEvent<EditorChangeDetail>;
  ready: CustomEvent<EditorChangeDetail>;
}

/** `<s3-replication-editor>`: the live editor in a shadow root. */
export declare class S3ReplicationEditor extends HTMLElement {
  static readonly observedAttributes: string[];
  /** The document (same as `getValue()` / `setValue()`). */
  value: string;
  /** The deployment context: JSON text when read; an object or JSON text when set. */
  get context(): string | null;
  set context(context: DeploymentContext | string | null);
  /** Mirrors the `readonly` attribute. */
  readOnly: boolean;
  getValue(): string;
  setValue(text: string): void;
  setContext(context: DeploymentContext | string): void;
  focus(): void;
  addEventListener<K extends keyof S3ReplicationEditorEventMap>(
    type: K,
    listener: (this: S3ReplicationEditor, event: S3ReplicationEditorEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof S3ReplicationEditorEventMap>(
    type: K,
    listener: (this: S3ReplicationEditor, event: S3ReplicationEditorEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | EventListenerOptions,
  ): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "s3-replication-editor": S3ReplicationEditor;
  }
}
