import assert from "node:assert/strict";
import { test } from "node:test";
import { editRegion, mergeSpans, shiftSpans, withoutDismissed } from "../../extension/src/content/spans.js";

const span = (text, all, category = "hope") => {
  const start = all.indexOf(text);
  return { start, end: start + text.length, text, category };
};

test("editRegion finds the one changed region", () => {
  assert.equal(editRegion("abc", "abc"), null);
  assert.deepEqual(editRegion("Hi Sam, maybe.", "Hi Samuel, maybe."), { start: 6, oldEnd: 6, newEnd: 9 });
});

test("spans after an edit move by its length; a span the edit touched is dropped", () => {
  const before = "Hi, maybe try again. I hope so.";
  const spans = [span("maybe", before), span("try again", before), span("I hope", before)];
  const typed = "Hi Sam, maybe try again. I hope so.";
  const afterName = shiftSpans(spans, before, typed);
  assert.deepEqual(afterName.map((s) => typed.slice(s.start, s.end)), ["maybe", "try again", "I hope"]);
  const after = "Hi Sam, maybe try it again. I hope so.";
  const shifted = shiftSpans(afterName, typed, after);
  assert.deepEqual(shifted.map((s) => after.slice(s.start, s.end)), ["maybe", "I hope"]);
});

test("typing right after a span keeps it", () => {
  const before = "maybe";
  const shifted = shiftSpans([span("maybe", before)], before, "maybe so");
  assert.deepEqual(shifted.map((s) => [s.start, s.end]), [[0, 5]]);
});

test("emoji typed before a span move it by two code units", () => {
  const before = "Ok. Maybe.";
  const [moved] = shiftSpans([span("Maybe", before)], before, "Ok 🙂. Maybe.");
  assert.equal(moved.start, before.indexOf("Maybe") + 3);
});

test("mergeSpans prefers the server's spans where they overlap local ones", () => {
  const server = [{ start: 0, end: 10, text: "server" }];
  const local = [{ start: 5, end: 12, text: "local-overlap" }, { start: 20, end: 25, text: "local-free" }];
  assert.deepEqual(mergeSpans(server, local).map((s) => s.text), ["server", "local-free"]);
});

test("withoutDismissed hides exactly the dismissed instance", () => {
  const spans = [{ start: 0, end: 5, text: "Maybe" }, { start: 10, end: 15, text: "Maybe" }];
  assert.deepEqual(withoutDismissed(spans, [{ start: 10, end: 15, text: "Maybe" }]).map((s) => s.start), [0]);
});

test("a span's planned rewrite moves with it, and is dropped when an edit touches its range", () => {
  const text = "Please try restarting the router now.";
  const span = { start: 7, end: 21, text: "try restarting", rewrite: { start: 0, end: 21, text: "Please restart", preview: "" } };
  const typedBefore = "Hi. " + text;
  const [moved] = shiftSpans([span], text, typedBefore);
  assert.deepEqual([moved.start, moved.end, moved.rewrite.start, moved.rewrite.end], [11, 25, 4, 25]);
  const typedAfter = text.replace("now", "today");
  assert.deepEqual(shiftSpans([span], text, typedAfter)[0].rewrite, span.rewrite);
  const touchedRange = text.replace("Please", "Kindly");
  const [kept] = shiftSpans([span], text, touchedRange);
  assert.equal(kept.text, "try restarting");
  assert.equal(kept.rewrite, null);
});
