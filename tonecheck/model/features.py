"""Hand-made tone features that the TF-IDF n-grams cannot see on their own.

Each feature is a count or a flag an experienced team lead looks for: hedges by
category, concrete facts (numbers, dates, links, steps), owned commitments,
acknowledgement of the customer, deflection, blame and over-apology.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from tonecheck.model.hedges import HedgeDetector, HedgeSpan
from tonecheck.model.prefilter import PatternSet
from tonecheck.model.types import HEDGE_CATEGORIES


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.MULTILINE)


CUES: dict[str, re.Pattern[str]] = {
    "numbers": _rx(r"\b\d[\d,.:/-]*\b"),
    "urls": _rx(r"https?://\S+|\bwww\.\S+"),
    "steps": _rx(r"^\s*(?:\d+[.)]|[-*•])\s+"),
    "code": _rx(r"`[^`\n]+`"),
    "owned_action": _rx(
        r"\b(?:I|we)(?:'ve|’ve| have| 've)\s+(?:just\s+|now\s+|already\s+)?\w+ed\b"
        r"|\b(?:I|we)(?:'ll|’ll| will)\s+(?!try\b|see\b|hope\b)\w+"
        r"|\b(?:I've|I have|we've|we have) (?:issued|sent|refunded|credited|escalated|booked|"
        r"cancelled|canceled|reset|updated|added|removed|fixed|arranged|raised|applied)\b"
    ),
    "timeframe": _rx(
        r"\b(?:today|tonight|tomorrow|within \d+|by (?:mon|tues|wednes|thurs|fri|satur|sun)day|"
        r"\d+\s*(?:-|–|to)\s*\d+ (?:business |working )?(?:days|hours)|in \d+ (?:minutes|hours|days)|"
        r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|this (?:morning|afternoon|evening|week)|"
        r"next (?:week|month)|\d{1,2}(?::\d\d)?\s?(?:am|pm))\b"
    ),
    "acknowledge": _rx(
        r"\b(?:I (?:can )?(?:see|understand|hear|know) (?:how|why|that|what)|that(?:'s|’s| is| must be) "
        r"(?:frustrating|stressful|worrying|annoying|disappointing|a pain|not okay|not ok|awful)|"
        r"must (?:have been|be) (?:frustrating|stressful|worrying|difficult|hard|upsetting)|"
        r"you(?:'ve|’ve| have) been|you(?:'re|’re| are) right|I(?:'m|’m| am) sorry (?:that|to hear|about)|"
        r"thanks? (?:you )?for (?:your patience|flagging|letting us know|bearing with))"
    ),
    "apology": _rx(r"\b(?:sorry|apologi[sz]e|apologies|apologise|regret)\w*"),
    "generic_apology": _rx(r"\b(?:any|the) inconvenience\b|\bsorry for any\b"),
    "deflection": _rx(
        r"\b(?:another|a different|the relevant|other) (?:department|team)\b|\bnot (?:something )?"
        r"(?:we|I) (?:can|handle|deal with)\b|\b(?:contact|reach out to|call) (?:the|your) "
        r"(?:bank|carrier|manufacturer|seller|provider|store)\b|\bhelp (?:center|centre)\b|"
        r"\b(?:FAQ|FAQs)\b|\bper (?:our|the) policy\b|\bas per\b"
    ),
    "blame": _rx(
        r"\b(?:as (?:I|we) (?:already|previously) (?:said|explained|mentioned|stated)|"
        r"you should have|your (?:fault|mistake|error)|(?:my|a) colleague (?:should|gave|told)|"
        r"someone else|not our fault|(?:the )?other team)\b"
    ),
    "anything_else": _rx(
        r"\b(?:anything else|any other questions?|let (?:us|me) know if|feel free to|"
        r"don't hesitate|do not hesitate)\b"
    ),
    "dm_request": _rx(r"\b(?:DM|direct message|private message|send us a message|PM)\b"),
    "questions": _rx(r"\?"),
    "exclaims": _rx(r"!"),
    "bravado": _rx(
        r"\b(?:definitely|guarantee[ds]?|100%|never (?:happen|again)|absolutely certain|"
        r"promise)\b"
    ),
    "permission_ask": _rx(r"\b(?:is that ok|would that be ok|if that's ok|may I|can I ask)\b"),
    # the register of real replies: what a DM or a question asks for, the customer's name,
    # feelings named back, a closing
    "specific_ask": _rx(
        r"\b(?:your|the) (?:full )?(?:order|booking|account|tracking|reference|ref|confirmation|"
        r"phone|mobile|postcode|zip|e-?mail|serial|model|flight|ticket|card|case|reservation|"
        r"membership|policy|address|invoice|receipt|gamertag|username|store)(?: number| no\.?| id)?\b"
    ),
    "sorry_specific": _rx(
        r"\b(?:sorry|apologi[sz]e) (?:to hear|about (?:the|your) |for (?:the|your) (?!inconvenience|trouble)|"
        r"(?:that|you)(?:'re| are| have| had|'ve)? )"
    ),
    "feeling": _rx(
        r"\b(?:frustrat\w*|disappoint\w*|annoy\w*|upset\w*|stress\w*|worr\w*|"
        r"concern\w*|understand\w*|appreciate|not (?:ideal|good|great|what we want)|"
        r"(?:oh )?no!|yikes|ugh)\b"
    ),
    "named_greeting": re.compile(
        r"\A\s*(?:@\w+\s+)*(?:(?:hi|hey|hello|thanks|thank you|sorry|dear)\s+)?(?:there\s+)?"
        r"[A-Z][a-z]{2,}[,!.]"
    ),
    "closing": _rx(
        r"\b(?:have a (?:great|good|nice|lovely)|take care|you're welcome|glad|enjoy)\b"
    ),
}

FEATURE_NAMES: tuple[str, ...] = (
    *(f"hedge_{c}" for c in HEDGE_CATEGORIES),
    "hedges_total",
    "hedge_density",
    *CUES,
    "repeated_apology",
    "log_words",
    "log_sentences",
    "greeting",
    "first_person",
    "second_person",
)
_GREETING = _rx(r"\A\s*(?:@\w+\s+)*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b")
_SENTENCE = re.compile(r"[.!?]+(?:\s|$)|\n+")
_FIRST = _rx(r"\b(?:i(?:'m|'ve|'ll)?|we(?:'re|'ve|'ll)?|me|us|my|our)\b")
_SECOND = _rx(r"\byou(?:r|rs|'re|'ve|'ll)?\b")


_CUE_PATTERNS = PatternSet(list(CUES.values()))


def cue_spans(text: str) -> dict[str, list[tuple[int, int]]]:
    """Where each cue matched, so an explanation can point at the words behind a feature.

    A cue whose required literals are absent is not scanned (see model/prefilter.py).
    """
    return {
        name: [m.span() for m in found if m.end() > m.start()]
        for name, found in zip(CUES, _CUE_PATTERNS.finditer_all(text), strict=True)
    }


def tone_feature_row(
    text: str,
    hedges: Sequence[HedgeSpan],
    cues: dict[str, list[tuple[int, int]]] | None = None,
) -> list[float]:
    """The `FEATURE_NAMES` values of one text whose hedges are known; `cues` too, when known.

    Pass the text with its hedges blanked out (`mask_hedges`): only the hedge features
    see the hedges, so taking a hedge out can only move a score through them.
    """
    words = max(1, len(text.split()))
    by_category = [sum(h.category == c for h in hedges) for c in HEDGE_CATEGORIES]
    spans = cue_spans(text) if cues is None else cues
    cue_counts = {name: len(found) for name, found in spans.items()}
    row = [math.log1p(n) for n in by_category]
    row += [math.log1p(len(hedges)), min(1.0, 10 * len(hedges) / words)]
    row += [math.log1p(cue_counts[name]) for name in CUES]
    row += [
        float(cue_counts["apology"] >= 2),
        math.log1p(words),
        math.log1p(len(_SENTENCE.findall(text)) + 1),
        float(bool(_GREETING.search(text))),
        len(_FIRST.findall(text)) / words,
        len(_SECOND.findall(text)) / words,
    ]
    return row


class ToneFeatures(BaseEstimator, TransformerMixin):  # type: ignore[misc]
    """Turns reply texts into the `FEATURE_NAMES` columns; stateless apart from its detector."""

    def __init__(self, detector: HedgeDetector | None = None) -> None:
        self.detector = detector

    def fit(self, texts: Sequence[str], y: Any = None) -> ToneFeatures:
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        if self.detector is None:
            raise ValueError("ToneFeatures needs a fitted HedgeDetector")
        rows = []
        for text in texts:
            hedges = self.detector.find_hedges(text, rewrites=False)
            rows.append(tone_feature_row(mask_hedges(text, hedges), hedges))
        return np.asarray(rows, dtype=float)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray(FEATURE_NAMES, dtype=object)


def mask_hedges(text: str, hedges: Sequence[HedgeSpan]) -> str:
    """`text` with every hedge blanked out (same length, so offsets hold): the words of a
    hedge never reach the word features, so they can never raise a score."""
    if not hedges:
        return text
    chars = list(text)
    for hedge in hedges:
        chars[hedge.start : hedge.end] = " " * (hedge.end - hedge.start)
    return "".join(chars)


class HedgeMask(BaseEstimator, TransformerMixin):  # type: ignore[misc]
    """The pipeline step before the word vectorizer: each text with its hedges blanked out."""

    def __init__(self, detector: HedgeDetector | None = None) -> None:
        self.detector = detector

    def fit(self, texts: Sequence[str], y: Any = None) -> HedgeMask:
        return self

    def transform(self, texts: Sequence[str]) -> list[str]:
        if self.detector is None:
            raise ValueError("HedgeMask needs a fitted HedgeDetector")
        return [mask_hedges(t, self.detector.find_hedges(t, rewrites=False)) for t in texts]
