"""A small in-process rate limit for the public survey page (the only page anyone may open without signing in).

Fixed windows per key ("ip:…", "token:…"), bounded memory (the least recently seen keys are dropped). In process on
purpose: counting in the database would write for every forged or reused link, and a refused link must write
nothing. With N API replicas a client gets up to N × the limit; that only dampens abuse — the real guards are the
signature, the expiry and the single use, which live in the token, the database and the survey process.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class RateLimiter:
    """`allow(key)` is False once `limit` hits fell in the key's current window of `window` seconds."""

    def __init__(
        self, limit: int, window: float, *, max_keys: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit, self.window, self.max_keys, self._clock = limit, window, max_keys, clock
        self._hits: OrderedDict[str, tuple[float, int]] = OrderedDict()

    def allow(self, key: str) -> bool:
        now = self._clock()
        start, count = self._hits.pop(key, (now, 0))
        if now - start >= self.window:
            start, count = now, 0
        count += 1
        self._hits[key] = (start, count)
        while len(self._hits) > self.max_keys:
            self._hits.popitem(last=False)
        return count <= self.limit
