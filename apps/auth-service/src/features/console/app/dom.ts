/** A tiny DOM builder: the console has no framework (see the README for why). */
export type Child = Node | string | number | null | undefined | false | Child[];
export type Attrs = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

function apply(element: Element, attrs: Attrs): void {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'value' && 'value' in element) (element as HTMLInputElement).value = String(value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
}

/** `h('button', { class: 'primary', onClick }, 'Save')`. Text children are text nodes, never HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  apply(element, attrs);
  append(element, children);
  return element;
}

/** SVG elements (the stats chart). */
export function s(tag: string, attrs: Attrs = {}, ...children: Child[]): SVGElement {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  apply(element, attrs);
  append(element, children);
  return element;
}

export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

export function when(value: string | Date | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '—' : date.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

export function badge(text: string): HTMLSpanElement {
  return h('span', { class: `badge ${text}` }, text);
}

/** A table with a caption (for screen readers) and a header row; `rows` empty → one "none" row. */
export function table(caption: string, headings: string[], rows: Child[][], options: { testid?: string } = {}): HTMLDivElement {
  const body = rows.length ? rows.map((cells) => h('tr', {}, cells.map((cell) => h('td', { class: 'wrap' }, cell)))) : [h('tr', {}, h('td', { colspan: headings.length, class: 'muted' }, 'None'))];
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', { 'data-testid': options.testid }, h('caption', { class: 'skip' }, caption), h('thead', {}, h('tr', {}, headings.map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, body)),
  );
}

/** A status line for screen readers and everyone else: `role=status` or `role=alert` for errors. */
export function notice(kind: 'error' | 'success' | 'info', text: string): HTMLDivElement {
  return h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** Label + control; the label wraps the control, so it is named without ids. */
export function field(text: string, control: HTMLElement): HTMLLabelElement {
  return h('label', {}, text, control);
}

export function select(name: string, options: Array<[value: string, text: string]>, selected = ''): HTMLSelectElement {
  return h('select', { name }, options.map(([value, text]) => h('option', { value, selected: value === selected }, text)));
}

/** Expiry choices shared by bans, keys and role assignments: value = seconds ('' = none). */
export const EXPIRY_CHOICES: Array<[string, string]> = [
  ['3600', '1 hour'],
  ['86400', '1 day'],
  ['604800', '7 days'],
  ['2592000', '30 days'],
  ['', 'No expiry'],
];

export function expiryDate(seconds: string): string | undefined {
  return seconds ? new Date(Date.now() + Number(seconds) * 1000).toISOString() : undefined;
}
