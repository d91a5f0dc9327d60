// How each hedge category looks: a colour from the Okabe–Ito palette (told apart with the
// common colour-vision deficiencies) plus its own underline style, so colour is never the only cue.
export const CATEGORY_STYLES = Object.freeze({
  hope: { label: "Hope", color: "#D55E00", line: "wavy", thickness: "2px" },
  soft_outcome: { label: "Soft outcome", color: "#0072B2", line: "dashed", thickness: "2px" },
  epistemic: { label: "Unsure", color: "#CC79A7", line: "dotted", thickness: "3px" },
  attempt: { label: "Trial", color: "#009E73", line: "double", thickness: "2px" },
  possibility: { label: "Guess", color: "#E69F00", line: "solid", thickness: "2px" },
  deference: { label: "Deference", color: "#56B4E9", line: "solid", thickness: "4px" },
});

export const FALLBACK_STYLE = Object.freeze({ label: "Hedge", color: "#555555", line: "wavy", thickness: "2px" });

export const styleFor = (category) => CATEGORY_STYLES[category] ?? FALLBACK_STYLE;

export const highlightName = (category) => `tonecheck-${CATEGORY_STYLES[category] ? category : "other"}`;
export const ACTIVE_HIGHLIGHT = "tonecheck-active";

/** ::highlight() rules for the page (also built into dist/highlights.css by the build). */
export function highlightCss() {
  const rules = Object.keys(CATEGORY_STYLES).map((category) => {
    const s = CATEGORY_STYLES[category];
    return `::highlight(${highlightName(category)}) { text-decoration: underline ${s.line} ${s.color} ${s.thickness}; text-decoration-skip-ink: none; }`;
  });
  rules.push(`::highlight(tonecheck-other) { text-decoration: underline ${FALLBACK_STYLE.line} ${FALLBACK_STYLE.color} 2px; }`);
  rules.push(`::highlight(${ACTIVE_HIGHLIGHT}) { background-color: rgba(0, 114, 178, 0.16); }`);
  return `${rules.join("\n")}\n`;
}
