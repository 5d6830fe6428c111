"""When and how long to wait before sending a Kling request again.

Follows Kling's own advice (kling-api.md §4): exponential backoff from >= 1 s with full jitter
for rate limits (1302), the resource pack's concurrency limit (1303), server errors
(5000-5002, bare HTTP 5xx) and network failures; never for account, request or content errors
(1100-1103, 1200-1203, 1300-1301), which waiting cannot fix. A ``Retry-After`` header wins over
the computed delay. Token errors (1003/1004) are not "retried" here: the client re-mints the JWT
and sends once more, whatever the policy says.

Create calls are special and handled by the client: a failure where the request may have
reached the server is never retried blindly (see :class:`~.errors.CreateOutcomeUnknownError`).
"""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass, field

from kling_studio.backends.kling.errors import KlingError


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter.

    Attributes:
        max_attempts: total tries of one call, the first included.
        base_delay: the cap of the first backoff window (seconds).
        max_delay: the largest backoff window.
        max_retry_after: the longest ``Retry-After`` honoured (a server asking for more
            is capped, so a job never sleeps for hours on one header).
    """

    max_attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 30.0
    max_retry_after: float = 120.0
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def should_retry(self, error: KlingError, attempt: int) -> bool:
        """Whether to try again after ``error`` on try number ``attempt`` (1-based)."""
        return error.retryable and attempt < self.max_attempts

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after try ``attempt`` (1-based) failed."""
        if retry_after is not None and retry_after >= 0:
            return min(retry_after, self.max_retry_after)
        window = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return self.rng.uniform(0.0, window)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date), else None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))
