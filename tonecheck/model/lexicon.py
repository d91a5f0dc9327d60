"""The hedge lexicon: built-in phrases plus an optional team file, and candidate spans.

A lexicon proposes candidates; the learned classifier in `model.hedges` decides
which candidates really are hedges in their context. The lexicon alone is the
baseline the classifier must beat.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tonecheck.model.prefilter import PatternSet
from tonecheck.model.types import HEDGE_CATEGORIES


def _inside_word(text: str, index: int) -> bool:
    """Whether a boundary at `index` falls between two characters of one word ("don|'t" too)."""
    if index <= 0 or index >= len(text):
        return False
    before, after = text[index - 1], text[index]
    if before.isalnum() and after.isalnum():
        return True
    apostrophe = "'’"
    return (before.isalpha() and after in apostrophe and text[index + 1 : index + 2].isalpha()) or (
        before in apostrophe and after.isalpha() and text[index - 2 : index - 1].isalpha()
    )


def cuts_a_word(text: str, start: int, end: int) -> bool:
    """A span that starts or ends inside a word is never a hedge: it would cut the word."""
    return _inside_word(text, start) or _inside_word(text, end)


class LexiconError(Exception):
    """A lexicon file that cannot be used; the message names the file, key and value."""


@dataclass(frozen=True)
class LexiconEntry:
    id: str
    pattern: str
    category: str
    suggestions: tuple[str, ...]
    message: str
    instant: bool = True

    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern, re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    text: str
    entry: LexiconEntry


@dataclass(frozen=True)
class Category:
    name: str
    label: str
    message: str


class Lexicon:
    """An ordered set of entries; `candidates` gives leftmost-longest, non-overlapping spans."""

    def __init__(self, entries: list[LexiconEntry], categories: dict[str, Category], version: str):
        self.entries = entries
        self.categories = categories
        self.version = version
        self._patterns = PatternSet([entry.compiled() for entry in entries])
        canonical = json.dumps(self.as_json(include_fingerprint=False), sort_keys=True)
        self.fingerprint = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]

    def __getstate__(self) -> dict[str, Any]:
        return {"entries": self.entries, "categories": self.categories, "version": self.version}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["entries"], state["categories"], state["version"])  # type: ignore[misc]

    @property
    def patterns(self) -> PatternSet:
        """Every entry's compiled pattern, in entry order."""
        return self._patterns

    def candidates(self, text: str, prefilter: bool = True) -> list[Candidate]:
        found: list[tuple[int, int, int, LexiconEntry]] = []
        if prefilter:
            per_entry = self._patterns.finditer_all(text)
        else:
            per_entry = [list(regex.finditer(text)) for regex in self._patterns.regexes]
        for order, (entry, matches) in enumerate(zip(self.entries, per_entry, strict=True)):
            for match in matches:
                start, end = match.span()
                while end > start and text[end - 1].isspace():
                    end -= 1
                if end > start and not cuts_a_word(text, start, end):
                    found.append((start, -(end - start), order, entry))
        found.sort(key=lambda item: item[:3])
        chosen: list[Candidate] = []
        taken_until = -1
        for start, negative_length, _, entry in found:
            if start >= taken_until:
                end = start - negative_length
                chosen.append(Candidate(start, end, text[start:end], entry))
                taken_until = end
        return chosen

    def as_json(self, include_fingerprint: bool = True) -> dict[str, Any]:
        """What the extension needs to underline on its own (patterns use flag `i`)."""
        body: dict[str, Any] = {
            "version": self.version,
            "flags": "i",
            "categories": {
                c.name: {"label": c.label, "message": c.message} for c in self.categories.values()
            },
            "entries": [
                {
                    "id": e.id,
                    "pattern": e.pattern,
                    "category": e.category,
                    "message": e.message,
                    "suggestions": list(e.suggestions),
                    "instant": e.instant,
                }
                for e in self.entries
            ],
        }
        if include_fingerprint:
            body["fingerprint"] = self.fingerprint
        return body


