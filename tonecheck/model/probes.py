"""Probe replies every model version must score before it may serve.

A version that loads but cannot score (a weight gone NaN), or that no longer finds
the hedges any model must find, would otherwise be swapped in and answer every
check with an error, or with nothing underlined, while health says "ok".
"""

from __future__ import annotations

from typing import Final

import numpy as np

from tonecheck.model.scorer import ToneModel

# (reply, whether it holds a hedge every model must find); written for this check.
PROBES: Final = (
    ("I think the replacement should arrive by Friday, hopefully.", True),
    ("You could try restarting the router and see if that helps.", True),
    ("I hope this helps! Maybe clear the app's cache first.", True),
    ("I've refunded the $30 today; it reaches your card within 5 business days.", False),
    ("Thanks for waiting, Sam. Your new card is on its way by tracked post.", False),
)


class ProbeFailure(ValueError):
    """A model version that must not serve; the message says which probe failed and how."""


def check_model(model: ToneModel) -> None:
    """Raise `ProbeFailure` unless every probe scores finitely and hedges are found where
    they must be."""
    texts = [text for text, _ in PROBES]
    probabilities = model.predict_proba(texts)
    if not np.isfinite(probabilities).all():
        row = int(np.argwhere(~np.isfinite(probabilities))[0][0])
        raise ProbeFailure(f"scores the probe reply {texts[row]!r} as not a number")
    for text, must_hedge in PROBES:
        if must_hedge and not model.detector.find_hedges(text, rewrites=False):
            raise ProbeFailure(f"finds no hedge in the probe reply {text!r}")
