// Where tonecheck's own UI (card, badge) lives: a shadow root on the topmost document this
// frame may reach, so an editor inside a same-origin or srcdoc iframe gets a card that is not
// clipped by the frame. Nothing is added inside an editor.

/** The topmost same-origin window above `win` (itself when it has no reachable parent). */
export function topReachableWindow(win) {
  let current = win;
  while (current.parent !== current) {
    try {
      if (!current.frameElement || !current.parent.document) break;
      current = current.parent;
    } catch {
      break;
    }
  }
  return current;
}

/** Converts a rect in `win`'s viewport to the viewport of `top`, climbing through frames. */
export function rectInTop(rect, win, top) {
  let { left, top: y } = rect;
  let current = win;
  while (current !== top) {
    const frame = current.frameElement;
    const box = frame.getBoundingClientRect();
    const style = current.parent.getComputedStyle(frame);
    left += box.left + frame.clientLeft + parseFloat(style.paddingLeft);
    y += box.top + frame.clientTop + parseFloat(style.paddingTop);
    current = current.parent;
  }
  return { left, top: y, right: left + rect.width, bottom: y + rect.height, width: rect.width, height: rect.height };
}

/** The box an editor occupies, in the top window: its iframe's box when it fills the frame. */
export function editorBoxInTop(root, top) {
  const doc = root.ownerDocument;
  const win = doc.defaultView;
  if (win !== top && (root === doc.body || root === doc.documentElement)) {
    const frame = win.frameElement;
    return rectInTop(frame.getBoundingClientRect(), win.parent, top);
  }
  return rectInTop(root.getBoundingClientRect(), win, top);
}

/** A fixed-position host with an open shadow root; a higher `layer` is drawn above a lower. */
export function createHost(top, tag, css, layer = 0) {
  const doc = top.document;
  const host = doc.createElement(tag);
  host.setAttribute(`data-${tag}`, "");
  host.style.cssText = `all: initial; position: fixed; z-index: ${2147483600 + layer}; left: 0; top: 0;`;
  const shadow = host.attachShadow({ mode: "open" });
  const style = doc.createElement("style");
  style.textContent = css;
  shadow.append(style);
  doc.documentElement.append(host);
  return { host, shadow };
}

export function intersects(a, b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

const BUTTONS = 'button, [role="button"], input[type="submit"], input[type="button"], input[type="image"], a[href]';

/** Visible buttons and links near `box` in `doc`: places a badge must not cover. */
export function buttonRectsNear(doc, box, margin = 120) {
  const near = { left: box.left - margin, top: box.top - margin, right: box.right + margin, bottom: box.bottom + margin };
  const rects = [];
  for (const element of doc.querySelectorAll(BUTTONS)) {
    const rect = element.getBoundingClientRect();
    if (rect.width > 0 && rect.height > 0 && intersects(rect, near)) rects.push(rect);
  }
  return rects;
}
