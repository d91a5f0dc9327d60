"""No hedge span starts or ends inside a word: for every lexicon entry, built-in and team,
on arbitrary text, on the corpora and on real replies."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.paths import EXTERNAL, REPO
from tonecheck.model.lexicon import Lexicon, builtin_lexicon, cuts_a_word, load_lexicon

WORDS = [
    "try",
    "re",
    "restarting",
    "unplugging",
    "trying",
    "to",
    "and",
    "again",
    "ok",
    "okay",
    "if",
    "that's",
    "that",
    "I",
    "think",
    "hope",
    "hopefully",
    "should",
    "should've",
    "might",
    "might've",
    "may",
    "May",
    "could",
    "maybe",
    "perhaps",
    "it's",
    "possible",
    "likely",
    "you",
    "you're",
    "fine",
    "with",
    "probably",
    "seems",
    "please",
    "don't",
    "afraid",
    "I'm",
]
TEXT = st.lists(
    st.one_of(
        st.sampled_from(WORDS),
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz'’", min_size=1, max_size=6),
    ),
    max_size=25,
).flatmap(
    lambda words: st.lists(
        st.sampled_from([" ", " ", " ", ", ", ". ", "", "? ", "\n", "-", "'"]),
        min_size=len(words),
        max_size=len(words),
    ).map(lambda seps: "".join(w + s for w, s in zip(words, seps, strict=True)))
)


def test_the_guard_by_hand() -> None:
    text = "Please try restarting it; don't worry."
    assert not cuts_a_word(text, 7, 10)  # "try"
    assert cuts_a_word(text, 7, 13)  # "try re"
    start = text.index("don't")
    assert cuts_a_word(text, start, start + 3)  # "don" of "don't"
    assert not cuts_a_word(text, start, start + 5)  # "don't"


@pytest.fixture(scope="module")
def team_lexicon(tmp_path_factory: pytest.TempPathFactory) -> Lexicon:
    """A team entry whose early alternative is a prefix of a later one, as teams will write."""
    path = tmp_path_factory.mktemp("team") / "team.yaml"
    path.write_text(
        "add:\n"
        "  - pattern: 'please try (?:re|un)'\n    category: attempt\n"
        "  - phrase: 'ok'\n    category: deference\n",
        encoding="utf-8",
    )
    return load_lexicon(path)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_no_candidate_cuts_a_word_in_arbitrary_text(text: str) -> None:
    for candidate in builtin_lexicon().candidates(text):
        assert not cuts_a_word(text, candidate.start, candidate.end), candidate


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_no_team_candidate_cuts_a_word(team_lexicon: Lexicon, text: str) -> None:
    text += " please try restarting, okay"
    candidates = team_lexicon.candidates(text)
    assert all(not cuts_a_word(text, c.start, c.end) for c in candidates)
    assert "please try re" not in [c.text for c in candidates]


def _texts() -> list[str]:
    texts = [
        json.loads(line)["text"]
        for name in ("replies.jsonl", "register.jsonl")
        for line in (REPO / "data" / name).read_text(encoding="utf-8").splitlines()
    ]
    turns = EXTERNAL / "tweetsumm" / "agent_turns.jsonl"
    if turns.is_file():
        texts += [
            json.loads(line)["text"] for line in turns.read_text(encoding="utf-8").splitlines()
        ]
    return texts


def test_every_built_in_pattern_ends_on_word_boundaries_in_real_text() -> None:
    """The patterns themselves, without the guard: the lexicon audit kept honest."""
    lexicon = builtin_lexicon()
    cut: list[str] = []
    for text in _texts():
        for entry, regex in zip(lexicon.entries, lexicon.patterns.regexes, strict=True):
            for match in regex.finditer(text):
                start, end = match.span()
                while end > start and text[end - 1].isspace():
                    end -= 1
                if end > start and cuts_a_word(text, start, end):
                    cut.append(f"{entry.id}: {text[max(0, start - 12) : end + 12]!r}")
    assert cut == []


def test_the_reported_router_reply(tone_model: object) -> None:
    text = "Please try restarting the router, then try unplugging the extender."
    spans = [h.text for h in tone_model.detector.find_hedges(text)]  # type: ignore[attr-defined]
    assert all(not cuts_a_word(text, text.index(s), text.index(s) + len(s)) for s in spans)
    assert "Please try re" not in spans and "try un" not in spans


def test_no_model_span_cuts_a_word_on_real_replies(tone_model: object) -> None:
    for text in _texts()[::7]:
        for hedge in tone_model.detector.find_hedges(text):  # type: ignore[attr-defined]
            assert not cuts_a_word(text, hedge.start, hedge.end), (hedge, text)
