"""Names and type aliases shared across the model package."""

from __future__ import annotations

from typing import Final, Literal, TypeAlias

PRINCIPLES: Final = ("knowledge", "intent", "empathy", "standing")
Principle: TypeAlias = Literal["knowledge", "intent", "empathy", "standing"]

HEDGE_CATEGORIES: Final = (
    "hope",
    "soft_outcome",
    "epistemic",
    "attempt",
    "possibility",
    "deference",
)
HedgeCategory: TypeAlias = Literal[
    "hope", "soft_outcome", "epistemic", "attempt", "possibility", "deference"
]

CHANNELS: Final = ("email", "chat", "social")

MAX_TEXT_CHARS: Final = 20_000
"""The longest reply scored; longer text is refused with an error naming the limit."""

JSONValue: TypeAlias = "bool | int | float | str | list[JSONValue] | dict[str, JSONValue] | None"
JSONObject: TypeAlias = dict[str, "JSONValue"]
