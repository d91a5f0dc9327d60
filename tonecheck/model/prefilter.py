"""Which literal strings a regular expression cannot match without.

`required_literals(pattern)` returns sets of lowercase strings such that every
match contains a string of each set, or None when nothing is known. The lexicon
skips a pattern on a text that lacks them, which saves most of the regex scans
on a typical reply. `PatternSet` finds every literal of many patterns in one
Aho-Corasick pass (pyahocorasick), then runs only the patterns whose literals
are all there, and each only near its literals.
"""

from __future__ import annotations

import re
import re._constants as sre_constants  # type: ignore[import-not-found]
import re._parser as sre_parse  # type: ignore[import-not-found]
from collections.abc import Sequence
from typing import Any

import ahocorasick

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


def search_near(
    regex: re.Pattern[str], text: str, positions: Sequence[int], width: int
) -> list[re.Match[str]]:
    """The matches `regex.finditer(text)` gives, when every match holds a literal found at
    one of the sorted `positions` and is at most `width` long.

    Such a match starts within `width` characters before an occurrence. A search
    bounded by `endpos` may see a word boundary that the whole text does not have,
    so each hit is confirmed with `regex.match(text, start)`.
    """
    found: list[re.Match[str]] = []
    resume = 0
    for at in positions:
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


class PatternSet:
    """Many regexes run over one text, each only where its required literals occur.

    `finditer_all(text)` gives, for every pattern, the list `regex.finditer(text)`
    would give (tests hold the two equal on the corpus and on arbitrary text).
    """

    def __init__(self, regexes: Sequence[re.Pattern[str]]) -> None:
        self.regexes = list(regexes)
        self._literals = [required_literals(r.pattern) for r in self.regexes]
        self._widths = [max_width(r.pattern) for r in self.regexes]
        self._always = [i for i, lits in enumerate(self._literals) if lits is None]
        # Pattern i is worth running only when a literal of its first (most selective) set
        # occurs; the automaton finds those. Its other sets are checked with `in` after.
        self._by_first: dict[str, list[int]] = {}
        for index, literals in enumerate(self._literals):
            if literals is not None:
                for literal in literals[0]:
                    self._by_first.setdefault(literal, []).append(index)
        self._automaton: Any = None
        if self._by_first:
            self._automaton = ahocorasick.Automaton()
            for literal in self._by_first:
                self._automaton.add_word(literal, literal)
            self._automaton.make_automaton()

    def finditer_all(self, text: str) -> list[list[re.Match[str]]]:
        lowered = text.lower()
        if len(lowered) != len(text):
            # Lowercasing moved offsets (rare characters): scan every pattern whole.
            return [list(regex.finditer(text)) for regex in self.regexes]
        occurrences: dict[str, list[int]] = {}
        if self._automaton is not None:
            for end, literal in self._automaton.iter(lowered):
                occurrences.setdefault(literal, []).append(end - len(literal) + 1)
        found: list[list[re.Match[str]]] = [[] for _ in self.regexes]
        for index in self._always:
            found[index] = list(self.regexes[index].finditer(text))
        hopeful = {index for literal in occurrences for index in self._by_first.get(literal, ())}
        for index in hopeful:
            literals = self._literals[index]
            assert literals is not None
            if not all(any(lit in lowered for lit in needed) for needed in literals[1:]):
                continue
            regex, width = self.regexes[index], self._widths[index]
            if width is None:
                found[index] = list(regex.finditer(text))
                continue
            positions = sorted(at for lit in literals[0] for at in occurrences.get(lit, ()))
            found[index] = search_near(regex, text, positions, width)
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
