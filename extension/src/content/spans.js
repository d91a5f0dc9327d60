// Keeping hedge spans (and the rewrites planned for them) right while the text changes.

/** The one edited region between two texts: {start, oldEnd, newEnd}, or null when equal. */
export function editRegion(oldText, newText) {
  if (oldText === newText) return null;
  const shortest = Math.min(oldText.length, newText.length);
  let start = 0;
  while (start < shortest && oldText.charCodeAt(start) === newText.charCodeAt(start)) start += 1;
  let oldEnd = oldText.length;
  let newEnd = newText.length;
  while (oldEnd > start && newEnd > start && oldText.charCodeAt(oldEnd - 1) === newText.charCodeAt(newEnd - 1)) {
    oldEnd -= 1;
    newEnd -= 1;
  }
  return { start, oldEnd, newEnd };
}

/**
 * Moves spans found in `oldText` to where they are in `newText`. A span the edit touched is
 * dropped: its words changed, so only a new check may underline it again. A span's planned
 * `rewrite` (often wider than the span) moves with it, and is dropped when the edit touched
 * its range but not the span: a rewrite planned for other words must not be applied.
 */
export function shiftSpans(spans, oldText, newText) {
  const region = editRegion(oldText, newText);
  if (region === null) return spans;
  const delta = region.newEnd - region.oldEnd;
  const kept = [];
  for (const span of spans) {
    let moved = null;
    if (span.end < region.start) moved = span;
    else if (span.start > region.oldEnd) moved = { ...span, start: span.start + delta, end: span.end + delta };
    else if (span.end === region.start && region.oldEnd === region.start) moved = span;
    if (moved === null) continue;
    const rewrite = span.rewrite;
    if (rewrite) {
      if (rewrite.end < region.start || (rewrite.end === region.start && region.oldEnd === region.start)) {
        moved = { ...moved, rewrite };
      } else if (rewrite.start > region.oldEnd || (rewrite.start === region.start && region.oldEnd === region.start)) {
        moved = { ...moved, rewrite: { ...rewrite, start: rewrite.start + delta, end: rewrite.end + delta } };
      } else {
        moved = { ...moved, rewrite: null };
      }
    }
    kept.push(moved);
  }
  return kept;
}

/** Spans of `preferred` plus those of `others` that overlap none of them, in text order. */
export function mergeSpans(preferred, others) {
  const merged = [...preferred];
  for (const span of others) {
    if (!preferred.some((p) => p.start < span.end && span.start < p.end)) merged.push(span);
  }
  return merged.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** Drops the spans an agent marked "not a hedge" (same place, same words). */
export function withoutDismissed(spans, dismissed) {
  return spans.filter((s) => !dismissed.some((d) => d.start === s.start && d.end === s.end && d.text === s.text));
}
