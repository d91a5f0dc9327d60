// The hover/keyboard card for one hedge: its category, why it weakens the reply, the
// suggestions to click, and "Not a hedge".
import { styleFor } from "./categories.js";
import { createHost } from "./ui-host.js";

const CARD_CSS = `
.card { font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; background: #fff;
  border: 1px solid #c9c9cf; border-radius: 8px; box-shadow: 0 6px 24px rgba(0,0,0,.18); padding: 10px 12px;
  width: max-content; max-width: 320px; }
.card[hidden] { display: none; }
.head { display: flex; align-items: center; gap: 8px; font-weight: 600; }
.sample { display: inline-block; width: 28px; height: 10px; text-decoration-line: underline; font-size: 10px; line-height: 4px; }
.message { margin: 6px 0 8px; }
.phrase { font-style: italic; color: #444; }
.suggestions { display: flex; flex-wrap: wrap; gap: 6px; }
button { font: inherit; border-radius: 6px; border: 1px solid #0072B2; background: #eef6fb; color: #00406a;
  padding: 3px 8px; cursor: pointer; }
button:hover, button:focus-visible { background: #d6ebf7; outline: 2px solid #0072B2; outline-offset: 1px; }
button.dismiss { border-color: #aaa; background: #f6f6f6; color: #333; }
.foot { display: flex; justify-content: space-between; align-items: center; gap: 12px; margin-top: 8px; }
.hint { color: #666; font-size: 11px; }
`;

export class Card {
  constructor(top, { onApply, onDismiss, onLeave }) {
    this.top = top;
    this.callbacks = { onApply, onDismiss, onLeave };
    const { host, shadow } = createHost(top, "tonecheck-card", CARD_CSS, 10);
    this.host = host;
    this.box = top.document.createElement("div");
    this.box.className = "card";
    this.box.setAttribute("role", "dialog");
    this.box.hidden = true;
    shadow.append(this.box);
    this.current = null;
    // Clicking the card must not take the focus or the selection away from the editor.
    this.box.addEventListener("mousedown", (event) => event.preventDefault());
    this.box.addEventListener("mouseleave", () => this.callbacks.onLeave?.());
    this.box.addEventListener("click", (event) => this.clicked(event));
  }

  get open() {
    return this.current !== null;
  }

  contains(x, y) {
    if (!this.open) return false;
    const r = this.box.getBoundingClientRect();
    return x >= r.left && x <= r.right && y >= r.top && y <= r.bottom;
  }

  show(owner, hedge, anchor, { keyboard = false, categoryLabel } = {}) {
    this.current = { owner, hedge, keyboard };
    const doc = this.top.document;
    const look = styleFor(hedge.category);
    const head = doc.createElement("div");
    head.className = "head";
    const sample = doc.createElement("span");
    sample.className = "sample";
    sample.style.textDecorationStyle = look.line;
    sample.style.textDecorationColor = look.color;
    sample.style.textDecorationThickness = look.thickness;
    sample.textContent = "\u00a0".repeat(8);
    const title = doc.createElement("span");
    title.className = "category";
    title.textContent = categoryLabel || look.label;
    head.append(sample, title);
    const message = doc.createElement("p");
    message.className = "message";
    message.textContent = hedge.message || "";
    const suggestions = doc.createElement("div");
    suggestions.className = "suggestions";
    // Only the server's planned rewrite is offered: it edits the whole clause ("Please try
    // restarting" -> "Please restart"), so one click never leaves broken English.
    const rewrites = hedge.rewrite ? [hedge.rewrite] : [];
    rewrites.forEach((rewrite, index) => {
      const button = doc.createElement("button");
      button.className = "suggestion";
      button.dataset.index = String(index);
      button.textContent = `“${rewrite.preview}”`;
      button.title = "Use this wording";
      suggestions.append(button);
    });
    const foot = doc.createElement("div");
    foot.className = "foot";
    const dismiss = doc.createElement("button");
    dismiss.className = "dismiss";
    dismiss.textContent = "Not a hedge";
    const hint = doc.createElement("span");
    hint.className = "hint";
    hint.textContent = keyboard ? "Enter applies the first · Esc closes" : "Alt+Shift+N: next hedge";
    foot.append(dismiss, hint);
    this.box.setAttribute("aria-label", `tonecheck: ${title.textContent}`);
    this.box.replaceChildren(head, message, ...(rewrites.length ? [suggestions] : []), foot);
    this.box.hidden = false;
    this.place(anchor);
  }

  place(anchor) {
    const view = this.top;
    const width = this.box.offsetWidth;
    const height = this.box.offsetHeight;
    let left = Math.min(Math.max(4, anchor.left), view.innerWidth - width - 4);
    let top = anchor.bottom + 6;
    if (top + height > view.innerHeight - 4 && anchor.top - height - 6 >= 4) top = anchor.top - height - 6;
    left = Math.max(4, left);
    this.host.style.left = `${left}px`;
    this.host.style.top = `${top}px`;
  }

  hide() {
    this.current = null;
    this.box.hidden = true;
  }

  applyFirst() {
    const current = this.current;
    if (current?.hedge.rewrite) this.callbacks.onApply(current.owner, current.hedge, current.hedge.rewrite);
  }

  clicked(event) {
    const current = this.current;
    const button = event.target.closest?.("button");
    if (!current || !button) return;
    if (button.classList.contains("dismiss")) this.callbacks.onDismiss(current.owner, current.hedge);
    else if (current.hedge.rewrite) this.callbacks.onApply(current.owner, current.hedge, current.hedge.rewrite);
  }

  destroy() {
    this.host.remove();
  }
}
