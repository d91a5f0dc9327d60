"""Rewrites an agent can accept without reading twice: the clause is planned, verbs come
from LemmInflect, and a rewrite that is not safe is not offered."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tonecheck.model.grammar import NEGATION
from tonecheck.model.lexicon import builtin_lexicon, cuts_a_word
from tonecheck.model.rewrite import plan_rewrite

CASES = [
    json.loads(line)
    for line in (Path(__file__).parent / "rewrite_cases.jsonl").read_text("utf-8").splitlines()
]
ENTRIES = {e.id: e for e in builtin_lexicon().entries}
# Written by the team before the rewriter: the share it already meets word for word. The
# rest are offered as a different grammatical edit, or not offered (see README).
EXACT_SHARE_FLOOR = 0.50


def rewritten(text: str, hedge: str, entry_id: str, occurrence: int = 0) -> str | None:
    start = text.index(hedge)
    for _ in range(occurrence):
        start = text.index(hedge, start + 1)
    entry = ENTRIES[entry_id]
    planned = plan_rewrite(
        text, start, start + len(hedge), entry.category, (entry.suggestions or ("",))[0]
    )
    return planned.apply(text) if planned else None


@pytest.mark.parametrize(
    ("text", "hedge", "entry", "after"),
    [
        (
            "Please try restarting the router.",
            "Please try restarting",
            "try-ing",
            "Please restart the router.",
        ),
        (
            "You could try checking your bank app in the meantime.",
            "You could try",
            "you-could-try",
            "Check your bank app in the meantime.",
        ),
        (
            "I'll try and get this sorted today.",
            "I'll try",
            "lets-try",
            "I'll get this sorted today.",
        ),
        ("Try clearing your cache.", "Try clearing", "try-ing", "Clear your cache."),
        ("I think that's right.", "I think", "i-think", "That's right."),
        (
            "I'll reset it now, if that's okay.",
            "if that's okay",
            "if-thats-ok",
            "I'll reset it now.",
        ),
        (
            "Your parcel should arrive on Friday.",
            "should arrive",
            "should-arrive",
            "Your parcel will arrive on Friday.",
        ),
        (
            "Hopefully, the refund lands today.",
            "Hopefully,",
            "hopefully",
            "The refund lands today.",
        ),
        (
            "You should be able to log in now.",
            "should be able to",
            "should-be-able",
            "You can log in now.",
        ),
        (
            "Could you try restarting the app and sending it again?",
            "you try",
            "you-could-try",
            "Could you restart the app and send it again?",
        ),
    ],
)
def test_the_reported_cases(text: str, hedge: str, entry: str, after: str) -> None:
    assert rewritten(text, hedge, entry) == after


def test_a_rewrite_that_would_say_the_opposite_is_not_offered() -> None:
    assert (
        rewritten("We don't believe your data was affected.", "We don't believe", "dont-think")
        is None
    )
    assert rewritten("The promo may not apply to sale items.", "may not", "may-bare") in (
        None,
        "The promo doesn't apply to sale items.",
    )


def test_the_table_covers_every_entry_that_offers_a_suggestion() -> None:
    covered = Counter(case["entry"] for case in CASES)
    assert len(CASES) >= 200
    assert all(covered[e.id] >= 2 for e in ENTRIES.values() if e.suggestions), [
        e.id for e in ENTRIES.values() if covered[e.id] < 2
    ]


def test_the_table() -> None:
    exact = 0
    for case in CASES:
        text, hedge = case["before"], case["hedge"]
        after = rewritten(text, hedge, case["entry"])
        if after is None:
            continue
        exact += after == case["after"]
        start = text.index(hedge)
        assert not cuts_a_word(text, start, start + len(hedge))
        # every negation outside the hedge survives: a rewrite never says the opposite
        outside = text[:start] + text[start + len(hedge) :]
        assert len(NEGATION.findall(after)) >= len(NEGATION.findall(outside)) or any(
            w in hedge.lower() for w in ("not", "n't", "n’t", "no ")
        ), (text, after)
        assert "  " not in after and " ." not in after and " ," not in after, (text, after)
    assert exact / len(CASES) >= EXACT_SHARE_FLOOR, f"{exact} of {len(CASES)} word for word"


@pytest.mark.slow
def test_taking_a_suggestion_does_not_lower_the_score(tone_model: object) -> None:
    """On every rewrite offered on the corpus test split (and on the real replies, where
    they are here): Standing never falls and Overall falls by at most one point, for at
    least 99 % of them."""
    from tests.support.paths import EXTERNAL, REPO
    from tonecheck.model.data_check import read_corpus
    from tonecheck.model.evaluate import rewrite_coherence
    from tonecheck.server.config import DEFAULT_DATA

    texts = [r.text for r in read_corpus([REPO / p for p in DEFAULT_DATA]) if r.split == "test"]
    turns = EXTERNAL / "tweetsumm" / "agent_turns.jsonl"
    if turns.is_file():
        texts += [json.loads(line)["text"] for line in turns.read_text("utf-8").splitlines()]
    figures = rewrite_coherence(tone_model, texts)  # type: ignore[arg-type]
    assert figures["offered"] >= 500
    assert figures["both_held"] >= 0.99, figures
