"""Each real editor, driven as an agent would: type a reply, see the hedges underlined and
the server's scores, open a card, apply a suggestion, undo it, and tell tonecheck a phrase is
not a hedge."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.e2e.editor_page import EditorPage
from tests.support.harness import ARTIFACTS, REPO
from tests.support.server_process import ServerProcess

pytestmark = pytest.mark.e2e

EDITORS = ["textarea", "contenteditable", "prosemirror", "quill", "ckeditor", "tinymce"]
REPLY = "Hi Sam, I hope this helps. You should be able to log in now. Maybe clear the cache first."
HEDGES = ["I hope this helps.", "You should be able to", "Maybe"]
LABELS = ["Knowledge", "Intent", "Empathy", "Standing", "Overall"]


def badge_scores(text: str) -> dict[str, int]:
    return {label: int(value) for label, value in re.findall(r"(\w+) (\d+)", text)}


@pytest.mark.parametrize("editor_page", EDITORS, indirect=True)
def test_agent_flow(editor_page: EditorPage, server: ServerProcess) -> None:
    editor = editor_page
    editor.type(REPLY)
    editor.wait_for_underlines(HEDGES)

    # The badge shows the four scores and the overall the server gives for the editor's text.
    expected = server.call("POST", "/v1/check", {"text": editor.text()})
    badge = editor.wait_for_badge("Overall")
    shown = badge_scores(badge)
    assert shown == {
        "Knowledge": expected["scores"]["knowledge"],
        "Intent": expected["scores"]["intent"],
        "Empathy": expected["scores"]["empathy"],
        "Standing": expected["scores"]["standing"],
        "Overall": expected["overall"],
    }
    badge_box = editor.badge_box()
    send = editor.page.locator("#send").bounding_box()
    assert badge_box is not None and send is not None
    assert (
        badge_box["right"] <= send["x"]
        or badge_box["left"] >= send["x"] + send["width"]
        or badge_box["bottom"] <= send["y"]
        or badge_box["top"] >= send["y"] + send["height"]
    ), f"the badge {badge_box} covers the send button {send}"

    # Hovering a hedge opens its card; the screenshot shows underlines and the card.
    card = editor.hover("You should be able to")
    assert "Soft outcome" in card and "You can" in card and "Not a hedge" in card
    shot = ARTIFACTS / f"extension-{editor.name}.png"
    editor.page.screenshot(path=str(shot))
    if editor.name == "tinymce":
        shutil.copyfile(shot, REPO / "docs" / "screenshot-extension.png")

    # Applying the suggestion goes through the editor, so its model and its undo agree.
    before = editor.text()
    if editor.name == "quill":
        editor.evaluate("() => window.quill.history.cutoff()")  # as if a second had passed
    editor.click_in_card("You can")
    after = before.replace("You should be able to", "You can")
    editor.page.wait_for_function("(t) => window.editorApi.getText() === t", arg=after)
    editor.wait_for_underlines(["I hope this helps.", "Maybe"])
    editor.focus()
    editor.forget_events()
    editor.page.keyboard.press("Control+z")
    editor.page.wait_for_function("(t) => window.editorApi.getText() === t", arg=before)

    # "Not a hedge" hides that instance and reaches the server.
    editor.wait_for_underlines(HEDGES)
    editor.hover("Maybe")
    editor.click_in_card("Not a hedge")
    editor.wait_for_underlines(["I hope this helps.", "You should be able to"])
    editor.wait_for_event("feedback-sent")
    start = before.index("Maybe")
    items = server.call("GET", "/v1/feedback?limit=50", lead=True)["items"]
    assert any(
        (i["start"], i["end"], i["text"], i["verdict"])
        == (start, start + len("Maybe"), before, "not_a_hedge")
        for i in items
    ), items

    # The badge opens to the phrases that moved each score (of the text after the undo).
    editor.wait_for_event("server")
    explained = server.call("POST", "/v1/check", {"text": before})["explanations"]
    badges = editor.evaluate("() => document.querySelectorAll('[data-tonecheck-badge]').length")
    assert badges == 1, editor.evaluate(
        "() => [...document.querySelectorAll('[data-tonecheck-badge]')].map(h => h.shadowRoot.querySelector('.badge').innerText)"
    )
    editor.page.locator("[data-tonecheck-badge] .summary").click()
    details = editor.page.locator("[data-tonecheck-badge] .details")
    details.wait_for(state="visible")
    shown_details = details.inner_text()
    for principle, label in zip(
        ("knowledge", "intent", "empathy", "standing"), LABELS, strict=False
    ):
        assert label in shown_details
        if explained[principle]:
            assert f"“{explained[principle][0]['text']}”" in shown_details
