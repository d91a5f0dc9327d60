"""Which literal strings a regular expression cannot match without.

`required_literals(pattern)` returns sets of lowercase strings such that every
match contains a string of each set, or None when nothing is known. The lexicon
skips a pattern on a text that lacks them, which saves most of the regex scans
on a typical reply.
"""

from __future__ import annotations

import re
import re._constants as sre_constants  # type: ignore[import-not-found]
import re._parser as sre_parse  # type: ignore[import-not-found]
from typing import Any

Literals = frozenset[str] | None


def _best(options: list[frozenset[str]]) -> Literals:
    if not options:
        return None
    return max(options, key=lambda literals: (min(len(s) for s in literals), -len(literals)))


def _sequence(items: Any) -> Literals:
    return _best(_options(items))


def _options(items: Any) -> list[frozenset[str]]:
    """One set per mandatory part of a sequence: a match holds a literal of every set."""
    options: list[frozenset[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            options.append(frozenset({"".join(run).lower()}))
            run.clear()

    for op, arg in items:
        if op is sre_constants.LITERAL:
            run.append(chr(arg))
            continue
        if op is sre_constants.AT:
            continue  # \b, ^ and $ consume nothing: the literal run goes on
        close_run()
        found = _item(op, arg)
        if found is not None:
            options.append(found)
    close_run()
    return options


def _item(op: Any, arg: Any) -> Literals:
    if op is sre_constants.SUBPATTERN:
        return _sequence(arg[-1])
    if op is sre_constants.BRANCH:
        union: set[str] = set()
        for branch in arg[1]:
            found = _sequence(branch)
            if found is None:
                return None
            union |= found
        return frozenset(union)
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT):
        low, _, body = arg
        return _sequence(body) if low >= 1 else None
    return None


def max_width(pattern: str) -> int | None:
    """The longest text `pattern` can match, or None when it is unbounded or unknown."""
    try:
        width = int(sre_parse.parse(pattern, re.IGNORECASE).getwidth()[1])
    except re.error:
        return None
    return width if width < 1000 else None


def scan(
    regex: re.Pattern[str],
    literals: tuple[frozenset[str], ...] | None,
    width: int | None,
    text: str,
    lowered: str,
    present: dict[str, bool],
) -> list[re.Match[str]]:
    """What `regex.finditer(text)` gives, skipping the scan where the literals say it cannot match.

    `literals` and `width` come from `required_literals` and `max_width`; `lowered` is
    `text.lower()`; `present` remembers, for this one text, which literals it holds,
    so patterns that share literals search for each only once.
    """
    if literals is None:
        return list(regex.finditer(text))
    if not _holds_all(lowered, literals, present):
        return []
    # Lowercasing can change the length of rare characters; then offsets differ, so scan whole.
    if width is None or len(lowered) != len(text):
        return list(regex.finditer(text))
    return windowed_finditer(regex, text, lowered, literals[0], width)


def _holds_all(
    lowered: str, literals: tuple[frozenset[str], ...], present: dict[str, bool]
) -> bool:
    """True when `lowered` holds a string of every set in `literals`."""
    for needed in literals:
        for literal in needed:
            hit = present.get(literal)
            if hit is None:
                hit = present[literal] = literal in lowered
            if hit:
                break
        else:
            return False
    return True


def windowed_finditer(
    regex: re.Pattern[str], text: str, lowered: str, literals: frozenset[str], width: int
) -> list[re.Match[str]]:
    """The matches `regex.finditer(text)` gives, found by searching only near `literals`.

    Every match holds one of `literals` and is at most `width` long, so it starts
    within `width` characters before an occurrence. `lowered` is `text.lower()` of
    the same length. A search bounded by `endpos` may see a word boundary that the
    whole text does not have, so each hit is confirmed with `regex.match(text, start)`.
    """
    occurrences: list[int] = []
    for literal in literals:
        at = lowered.find(literal)
        while at >= 0:
            occurrences.append(at)
            at = lowered.find(literal, at + 1)
    found: list[re.Match[str]] = []
    resume = 0
    for at in sorted(occurrences):
        low, high = max(resume, at - width), at
        while low <= high:
            hit = regex.search(text, low, min(len(text), high + width))
            if hit is None or hit.start() > high:
                break
            confirmed = regex.match(text, hit.start())
            if confirmed is None:
                low = hit.start() + 1
                continue
            found.append(confirmed)
            low = resume = max(confirmed.end(), confirmed.start() + 1)
    return found


def required_literals(pattern: str) -> tuple[frozenset[str], ...] | None:
    """Sets of lowercase strings; every match of `pattern` holds one string of each set.

    None when nothing is known (the pattern must always be run). The most
    selective set comes first so a check can stop early.
    """
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except re.error:
        return None
    options = [o for o in _options(parsed) if all(literal.strip() for literal in o)]
    if not options:
        return None
    return tuple(sorted(options, key=lambda o: (-min(len(s) for s in o), len(o))))
