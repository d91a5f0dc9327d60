"""One draft scored for /v1/check: the answer body with UTF-16 offsets, and what is stored."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from tonecheck.model.scorer import ToneModel
from tonecheck.server.offsets import OffsetMap


@dataclass(frozen=True)
class Scored:
    """One draft's answer: the JSON body (offsets in UTF-16 units) and what storage keeps.

    The body is encoded where the draft was scored, so the serving process only
    passes bytes on.
    """

    body: bytes
    scores: dict[str, int | None]
    overall: int | None
    hedges: list[tuple[str, str]]
    took_ms: float


def score_for_api(model: ToneModel, text: str) -> Scored:
    """Score `text` and convert every offset to UTF-16 code units; raises TextTooLong."""
    began = time.perf_counter()
    result = model.score(text)
    payload = result.as_json()
    offsets = OffsetMap(text)
    if not offsets.simple:
        spans = [*payload["hedges"], *(e for xs in payload["explanations"].values() for e in xs)]
        spans += [h["rewrite"] for h in payload["hedges"] if h["rewrite"]]
        for item in spans:
            item["start"], item["end"] = (
                offsets.to_utf16(item["start"]),
                offsets.to_utf16(item["end"]),
            )
    return Scored(
        json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(),
        dict(result.scores),
        result.overall,
        [(h.text, h.category) for h in result.hedges],
        round((time.perf_counter() - began) * 1000, 2),
    )
