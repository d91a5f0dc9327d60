// One editor being watched: local underlines at once from the cached lexicon, the server's
// answer after a pause in typing, the card on hover or keyboard focus, the badge.
import { client } from "../shared/client.js";
import { findInstantHedges } from "./lexicon-match.js";
import { debounce, Revisions } from "./schedule.js";
import { mergeSpans, shiftSpans, withoutDismissed } from "./spans.js";
import { Badge } from "./badge.js";
import { rectInTop } from "./ui-host.js";

let sessionCount = 0;
const NEXT_HEDGE_KEY = "KeyN"; // with Alt+Shift

export class EditorSession {
  constructor(surface, env) {
    this.surface = surface;
    this.env = env; // {top, card, lexicon(), debounceMs, hideCardSoon, cancelHide}
    this.key = `e${++sessionCount}-${Math.random().toString(36).slice(2, 8)}`;
    this.draftId = crypto.randomUUID();
    this.revisions = new Revisions();
    this.serverHedges = [];
    this.rejected = []; // lexicon matches the server said are not hedges here
    this.dismissed = [];
    this.shown = [];
    this.inFlight = false;
    this.frameQueued = false;
    this.badge = new Badge(env.top, surface);
    this.checkLater = debounce(() => this.checkNow(), env.debounceMs);
    this.win = surface.doc.defaultView;

    this.onEdit = () => this.edited();
    this.onMouseMove = (event) => this.hovered(event);
    this.onMouseLeave = () => this.env.hideCardSoon(this);
    this.onKeyDown = (event) => this.keyDown(event);
    this.onCaret = (event) => this.caretMoved(event);
    this.onReposition = () => this.badge.place();
    const root = surface.root;
    root.addEventListener("input", this.onEdit);
    root.addEventListener("mousemove", this.onMouseMove, { passive: true });
    root.addEventListener("mouseleave", this.onMouseLeave, { passive: true });
    root.addEventListener("keyup", this.onCaret);
    root.addEventListener("mouseup", this.onCaret);
    // Capture on the window: Enter must reach us before the editor turns it into a new line.
    this.win.addEventListener("keydown", this.onKeyDown, true);
    this.win.addEventListener("resize", this.onReposition, { passive: true });
    env.top.addEventListener("scroll", this.onReposition, { passive: true, capture: true });
    if (surface.kind === "rich") {
      // Editors also change their DOM without input events (undo, paste handlers, set content).
      this.observer = new MutationObserver(this.onEdit);
      this.observer.observe(root, { childList: true, characterData: true, subtree: true });
    }
    this.resizeObserver = new ResizeObserver(this.onReposition);
    this.resizeObserver.observe(root);
    this.refresh();
    if (this.revisions.text.trim()) this.checkLater.schedule();
  }

  /** The hot path, on every keystroke: no text is read here, only work is scheduled. */
  edited() {
    if (!this.frameQueued) {
      this.frameQueued = true;
      this.win.requestAnimationFrame(() => {
        this.frameQueued = false;
        this.refresh();
      });
    }
    this.checkLater.schedule();
    if (this.inFlight) {
      this.inFlight = false;
      client.cancelCheck(this.key);
    }
  }

  /** Reads the text; when it changed, moves the server's spans along and repaints local ones. */
  refresh() {
    const before = this.revisions.text;
    const text = this.surface.readText();
    if (!this.revisions.update(text)) {
      if (this.surface.kind === "rich") this.repaint(); // same text, new DOM nodes
      return;
    }
    this.serverHedges = shiftSpans(this.serverHedges, before, text);
    this.rejected = shiftSpans(this.rejected, before, text);
    this.dismissed = shiftSpans(this.dismissed, before, text);
    const local = withoutDismissed(findInstantHedges(this.env.lexicon(), text), this.rejected);
    this.show(mergeSpans(this.serverHedges, local), "local");
  }

  show(hedges, source) {
    this.shown = withoutDismissed(hedges, this.dismissed);
    this.repaint();
    this.emit(source);
  }

  repaint() {
    this.surface.paint(this.shown);
    const open = this.env.card.current;
    if (open?.owner === this) {
      const index = this.shown.findIndex((h) => h.start === open.hedge.start && h.end === open.hedge.end);
      if (index === -1) this.closeCard();
      else this.surface.setActive(index);
    }
  }

  /** A test or benchmark may listen for this on the document; it carries no text. */
  emit(source, serverMs = null) {
    const detail = JSON.stringify({ source, revision: this.revisions.revision, count: this.shown.length, serverMs, at: performance.now() });
    this.surface.doc.dispatchEvent(new CustomEvent("tonecheck:painted", { detail }));
  }

  async checkNow() {
    if (this.frameQueued) {
      this.frameQueued = false;
      this.refresh();
    }
    const ticket = this.revisions.ticket();
    if (!ticket.text.trim()) {
      this.badge.showStatus("tonecheck", "waiting for text");
      return;
    }
    this.inFlight = true;
    const reply = await client.check(this.key, ticket.text, this.draftId);
    if (!this.revisions.isCurrent(ticket)) return; // an answer for text that has changed since
    this.inFlight = false;
    if (!reply.ok) {
      if (reply.error.code !== "aborted") this.badge.showProblem(reply.error.message);
      this.emit("server-error");
      return;
    }
    const result = reply.result;
    const hedges = (result.hedges ?? []).map((h) => ({ ...h, suggestions: h.suggestions ?? [], source: "server" }));
    const local = findInstantHedges(this.env.lexicon(), ticket.text);
    this.rejected = local.filter((l) => !hedges.some((h) => h.start < l.end && l.start < h.end));
    this.serverHedges = hedges;
    this.badge.showResult(result);
    this.shown = withoutDismissed(hedges, this.dismissed);
    this.repaint();
    this.emit("server", result.took_ms ?? null);
  }

