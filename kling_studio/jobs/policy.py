"""How often the runner asks Kling about a job, and when it stops trying for now."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class PollPolicy:
    """How often to ask Kling, and when to stop trying for this session.

    Attributes:
        initial: first wait before asking about a new task (seconds).
        factor: each wait is this much longer than the previous one...
        maximum: ...up to this.
        max_errors: consecutive failed queries before we stop watching (the job stays
            resumable).
        requeue_delay: wait before re-sending a create Kling refused as "too many / too fast"
            (1302/1303) after the client's own retries.
        max_requeues: how often a never-accepted create is re-sent before the job fails.
        jitter: each wait varies randomly by this fraction, so jobs submitted together do not
            all poll at the same instant.
    """

    initial: float = 1.0
    factor: float = 1.5
    maximum: float = 15.0
    max_errors: int = 20
    requeue_delay: float = 15.0
    max_requeues: int = 40
    jitter: float = 0.2

    def wait(self, delay: float) -> float:
        return delay * random.uniform(1.0 - self.jitter, 1.0 + self.jitter)
