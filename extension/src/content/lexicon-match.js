// Instant hedge underlines from the lexicon the server publishes at /v1/lexicon.
// Only entries marked `instant` are used: the others are ambiguous words ("may", "try")
// that only the server's classifier may accept.

/** Compiles the lexicon's instant entries once; bad patterns are reported, not thrown. */
export function compileLexicon(lexicon) {
  const flags = `${lexicon?.flags ?? "i"}g`.replace(/(.)(?=.*\1)/g, "");
  const compiled = [];
  const problems = [];
  for (const [order, entry] of (lexicon?.entries ?? []).entries()) {
    if (entry.instant !== true) continue;
    try {
      compiled.push({ order, entry, regex: new RegExp(entry.pattern, flags) });
    } catch (error) {
      problems.push(`entries[${order}] (${entry.id}): pattern ${JSON.stringify(entry.pattern)} is not valid here: ${error.message}`);
    }
  }
  return { compiled, problems, categories: lexicon?.categories ?? {} };
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const LETTER = /\p{L}/u;
const APOSTROPHE = /['’]/;

/** Whether a boundary at `index` falls between two characters of one word ("don|'t" too). */
function insideWord(text, index) {
  if (index <= 0 || index >= text.length) return false;
  const before = text[index - 1];
  const after = text[index];
  if (LETTER_OR_DIGIT.test(before) && LETTER_OR_DIGIT.test(after)) return true;
  return (
    (LETTER.test(before) && APOSTROPHE.test(after) && LETTER.test(text[index + 1] ?? "")) ||
    (APOSTROPHE.test(before) && LETTER.test(after) && LETTER.test(text[index - 2] ?? ""))
  );
}

/** A span that starts or ends inside a word is never a hedge: it would cut the word. */
export function cutsAWord(text, start, end) {
  return insideWord(text, start) || insideWord(text, end);
}

/**
 * Hedge spans in `text`: leftmost first; where two overlap the earlier start wins, then the
 * longer match, then the earlier entry. Trailing whitespace is not part of a span.
 */
export function findInstantHedges(compiledLexicon, text) {
  const found = [];
  for (const { order, entry, regex } of compiledLexicon.compiled) {
    regex.lastIndex = 0;
    let match;
    while ((match = regex.exec(text)) !== null) {
      const start = match.index;
      let end = start + match[0].length;
      if (match[0].length === 0) {
        regex.lastIndex += 1;
        continue;
      }
      while (end > start && /\s/.test(text[end - 1])) end -= 1;
      if (end > start && !cutsAWord(text, start, end)) found.push({ start, end, order, entry });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end || a.order - b.order);
  const chosen = [];
  let takenUntil = -1;
  for (const { start, end, entry } of found) {
    if (start < takenUntil) continue;
    chosen.push({
      start,
      end,
      text: text.slice(start, end),
      category: entry.category,
      message: entry.message,
      suggestions: [...(entry.suggestions ?? [])],
      source: "local",
    });
    takenUntil = end;
  }
  return chosen;
}
