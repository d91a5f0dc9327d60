// A <textarea>: it has no text nodes to highlight, so underlines are drawn on a mirror laid
// over it that copies its font, box and scroll position and shows only the marks.
import { styleFor } from "./categories.js";

const COPIED_STYLES = [
  "boxSizing", "width", "height", "paddingTop", "paddingRight", "paddingBottom", "paddingLeft",
  "borderTopWidth", "borderRightWidth", "borderBottomWidth", "borderLeftWidth", "borderTopStyle",
  "borderRightStyle", "borderBottomStyle", "borderLeftStyle", "fontFamily", "fontSize", "fontWeight",
  "fontStyle", "fontVariant", "fontStretch", "fontKerning", "fontFeatureSettings", "lineHeight",
  "letterSpacing", "wordSpacing", "textIndent", "textTransform", "textAlign", "direction", "tabSize",
  "whiteSpace", "wordBreak", "overflowWrap", "hyphens", "writingMode", "textRendering",
];

const MIRROR_CSS = `
:host { all: initial; position: absolute; pointer-events: none; z-index: 2147483000; }
.mirror { position: absolute; inset: 0; overflow: hidden; color: transparent; border-color: transparent !important;
  background: transparent; margin: 0; white-space: pre-wrap; overflow-wrap: break-word; }
mark { color: transparent; background: transparent; text-decoration-line: underline; text-decoration-skip-ink: none; }
mark.active { background: rgba(0, 114, 178, 0.16); }
`;

export class TextareaSurface {
  constructor(textarea) {
    this.root = textarea;
    this.doc = textarea.ownerDocument;
    this.kind = "textarea";
    this.marks = [];
    this.host = this.doc.createElement("tonecheck-mirror");
    this.host.setAttribute("data-tonecheck-mirror", "");
    const shadow = this.host.attachShadow({ mode: "open" });
    const style = this.doc.createElement("style");
    style.textContent = MIRROR_CSS;
    this.mirror = this.doc.createElement("div");
    this.mirror.className = "mirror";
    this.mirror.setAttribute("aria-hidden", "true");
    shadow.append(style, this.mirror);
    this.doc.documentElement.append(this.host);
    this.follow = () => this.sync();
    this.followScroll = () => {
      this.mirror.scrollTop = this.root.scrollTop;
      this.mirror.scrollLeft = this.root.scrollLeft;
    };
    textarea.addEventListener("scroll", this.followScroll, { passive: true });
    this.resizeObserver = new ResizeObserver(this.follow);
    this.resizeObserver.observe(textarea);
    // Scrolling a container around the textarea moves it without resizing it.
    this.syncSoon = (event) => {
      if (event?.target === this.root || this.syncQueued) return;
      this.syncQueued = true;
      this.doc.defaultView.requestAnimationFrame(() => {
        this.syncQueued = false;
        this.sync();
      });
    };
    this.doc.addEventListener("scroll", this.syncSoon, { capture: true, passive: true });
    this.doc.defaultView.addEventListener("resize", this.syncSoon, { passive: true });
    this.sync();
  }

  /** Puts the mirror exactly over the textarea, with its font, box and scroll position. */
  sync() {
    const view = this.doc.defaultView;
    const computed = view.getComputedStyle(this.root);
    const rect = this.root.getBoundingClientRect();
    const hidden = computed.display === "none" || computed.visibility === "hidden" || rect.width === 0;
    this.host.style.display = hidden ? "none" : "block";
    this.host.style.left = `${rect.left + view.scrollX}px`;
    this.host.style.top = `${rect.top + view.scrollY}px`;
    this.host.style.width = `${rect.width}px`;
    this.host.style.height = `${rect.height}px`;
    for (const property of COPIED_STYLES) this.mirror.style[property] = computed[property];
    // The textarea's scrollbar takes room from its text; take the same room in the mirror.
    const borders = parseFloat(computed.borderLeftWidth) + parseFloat(computed.borderRightWidth);
    const scrollbar = Math.max(0, this.root.offsetWidth - this.root.clientWidth - borders);
    this.mirror.style.paddingRight = `${parseFloat(computed.paddingRight) + scrollbar}px`;
    this.mirror.style.width = `${rect.width}px`;
    this.mirror.style.height = `${rect.height}px`;
    this.followScroll();
  }

  readText() {
    return this.root.value;
  }

  paint(hedges) {
    const text = this.root.value;
    const pieces = [];
    this.marks = [];
    let at = 0;
    for (const hedge of hedges) {
      if (hedge.start < at || hedge.end > text.length) continue;
      pieces.push(this.doc.createTextNode(text.slice(at, hedge.start)));
      const mark = this.doc.createElement("mark");
      const look = styleFor(hedge.category);
      mark.dataset.category = hedge.category;
      mark.style.textDecorationStyle = look.line;
      mark.style.textDecorationColor = look.color;
      mark.style.textDecorationThickness = look.thickness;
      mark.textContent = text.slice(hedge.start, hedge.end);
      pieces.push(mark);
      this.marks.push({ hedge, mark });
      at = hedge.end;
    }
    // A final newline needs a character after it to take up its line, as in the textarea.
    pieces.push(this.doc.createTextNode(`${text.slice(at)}\u200b`));
    this.mirror.replaceChildren(...pieces);
    this.followScroll();
    return this.marks.length;
  }

  rectsOf(index) {
    const item = this.marks[index];
    if (!item) return [];
    const box = this.root.getBoundingClientRect();
    // Only the parts of a mark inside the textarea's box are visible and hoverable.
    return [...item.mark.getClientRects()].filter((r) => r.bottom > box.top && r.top < box.bottom);
  }

  setActive(index) {
    this.marks.forEach((item, i) => item.mark.classList.toggle("active", i === index));
  }

  caretOffset() {
    return this.doc.activeElement === this.root ? this.root.selectionEnd : null;
  }

  select(start, end) {
    this.focus();
    this.root.setSelectionRange(start, end);
    return true;
  }

  focus() {
    if (this.doc.activeElement !== this.root) this.root.focus({ preventScroll: true });
  }

  /**
   * Writes `insert` over [start, end) through the browser's editing path (so the textarea's
   * own undo works), falling back to setRangeText plus an input event for the page's listeners.
   */
  replace(start, end, insert) {
    this.select(start, end);
    const done = insert === "" ? this.doc.execCommand("delete", false) : this.doc.execCommand("insertText", false, insert);
    if (done) return true;
    this.root.setRangeText(insert, start, end, "end");
    this.root.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertReplacementText", data: insert }));
    return true;
  }

  anchorRect() {
    return this.root.getBoundingClientRect();
  }

  destroy() {
    this.root.removeEventListener("scroll", this.followScroll);
    this.resizeObserver.disconnect();
    this.doc.removeEventListener("scroll", this.syncSoon, { capture: true });
    this.doc.defaultView.removeEventListener("resize", this.syncSoon);
    this.host.remove();
  }
}