def _entry_from(raw: Any, where: str, categories: dict[str, Category], source: str) -> LexiconEntry:
    if not isinstance(raw, dict):
        raise LexiconError(f"{source}: {where}: must be a table/mapping, got {raw!r}")
    unknown = raw.keys() - {
        "id",
        "pattern",
        "phrase",
        "category",
        "suggestions",
        "message",
        "instant",
    }
    if unknown:
        raise LexiconError(f"{source}: {where}: unknown key(s) {', '.join(sorted(unknown))}")
    category = raw.get("category")
    if category not in categories:
        raise LexiconError(
            f"{source}: {where}.category: value {category!r} is not one of "
            f"{', '.join(HEDGE_CATEGORIES)}"
        )
    if ("pattern" in raw) == ("phrase" in raw):
        raise LexiconError(f"{source}: {where}: give exactly one of 'pattern' or 'phrase'")
    if "phrase" in raw:
        phrase = raw["phrase"]
        if not isinstance(phrase, str) or not phrase.strip():
            raise LexiconError(f"{source}: {where}.phrase: must be a non-empty string")
        words = [re.escape(word) for word in phrase.split()]
        pattern = r"\b" + r"\s+".join(words) + (r"\b" if phrase[-1].isalnum() else "")
    else:
        pattern = raw["pattern"]
        if not isinstance(pattern, str) or not pattern:
            raise LexiconError(f"{source}: {where}.pattern: must be a non-empty string")
    try:
        regex = re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        raise LexiconError(
            f"{source}: {where}.pattern: {pattern!r} is not valid: {error}"
        ) from None
    if regex.search("") is not None:
        raise LexiconError(f"{source}: {where}.pattern: {pattern!r} matches empty text")
    suggestions = raw.get("suggestions", [])
    if not isinstance(suggestions, list) or not all(isinstance(s, str) for s in suggestions):
        raise LexiconError(f"{source}: {where}.suggestions: must be a list of strings")
    message = raw.get("message") or categories[category].message
    if not isinstance(message, str):
        raise LexiconError(f"{source}: {where}.message: must be a string")
    instant = raw.get("instant", True)
    if not isinstance(instant, bool):
        raise LexiconError(f"{source}: {where}.instant: must be true or false, got {instant!r}")
    entry_id = raw.get("id") or re.sub(r"\W+", "-", str(raw.get("phrase", pattern))).strip("-")
    return LexiconEntry(str(entry_id), pattern, category, tuple(suggestions), message, instant)


def _read_mapping(path: Path) -> dict[str, Any]:
    try:
        raw_text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LexiconError(f"{path}: cannot read lexicon file: {error}") from None
    try:
        if path.suffix.lower() == ".toml":
            loaded: Any = tomllib.loads(raw_text)
        elif path.suffix.lower() in (".yaml", ".yml"):
            loaded = yaml.safe_load(raw_text)
        else:
            raise LexiconError(f"{path}: lexicon files must end in .yaml, .yml or .toml")
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as error:
        raise LexiconError(f"{path}: not valid {path.suffix[1:].upper()}: {error}") from None
    if not isinstance(loaded, dict):
        raise LexiconError(f"{path}: must hold a mapping with 'add' and/or 'disable'")
    return loaded


def builtin_lexicon() -> Lexicon:
    raw = yaml.safe_load(
        resources.files("tonecheck.model").joinpath("lexicon.yaml").read_text("utf-8")
    )
    categories = {
        name: Category(name, raw["categories"][name]["label"], raw["categories"][name]["message"])
        for name in HEDGE_CATEGORIES
    }
    entries = [
        _entry_from(item, f"entries[{i}]", categories, "built-in lexicon")
        for i, item in enumerate(raw["entries"])
    ]
    return Lexicon(entries, categories, f"builtin-{raw['version']}")


def load_lexicon(team_file: Path | None = None) -> Lexicon:
    """The built-in lexicon, extended and trimmed by a team file when one is given."""
    lexicon = builtin_lexicon()
    if team_file is None:
        return lexicon
    raw = _read_mapping(team_file)
    unknown = raw.keys() - {"add", "disable"}
    if unknown:
        raise LexiconError(f"{team_file}: unknown key(s) {', '.join(sorted(unknown))}")
    disable = raw.get("disable", [])
    known_ids = {e.id for e in lexicon.entries}
    if not isinstance(disable, list):
        raise LexiconError(f"{team_file}: disable: must be a list of entry ids")
    for index, entry_id in enumerate(disable):
        if entry_id not in known_ids:
            raise LexiconError(
                f"{team_file}: disable[{index}]: {entry_id!r} is not a built-in entry id "
                "(see `tonecheck lexicon show`)"
            )
    added_raw = raw.get("add", [])
    if not isinstance(added_raw, list):
        raise LexiconError(f"{team_file}: add: must be a list of entries")
    added = [
        _entry_from(item, f"add[{i}]", lexicon.categories, str(team_file))
        for i, item in enumerate(added_raw)
    ]
    kept = [e for e in lexicon.entries if e.id not in set(disable)]
    return Lexicon(added + kept, lexicon.categories, f"{lexicon.version}+team")
