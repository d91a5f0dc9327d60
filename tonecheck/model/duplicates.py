"""Duplicate ids, duplicate texts and near-duplicates across a set of records.

Two records are near-duplicates when they share a sentence of
`NEAR_DUPLICATE_WORDS` or more words (case and punctuation ignored).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Final

from tonecheck.model.records import Problem, Record

NEAR_DUPLICATE_WORDS: Final = 8
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def long_sentences(text: str, min_words: int = NEAR_DUPLICATE_WORDS) -> Iterator[str]:
    """Each sentence of `min_words` or more words, normalised to lowercase words."""
    for sentence in _SENTENCE_BREAK.split(text):
        words = _WORD.findall(sentence.lower())
        if len(words) >= min_words:
            yield " ".join(words)


def _normalised(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _first_seen(
    records: Sequence[Record], keys: Iterable[tuple[Record, str]]
) -> Iterator[tuple[Record, Record, str]]:
    seen: dict[str, Record] = {}
    for record, key in keys:
        earlier = seen.setdefault(key, record)
        if earlier is not record:
            yield record, earlier, key


def find_duplicates(records: Sequence[Record]) -> list[Problem]:
    problems: list[Problem] = []
    for record, earlier, _ in _first_seen(records, ((r, r.id) for r in records)):
        problems.append(Problem(record.line, "id", f"{record.id!r} repeats line {earlier.line}"))
    for record, earlier, _ in _first_seen(records, ((r, _normalised(r.text)) for r in records)):
        problems.append(Problem(record.line, "text", f"duplicates the text of line {earlier.line}"))
    pairs = ((r, s) for r in records for s in dict.fromkeys(long_sentences(r.text)))
    reported: set[tuple[int, int]] = set()
    for record, earlier, sentence in _first_seen(records, pairs):
        if (earlier.line, record.line) in reported or _normalised(record.text) == _normalised(
            earlier.text
        ):
            continue
        reported.add((earlier.line, record.line))
        problems.append(
            Problem(
                record.line,
                "text",
                f"near-duplicate of line {earlier.line}: both hold the sentence {sentence!r}",
            )
        )
    return problems
