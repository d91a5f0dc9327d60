import assert from "node:assert/strict";
import { test } from "node:test";
import { compileLexicon, findInstantHedges } from "../../extension/src/content/lexicon-match.js";

const entry = (id, pattern, category, instant = true, suggestions = [""]) => ({ id, pattern, category, message: `${id} message`, suggestions, instant });

const lexicon = {
  version: "t-1",
  flags: "i",
  categories: { hope: { label: "Hope", message: "m" } },
  entries: [
    entry("should-now-be-able", "\\b(?:you|they|we|it) should (?:now )?be able to\\b", "soft_outcome", true, ["you can"]),
    entry("should-be-able", "\\bshould (?:now )?be able to\\b", "soft_outcome", true, ["can"]),
    entry("hope-helps", "\\bI hope (?:this|that) helps[.!]?", "hope"),
    entry("hopefully", "\\bhopefully,?\\s*", "hope"),
    entry("maybe", "\\bmaybe\\b", "epistemic"),
    entry("may-bare", "\\bmay\\b", "possibility", false),
  ],
};

test("only instant entries underline; ambiguous words wait for the server", () => {
  const found = findInstantHedges(compileLexicon(lexicon), "You may see it. Maybe not.");
  assert.deepEqual(found.map((h) => h.text), ["Maybe"]);
});

test("overlaps: the earlier start wins, then the longer match", () => {
  const text = "Once done, you should be able to log in. It should be able to sync.";
  const found = findInstantHedges(compileLexicon(lexicon), text);
  assert.deepEqual(found.map((h) => [h.text, h.start]), [
    ["you should be able to", 11],
    ["It should be able to", 41],
  ]);
  assert.deepEqual(found[0].suggestions, ["you can"]);
  assert.equal(found[0].category, "soft_outcome");
});

test("case-insensitive, trailing whitespace is not part of a span", () => {
  const found = findInstantHedges(compileLexicon(lexicon), "HOPEFULLY,   it works. i hope this helps!");
  assert.deepEqual(found.map((h) => h.text), ["HOPEFULLY,", "i hope this helps!"]);
});

test("offsets are UTF-16 code units, like JavaScript's and the server's", () => {
  const text = "🎉🎉 Maybe tomorrow";
  const [hedge] = findInstantHedges(compileLexicon(lexicon), text);
  assert.equal(hedge.start, 5);
  assert.equal(text.slice(hedge.start, hedge.end), "Maybe");
});

test("a pattern JavaScript cannot compile is reported, not thrown", () => {
  const compiled = compileLexicon({ flags: "i", entries: [entry("bad", "(?<=x", "hope"), entry("ok", "\\bok\\b", "hope")] });
  assert.equal(compiled.compiled.length, 1);
  assert.match(compiled.problems[0], /entries\[0\] \(bad\)/);
});

test("no lexicon yet: no underlines", () => {
  assert.deepEqual(findInstantHedges(compileLexicon(null), "I hope this helps."), []);
});
