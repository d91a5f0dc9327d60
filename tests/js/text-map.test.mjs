import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { extractText, positionAt, rangePositions } from "../../extension/src/content/text-map.js";
import { el, text, withAttributes } from "./fake-dom.mjs";

/** The text a DOM position points at the start of, read back for assertions. */
function describePosition(position) {
  if (position.node.nodeType === 3) return { text: position.node.data, offset: position.offset };
  return { element: position.node.nodeName, index: position.offset };
}

describe("extractText", () => {
  test("an editor's placeholder shown as DOM text is not the reply; a mention chip is", () => {
    const placeholder = withAttributes({ contenteditable: "false", class: "editor-placeholder" }, el("span", "Type your reply…"));
    assert.equal(extractText(el("div", el("p", placeholder))).text, "");
    const marked = withAttributes({ contenteditable: "false", "data-placeholder": "" }, el("span", "Write here"));
    assert.equal(extractText(el("div", el("p", marked))).text, "");
    const hidden = withAttributes({ contenteditable: "false", "aria-hidden": "true" }, el("span", "Reply…"));
    assert.equal(extractText(el("div", el("p", hidden))).text, "");
    const mention = withAttributes({ contenteditable: "false", class: "mention" }, el("span", "@Dana"));
    assert.equal(extractText(el("div", el("p", "Hi ", mention, ", done."))).text, "Hi @Dana, done.");
  });

  test("joins nested inline elements without separators", () => {
    const root = el("div", "Hi ", el("b", "Sam, ", el("i", "I hope")), " this helps.");
    assert.equal(extractText(root).text, "Hi Sam, I hope this helps.");
  });

  test("puts one newline between blocks and for each <br>, none for a trailing <br>", () => {
    const root = el("div", el("p", "First line", el("br"), "second"), el("p", "Next para", el("br")), el("p", el("br")), el("p", "Last"));
    assert.equal(extractText(root).text, "First line\nsecond\nNext para\nLast");
  });

  test("skips scripts, styles and images but keeps text around them", () => {
    const root = el("div", "a", el("script", "x()"), el("img"), "b", el("style", "p{}"));
    assert.equal(extractText(root).text, "ab");
  });

  test("counts UTF-16 code units, as the server's offsets do", () => {
    const root = el("p", "Thanks 😀 — ", el("b", "I hope"), " so");
    const { text: all, segments } = extractText(root);
    assert.equal(all, "Thanks 😀 — I hope so");
    const start = all.indexOf("I hope");
    assert.equal(start, 12); // "Thanks " is 7, the emoji 2, " — " 3
    const position = positionAt(segments, start, "start");
    assert.deepEqual(describePosition(position), { text: "I hope", offset: 0 });
  });
});

describe("positionAt / rangePositions", () => {
  const root = el("div", el("p", "You ", el("em", "should"), " be able"), el("p", "to log in", el("br"), "now"));
  const { text: all, segments } = extractText(root);

  test("maps a range across nested elements back to text nodes", () => {
    const start = all.indexOf("should");
    const { from, to } = rangePositions(segments, start, all.indexOf(" able") + " able".length);
    assert.deepEqual(describePosition(from), { text: "should", offset: 0 });
    assert.deepEqual(describePosition(to), { text: " be able", offset: 8 });
  });

  test("a range ending at the end of a text node ends in that node, not after the break", () => {
    const end = all.indexOf("to log in") + "to log in".length;
    assert.deepEqual(describePosition(positionAt(segments, end, "end")), { text: "to log in", offset: 9 });
    assert.deepEqual(describePosition(positionAt(segments, end + 1, "start")), { text: "now", offset: 0 });
  });

  test("a <br> maps before and after itself", () => {
    const at = all.indexOf("\nnow");
    const brBefore = positionAt(segments, at, "start");
    assert.equal(brBefore.node.nodeName, "P");
    assert.equal(brBefore.node.childNodes[brBefore.offset].nodeName, "BR");
    const brAfter = positionAt(segments, at + 1, "end");
    assert.equal(brAfter.node.childNodes[brAfter.offset - 1].nodeName, "BR");
  });

  test("offsets outside the text give null", () => {
    assert.equal(rangePositions(segments, 0, all.length + 5), null);
    assert.equal(positionAt([], 0), null);
  });

  test("a block break maps beside its block element", () => {
    const root2 = el("div", el("p", "one"), el("p", "two"));
    const extracted = extractText(root2);
    assert.equal(extracted.text, "one\ntwo");
    const afterOne = positionAt(extracted.segments, 3, "start");
    assert.equal(afterOne.node.nodeName, "DIV");
    assert.equal(afterOne.offset, 1); // after the first <p>
    assert.equal(text("x").data, "x");
  });
});
