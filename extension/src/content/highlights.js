// The CSS Custom Highlight registry of one document, shared by every editor in it: each
// editor owns its ranges; highlights are named per category. The editor's DOM is untouched.
import { ACTIVE_HIGHLIGHT, highlightName } from "./categories.js";

const registries = new WeakMap();

function registryFor(doc) {
  let registry = registries.get(doc);
  if (!registry) {
    registry = { owners: new Map(), highlights: new Map() };
    registries.set(doc, registry);
  }
  return registry;
}

function highlight(doc, registry, name, priority) {
  let found = registry.highlights.get(name);
  if (!found) {
    const win = doc.defaultView;
    found = new win.Highlight();
    found.priority = priority;
    registry.highlights.set(name, found);
    win.CSS.highlights.set(name, found);
  }
  return found;
}

export function highlightsSupported(doc) {
  const win = doc.defaultView;
  return Boolean(win && win.CSS?.highlights && typeof win.Highlight === "function");
}

/** Replaces `owner`'s underlines in `doc` with `items` ([{range, category}]). */
export function paintRanges(doc, owner, items) {
  const registry = registryFor(doc);
  for (const { name, range } of registry.owners.get(owner) ?? []) registry.highlights.get(name)?.delete(range);
  const mine = items.map(({ range, category }) => ({ name: highlightName(category), range }));
  for (const { name, range } of mine) highlight(doc, registry, name, 0).add(range);
  registry.owners.set(owner, mine);
}

/** Marks one range as the hedge the card is about (or none). */
export function paintActive(doc, range) {
  const active = highlight(doc, registryFor(doc), ACTIVE_HIGHLIGHT, 1);
  active.clear();
  if (range) active.add(range);
}

export function clearOwner(doc, owner) {
  paintRanges(doc, owner, []);
}
