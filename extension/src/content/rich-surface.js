// A contenteditable editor (ProseMirror, Quill, CKEditor, TinyMCE's body, a plain div):
// text read through text-map, underlines painted with the CSS Custom Highlight API, edits made
// through the editor's own input path so its model and undo history stay right.
import { extractText, rangePositions } from "./text-map.js";
import { clearOwner, paintActive, paintRanges } from "./highlights.js";

export class RichSurface {
  constructor(root) {
    this.root = root;
    this.doc = root.ownerDocument;
    this.kind = "rich";
    this.segments = [];
    this.ranges = [];
  }

  readText() {
    const { text, segments } = extractText(this.root);
    this.segments = segments;
    return text;
  }

  rangeFor(start, end) {
    const positions = rangePositions(this.segments, start, end);
    if (!positions) return null;
    const range = this.doc.createRange();
    try {
      range.setStart(positions.from.node, positions.from.offset);
      range.setEnd(positions.to.node, positions.to.offset);
    } catch {
      return null;
    }
    return range;
  }

  paint(hedges) {
    this.ranges = hedges.map((hedge) => ({ hedge, range: this.rangeFor(hedge.start, hedge.end) })).filter((item) => item.range);
    paintRanges(this.doc, this, this.ranges.map(({ hedge, range }) => ({ range, category: hedge.category })));
    return this.ranges.length;
  }

  /** Client rects of the painted hedge at index `index`, in this document's viewport. */
  rectsOf(index) {
    const item = this.ranges[index];
    return item ? [...item.range.getClientRects()] : [];
  }

  setActive(index) {
    paintActive(this.doc, index === null ? null : (this.ranges[index]?.range ?? null));
  }

  caretOffset() {
    const selection = this.doc.getSelection();
    if (!selection || selection.rangeCount === 0 || !this.root.contains(selection.focusNode)) return null;
    const node = selection.focusNode;
    const segment = this.segments.find((s) => s.node === node && s.kind === "text");
    return segment ? segment.start + selection.focusOffset : null;
  }

  select(start, end) {
    const range = this.rangeFor(start, end);
    if (!range) return false;
    this.focus();
    const selection = this.doc.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return true;
  }

  focus() {
    if (this.doc.activeElement !== this.root && !this.root.contains(this.doc.activeElement)) this.root.focus({ preventScroll: true });
  }

  /**
   * Writes `insert` over [start, end) as if typed; resolves false when the editor refused.
   * First a `beforeinput` event the editor may handle itself (CKEditor does, and cancels it);
   * when nobody cancels it, the browser's own editing command, which editors that watch DOM
   * mutations (ProseMirror, Quill, TinyMCE) take in. Editors such as CKEditor adopt a new DOM
   * selection on `selectionchange`, which comes after a task, so the edit waits for it.
   */
  async replace(start, end, insert) {
    this.pressAt(start, end);
    const adopted = new Promise((resolve) => {
      const done = () => {
        this.doc.removeEventListener("selectionchange", done);
        resolve();
      };
      this.doc.addEventListener("selectionchange", done);
      this.doc.defaultView.setTimeout(done, 100);
    });
    if (!this.select(start, end)) return false;
    await adopted;
    const selection = this.doc.getSelection();
    if (selection.rangeCount === 0 || !this.root.contains(selection.anchorNode)) this.select(start, end);
    const range = selection.getRangeAt(0);
    const view = this.doc.defaultView;
    const target = new view.StaticRange({
      startContainer: range.startContainer,
      startOffset: range.startOffset,
      endContainer: range.endContainer,
      endOffset: range.endOffset,
    });
    const inputType = insert === "" ? "deleteContentBackward" : "insertText";
    const event = new view.InputEvent("beforeinput", {
      inputType,
      data: insert === "" ? null : insert,
      targetRanges: [target],
      bubbles: true,
      cancelable: true,
      composed: true,
    });
    const targetElement = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement;
    if (!(targetElement ?? this.root).dispatchEvent(event)) return true; // the editor did it
    const done = insert === "" ? this.doc.execCommand("delete", false) : this.doc.execCommand("insertText", false, insert);
    // Say what the edit was, as a spell checker's replacement does: editors that record undo
    // steps from input events (TinyMCE) then keep this one as its own step.
    if (done) this.root.dispatchEvent(new view.InputEvent("input", { inputType: "insertReplacementText", bubbles: true, composed: true }));
    return done;
  }

  /**
   * A press and release on the phrase, as an agent's own click on it would give: editors that
   * group typing into one undo step (TinyMCE) close the step there, so undo later takes back
   * the replacement alone.
   */
  pressAt(start, end) {
    const rect = this.rangeFor(start, end)?.getClientRects()[0];
    if (!rect) return;
    const view = this.doc.defaultView;
    const x = rect.left + 1;
    const y = rect.top + rect.height / 2;
    const target = this.doc.elementFromPoint(x, y);
    if (!target || !this.root.contains(target)) return;
    for (const type of ["mousedown", "mouseup"]) {
      target.dispatchEvent(new view.MouseEvent(type, { bubbles: true, cancelable: true, composed: true, clientX: x, clientY: y, button: 0, buttons: type === "mousedown" ? 1 : 0, detail: 1, view }));
    }
  }

  anchorRect() {
    return this.root.getBoundingClientRect();
  }

  destroy() {
    clearOwner(this.doc, this);
    paintActive(this.doc, null);
  }
}
