// A few DOM-shaped objects, enough for the pure text-map module (no browser, no jsdom).

function link(parent, children) {
  parent.childNodes = children;
  children.forEach((child, index) => {
    child.parentNode = parent;
    child.nextSibling = children[index + 1] ?? null;
  });
  parent.firstChild = children[0] ?? null;
  return parent;
}

export const text = (data) => ({ nodeType: 3, nodeName: "#text", data });

export const el = (name, ...children) =>
  link({ nodeType: 1, nodeName: name.toUpperCase() }, children.map((c) => (typeof c === "string" ? text(c) : c)));

/** An element with attributes, for code that reads getAttribute. */
export const withAttributes = (attributes, element) =>
  Object.assign(element, { getAttribute: (name) => (name in attributes ? attributes[name] : null) });
