"""What the extension does around the main flow: the keyboard, which fields it leaves alone,
editors added later, a server that is down or refuses the token, the per-site switch in the
popup, and the options page."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, Worker

from tests.e2e.editor_page import EditorPage
from tests.support.harness import free_port
from tests.support.server_process import ServerProcess

pytestmark = pytest.mark.e2e

REPLY = "Hi Sam, I hope this helps. You should be able to log in now. Maybe clear the cache first."
HEDGES = ["I hope this helps.", "You should be able to", "Maybe"]


def set_storage(worker: Worker, items: dict[str, object]) -> None:
    worker.evaluate("(items) => chrome.storage.local.set(items)", items)


def extension_page(context: BrowserContext, worker: Worker, path: str) -> Page:
    page = context.new_page()
    page.goto(f"chrome-extension://{worker.url.split('/')[2]}/{path}")
    return page


@pytest.mark.parametrize("editor_page", ["textarea", "prosemirror"], indirect=True)
def test_keyboard_moves_to_next_hedge_and_enter_applies(editor_page: EditorPage) -> None:
    editor = editor_page
    editor.type(REPLY)
    editor.wait_for_event("server")
    editor.page.keyboard.press("Home")
    editor.page.keyboard.press("Control+Home")
    editor.page.keyboard.press("Alt+Shift+N")
    editor.page.wait_for_function(
        "() => document.querySelector('[data-tonecheck-card]')"
        "?.shadowRoot.querySelector('.card:not([hidden])') != null"
    )
    card = editor.card_text() or ""
    assert "Hope" in card and "Enter applies" in card
    editor.page.keyboard.press("Enter")
    # The server's planned rewrite: the greeting keeps a full stop ("Hi Sam. You should ...")
    expected = REPLY.replace(", I hope this helps.", ".")
    editor.page.wait_for_function("(t) => window.editorApi.getText() === t", arg=expected)
    editor.wait_for_underlines(["You should be able to", "Maybe"])
    editor.page.keyboard.press("Alt+Shift+N")
    editor.page.wait_for_function(
        "() => (document.querySelector('[data-tonecheck-card]')"
        "?.shadowRoot.querySelector('.card:not([hidden])')?.innerText || '').includes('Soft outcome')"
    )
    editor.page.keyboard.press("Escape")
    assert editor.card_text() is None
    assert editor.text() == expected


@pytest.mark.parametrize("editor_page", ["textarea"], indirect=True)
def test_leaves_readonly_password_and_search_fields_alone(editor_page: EditorPage) -> None:
    editor = editor_page
    editor.type("Maybe so.")
    editor.wait_for_underlines(["Maybe"])
    mirrors = editor.evaluate("() => document.querySelectorAll('[data-tonecheck-mirror]').length")
    assert mirrors == 1  # the reply box only: not the read-only textarea
    editor.page.fill("#search", "I hope this helps")
    editor.page.fill("#password", "maybe")
    assert editor.underlines() == ["Maybe"]


@pytest.mark.parametrize("editor_page", ["contenteditable"], indirect=True)
def test_editors_added_later_and_search_boxes(editor_page: EditorPage) -> None:
    editor = editor_page
    editor.page.click("#searchbox")
    editor.page.keyboard.type(" maybe")
    editor.evaluate("() => window.addLateEditor().focus()")
    editor.page.keyboard.type("Maybe tomorrow, I hope this helps.")
    editor.wait_for_underlines(["Maybe", "I hope this helps."])
    in_search = editor.evaluate(
        """() => [...CSS.highlights.values()].flatMap((h) => [...h])
             .filter((r) => document.getElementById('searchbox').contains(r.startContainer)).length"""
    )
    assert in_search == 0


@pytest.mark.parametrize("editor_page", ["contenteditable"], indirect=True)
def test_a_placeholder_shown_as_dom_text_is_never_scored(editor_page: EditorPage) -> None:
    """An empty editor showing "Maybe start typing…" as a non-editable placeholder node (as
    editor placeholder plugins do) sends nothing and underlines nothing; the reply typed
    after it is checked without the placeholder's words."""
    editor = editor_page
    editor.evaluate(
        """() => {
          const root = document.getElementById('editor');
          root.innerHTML = '<p><span class="reply-placeholder" contenteditable="false">'
            + 'Maybe start typing, I hope this helps…</span></p>';
          root.dispatchEvent(new InputEvent('input', {bubbles: true}));
        }"""
    )
    editor.focus()
    editor.page.wait_for_timeout(1_200)  # three debounces: a check would have gone out
    events = editor.frame.evaluate("() => window.__tonecheckEvents.map((e) => e.source)")
    assert "server" not in events and editor.underlines() == []
    assert "Overall" not in (editor.badge_text() or "")
    editor.evaluate(
        """() => {
          const root = document.getElementById('editor');
          root.innerHTML = '<p>Your refund went out today.</p>';
          root.dispatchEvent(new InputEvent('input', {bubbles: true}));
        }"""
    )
    editor.wait_for_event("server")
    assert editor.underlines() == []  # the placeholder's "Maybe" and "I hope this helps" are gone


