"""A token bucket per API token: `rate` requests per second sustained, bursts up to `rate`."""

from __future__ import annotations

import math
import time

from tonecheck.server.errors import ApiError


class RateLimiter:
    def __init__(self, rate: float) -> None:
        self.rate = rate
        self._buckets: dict[str, tuple[float, float]] = {}

    def hit(self, key: str) -> None:
        """Spend one request for `key`; raises a 429 ApiError when its bucket is empty."""
        if self.rate <= 0:
            return
        now = time.monotonic()
        tokens, last = self._buckets.get(key, (self.rate, now))
        tokens = min(self.rate, tokens + (now - last) * self.rate)
        if tokens < 1.0:
            wait = math.ceil((1.0 - tokens) / self.rate)
            self._buckets[key] = (tokens, now)
            raise ApiError(
                429,
                "rate_limited",
                f"more than {self.rate:g} requests per second for this token; retry in {wait} s",
                {"Retry-After": str(wait)},
            )
        self._buckets[key] = (tokens - 1.0, now)
