// The content script: runs in every frame, does nothing until the background worker says this
// site is enabled, then watches every reply editor, including those added later.
import { client, KINDS, onBackgroundMessage } from "../shared/client.js";
import { compileLexicon } from "./lexicon-match.js";
import { Card } from "./card.js";
import { editorOf, findEditors, isReplyEditor } from "./editors.js";
import { highlightsSupported } from "./highlights.js";
import { RichSurface } from "./rich-surface.js";
import { EditorSession } from "./session.js";
import { TextareaSurface } from "./textarea-surface.js";
import { topReachableWindow } from "./ui-host.js";

const HIDE_CARD_AFTER_MS = 300;

class Watcher {
  constructor() {
    this.sessions = new Map();
    this.compiled = compileLexicon(null);
    this.debounceMs = 400;
    this.running = false;
    this.generation = 0; // bumped by every start and stop, so a start overtaken by another gives up
    this.hideTimer = null;
  }

  async start(state) {
    const generation = ++this.generation;
    this.debounceMs = state.debounceMs;
    this.running = true;
    const reply = await client.lexicon();
    if (generation !== this.generation) return;
    if (reply.ok && reply.lexicon) this.compiled = compileLexicon(reply.lexicon);
    this.top = topReachableWindow(window);
    this.card = new Card(this.top, {
      onApply: (session, hedge, suggestion) => session.apply(hedge, suggestion),
      onDismiss: (session, hedge) => session.dismiss(hedge),
      onLeave: () => this.hideCardSoon(),
    });
    this.card.box.addEventListener("mouseenter", () => this.cancelHide());
    this.env = {
      top: this.top,
      card: this.card,
      debounceMs: this.debounceMs,
      lexicon: () => this.compiled,
      categoryLabel: (category) => this.compiled.categories?.[category]?.label,
      hideCardSoon: () => this.hideCardSoon(),
      cancelHide: () => this.cancelHide(),
    };
    this.scan(document);
    this.observer = new MutationObserver((records) => this.mutated(records));
    this.observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["contenteditable", "readonly", "disabled", "role"] });
    this.top.addEventListener("scroll", () => this.card?.hide(), { passive: true, capture: true });
    // An editor shown after the scan (it was hidden then) is watched once it takes the focus.
    this.onFocus = (event) => {
      const editor = editorOf(event.composedPath()[0]);
      if (editor) this.watch(editor);
    };
    document.addEventListener("focusin", this.onFocus, true);
  }

  stop() {
    this.generation += 1;
    this.running = false;
    this.observer?.disconnect();
    if (this.onFocus) document.removeEventListener("focusin", this.onFocus, true);
    for (const session of this.sessions.values()) session.destroy();
    this.sessions.clear();
    this.card?.destroy();
    this.card = null;
  }

  hideCardSoon() {
    this.cancelHide();
    this.hideTimer = setTimeout(() => {
      this.hideTimer = null;
      const owner = this.card?.current?.owner;
      if (owner && !this.card.current.keyboard) owner.closeCard();
    }, HIDE_CARD_AFTER_MS);
  }

  cancelHide() {
    if (this.hideTimer !== null) clearTimeout(this.hideTimer);
    this.hideTimer = null;
  }

  scan(root) {
    for (const element of findEditors(root)) this.watch(element);
  }

  watch(element) {
    if (this.sessions.has(element)) return;
    let surface;
    if (element.localName === "textarea") surface = new TextareaSurface(element);
    else if (highlightsSupported(element.ownerDocument)) surface = new RichSurface(element);
    else return;
    this.sessions.set(element, new EditorSession(surface, this.env));
  }

  mutated(records) {
    for (const record of records) {
      if (record.type === "attributes") {
        const element = record.target;
        if (this.sessions.has(element) && !isReplyEditor(element)) this.unwatch(element);
        else if (!this.sessions.has(element)) this.scan(element);
        continue;
      }
      for (const node of record.addedNodes) if (node.nodeType === 1) this.scan(node);
      for (const node of record.removedNodes) {
        if (node.nodeType !== 1) continue;
        for (const element of [...this.sessions.keys()]) {
          if (!element.isConnected && (node === element || node.contains(element))) this.unwatch(element);
        }
      }
    }
  }

  unwatch(element) {
    this.sessions.get(element)?.destroy();
    this.sessions.delete(element);
  }
}

const watcher = new Watcher();

// Answers to overlapping asks (a page load and a switch flipped meanwhile) apply in order.
let asked = 0;
async function applySiteState() {
  const ask = ++asked;
  const state = await client.siteState();
  if (!state.ok || ask !== asked) return;
  if (state.enabled && !watcher.running) await watcher.start(state);
  else if (!state.enabled && watcher.running) watcher.stop();
}

onBackgroundMessage({ [KINDS.siteChanged]: () => applySiteState() });
applySiteState();
