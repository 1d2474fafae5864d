// <s3-replication-editor>: the live editor as a custom element, rendered in a shadow root so
// host page CSS cannot reach it and its CSS cannot leak out. Importing this module defines
// the element; the wasm is fetched and instantiated once per page, however many editors.
//
//   <script type="module" src="s3-replication-editor.js"></script>
//   <s3-replication-editor value="..." context='{"sourceRegion":"us-east-1"}'
//       format="xml" panels="diagnostics policies" theme="auto"></s3-replication-editor>
//
// Events: `ready` (detail = state), `change` (detail = { text, format, diagnostics,
// policies, valid }) after every edit. A CloudFormation template or Terraform text is told
// once its reader has answered: `format` is then "cloudformation", "terraform" or
// "terraform-plan", `configuration` names the configuration shown, and `policies` are those
// it needs. Methods: getValue(), setValue(text),
// setContext(objOrJson), focus(). Also exported: mount(element, options).
import init, { mount as mountWasm } from './pkg/s3_replication_lint_web.js';

const STYLE_URL = new URL('./style.css', import.meta.url).href;
let loading = null;

/** Instantiate the wasm module (once per page). */
export function load() {
  if (!loading) loading = init({ module_or_path: new URL('./pkg/s3_replication_lint_web_bg.wasm', import.meta.url) });
  return loading;
}

/**
 * Mount an editor into `element` (for frameworks that prefer a function). The element
 * should carry the stylesheet (style.css) in its tree. Resolves to a handle with
 * getValue, setValue, setContext, setReadonly, focus, snapshot and destroy.
 */
export async function mount(element, options = {}) {
  await load();
  const opts = { ...options };
  if (opts.context && typeof opts.context !== 'string') opts.context = JSON.stringify(opts.context);
  const onChange = options.onChange;
  opts.onChange = onChange ? (json) => onChange(JSON.parse(json)) : undefined;
  return mountWasm(element, opts);
}

const ATTRS = ['value', 'context', 'format', 'readonly', 'panels', 'theme'];

export class S3ReplicationEditor extends HTMLElement {
  static get observedAttributes() { return ATTRS; }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this._handle = null;
    this._pending = {};
  }

  connectedCallback() {
    if (this._started) return;
    this._started = true;
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = STYLE_URL;
    this._root = document.createElement('div');
    this._root.className = 's3rl-root';
    this.shadowRoot.append(link, this._root);
    const styled = new Promise((resolve) => { link.onload = resolve; link.onerror = resolve; });
    Promise.all([load(), styled]).then(() => {
      if (!this.isConnected) return;
      this._handle = mountWasm(this._root, {
        value: this._pending.value ?? this.getAttribute('value') ?? '',
        context: this._pending.context ?? this.getAttribute('context') ?? '',
        format: this.getAttribute('format') ?? '',
        readonly: this.hasAttribute('readonly'),
        panels: this.getAttribute('panels') ?? '',
        onChange: (json) => this._emit('change', json),
      });
      this._pending = {};
      // Yew renders on the next microtask; announce readiness once the editor is in the DOM.
      setTimeout(() => { if (this._handle) this._emit('ready', this._handle.snapshot()); }, 0);
    }).catch((err) => {
      this._root.textContent = 'The editor could not start: ' + err;
    });
  }

  disconnectedCallback() {
    // Keep the editor when the element is only moved; destroy it when really removed.
    queueMicrotask(() => {
      if (!this.isConnected && this._handle) {
        this._handle.destroy();
        this._handle = null;
        this._root.replaceChildren();
        this._started = false;
        this.shadowRoot.replaceChildren();
      }
    });
  }

  attributeChangedCallback(name, _old, value) {
    if (!this._handle) return;
    if (name === 'value') this.setValue(value ?? '');
    else if (name === 'context') this.setContext(value ?? '');
    else if (name === 'readonly') this._handle.setReadonly(value !== null);
    // format, panels: read at start; theme: pure CSS (:host([theme=...])).
  }

  _emit(type, json) {
    const detail = JSON.parse(json);
    this._state = detail;
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  get value() { return this.getValue(); }
  set value(text) { this.setValue(text); }

  get context() {
    return this._pending.context ?? this.getAttribute('context');
  }
  set context(ctx) { this.setContext(ctx); }

  get readOnly() { return this.hasAttribute('readonly'); }
  set readOnly(on) { this.toggleAttribute('readonly', Boolean(on)); }

  getValue() {
    if (this._handle) return this._handle.getValue();
    return this._pending.value ?? this.getAttribute('value') ?? '';
  }

  setValue(text) {
    if (this._handle) this._handle.setValue(String(text ?? ''));
    else this._pending.value = String(text ?? '');
  }

  setContext(ctx) {
    const json = typeof ctx === 'string' ? ctx : JSON.stringify(ctx ?? {});
    if (this._handle) this._handle.setContext(json);
    else this._pending.context = json;
  }

  focus() {
    if (this._handle) this._handle.focus();
  }
}

if (!customElements.get('s3-replication-editor')) {
  customElements.define('s3-replication-editor', S3ReplicationEditor);
}
