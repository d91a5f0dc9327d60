"""Names shared across the package: principles, hedge categories, channels, limits."""

from __future__ import annotations

from typing import Final

PRINCIPLES: Final = ("knowledge", "intent", "empathy", "standing")

HEDGE_CATEGORIES: Final = (
    "hope",
    "soft_outcome",
    "epistemic",
    "attempt",
    "possibility",
    "deference",
)

CHANNELS: Final = ("email", "chat", "social")

MAX_TEXT_CHARS: Final = 20_000
"""The longest reply scored; longer text is refused with an error naming the limit."""

FEEDBACK_VERDICTS: Final = ("not_a_hedge", "useful")
"""What an agent can say about an underlined phrase (`POST /v1/feedback`)."""
