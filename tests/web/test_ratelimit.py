"""The public survey page's rate limit: fixed windows per key, bounded memory."""

from __future__ import annotations

from web.ratelimit import RateLimiter


def test_window_limits_then_resets_and_keys_are_separate() -> None:
    now = [0.0]
    limiter = RateLimiter(3, 60, clock=lambda: now[0])
    assert [limiter.allow("ip:a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("ip:b")  # another address has its own window
    now[0] = 59.9
    assert not limiter.allow("ip:a")
    now[0] = 60.0
    assert limiter.allow("ip:a")  # a new window


def test_memory_is_bounded_to_the_most_recent_keys() -> None:
    limiter = RateLimiter(1, 60, max_keys=2, clock=lambda: 0.0)
    for key in ("a", "b", "c"):
        assert limiter.allow(key)
    assert len(limiter._hits) == 2 and "a" not in limiter._hits
    assert not limiter.allow("c") and limiter.allow("a")  # "a" was forgotten: it starts again
