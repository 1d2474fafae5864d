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
//
// In a <form> it is a form control (form-associated): its text is submitted under its `name`,
// a form reset restores the text it started with (the `value` attribute, or the value set
// before it started), a disabled fieldset or the `disabled` attribute makes it read-only
// and leaves it out of the submission. A read-only editor is as tall as its text (up to
// 80% of the window, then it scrolls), so its last line is never cut off.
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
  static formAssociated = true;
  static get observedAttributes() { return ATTRS; }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this._internals = this.attachInternals();
    this._handle = null;
    this._pending = {};
    this._disabled = false;
  }

  get form() { return this._internals.form; }
  get name() { return this.getAttribute('name'); }
  get type() { return this.localName; }

  _setFormValue(text) { this._internals.setFormValue(text); }

  formResetCallback() { this.setValue(this._initial ?? ''); }

  formDisabledCallback(disabled) {
    this._disabled = disabled;
    this._syncReadonly();
  }

  formStateRestoreCallback(state) {
    if (typeof state === 'string') this.setValue(state);
  }

  _readonly() { return this._disabled || this.hasAttribute('readonly'); }

  _syncReadonly() {
    if (!this._handle) return;
    this._handle.setReadonly(this._readonly());
    this._fit();
  }

  /** A read-only editor's height follows its text (--s3rl-fit-height, see style.css). */
  _fit() {
    const t = this._root && this._root.querySelector('textarea');
    if (!t) return;
    if (!this._readonly()) {
      this._root.style.removeProperty('--s3rl-fit-height');
      return;
    }
    // The text of the last `ready`/`change`, which comes from the core: the textarea may not
    // hold it yet when this runs (a fit from that moment would stick, as the box's size no
    // longer changes and nothing calls this again).
    const text = this._state ? this._state.text : t.value;
    // 20px lines, 8px padding above and below, the 1px borders, a horizontal scrollbar.
    const lines = text.split('\n').length;
    const height = lines * 20 + 16 + 2 + (t.offsetHeight - t.clientHeight);
    const cap = Math.max(320, Math.round(innerHeight * 0.8));
    this._root.style.setProperty('--s3rl-fit-height', `${Math.min(height, cap)}px`);
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
    this._setFormValue(this._pending.value ?? this.getAttribute('value') ?? '');
    // Typing reaches the form at once (a template's `change` waits for its reader).
    this._root.addEventListener('input', () => { if (this._handle) this._setFormValue(this._handle.getValue()); });
    this._resize = new ResizeObserver(() => this._fit());
    this._resize.observe(this._root);
    const styled = new Promise((resolve) => { link.onload = resolve; link.onerror = resolve; });
    Promise.all([load(), styled]).then(() => {
      if (!this.isConnected) return;
      const value = this._pending.value ?? this.getAttribute('value') ?? '';
      // What a form reset goes back to: the text the editor started with.
      if (this._initial === undefined) this._initial = value;
      this._handle = mountWasm(this._root, {
        value,
        context: this._pending.context ?? this.getAttribute('context') ?? '',
        format: this.getAttribute('format') ?? '',
        readonly: this._readonly(),
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
        this._resize.disconnect();
        this.shadowRoot.replaceChildren();
      }
    });
  }

  attributeChangedCallback(name, _old, value) {
    if (!this._handle) return;
    if (name === 'value') {
      // The attribute is the default value, as for <textarea>: a form reset goes back to it.
      this._initial = value ?? '';
      this.setValue(value ?? '');
    } else if (name === 'context') this.setContext(value ?? '');
    else if (name === 'readonly') this._syncReadonly();
    // format, panels: read at start; theme: pure CSS (:host([theme=...])).
  }

  _emit(type, json) {
    const detail = JSON.parse(json);
    this._state = detail;
    this._setFormValue(detail.text);
    this._fit();
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
    const value = String(text ?? '');
    if (this._handle) this._handle.setValue(value);
    else this._pending.value = value;
    this._setFormValue(value);
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
