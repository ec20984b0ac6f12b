// Building the DOM from code, with text only: children given as strings become text nodes, so a name such as
// `<img src=x onerror=alert(1)>` is shown, never parsed. Attributes are set one by one; `style` and event handler
// attributes are refused (the CSP forbids inline styles, and handlers belong in addEventListener).

type Child = Node | string | false | null | undefined;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'style' || name.startsWith('on')) throw new Error(`h(): attribute '${name}' is not allowed`);
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces the element's content by text (never HTML). */
export function setText(el: Element, text: string): void {
  el.textContent = text;
}

export function clear(el: Element): void {
  el.replaceChildren();
}
