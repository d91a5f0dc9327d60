"""The hedge detector: lexicon candidates, accepted or rejected by a learned classifier.

Context decides whether a candidate is a hedge: "you may cancel any time" is
permission, "you should update first" a recommendation, and a hedge the customer
wrote and the agent quotes is not the agent's. A logistic regression over each
candidate's context words and a few structural cues learns those distinctions
from the labeled replies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import expit
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from tonecheck.model.lexicon import Candidate, Lexicon
from tonecheck.model.rewrite import Rewrite, plan_rewrite

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_QUOTED = re.compile(r"\"[^\"\n]{1,300}\"|“[^”\n]{1,300}”|'[^'\n]{3,200}'(?!\w)")
_REPORTED = re.compile(
    r"\b(?:you|you've|you have|customer|they|he|she)\s+(?:said|mentioned|wrote|asked|"
    r"suggested|thought|think|feel|felt|told us|noted|wondered|worried)\b[^.!?\n]{0,40}$"
    r"|\byour (?:message|email|note|question|comment)\b[^.!?\n]{0,30}$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?\n]")
ACCEPT_THRESHOLD = 0.5


@dataclass(frozen=True)
class HedgeSpan:
    """A hedge found in a reply; offsets count code points."""

    start: int
    end: int
    text: str
    category: str
    message: str
    suggestions: tuple[str, ...]
    confidence: float
    rewrite: Rewrite | None = None
    rewrite_preview: str = ""

    def as_json(self) -> dict[str, Any]:
        """`rewrite` is the planned edit (often wider than the hedge: "Please try
        restarting" becomes "Please restart"), or None when no confident wording is safe."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "category": self.category,
            "message": self.message,
            "suggestions": list(self.suggestions),
            "rewrite": {
                "start": self.rewrite.start,
                "end": self.rewrite.end,
                "text": self.rewrite.replacement,
                "preview": self.rewrite_preview,
            }
            if self.rewrite
            else None,
        }


def match_case(original: str, suggestion: str) -> str:
    """Capitalise a suggestion when the phrase it replaces starts a sentence."""
    if suggestion and original[:1].isupper() and not original.startswith("I "):
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _TOKEN.findall(text)]


def candidate_features(
    text: str, candidate: Candidate, quoted: Sequence[tuple[int, int]]
) -> dict[str, Any]:
    """The context of one candidate, as a feature dict for `DictVectorizer`."""
    before = _words(text[max(0, candidate.start - 60) : candidate.start])[-3:]
    after = _words(text[candidate.end : candidate.end + 60])[:3]
    before = ["<s>"] * (3 - len(before)) + before
    after = after + ["</s>"] * (3 - len(after))
    entry = candidate.entry.id
    matched = " ".join(_words(candidate.text))
    prefix = text[max(0, candidate.start - 80) : candidate.start]
    last_break = max((m.end() for m in _SENTENCE_END.finditer(prefix)), default=0)
    sentence_prefix = prefix[last_break:].strip()
    next_end = _SENTENCE_END.search(text, candidate.end)
    features: dict[str, Any] = {
        "entry": entry,
        "category": candidate.entry.category,
        "matched": matched,
        "w-1": before[-1],
        "w-2": before[-2],
        "w-3": before[-3],
        "w+1": after[0],
        "w+2": after[1],
        "w+3": after[2],
        "w-1|entry": f"{before[-1]}|{entry}",
        "w+1|entry": f"{after[0]}|{entry}",
        "w+1|w+2": f"{after[0]} {after[1]}",
        "w-1|category": f"{before[-1]}|{candidate.entry.category}",
        "w+1|category": f"{after[0]}|{candidate.entry.category}",
        "w-2|w-1": f"{before[-2]} {before[-1]}",
        "sentence_initial": float(not sentence_prefix),
        "question": float(next_end is not None and next_end.group() == "?"),
        "in_quotes": float(any(a <= candidate.start and candidate.end <= b for a, b in quoted)),
        "reported": float(bool(_REPORTED.search(prefix))),
        "conditional": float(sentence_prefix.lower().startswith(("if ", "when ", "once "))),
        "you_before": float("you" in before[-2:]),
    }
    return features


REWRITE_WINDOW = 160


