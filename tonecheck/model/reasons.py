"""Why a phrase moved a score, in the words an agent reads on the badge: never log-odds."""

from __future__ import annotations

from typing import Final

PRINCIPLE_NAMES: Final = {
    "knowledge": "Knowledge",
    "intent": "Intent",
    "empathy": "Empathy",
    "standing": "Standing",
}
HEDGE_WORDS: Final = {
    "hope": "hopes instead of stating the outcome",
    "soft_outcome": "leaves room for it not to work",
    "epistemic": "makes the answer sound unsure",
    "attempt": "asks the customer to try instead of saying what to do",
    "possibility": "guesses at the cause",
    "deference": "asks permission to help",
}
CUE_WORDS: Final = {
    "numbers": "gives a concrete number",
    "urls": "points to a link",
    "steps": "lays out the steps",
    "code": "names the exact setting or code",
    "owned_action": "says what you did or will do",
    "timeframe": "says when",
    "acknowledge": "acknowledges what the customer said",
    "apology": "apologises",
    "generic_apology": "uses a stock apology",
    "deflection": "sends the customer elsewhere",
    "blame": "puts the blame on someone",
    "anything_else": "ends on a stock offer of more help",
    "dm_request": "moves the conversation to a private message",
    "questions": "asks a question",
    "exclaims": "uses an exclamation mark",
    "bravado": "promises more than anyone can know",
    "permission_ask": "asks permission",
    "specific_ask": "asks for the exact detail needed",
    "sorry_specific": "apologises for this customer's problem",
    "feeling": "names the customer's feeling",
    "named_greeting": "greets the customer by name",
    "closing": "closes warmly",
}


def explain_in_words(phrase: str, kind: str, effect: float, principle: str) -> str:
    """ "“I think” makes the answer sound unsure: lowers Standing"; "“by Friday” says when:
    raises Intent"; for plain words, which way they moved the score."""
    direction = "raises" if effect > 0 else "lowers"
    name = PRINCIPLE_NAMES[principle]
    source, _, detail = kind.partition(":")
    if source == "hedge":
        return f"“{phrase}” {HEDGE_WORDS[detail]}: lowers {name}"
    if source == "cue" and detail in CUE_WORDS:
        return f"“{phrase}” {CUE_WORDS[detail]}: {direction} {name}"
    return f"“{phrase}” {direction} {name}"
