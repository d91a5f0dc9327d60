// The text of a rich editor as one string, and the way back from string offsets to DOM positions.
// Offsets are JavaScript string indices (UTF-16 code units), the unit the server's API uses.
// Pure: works on anything shaped like DOM nodes (nodeType, nodeName, childNodes, data).

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

const BLOCK_ELEMENTS = new Set([
  "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DD", "DIV", "DL", "DT", "FIELDSET", "FIGCAPTION",
  "FIGURE", "FOOTER", "FORM", "H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HR", "LI", "MAIN",
  "NAV", "OL", "P", "PRE", "SECTION", "TABLE", "TR", "UL",
]);
const SKIPPED_ELEMENTS = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "IMG", "SVG", "svg"]);

/**
 * An editor's placeholder shown as DOM text ("Type your reply…"): a node the agent cannot
 * edit that says it is a placeholder. It is not the reply, so it is never scored. (A
 * non-editable node without such a mark, a mention chip say, is part of the reply.)
 */
export function isPlaceholder(element) {
  const attribute = (name) => element.getAttribute?.(name) ?? null;
  if (attribute("contenteditable") !== "false") return false;
  return /placeholder/i.test(attribute("class") ?? "") || attribute("data-placeholder") !== null || attribute("aria-hidden") === "true";
}

/**
 * Walks `root` and returns {text, segments}. Each segment is
 * {start, end, node, kind: "text" | "break", side}; a "break" segment is a "\n" standing for
 * a <br> (side "br") or for the boundary between two blocks, found before or after the block
 * element `node` (side "before" / "after"), and maps back to a position beside `node`.
 */
export function extractText(root) {
  const segments = [];
  const parts = [];
  let length = 0;
  let pendingBreak = null; // a block boundary is written only once text follows it

  const push = (piece, node, kind, side) => {
    parts.push(piece);
    segments.push({ start: length, end: length + piece.length, node, kind, side });
    length += piece.length;
  };
  const flushBreak = () => {
    if (pendingBreak && length > 0) push("\n", pendingBreak.node, "break", pendingBreak.side);
    pendingBreak = null;
  };

  const walk = (node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === TEXT_NODE) {
        if (child.data.length === 0) continue;
        flushBreak();
        push(child.data, child, "text");
      } else if (child.nodeType === ELEMENT_NODE) {
        const name = child.nodeName.toUpperCase();
        if (SKIPPED_ELEMENTS.has(name) || isPlaceholder(child)) continue;
        if (name === "BR") {
          if (isTrailingBreak(child)) continue;
          flushBreak();
          push("\n", child, "break", "br");
          continue;
        }
        const block = BLOCK_ELEMENTS.has(name);
        if (block && length > 0) pendingBreak = pendingBreak ?? { node: child, side: "before" };
        walk(child);
        if (block && length > 0) pendingBreak = pendingBreak ?? { node: child, side: "after" };
      }
    }
  };
  walk(root);
  return { text: parts.join(""), segments };
}

// A <br> that ends its block draws no line of its own (browsers and editors add one to keep
// an empty or final line open), so it adds no "\n".
function isTrailingBreak(br) {
  for (let next = br.nextSibling; next; next = next.nextSibling) {
    if (next.nodeType === TEXT_NODE && next.data.length > 0) return false;
    if (next.nodeType === ELEMENT_NODE) return false;
  }
  const parent = br.parentNode;
  return Boolean(parent && BLOCK_ELEMENTS.has(parent.nodeName.toUpperCase()));
}

/**
 * The DOM position {node, offset} for a text offset. `affinity` "start" prefers the segment the
 * offset begins (for the start of a range), "end" the segment it closes (for the end of a range).
 */
export function positionAt(segments, offset, affinity = "start") {
  if (segments.length === 0) return null;
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    const segment = segments[mid];
    const past = affinity === "end" ? segment.end < offset : segment.end <= offset;
    if (past) low = mid + 1;
    else high = mid;
  }
  const segment = segments[low];
  if (offset < segment.start || offset > segment.end) return null;
  if (segment.kind === "text") return { node: segment.node, offset: offset - segment.start };
  // A break maps to a position beside its node: a <br> lies between its start and end.
  const node = segment.node;
  const parent = node.parentNode;
  const index = Array.prototype.indexOf.call(parent.childNodes, node);
  const after = segment.side === "after" || (segment.side === "br" && offset === segment.end);
  return { node: parent, offset: after ? index + 1 : index };
}

/** Start and end DOM positions for [start, end), or null when the text no longer holds them. */
export function rangePositions(segments, start, end) {
  const from = positionAt(segments, start, "start");
  const to = positionAt(segments, end, "end");
  return from && to ? { from, to } : null;
}
