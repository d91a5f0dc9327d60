// The badge at an editor's corner: the four scores and the overall score with their names,
// expanding to the phrases that moved each score; or, when the server cannot be used, why.
import { PRINCIPLES } from "../shared/principles.js";
import { buttonRectsNear, createHost, editorBoxInTop, intersects } from "./ui-host.js";

const BADGE_CSS = `
.badge { font: 12px/1.3 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; background: #fff;
  border: 1px solid #c9c9cf; border-radius: 8px; box-shadow: 0 2px 8px rgba(0,0,0,.12); max-width: 460px; }
.summary { all: unset; display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; padding: 3px 8px; cursor: pointer; }
.summary:focus-visible { outline: 2px solid #0072B2; border-radius: 8px; }
.brand { font-weight: 700; color: #00406a; }
.score b { font-variant-numeric: tabular-nums; }
.overall { font-weight: 700; }
.problem { color: #8a1c00; }
.status { color: #666; }
.details { padding: 4px 10px 8px; border-top: 1px solid #e4e4e8; max-height: 260px; overflow: auto; }
.details[hidden] { display: none; }
.details h4 { margin: 6px 0 2px; font-size: 12px; }
.details ul { margin: 0; padding-left: 16px; }
.up { color: #006c4f; }
.down { color: #a03000; }
`;

export class Badge {
  constructor(top, surface) {
    this.top = top;
    this.surface = surface;
    const { host, shadow } = createHost(top, "tonecheck-badge", BADGE_CSS);
    this.host = host;
    const doc = top.document;
    this.box = doc.createElement("div");
    this.box.className = "badge";
    this.summary = doc.createElement("button");
    this.summary.className = "summary";
    this.summary.setAttribute("aria-expanded", "false");
    this.details = doc.createElement("div");
    this.details.className = "details";
    this.details.hidden = true;
    this.box.append(this.summary, this.details);
    shadow.append(this.box);
    this.summary.addEventListener("mousedown", (event) => event.preventDefault());
    this.summary.addEventListener("click", () => this.toggle());
    this.showStatus("tonecheck", "ready");
  }

  toggle() {
    this.details.hidden = !this.details.hidden;
    this.summary.setAttribute("aria-expanded", String(!this.details.hidden));
    this.place();
  }

  showStatus(_brand, status) {
    const doc = this.top.document;
    const brand = doc.createElement("span");
    brand.className = "brand";
    brand.textContent = "tonecheck";
    const text = doc.createElement("span");
    text.className = "status";
    text.textContent = status;
    this.summary.replaceChildren(brand, text);
    this.details.replaceChildren();
    this.details.hidden = true;
    this.place();
  }

  /** The server's answer could not be had: say why in words; local underlines go on. */
  showProblem(message) {
    const doc = this.top.document;
    const brand = doc.createElement("span");
    brand.className = "brand";
    brand.textContent = "tonecheck";
    const text = doc.createElement("span");
    text.className = "problem";
    text.setAttribute("role", "status");
    text.textContent = `No scores: ${message} Underlines come from the saved phrase list.`;
    this.summary.replaceChildren(brand, text);
    this.details.replaceChildren();
    this.details.hidden = true;
    this.place();
  }

  showResult(result) {
    const doc = this.top.document;
    const brand = doc.createElement("span");
    brand.className = "brand";
    brand.textContent = "tonecheck";
    const parts = [brand];
    if (result.overall === null || result.overall === undefined) {
      const text = doc.createElement("span");
      text.className = "status";
      text.textContent = result.reason || "no scores for empty text";
      parts.push(text);
    } else {
      for (const [key, label] of PRINCIPLES) parts.push(score(doc, "score", label, result.scores?.[key], key));
      parts.push(score(doc, "score overall", "Overall", result.overall, "overall"));
    }
    this.summary.replaceChildren(...parts);
    this.summary.setAttribute("aria-label", `tonecheck scores: ${parts.map((p) => p.textContent).join(", ")}. Show what moved them.`);
    this.details.replaceChildren(...explanations(doc, result));
    this.place();
  }

  /** Beside a corner of the editor, never over a button (the send button above all). */
  place() {
    const view = this.top;
    const box = editorBoxInTop(this.surface.root, view);
    const width = this.box.offsetWidth;
    const height = this.box.offsetHeight;
    const hidden = box.width === 0 || box.bottom < 0 || box.top > view.innerHeight;
    this.host.style.display = hidden ? "none" : "block";
    if (hidden) return;
    // Outside the editor first, so no text is covered: below it, then above it.
    const candidates = [
      { left: box.right - width, top: box.bottom + 4 },
      { left: box.left, top: box.bottom + 4 },
      { left: box.right - width, top: box.top - height - 4 },
      { left: box.left, top: box.top - height - 4 },
      { left: box.right - width - 4, top: box.top + 4 },
      { left: box.left + 4, top: box.bottom - height - 4 },
    ].map(({ left, top }) => ({ left, top, right: left + width, bottom: top + height }));
    const buttons = buttonRectsNear(view.document, box);
    const fits = (c) => c.left >= 0 && c.top >= 0 && c.right <= view.innerWidth && c.bottom <= view.innerHeight;
    const clear = (c) => !buttons.some((b) => intersects(b, c));
    const chosen = candidates.find((c) => fits(c) && clear(c)) ?? candidates.find(clear) ?? candidates[4];
    this.host.style.left = `${chosen.left}px`;
    this.host.style.top = `${chosen.top}px`;
  }

  destroy() {
    this.host.remove();
  }
}

function score(doc, className, label, value, key) {
  const span = doc.createElement("span");
  span.className = className;
  span.dataset.key = key;
  const number = doc.createElement("b");
  number.textContent = value === null || value === undefined ? "–" : String(value);
  span.append(`${label} `, number);
  return span;
}

function explanations(doc, result) {
  const blocks = [];
  for (const [key, label] of PRINCIPLES) {
    const items = result.explanations?.[key] ?? [];
    const heading = doc.createElement("h4");
    heading.textContent = `${label} ${result.scores?.[key] ?? "–"}`;
    const list = doc.createElement("ul");
    if (items.length === 0) {
      const none = doc.createElement("li");
      none.textContent = "No single phrase moved this score much.";
      list.append(none);
    }
    for (const item of items.slice(0, 6)) {
      const li = doc.createElement("li");
      const effect = Number(item.effect) || 0;
      li.className = effect >= 0 ? "up" : "down";
      li.textContent = item.reason || `“${item.text}” ${effect >= 0 ? "raises" : "lowers"} it`;
      list.append(li);
    }
    blocks.push(heading, list);
  }
  return blocks;
}