  hedgeAt(x, y) {
    for (let index = 0; index < this.shown.length; index += 1) {
      for (const r of this.surface.rectsOf(index)) {
        if (x >= r.left && x <= r.right && y >= r.top - 2 && y <= r.bottom + 2) return index;
      }
    }
    return -1;
  }

  hovered(event) {
    const index = this.hedgeAt(event.clientX, event.clientY);
    if (index === -1) {
      if (this.env.card.current?.owner === this && !this.env.card.current.keyboard) this.env.hideCardSoon(this);
      return;
    }
    this.env.cancelHide();
    const open = this.env.card.current;
    if (open?.owner === this && open.hedge === this.shown[index]) return;
    this.openCard(index, false);
  }

  openCard(index, keyboard) {
    const hedge = this.shown[index];
    const rects = this.surface.rectsOf(index);
    if (!hedge || rects.length === 0) return;
    const last = rects[rects.length - 1];
    const first = rects[0];
    const anchor = rectInTop(
      { left: first.left, top: first.top, width: Math.max(1, last.right - first.left), height: last.bottom - first.top },
      this.win,
      this.env.top,
    );
    this.surface.setActive(index);
    const label = this.env.categoryLabel(hedge.category);
    this.env.card.show(this, hedge, anchor, { keyboard, categoryLabel: label });
  }

  closeCard() {
    if (this.env.card.current?.owner === this) this.env.card.hide();
    this.surface.setActive(null);
  }

  caretMoved(event) {
    if (event.type === "keyup" && !/^(Arrow|Home|End|Page)/.test(event.key)) return;
    const caret = this.surface.caretOffset();
    if (caret === null) return;
    const index = this.shown.findIndex((h) => caret > h.start && caret < h.end);
    if (index !== -1) this.openCard(index, false);
    else if (this.env.card.current?.owner === this && !this.env.card.current.keyboard) this.closeCard();
  }

  keyDown(event) {
    const root = this.surface.root;
    const doc = this.surface.doc;
    if (!(doc.activeElement === root || root.contains(doc.activeElement) || root === doc.body)) return;
    const open = this.env.card.current;
    if (event.altKey && event.shiftKey && event.code === NEXT_HEDGE_KEY) {
      event.preventDefault();
      event.stopImmediatePropagation();
      this.focusNextHedge();
      return;
    }
    if (open?.owner !== this || !open.keyboard) return;
    if (event.key === "Enter" && !event.shiftKey && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      event.stopImmediatePropagation();
      this.env.card.applyFirst();
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopImmediatePropagation();
      this.closeCard();
    } else if (!["Shift", "Alt", "Control", "Meta"].includes(event.key)) {
      this.closeCard();
    }
  }

  /** Selects the next hedge after the caret (wrapping round) and opens its card for the keyboard. */
  focusNextHedge() {
    this.refresh();
    if (this.shown.length === 0) return;
    const open = this.env.card.current;
    const from = open?.owner === this ? open.hedge.start + 1 : (this.surface.caretOffset() ?? 0);
    let index = this.shown.findIndex((h) => h.start >= from);
    if (index === -1) index = 0;
    const hedge = this.shown[index];
    this.surface.select(hedge.start, hedge.end);
    this.openCard(index, true);
  }

  /** Makes exactly the server's planned `rewrite` through the editor's own input path. */
  async apply(hedge, rewrite) {
    this.closeCard();
    const text = this.surface.readText();
    if (text.slice(hedge.start, hedge.end) !== hedge.text) return false; // the text moved on
    if (!rewrite || rewrite.start > hedge.start || rewrite.end < hedge.end || rewrite.end > text.length) return false;
    const done = await this.surface.replace(rewrite.start, rewrite.end, rewrite.text);
    this.edited();
    return done;
  }

  async dismiss(hedge) {
    this.closeCard();
    this.dismissed.push({ start: hedge.start, end: hedge.end, text: hedge.text });
    this.show(this.shown, "dismissed");
    const reply = await client.feedback({ text: this.revisions.text, start: hedge.start, end: hedge.end, verdict: "not_a_hedge", draftId: this.draftId });
    if (!reply.ok) this.badge.showProblem(`Feedback not sent: ${reply.error.message}`);
    this.emit(reply.ok ? "feedback-sent" : "feedback-failed");
  }

  destroy() {
    const root = this.surface.root;
    root.removeEventListener("input", this.onEdit);
    root.removeEventListener("mousemove", this.onMouseMove);
    root.removeEventListener("mouseleave", this.onMouseLeave);
    root.removeEventListener("keyup", this.onCaret);
    root.removeEventListener("mouseup", this.onCaret);
    this.win.removeEventListener("keydown", this.onKeyDown, true);
    this.win.removeEventListener("resize", this.onReposition);
    this.env.top.removeEventListener("scroll", this.onReposition, { capture: true });
    this.observer?.disconnect();
    this.resizeObserver.disconnect();
    this.checkLater.cancel();
    if (this.inFlight) client.cancelCheck(this.key);
    this.closeCard();
    this.surface.destroy();
    this.badge.destroy();
  }
}
