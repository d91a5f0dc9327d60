"""How fast the extension reacts in a real browser, on a 5,000-character reply.

Drives Debian's Chromium with the built extension against the real tonecheck server on
loopback (the same machinery as the e2e tests) and prints, per editor:

- the input handler's cost per keystroke: the time one typed character takes with tonecheck
  on, against the same page with tonecheck switched off for the site (the baseline);
- keystroke → local underlines painted from the cached lexicon;
- last keystroke → server-refined underlines painted, against the debounce delay.

Run: .venv/bin/python bench/extension_bench.py  (after `make e2e-deps`)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Page, Worker, sync_playwright

from tests.support.harness import chromium_with_extension, serve_site, start_server

DEBOUNCE_MS = 400
KEYSTROKES = 300
ROUNDS = 15
SENTENCES = [
    "Thanks for the details, Sam. I hope this helps. ",
    "You should be able to log in now that the reset went through. ",
    "Maybe clear the cache first, then open the billing page again. ",
    "The refund of 42.00 was sent on Monday and reaches your card in three to five days. ",
]


def long_reply(length: int = 5_000) -> str:
    text = ""
    index = 0
    while len(text) < length:
        text += SENTENCES[index % len(SENTENCES)]
        index += 1
    return text[:length]


# Types KEYSTROKES characters at the end of the reply through the browser's editing command
# (as a key press does) and times each one; runs in the page, where the input listeners run.
TYPE_AND_TIME = """async (count) => {
  const editor = window.editorApi.element;
  editor.focus();
  const selection = getSelection();
  if (editor.localName === 'textarea') editor.setSelectionRange(editor.value.length, editor.value.length);
  else { selection.selectAllChildren(editor); selection.collapseToEnd(); }
  const times = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    document.execCommand('insertText', false, i % 6 === 5 ? ' ' : 'a');
    times.push(performance.now() - t0);
    if (i % 20 === 19) await new Promise((r) => requestAnimationFrame(r));
  }
  return times;
}"""

# One keystroke, then how long until the local paint and the server paint it caused.
KEYSTROKE_TO_PAINTS = """async (debounce) => {
  const events = [];
  const listener = (e) => events.push(JSON.parse(e.detail));
  document.addEventListener('tonecheck:painted', listener);
  const t0 = performance.now();
  document.execCommand('insertText', false, ' maybe');
  const deadline = t0 + debounce + 5000;
  while (!events.some((e) => e.source === 'server') && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2));
  }
  document.removeEventListener('tonecheck:painted', listener);
  const local = events.find((e) => e.source === 'local');
  const server = events.find((e) => e.source === 'server');
  return {
    local: local ? local.at - t0 : null,
    server: server ? server.at - t0 : null,
    serverMs: server ? server.serverMs : null,
  };
}"""


def fill(page: Page, text: str) -> None:
    page.evaluate(
        """(text) => {
          const editor = window.editorApi.element;
          editor.focus();
          if (editor.localName !== 'textarea') { getSelection().selectAllChildren(editor); }
          else editor.select();
          document.execCommand('insertText', false, text);
        }""",
        text,
    )


def set_site(worker: Worker, enabled: bool) -> None:
    worker.evaluate("(on) => chrome.storage.local.set({sites: {'127.0.0.1': on}})", enabled)


def per_keystroke(page: Page, site_url: str, editor: str, text: str) -> list[float]:
    page.goto(f"{site_url}/{editor}.html")
    page.wait_for_function("() => window.editorApi !== undefined")
    fill(page, text)
    times: list[float] = page.evaluate(TYPE_AND_TIME, KEYSTROKES)
    return times


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return (
        f"median {statistics.median(ordered):6.2f} ms  p95 {p95:6.2f} ms  max {ordered[-1]:6.2f} ms"
    )


def bench_editor(page: Page, worker: Worker, site_url: str, editor: str) -> dict[str, Any]:
    text = long_reply()
    set_site(worker, False)
    baseline = per_keystroke(page, site_url, editor, text)
    set_site(worker, True)
    page.goto("about:blank")
    with_extension = per_keystroke(page, site_url, editor, text)
    page.wait_for_function(
        "() => document.querySelector('[data-tonecheck-badge]')"
        "?.shadowRoot.textContent.includes('Overall')",
        timeout=10_000,
    )
    local, server, own = [], [], []
    for _ in range(ROUNDS):
        timing = page.evaluate(KEYSTROKE_TO_PAINTS, DEBOUNCE_MS)
        local.append(timing["local"])
        server.append(timing["server"])
        own.append(timing["server"] - DEBOUNCE_MS - timing["serverMs"])
    return {
        "editor": editor,
        "chars": len(text),
        "baseline": baseline,
        "with": with_extension,
        "local": local,
        "server": server,
        "own": own,
    }


def main() -> None:
    with tempfile.TemporaryDirectory(dir=Path(__file__).resolve().parent.parent) as scratch:
        server = start_server(Path(scratch) / "bench.db")
        httpd, site_url = serve_site()
        try:
            with sync_playwright() as driver:
                context, worker = chromium_with_extension(driver, Path(scratch) / "profile")
                worker.evaluate(
                    "(s) => chrome.storage.local.set(s)",
                    {
                        "serverUrl": server.url,
                        "token": server.agent_token,
                        "debounceMs": DEBOUNCE_MS,
                    },
                )
                page = context.new_page()
                results = [
                    bench_editor(page, worker, site_url, e) for e in ("textarea", "prosemirror")
                ]
                context.close()
        finally:
            httpd.shutdown()
            server.stop()
    print(
        f"tonecheck extension benchmark: {KEYSTROKES} keystrokes, {ROUNDS} rounds, debounce {DEBOUNCE_MS} ms"
    )
    for r in results:
        base, on = statistics.median(r["baseline"]), statistics.median(r["with"])
        print(f"\n{r['editor']} ({r['chars']:,}-character reply)")
        print(f"  keystroke, tonecheck off (baseline) {summary(r['baseline'])}")
        print(f"  keystroke, tonecheck on             {summary(r['with'])}")
        print(
            f"  input handler cost per keystroke    {on - base:6.2f} ms  (on/off ratio {on / base:4.2f})"
        )
        print(f"  keystroke -> local underlines       {summary(r['local'])}")
        print(
            f"  keystroke -> server underlines      {summary(r['server'])}"
            f"  (= debounce + {statistics.median(r['server']) - DEBOUNCE_MS:.1f} ms median)"
        )
        print(f"  ... less the server's own took_ms   {summary(r['own'])}")


if __name__ == "__main__":
    main()
