"""The hedge detector: categories, context, suggestions, team lexicons, exact offsets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tonecheck.model.hedges import HedgeDetector, match_case
from tonecheck.model.lexicon import LexiconError, builtin_lexicon, load_lexicon
from tonecheck.model.scorer import ToneModel


def found(model: ToneModel, text: str) -> dict[str, Any]:
    return {h.text: h for h in model.detector.find_hedges(text)}


@pytest.mark.parametrize(
    ("text", "phrase", "category"),
    [
        (
            "I hope this works for you. The reset link is in your inbox.",
            "I hope this works for you.",
            "hope",
        ),
        ("Hopefully the patch lands tonight.", "Hopefully", "hope"),
        ("After the update you should be able to log in.", "you should be able to", "soft_outcome"),
        ("Clearing the cache should fix the sync error.", "should fix", "soft_outcome"),
        ("I think the card was declined by your bank.", "I think", "epistemic"),
        ("Maybe the courier left it with a neighbour.", "Maybe", "epistemic"),
        ("You could try restarting the router first.", "You could try", "attempt"),
        ("It might be a problem with the SIM tray.", "It might be", "possibility"),
        (
            "Would it be possible for you to send the serial number?",
            "Would it be possible for you to",
            "deference",
        ),
        ("I'm afraid the discount has ended.", "I'm afraid", "deference"),
    ],
)
def test_each_category_is_found(
    tone_model: ToneModel, text: str, phrase: str, category: str
) -> None:
    hedges = found(tone_model, text)
    assert phrase in hedges, list(hedges)
    assert hedges[phrase].category == category
    assert hedges[phrase].message.endswith(".")


@pytest.mark.parametrize(
    "text",
    [
        "You may cancel your plan at any time from the Billing page.",
        "You should update the app to version 5.2 before you pair the watch.",
    ],
)
def test_permission_and_recommendation_are_not_hedges(tone_model: ToneModel, text: str) -> None:
    assert found(tone_model, text) == {}


def test_lexicon_alone_flags_what_the_classifier_rejects(tone_model: ToneModel) -> None:
    text = "You may cancel your plan at any time from the Billing page."
    baseline = HedgeDetector(tone_model.detector.lexicon, None)
    assert [h.text for h in baseline.find_hedges(text)] == ["may"]
    assert tone_model.detector.find_hedges(text) == ()


def test_suggestions_are_confident_replacements(tone_model: ToneModel) -> None:
    hedges = found(tone_model, "You should be able to sign in now. I hope this helps.")
    assert hedges["You should be able to"].suggestions[0] == "You can"
    assert hedges["I hope this helps."].suggestions == ("",)


def test_match_case() -> None:
    assert match_case("Should be able to", "can") == "Can"
    assert match_case("should be able to", "can") == "can"
    assert match_case("I think", "") == ""


def test_team_lexicon_yaml_adds_and_disables(tmp_path: Path) -> None:
    team = tmp_path / "team.yaml"
    team.write_text(
        "add:\n"
        "  - phrase: at this point in time\n"
        "    category: epistemic\n"
        "    message: Say when.\n"
        "    suggestions: [now]\n"
        "disable: [should-bare]\n"
    )
    lexicon = load_lexicon(team)
    texts = [c.text for c in lexicon.candidates("At this point in time the order should ship.")]
    assert texts == ["At this point in time"]
    entry = next(e for e in lexicon.entries if e.id == "at-this-point-in-time")
    assert entry.suggestions == ("now",) and entry.message == "Say when."
    assert lexicon.fingerprint != builtin_lexicon().fingerprint


def test_team_lexicon_toml(tmp_path: Path) -> None:
    team = tmp_path / "team.toml"
    team.write_text(
        '[[add]]\nphrase = "touch base"\ncategory = "deference"\nsuggestions = ["call"]\n'
    )
    lexicon = load_lexicon(team)
    assert [c.text for c in lexicon.candidates("Let me touch base with billing.")] == ["touch base"]
    assert lexicon.candidates("Let me touch base with billing.")[0].entry.message.startswith(
        "Asking permission"
    )


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        (
            "add:\n  - phrase: x\n    category: mood\n",
            ".yaml",
            "add[0].category: value 'mood' is not one of",
        ),
        (
            "disable: [no-such-entry]\n",
            ".yaml",
            "disable[0]: 'no-such-entry' is not a built-in entry id",
        ),
        (
            "add:\n  - pattern: '(unclosed'\n    category: hope\n",
            ".yaml",
            "add[0].pattern: '(unclosed' is not valid",
        ),
        ("add:\n  - pattern: 'a*'\n    category: hope\n", ".yaml", "matches empty text"),
        ("add: [\n", ".yaml", "not valid YAML"),
        ("add = 3\n", ".toml", "add: must be a list of entries"),
        ("[[add]]\nphrase = 'x'\n", ".toml", "add[0].category: value None"),
        ("colour: blue\n", ".yaml", "unknown key(s) colour"),
        ("add: []\n", ".json", "must end in .yaml, .yml or .toml"),
    ],
)
def test_bad_team_lexicons_name_file_key_and_value(
    tmp_path: Path, content: str, suffix: str, message: str
) -> None:
    path = tmp_path / f"team{suffix}"
    path.write_text(content)
    with pytest.raises(LexiconError) as caught:
        load_lexicon(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


PIECES = [
    *"abc xyz.,!?\t\r\n",
    *("😀", "👩\u200d💻", "中文", "עברית", "مرحبا", "é", "\u200f"),
    *("I think ", "maybe ", "you should be able to ", "hopefully ", "It might be "),
]
TRICKY = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=150, deadline=None)
@given(text=TRICKY)
def test_offsets_are_exact_for_any_text(tone_model: ToneModel, text: str) -> None:
    result = tone_model.score(text)
    for hedge in result.hedges:
        assert text[hedge.start : hedge.end] == hedge.text
    for items in result.explanations.values():
        for item in items:
            assert text[item.start : item.end] == item.text


def test_literal_prefilter_never_changes_the_candidates() -> None:
    from tests.support.paths import REPO
    from tonecheck.model.data_check import read_records

    lexicon = builtin_lexicon()
    for record in read_records(REPO / "data" / "replies.jsonl"):
        for text in (record.text, record.customer_message or ""):
            assert lexicon.candidates(text) == lexicon.candidates(text, prefilter=False), text


@settings(max_examples=200, deadline=None)
@given(text=TRICKY)
def test_literal_prefilter_on_arbitrary_text(text: str) -> None:
    lexicon = builtin_lexicon()
    assert lexicon.candidates(text) == lexicon.candidates(text, prefilter=False)


def test_required_literals() -> None:
    from tonecheck.model.prefilter import required_literals

    assert required_literals(r"\bhopefully,?") == (frozenset({"hopefully"}),)
    # Every match holds "try" and one of "you"/"we"; the longer literal set is checked first.
    assert required_literals(r"\b(?:you|we) (?:could )?try\b") == (
        frozenset({"try"}),
        frozenset({"you", "we"}),
    )
    assert required_literals(r"\w+ly") == (frozenset({"ly"}),)
    assert required_literals(r"\w+\d") is None


CUE_PIECES = [
    *PIECES,
    *(
        "1",
        "2.5 ",
        "10-12 ",
        "3pm ",
        "today ",
        "by Friday ",
        "Monday",
        "sorry ",
        "Sorry",
        "I'll ",
        "we've fixed ",
    ),
    *(
        "I have sent ",
        "http://x.io/a ",
        "www.x ",
        "\n- ",
        "\n1. ",
        "`x` ",
        "any inconvenience ",
        "DM ",
        "FAQ",
    ),
    *(
        "100% ",
        "promise ",
        "as I already said ",
        "let me know if ",
        "that must be frustrating ",
        "İ",
        "ß",
    ),
]


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(CUE_PIECES), max_size=40).map("".join))
def test_cue_scans_near_literals_equal_full_scans_on_arbitrary_text(text: str) -> None:
    from tonecheck.model.features import CUES, cue_spans

    full = {
        name: [m.span() for m in regex.finditer(text) if m.end() > m.start()]
        for name, regex in CUES.items()
    }
    assert cue_spans(text) == full


def test_cue_scans_near_literals_equal_full_scans() -> None:
    from tests.support.paths import REPO
    from tonecheck.model.data_check import read_records
    from tonecheck.model.features import CUES, cue_spans

    for record in read_records(REPO / "data" / "replies.jsonl"):
        full = {
            name: [m.span() for m in regex.finditer(record.text) if m.end() > m.start()]
            for name, regex in CUES.items()
        }
        assert cue_spans(record.text) == full, record.id