@pytest.mark.parametrize("editor_page", ["quill"], indirect=True)
def test_server_down_keeps_local_underlines_and_says_why(
    editor_page: EditorPage, extension: Worker
) -> None:
    editor = editor_page
    editor.type("Warming up the lexicon cache.")
    editor.wait_for_event("server")
    dead = f"http://127.0.0.1:{free_port()}"
    set_storage(extension, {"serverUrl": dead})
    editor.page.reload()
    editor.page.wait_for_function("() => window.editorApi !== undefined")
    editor.type(REPLY)
    editor.wait_for_underlines(HEDGES)
    badge = editor.wait_for_badge("Cannot reach")
    assert dead in badge and "Knowledge" not in badge


@pytest.mark.parametrize("editor_page", ["ckeditor"], indirect=True)
def test_wrong_token_is_named_in_the_badge(editor_page: EditorPage, extension: Worker) -> None:
    set_storage(extension, {"token": "tc_wrong"})
    editor = editor_page
    editor.page.reload()
    editor.page.wait_for_function("() => window.editorApi !== undefined")
    editor.type(REPLY)
    badge = editor.wait_for_badge("refused the token")
    assert "401" in badge


@pytest.mark.parametrize("editor_page", ["textarea"], indirect=True)
def test_popup_switches_the_site_and_shows_the_last_scores(
    editor_page: EditorPage,
    browser: tuple[BrowserContext, Worker],
    extension: Worker,
    server: ServerProcess,
) -> None:
    context, _ = browser
    editor = editor_page
    editor.type(REPLY)
    editor.wait_for_underlines(HEDGES)
    editor.wait_for_badge("Overall")
    expected = server.call("POST", "/v1/check", {"text": REPLY})
    tab_id = extension.evaluate(
        "async () => (await chrome.tabs.query({url: 'http://127.0.0.1/*'}))[0].id"
    )
    popup = extension_page(context, extension, f"pages/popup.html?tabId={tab_id}")
    popup.wait_for_function("() => document.getElementById('host').textContent === '127.0.0.1'")
    popup.wait_for_selector("#scores dd[data-key='overall']")
    assert popup.inner_text("#scores dd[data-key='overall']") == str(expected["overall"])
    assert popup.is_checked("#enabled")

    popup.uncheck("#enabled")
    editor.page.wait_for_function("() => !document.querySelector('[data-tonecheck-badge]')")
    assert editor.underlines() == []
    popup.check("#enabled")
    editor.wait_for_underlines(HEDGES)
    popup.close()


def test_options_page_tests_the_connection(
    browser: tuple[BrowserContext, Worker], extension: Worker, server: ServerProcess
) -> None:
    context, _ = browser
    options = extension_page(context, extension, "pages/options.html")
    options.wait_for_function("() => document.getElementById('serverUrl').value !== ''")
    assert options.input_value("#serverUrl") == server.url
    assert options.input_value("#debounceMs") == "400"
    health = server.call("GET", "/v1/health")

    options.click("#test")
    options.wait_for_function(
        "() => document.getElementById('result').textContent.startsWith('Connected')"
    )
    assert health["model_version"] in options.inner_text("#result")

    options.fill("#token", "tc_wrong")
    options.click("#test")
    options.wait_for_function("() => document.getElementById('result').className === 'error'")
    assert "refused the token (401" in options.inner_text("#result")

    options.fill("#debounceMs", "7")
    options.click("#save")
    options.wait_for_function("() => document.getElementById('result').className === 'error'")
    assert "'debounceMs' has value \"7\"" in options.inner_text("#result")

    options.fill("#debounceMs", "250")
    options.fill("#token", server.agent_token)
    options.click("#save")
    options.wait_for_function("() => document.getElementById('result').textContent === 'Saved.'")
    saved = extension.evaluate("() => chrome.storage.local.get(['debounceMs', 'token'])")
    assert saved == {"debounceMs": 250, "token": server.agent_token}
    assert options.is_checked("#sites input[aria-label='tonecheck on 127.0.0.1']")
    options.close()
