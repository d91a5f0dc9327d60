// Keeping hedge spans right while the text changes, and planning a replacement.

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
 * dropped: its words changed, so only a new check may underline it again.
 */
export function shiftSpans(spans, oldText, newText) {
  const region = editRegion(oldText, newText);
  if (region === null) return spans;
  const delta = region.newEnd - region.oldEnd;
  const kept = [];
  for (const span of spans) {
    if (span.end < region.start) kept.push(span);
    else if (span.start > region.oldEnd) kept.push({ ...span, start: span.start + delta, end: span.end + delta });
    else if (span.end === region.start && region.oldEnd === region.start) kept.push(span);
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

const SENTENCE_START = /(^|[.!?]["')\]]?\s+|\n\s*)$/;

/**
 * What to write where, to put `suggestion` in place of text[start:end]: {start, end, insert}.
 * Deleting a phrase ("" suggestion) also takes one space beside it, and a sentence that now
 * starts with a small letter gets a capital; a replacement keeps the capital it replaces.
 */
export function planReplacement(text, start, end, suggestion) {
  const atSentenceStart = SENTENCE_START.test(text.slice(0, start));
  if (suggestion === "") {
    let from = start;
    let to = end;
    if (text[to] === " ") to += 1;
    else if (from > 0 && text[from - 1] === " ") from -= 1;
    const next = text[to] ?? "";
    if (atSentenceStart && next !== next.toUpperCase()) {
      return { start: from, end: to + 1, insert: next.toUpperCase() };
    }
    return { start: from, end: to, insert: "" };
  }
  const first = text[start] ?? "";
  const capital = atSentenceStart && first !== "" && first === first.toUpperCase() && first !== first.toLowerCase();
  const insert = capital ? suggestion[0].toUpperCase() + suggestion.slice(1) : suggestion;
  return { start, end, insert };
}
