// Which elements are reply editors: every <textarea>, every contenteditable root and
// role="textbox" editor, but not password, search, read-only or one-line search-like fields.

const SEARCHY = /search|find|filter|query|lookup/i;

function searchLike(element) {
  const role = element.getAttribute("role");
  if (role === "searchbox" || role === "combobox") return true;
  if (element.closest('[role="search"], [role="combobox"]')) return true;
  if (element.getAttribute("aria-multiline") === "false") return true;
  const label = [element.getAttribute("aria-label"), element.getAttribute("placeholder"), element.getAttribute("name"), element.id]
    .filter(Boolean)
    .join(" ");
  return SEARCHY.test(label);
}

/**
 * Whether `element` is an editor tonecheck should watch. Inputs are one-line: never. An
 * element not rendered (a textarea an editor library hid and replaced) is not one until it
 * is shown and focused.
 */
export function isReplyEditor(element) {
  if (!element || element.nodeType !== 1) return false;
  if (element.getClientRects().length === 0) return false;
  if (element.closest("[data-tonecheck-ignore]")) return false;
  if (element.getAttribute("aria-readonly") === "true" || element.getAttribute("aria-disabled") === "true") return false;
  if (element.localName === "textarea") {
    return !element.readOnly && !element.disabled && !searchLike(element);
  }
  if (!element.isContentEditable) return false;
  // The root of an editable region only: its parent is not editable itself.
  const parent = element.parentElement;
  if (parent && parent.isContentEditable) return false;
  return !searchLike(element);
}

/** The editor an element that took the focus belongs to, if any. */
export function editorOf(element) {
  if (!element || element.nodeType !== 1) return null;
  let candidate = element;
  if (candidate.localName !== "textarea") {
    if (!candidate.isContentEditable) return null;
    while (candidate.parentElement && candidate.parentElement.isContentEditable) candidate = candidate.parentElement;
  }
  return isReplyEditor(candidate) ? candidate : null;
}

/** Editors in `root` (a document or element) and below, including `root` itself. */
export function findEditors(root) {
  const found = [];
  if (root.nodeType === 1 && isReplyEditor(root)) found.push(root);
  const doc = root.ownerDocument ?? root;
  if (doc.designMode === "on" && doc.body && (root === doc || root === doc.body) && !found.includes(doc.body)) found.push(doc.body);
  if (!root.querySelectorAll) return found;
  for (const element of root.querySelectorAll('textarea, [contenteditable]:not([contenteditable="false"]), [role="textbox"]')) {
    if (isReplyEditor(element)) found.push(element);
  }
  return found;
}
