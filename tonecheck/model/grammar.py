"""The grammar a rewrite leans on: verb forms (from LemmInflect's dictionary), sentence
starts, subject agreement, and the check that an edited sentence still reads well."""

from __future__ import annotations

import re
from functools import lru_cache

from lemminflect import getInflection, getLemma

SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)|\n")


@lru_cache(maxsize=4096)
def base_form(word: str) -> str:
    """The verb's dictionary form ("restarting" -> "restart"); the word itself when unknown."""
    lemmas = getLemma(word.lower(), upos="VERB")
    return lemmas[0] if lemmas else word.lower()


def third_person(verb: str) -> str:
    forms = getInflection(verb, tag="VBZ")
    return forms[0] if forms else verb + "s"


def sentence_start(text: str, index: int) -> bool:
    """Whether only spaces, quotes or a list marker stand between `index` and the sentence's start."""
    before = text[:index]
    stripped = before.rstrip(" \t\"'“‘(")
    if not stripped:
        return True
    if re.search(r"(?:^|\n)\s*(?:[-*•]|\d+[.)])\s*$", before):
        return True
    if re.search(r"(?:^|\s)@\w+\s*$", before) and not re.search(r"[A-Za-z]\s+@\w+\s*$", before):
        return True
    return bool(re.search(r"[.!?:]$|\n$|[.!?][\"')\]]$", stripped))


def capitalise(text: str, index: int) -> str:
    """`text` with the first letter at or after `index` in upper case."""
    for i in range(index, len(text)):
        if text[i].isalpha():
            return text[:i] + text[i].upper() + text[i + 1 :]
        if not text[i].isspace() and text[i] not in "\"'“‘(":
            return text
    return text


_PLURAL_SUBJECT = {"i", "you", "we", "they", "these", "those", "both", "all"}
_SINGULAR_SUBJECT = {
    "he",
    "she",
    "it",
    "this",
    "that",
    "everything",
    "something",
    "nothing",
    "which",
}


def subject_is_plural(text: str, index: int) -> bool:
    words = re.findall(r"[A-Za-z'’]+", text[max(0, index - 40) : index])
    if not words:
        return False
    last = words[-1].lower()
    if last in _PLURAL_SUBJECT:
        return True
    if last in _SINGULAR_SUBJECT:
        return False
    return last.endswith("s") and not last.endswith(("ss", "'s", "’s", "us", "is"))


def present(verb: str, plural: bool) -> str:
    if verb.lower() == "be":
        return "are" if plural else "is"
    if verb.lower() == "have":
        return "have" if plural else "has"
    return verb if plural else third_person(verb)


_FRAGMENT = re.compile(
    r"(?:^|[.!?]\s+|\n)(?:To|But|And|So|Or|Of|For|With|Please for|Please to)\b"
    r"|(?:^|[.!?]\s+|\n)That (?:the|a|an|your|our|my|this|we|you|I|it|there)\b"
    r"|\b(?:I['’]m|I am|we['’]re|we are|it['’]s|it is|is|are) (?:I['’]ll|we['’]ll)\b"
    r"|\bDo that (?:whether|if)\b|\b(?:I['’]m|we['’]re) for\b|\bnots\b|  |\s[,.!?]|,,|\(\s*\)|\b(?:and|or|then),? (?:with|to|for|the)\b|^\W",
)


NEGATION = re.compile(
    r"\b(?:not|never|no|nothing|none|cannot"
    r"|(?:do|does|did|can|won|is|are|was|were|should|would|could|have|has|had|must|need)n['’]?t)\b",
    re.IGNORECASE,
)


_UNSURE = re.compile(
    r"not (?:\w+ )?(?:sure|certain|100|a hundred)|no idea|don['’]?t know|can['’]?t (?:say|tell)|hard to say",
    re.IGNORECASE,
)


def reads_well(text: str, start: int, end: int, replacement: str) -> bool:
    """Whether `text` with `text[start:end]` replaced still reads well; judged on the
    sentence the edit is in, so the check costs as much as one sentence."""
    begin = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    begin = max(0, begin - 2)
    after_end = SENTENCE_END.search(text, end)
    stop = min(len(text), (after_end.end() if after_end else len(text)) + 2)
    return _sentence_reads_well(text[begin:stop], start - begin, end - begin, replacement)


def _sentence_reads_well(text: str, start: int, end: int, replacement: str) -> bool:
    """A cheap check that an edit left no fragment, doubled word or stranded punctuation
    the text did not already have, and kept every negation (dropping a "not" says the
    opposite) but the one that is itself the hedge ("I'm not sure")."""
    after = text[:start] + replacement + text[end:]
    removed = text[start:end]
    negations_needed = len(NEGATION.findall(text))
    idiom = _UNSURE.search(removed) or re.search(
        r"if (?:I['’]?m|I am) not (?:mistaken|wrong)|(?:don['’]?t|wouldn['’]?t|do not) mind"
        r"|not too much|don['’]?t like to bother",
        removed,
        re.IGNORECASE,
    )
    if idiom:
        negations_needed -= len(NEGATION.findall(idiom.group(0)))
    return (
        len(_FRAGMENT.findall(after)) <= len(_FRAGMENT.findall(text))
        and len(NEGATION.findall(after)) >= negations_needed
        and after.strip() != ""
    )
