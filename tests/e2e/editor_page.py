"""One editor test page in the browser, read the way an agent would see it: the underlines,
the card, the badge; and the page's console, which must stay free of errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import ConsoleMessage, Frame, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

# Underlined phrases, read back from the document the editor lives in.
READ_UNDERLINES = """() => {
  const mirror = document.querySelector('[data-tonecheck-mirror]');
  if (mirror) return [...mirror.shadowRoot.querySelectorAll('mark')].map((m) => m.textContent);
  const texts = [];
  for (const [name, highlight] of CSS.highlights) {
    if (name.startsWith('tonecheck-') && name !== 'tonecheck-active') {
      for (const range of highlight) texts.push([range.startOffset, range.toString()]);
    }
  }
  return texts.sort((a, b) => a[0] - b[0]).map((pair) => pair[1]);
}"""

# The viewport box of an underlined phrase, in its own frame.
PHRASE_BOX = """(phrase) => {
  const mirror = document.querySelector('[data-tonecheck-mirror]');
  let target = null;
  if (mirror) target = [...mirror.shadowRoot.querySelectorAll('mark')].find((m) => m.textContent === phrase);
  else for (const [name, h] of CSS.highlights) for (const r of h) if (name !== 'tonecheck-active' && r.toString() === phrase) target = r;
  if (!target) return null;
  const r = target.getClientRects()[0];
  return {x: r.left, y: r.top, width: r.width, height: r.height};
}"""

# What the content script reports after each paint, for tests to wait on instead of sleeping.
RECORD_EVENTS = """
window.__tonecheckEvents = [];
document.addEventListener('tonecheck:painted', (e) => window.__tonecheckEvents.push(JSON.parse(e.detail)));
"""

SHADOW_TEXT = """(selector) => {
  const host = document.querySelector(selector);
  if (!host) return null;
  const box = host.shadowRoot.querySelector('.card, .badge');
  return box && !box.hidden ? box.innerText : null;
}"""

HOST_BOX = """(selector) => {
  const host = document.querySelector(selector);
  const box = host && host.shadowRoot.querySelector('.card, .badge');
  if (!box || box.hidden) return null;
  const r = box.getBoundingClientRect();
  return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
}"""

ARTIFACT_DIR = Path(__file__).resolve().parents[1] / "artifacts"


@dataclass
class EditorPage:
    page: Page
    name: str
    problems: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, page: Page, site_url: str, name: str) -> EditorPage:
        opened = cls(page, name)

        def on_console(message: ConsoleMessage) -> None:
            if message.type in ("error", "assert"):
                opened.problems.append(f"console.{message.type}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: opened.problems.append(f"page error: {error}"))
        page.add_init_script(RECORD_EVENTS)
        page.goto(f"{site_url}/{name}.html")
        page.wait_for_function("() => window.editorApi !== undefined")
        return opened

    @property
    def frame(self) -> Frame:
        """The frame holding the editable element (TinyMCE edits inside an srcdoc iframe)."""
        if self.name == "tinymce":
            return self.page.main_frame.child_frames[0]
        return self.page.main_frame

    def focus(self) -> None:
        self.page.evaluate("() => window.editorApi.focus()")

    def type(self, text: str) -> None:
        self.focus()
        self.page.keyboard.type(text)

    def text(self) -> str:
        """The editor's own model, read through its API."""
        text: str = self.page.evaluate("() => window.editorApi.getText()")
        return text

    def underlines(self) -> list[str]:
        texts: list[str] = self.frame.evaluate(READ_UNDERLINES)
        return texts

    def wait_for_underlines(self, expected: list[str], timeout: float = 5_000) -> None:
        self.frame.wait_for_function(
            f"(expected) => JSON.stringify(({READ_UNDERLINES})()) === JSON.stringify(expected)",
            arg=expected,
            timeout=timeout,
        )

    def phrase_center(self, phrase: str) -> tuple[float, float]:
        box: dict[str, float] | None = self.frame.evaluate(PHRASE_BOX, phrase)
        assert box is not None, f"{phrase!r} is not underlined; underlines: {self.underlines()}"
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        if self.frame is not self.page.main_frame:
            element = self.frame.frame_element()
            outer = element.bounding_box()
            assert outer is not None
            border: dict[str, float] = element.evaluate(
                "(e) => ({x: e.clientLeft, y: e.clientTop})"
            )
            x, y = x + outer["x"] + border["x"], y + outer["y"] + border["y"]
        return x, y

    def hover(self, phrase: str) -> str:
        """Rest the mouse on `phrase` as a person does: a person's hand sends several
        mousemove events while it settles, so a second one follows a moment later."""
        x, y = self.phrase_center(phrase)
        self.page.mouse.move(x - 2, y)
        self.page.mouse.move(x, y, steps=3)
        opened = f"() => ({SHADOW_TEXT})('[data-tonecheck-card]') !== null"
        try:
            self.page.wait_for_function(opened, timeout=5_000)
        except PlaywrightTimeout:
            self.page.mouse.move(x + 1, y, steps=2)
            try:
                self.page.wait_for_function(opened)
            except PlaywrightTimeout:
                self.page.screenshot(path=str(ARTIFACT_DIR / f"hover-failed-{self.name}.png"))
                raise
        return self.card_text() or ""

    def card_text(self) -> str | None:
        text: str | None = self.page.evaluate(SHADOW_TEXT, "[data-tonecheck-card]")
        return text

    def click_in_card(self, label: str) -> None:
        self.page.locator("[data-tonecheck-card] button", has_text=label).first.click()

    def badge_text(self) -> str | None:
        text: str | None = self.page.evaluate(SHADOW_TEXT, "[data-tonecheck-badge]")
        return text

    def wait_for_badge(self, contains: str, timeout: float = 5_000) -> str:
        self.page.wait_for_function(
            f"(text) => (({SHADOW_TEXT})('[data-tonecheck-badge]') || '').includes(text)",
            arg=contains,
            timeout=timeout,
        )
        return self.badge_text() or ""

    def badge_box(self) -> dict[str, float] | None:
        box: dict[str, float] | None = self.page.evaluate(HOST_BOX, "[data-tonecheck-badge]")
        return box

    def wait_for_event(self, source: str, timeout: float = 5_000) -> None:
        """Waits for the content script to report `source` (e.g. "server", "feedback-sent")."""
        self.frame.wait_for_function(
            "(source) => window.__tonecheckEvents.some((e) => e.source === source)",
            arg=source,
            timeout=timeout,
        )

    def forget_events(self) -> None:
        self.frame.evaluate("() => { window.__tonecheckEvents = []; }")

    def evaluate(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)
