"""Offsets between the model (Python code points) and the API (UTF-16 code units).

JavaScript string indices count UTF-16 code units: a character outside the
Basic Multilingual Plane (most emoji) is one code point but two code units.
"""

from __future__ import annotations

from itertools import accumulate


class OffsetError(ValueError):
    """A UTF-16 offset that falls inside a surrogate pair or outside the text."""


class OffsetMap:
    """Converts offsets into one text in both directions."""

    def __init__(self, text: str) -> None:
        self.text = text
        # True when every character is one UTF-16 unit, so both kinds of offset agree.
        self.simple = not text or max(text) < "\U00010000"
        # _units[i] is the UTF-16 offset of code point i; one more entry for the end.
        self._units: list[int] = (
            [] if self.simple else [0, *accumulate(2 if ord(c) > 0xFFFF else 1 for c in text)]
        )

    def to_utf16(self, index: int) -> int:
        return index if self.simple else self._units[index]

    def from_utf16(self, unit: int) -> int:
        length = len(self.text) if self.simple else self._units[-1]
        if not 0 <= unit <= length:
            raise OffsetError(f"offset {unit} is outside the text (0..{length} UTF-16 units)")
        if self.simple:
            return unit
        from bisect import bisect_left

        index = bisect_left(self._units, unit)
        if self._units[index] != unit:
            raise OffsetError(f"offset {unit} falls inside a surrogate pair")
        return index


def utf16_length(text: str) -> int:
    return len(text) + sum(ord(c) > 0xFFFF for c in text)
