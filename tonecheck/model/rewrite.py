"""Confident rewrites that plan the clause a hedge sits in, not just the hedge's own span.

`plan_rewrite(text, start, end, entry, category, suggestion)` returns the edit to make:
the range of `text` to replace (often wider than the hedge: the verb after "try", the
comma before "if that's okay", the whole "I hope this helps!" sentence) and what goes
there, so that the reply reads as grammatical English after one click. Verb forms come
from LemmInflect's dictionary ("checking" -> "check"), not from suffix rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tonecheck.model.grammar import (
    SENTENCE_END,
    base_form,
    capitalise,
    present,
    reads_well,
    sentence_start,
    subject_is_plural,
)

_TRY = re.compile(r"\b(?:try|trying|tried|attempt)\b", re.IGNORECASE)
_KEEP_BEFORE_TRY = re.compile(
    r"^(?:(?:please|let['’]s|let us|I['’]ll|I will|we['’]ll|we will|I can|we can|I could|we could)\s+)+",
    re.IGNORECASE,
)
_SUBJECT_MODAL = re.compile(
    r"^(?:(?:you|you['’]d|you['’]ll|we|I)\s+)?(?:could|can|might|may|should|would|want to|need to|may want to|might want to)?\s*(?:also |maybe |perhaps |just )?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Rewrite:
    """Replace `text[start:end]` with `replacement`; offsets count code points."""

    start: int
    end: int
    replacement: str

    def apply(self, text: str) -> str:
        return text[: self.start] + self.replacement + text[self.end :]

    def preview(self, text: str) -> str:
        """The sentence the edit lands in, as it reads after the edit (what the card shows)."""
        edited = self.apply(text)
        cut = self.start + len(self.replacement)
        begin = max((m.end() for m in SENTENCE_END.finditer(edited, 0, self.start)), default=0)
        end = SENTENCE_END.search(edited, max(cut, begin))
        return edited[begin : end.end() if end else len(edited)].strip()


def _back_over(text: str, index: int, chars: str) -> int:
    """`index` moved back over any of `chars` just before it."""
    while index > 0 and text[index - 1] in chars:
        index -= 1
    return index


def _sentence_case(text: str, start: int, replacement: str) -> str:
    """`replacement` with a capital when it will open a sentence at `start`."""
    if replacement and sentence_start(text, start):
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _delete(text: str, start: int, end: int) -> Rewrite:
    """Take a phrase out with its comma, and the sentence with it when nothing else is left."""
    # the whole sentence is the hedge ("I hope this helps!"): drop it and the space before
    at_start = sentence_start(text, start)
    after = text[end:]
    if at_start and re.search(r"[.!?]$", text[start:end]):
        stop = end
        while stop < len(text) and text[stop] in " \t":
            stop += 1
        return Rewrite(start, stop, "")
    rest_of_sentence = re.match(r"[\s,]*(?:[.!?]+|$|\n)", after)
    if at_start and rest_of_sentence:
        stop = end + rest_of_sentence.end()
        if stop < len(text) and text[stop - 1 : stop] == "\n":
            stop -= 1
        begin = _back_over(text, start, " \t")
        if begin == 0:
            while stop < len(text) and text[stop] in " \t":
                stop += 1
        return Rewrite(begin, stop, "")
    # "... and see if that helps." -> "...": the sentence keeps its full stop
    trailing = re.search(r"[.!?]+$", text[start:end])
    if trailing:
        begin = start
        joined = re.search(r"(?:\b(?:to|and|then)|,)\s*$", text[:start])
        if re.match(r"see\b", text[start:end], re.IGNORECASE) and joined:
            begin = joined.start()
        return Rewrite(_back_over(text, begin, " \t,"), end, trailing.group(0))
    # ", if that's okay." -> "."
    if re.match(r"\s*[.!?]", after) or not after.strip():
        return Rewrite(_back_over(text, start, " \t,"), end, "")
    # "Hopefully, the ..." / "Maybe the ..." at a sentence start
    stop = end
    while stop < len(text) and text[stop] in " \t,":
        stop += 1
    joiner = re.match(r"(?:but|and|so|that)\s+", text[stop:], re.IGNORECASE)
    if at_start and joiner:
        # "I hope you don't mind, but I've ..." / "I'm confident that the ..." -> "I've ..."
        stop += joiner.end()
    if at_start:
        following = text[stop:]
        fixed = capitalise(following, 0)
        return Rewrite(start, stop + 1, fixed[:1]) if following else Rewrite(start, stop, "")
    # "(hopefully)" goes with its brackets
    if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
        return Rewrite(_back_over(text, start - 1, " \t"), end + 1, "")
    # "and, if all goes to plan, the" -> "and the"
    if text[start:end].endswith(",") and text[:start].rstrip().endswith(","):
        begin = len(text[:start].rstrip()) - 1
        return Rewrite(begin, stop, " ")
    # "... is fixed 🤞 Let me know": the sentence keeps an end
    if re.match(r"\s+[A-Z]", text[end:]) and text[:start].rstrip()[-1:].isalnum():
        begin = len(text[:start].rstrip())
        return Rewrite(begin, end, ".")
    if not text[end:].strip() and text[:start].rstrip()[-1:].isalnum():
        begin = len(text[:start].rstrip())
        return Rewrite(begin, end, ".")
    # mid-sentence: ", probably, " -> " "; " maybe " -> " "
    begin = _back_over(text, start, " \t")
    if begin > 0 and text[begin - 1] == "," and text[end : end + 1] == ",":
        begin -= 1
    return Rewrite(begin, stop, " " if begin > 0 and stop < len(text) else "")


def _attempt(text: str, start: int, end: int) -> Rewrite | None:
    """ "You could try checking X" -> "Check X"; "Please try restarting" -> "Please restart";
    "I'll try and get" -> "I'll get"; "try to reinstall" -> "reinstall"."""
    span = text[start:end]
    found = _TRY.search(span)
    if found is None:
        return None
    lead = span[: found.start()]
    kept = _KEEP_BEFORE_TRY.match(lead)
    keep = kept.group(0) if kept else ""
    if not kept and not _SUBJECT_MODAL.fullmatch(lead):
        keep = lead
    after_modal = re.search(r"\b(?:could|can|would|will)\s+$", text[:start], re.IGNORECASE)
    if (
        not kept
        and re.match(r"you\b", lead, re.IGNORECASE)
        and not sentence_start(text, start)
        and not after_modal
    ):
        return None
    # "Could you try restarting" -> "Could you restart": the question keeps its subject
    if after_modal and re.match(r"you\b", lead, re.IGNORECASE):
        keep = lead[:3] + " "
    tail = text[start + found.end() :]
    verb = re.match(r"(\s+(?:to|and)\s+|\s+)(?:(?:also|just)\s+)?([A-Za-z]+)", tail)
    if verb is None:
        return None
    word = verb.group(2)
    if word.lower() == "again":
        return None
    if word.lower() in {
        "the",
        "a",
        "an",
        "your",
        "our",
        "my",
        "this",
        "that",
        "these",
        "those",
        "it",
    }:
        # "Try the web version" -> "Use the web version": try + a thing means use it
        return Rewrite(start, start + found.end(), _sentence_case(text, start, keep + "use"))
    stop = start + found.end() + verb.end()
    base = base_form(word) if word.lower().endswith("ing") or verb.group(1).strip() else word
    if not base.isalpha():
        return None
    replacement = _sentence_case(text, start, keep + base)
    # "restarting the app and sending the voucher" -> "restart the app and send the voucher"
    clause = re.match(r"[^.!?;\n]*", text[stop:])
    tail = clause.group(0) if clause else ""
    coordinated = re.search(r"\b(and|or|then)\s+([A-Za-z]+ing)\b", tail)
    if word.lower().endswith("ing") and coordinated:
        second = base_form(coordinated.group(2))
        cut = stop + coordinated.end()
        replacement += text[stop : stop + coordinated.start(2)] + second
        stop = cut
    return Rewrite(start, stop, replacement)


_MODAL = re.compile(
    r"^(?P<lead>.*?)\b(?P<modal>should(?:n['’]?t)?|ought to|would|could|can|may|might|might['’]ve|should['’]ve)"
    r"(?P<adverb>(?: now| then| also| still| sometimes| just| well| possibly| hopefully| really| probably)*)"
    r"(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)


def _modal(text: str, start: int, end: int, category: str, suggestion: str) -> Rewrite | None:
    """Rewrite the modal the hedge rests on, keeping its verb and the subject's agreement:
    "should be able to" -> "can", "shouldn't affect" -> "won't affect", "should fix" ->
    "will fix", "may sometimes log you out" -> "sometimes logs you out"."""
    span = text[start:end]
    found = _MODAL.match(span)
    if found is None:
        return None
    lead, modal, adverb = found.group("lead"), found.group("modal").lower(), found.group("adverb")
    rest = found.group("rest")
    # the verb after the span when the span ends on the modal ("should" alone)
    stop = end
    if not rest.strip():
        after = re.match(r"\s+(?:not\s+)?[A-Za-z]+", text[end:])
        if after is None:
            return None
        stop = end + after.end()
        rest = after.group(0)
    apostrophe = "’" if "’" in modal else "'"
    adverb = "".join(
        f" {a}"
        for a in adverb.split()
        if a in {"now", "then", "also", "still", "sometimes", "just"}
    )
    able = re.match(r"\s+be able to\b", rest)
    if able:
        body = "can" + adverb + rest[able.end() :]
    elif modal.startswith("shouldn"):
        body = f"won{apostrophe}t" + adverb + rest
    elif modal in {"should", "ought to", "would"} or category == "soft_outcome":
        body = "will" + adverb + rest
    else:
        # possibility: "may/might/could (sometimes) VERB" -> the plain present tense
        verb = re.match(r"\s+([A-Za-z]+)", rest)
        if verb is None or modal.endswith("ve"):
            return None
        plural = subject_is_plural(text, start + len(lead))
        adverbs = " ".join(a for a in adverb.split() if a in {"sometimes", "also", "still", "now"})
        if verb.group(1).lower() == "not":
            following = re.match(r"\s+not\s+([A-Za-z]+)", rest)
            if following is None:
                return None
            if following.group(1).lower() == "be":
                body = ("aren't " if plural else "isn't ") + rest[following.end() :].lstrip()
            else:
                body = (
                    ("don't " if plural else "doesn't ")
                    + following.group(1)
                    + rest[following.end() :]
                )
            return Rewrite(start, stop, _sentence_case(text, start, lead + body))
        verb_now = present(verb.group(1), plural)
        body = (" " + adverbs if adverbs else "") + " " + verb_now + rest[verb.end() :]
        return Rewrite(start, stop, _sentence_case(text, start, lead + body.lstrip()))
    replacement = lead + body
    if body.startswith("will") and re.search(r"\b(?:you|we|I|they)\s$", lead, re.IGNORECASE):
        replacement = lead.rstrip() + "'ll" + body[4:]
    if span[:1].isupper():
        replacement = replacement[:1].upper() + replacement[1:]
    return Rewrite(start, stop, replacement)


_WH = {"which", "what", "when", "where", "why", "who", "how", "whether", "if"}


def _will_find_out(text: str, start: int, end: int, suggestion: str) -> Rewrite:
    """ "I'm honestly not sure which firmware ..." -> "I'll confirm which firmware ...";
    "I'm not 100% sure the voucher stacks" -> "I'll confirm whether the voucher stacks"."""
    before = re.search(
        r"(?:\b(?:I['’]m|I am|we['’]re|we are)|\b[\w ]{0,30}\b(?:is|are))(?:\s+\w+ly)?\s+$",
        text[:start],
    )
    begin = (
        before.start() if before and re.search(r"\b(?:I|we)\b", before.group(0), re.I) else start
    )
    stop = end
    sure = re.match(r"\s+(?:sure|certain)\b", text[stop:])
    if sure:
        stop += sure.end()
    following = re.match(r"\s+(?:(?:of|about|on)\s+)?([A-Za-z]+)", text[stop:])
    joiner = ""
    if following and following.group(1).lower() not in _WH and following.group(1).lower() != "that":
        joiner = " whether"
    if following and following.group(1).lower() == "that":
        stop += following.start(1) + len("that")
        joiner = " whether"
    replacement = suggestion + joiner
    if begin == start and not sentence_start(text, start):
        return Rewrite(start, stop, replacement)
    return Rewrite(begin, stop, replacement)


def _modal_substitute(text: str, start: int, end: int, suggestion: str) -> Rewrite:
    """Replace the span with the suggestion, keeping its capital and the words it leaves:
    "We're hoping to ship" -> "We will ship"; "Would you mind sending" -> "Please send"."""
    if suggestion.startswith(("I'll", "I’ll")):
        return _will_find_out(text, start, end, suggestion)
    subject = re.match(
        r"(I|we|you|they)(?:['’]re|['’]m| are| am)\b", text[start:end], re.IGNORECASE
    )
    if subject and suggestion.split(" ")[0] in {"will", "can", "won't"}:
        return Rewrite(start, end, f"{subject.group(1)} {suggestion}")
    gerund = re.match(r"\s+([A-Za-z]+ing)\b", text[end:])
    if suggestion.lower() == "please" and gerund:
        replacement = "Please" if text[start : start + 1].isupper() else "please"
        return Rewrite(start, end + gerund.end(), f"{replacement} {base_form(gerund.group(1))}")
    replacement = suggestion
    if text[start : start + 1].isupper() and replacement:
        replacement = replacement[:1].upper() + replacement[1:]
    return Rewrite(start, end, replacement)


_PERMISSION_QUESTION = re.compile(
    r"^(?:is it|would it be|would that be|is that)\s+(?:okay|ok|alright|all right|fine|possible)"
    r"(?:\s+(?:for|with)\s+you)?\s+(?:if\s+)?(?P<who>I|we)\s+(?P<verb>[A-Za-z]+)",
    re.IGNORECASE,
)


def _as_statement(text: str, planned: Rewrite) -> Rewrite:
    """A question that only asked leave ("Would you mind ...?") ends with a full stop once
    the asking is gone."""
    edited = planned.apply(text)
    cut = planned.start + len(planned.replacement)
    end = SENTENCE_END.search(edited, cut)
    if end is None or edited[end.start()] != "?":
        return planned
    original_mark = end.start() - len(planned.replacement) + (planned.end - planned.start)
    if text[original_mark : original_mark + 1] != "?":
        return planned
    return Rewrite(
        planned.start,
        original_mark + 1,
        planned.replacement + text[planned.end : original_mark] + ".",
    )


def _permission(text: str, start: int, end: int) -> Rewrite | None:
    """ "Is it okay if I put you on hold?" -> "I'll put you on hold." """
    found = _PERMISSION_QUESTION.match(text[start:])
    if found is None:
        return None
    who = "I" if found.group("who").lower() == "i" else "We"
    planned = Rewrite(start, start + found.end(), f"{who}'ll {base_form(found.group('verb'))}")
    return _as_statement(text, planned)


_NEGATED = re.compile(
    r"\b(?:don['’]?t|do not|doesn['’]?t|does not)\s+(?:think|believe|expect|imagine|reckon)\b",
    re.IGNORECASE,
)


def plan_rewrite(text: str, start: int, end: int, category: str, suggestion: str) -> Rewrite | None:
    """The edit that makes the hedge at `text[start:end]` confident, as grammatical English;
    None when no edit is safe (deleting "I don't think" would say the opposite, and a
    rewrite that reads badly is worse than none: the agent still sees the hedge)."""
    if _NEGATED.search(text[start:end]):
        return None
    planned = _plan(text, start, end, category, suggestion)
    if planned is None or not reads_well(text, planned.start, planned.end, planned.replacement):
        return None
    return planned


_HOPE_CLAUSE = re.compile(
    r"^(?:I|we)(?: really| do| truly| still)? hope(?: that)? (?P<rest>(?!(?:this|that|it) (?:helps|helped|works|clears|answers))\w.*)$",
    re.IGNORECASE | re.DOTALL,
)


def _hope(text: str, start: int, end: int) -> Rewrite | None:
    """ "We hope this resolves the issue, and ..." -> "This resolves the issue, and ..."."""
    found = _HOPE_CLAUSE.match(text[start:end])
    if found is None:
        return None
    rest = found.group("rest")
    if re.match(
        r"(?:that |this |it )?(?:helps|helped|works|clears|answers)\b", rest, re.IGNORECASE
    ):
        return None
    return Rewrite(start, end, _sentence_case(text, start, rest))


def _plan(text: str, start: int, end: int, category: str, suggestion: str) -> Rewrite | None:
    if category == "hope":
        planned = _hope(text, start, end)
        if planned is not None:
            return planned
    if category == "deference":
        planned = _permission(text, start, end)
        if planned is not None:
            return planned
        base = (
            _delete(text, start, end)
            if suggestion == ""
            else _modal_substitute(text, start, end, suggestion)
        )
        asked = re.match(r"(?:would|could|can|may|is|will)\b", text[start:end], re.IGNORECASE)
        at_end = re.search(r"\?\s*$", text[start:end])
        if at_end and base.replacement == "?":
            return Rewrite(base.start, base.end, ".")
        return _as_statement(text, base) if asked else base
    if category == "attempt":
        planned = _attempt(text, start, end)
        if planned is not None:
            return planned
    seeming = re.fullmatch(r"(?:seems|appears|seem|appear) to", text[start:end], re.IGNORECASE)
    following = re.match(r"\s+([A-Za-z]+)", text[end:])
    if category == "epistemic" and seeming and following:
        # "The sync appears to have stopped" -> "The sync has stopped"
        plural = subject_is_plural(text, start)
        verb = present(following.group(1), plural)
        return Rewrite(start, end + following.end(), verb)
    if category in {"soft_outcome", "possibility"}:
        planned = _modal(text, start, end, category, suggestion)
        if planned is not None:
            return planned
    if suggestion == "":
        return _delete(text, start, end)
    return _modal_substitute(text, start, end, suggestion)