def _planned(text: str, candidate: Candidate, suggestion: str) -> tuple[Rewrite | None, str]:
    """The candidate's rewrite and preview, planned on the text around it only, so a long
    draft full of hedges costs time in proportion to its length, not its square."""
    begin = max(0, candidate.start - REWRITE_WINDOW)
    window = text[begin : candidate.end + REWRITE_WINDOW]
    local = plan_rewrite(
        window,
        candidate.start - begin,
        candidate.end - begin,
        candidate.entry.category,
        suggestion,
    )
    if local is None:
        return None, ""
    shifted = Rewrite(local.start + begin, local.end + begin, local.replacement)
    return shifted, local.preview(window)


def _overlaps(candidate: Candidate, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < candidate.end and candidate.start < e for s, e in spans)


def quoted_regions(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTED.finditer(text)]


class HedgeDetector:
    """Finds hedges: `find_hedges(text)` returns `HedgeSpan`s in text order."""

    def __init__(self, lexicon: Lexicon, classifier: Pipeline | None = None) -> None:
        self.lexicon = lexicon
        self.classifier = classifier

    def __getstate__(self) -> dict[str, Any]:
        return {"lexicon": self.lexicon, "classifier": self.classifier}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["lexicon"], state["classifier"])  # type: ignore[misc]

    def find_hedges(self, text: str, rewrites: bool = True) -> tuple[HedgeSpan, ...]:
        """The hedges of `text`, each with its planned rewrite; `rewrites=False` skips the
        planning where only the spans count (features, training, evaluation)."""
        candidates = self.lexicon.candidates(text)
        if not candidates:
            return ()
        confidences = self.confidences(text, candidates)
        found = []
        for candidate, probability in zip(candidates, confidences, strict=True):
            if probability < ACCEPT_THRESHOLD:
                continue
            entry = candidate.entry
            first = entry.suggestions[0] if entry.suggestions else ""
            rewrite, preview = _planned(text, candidate, first) if rewrites else (None, "")
            found.append(
                HedgeSpan(
                    start=candidate.start,
                    end=candidate.end,
                    text=candidate.text,
                    category=entry.category,
                    message=entry.message,
                    suggestions=tuple(match_case(candidate.text, s) for s in entry.suggestions),
                    confidence=round(float(probability), 3),
                    rewrite=rewrite,
                    rewrite_preview=preview,
                )
            )
        return tuple(found)

    def confidences(self, text: str, candidates: Sequence[Candidate]) -> np.ndarray:
        """P(hedge) for each candidate: the classifier's own arithmetic without its validation overhead."""
        if self.classifier is None:
            return np.ones(len(candidates))
        quoted = quoted_regions(text)
        rows = [candidate_features(text, c, quoted) for c in candidates]
        vectorizer: DictVectorizer = self.classifier.named_steps["features"]
        linear: LogisticRegression = self.classifier.named_steps["classify"]
        columns, separator = vectorizer.vocabulary_, vectorizer.separator
        weights = linear.coef_[0]
        decision = np.full(len(rows), float(linear.intercept_[0]))
        for index, row in enumerate(rows):
            # DictVectorizer's mapping: "name=value" for strings, "name" for numbers.
            for name, value in row.items():
                if isinstance(value, str):
                    column = columns.get(f"{name}{separator}{value}")
                    if column is not None:
                        decision[index] += weights[column]
                elif value and (column := columns.get(name)) is not None:
                    decision[index] += weights[column] * value
        return np.asarray(expit(decision))  # stable where a huge decision would overflow exp

    @classmethod
    def fit(
        cls,
        lexicon: Lexicon,
        examples: Iterable[tuple[str, Sequence[tuple[int, int]], Sequence[tuple[int, int]]]],
        seed: int,
    ) -> HedgeDetector:
        """Train on (text, gold hedge spans, spans judged not hedges) triples.

        A candidate overlapping a gold span is positive; every other candidate,
        and any candidate overlapping a "not a hedge" span, is negative.
        """
        rows: list[dict[str, Any]] = []
        targets: list[int] = []
        for text, gold, rejected in examples:
            quoted = quoted_regions(text)
            for candidate in lexicon.candidates(text):
                rows.append(candidate_features(text, candidate, quoted))
                is_gold = _overlaps(candidate, gold) and not _overlaps(candidate, rejected)
                targets.append(int(is_gold))
        if len(set(targets)) < 2:
            return cls(lexicon, None)
        classifier: Pipeline = Pipeline(
            [
                ("features", DictVectorizer()),
                ("classify", LogisticRegression(C=3.0, max_iter=5000, random_state=seed)),
            ]
        )
        classifier.fit(rows, targets)
        return cls(lexicon, classifier)
