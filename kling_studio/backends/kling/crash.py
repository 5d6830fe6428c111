"""Test hook: let the process die at a named point, to prove crash recovery.

When the environment variable ``KLING_STUDIO_CRASHPOINT`` names a point, the process SIGKILLs
itself there (no cleanup, no ``finally``: exactly what a power cut or ``kill -9`` does). Points:

* ``after_journal`` — the job's ledger row is committed, the create POST not yet sent;
* ``after_post_sent`` — the create request's bytes are sent, its response not yet read;
* ``polling`` — a status reply was received and recorded;
* ``downloading`` — part of the result file is on disk.

The variable is read at every call so a test can set it for one subprocess only. It has no
effect when unset, which is always the case outside the test-suite.
"""

from __future__ import annotations

import os
import signal

CRASHPOINT_ENV = "KLING_STUDIO_CRASHPOINT"
POINTS = frozenset({"after_journal", "after_post_sent", "polling", "downloading"})


def crashpoint(name: str) -> None:
    """SIGKILL this process if ``KLING_STUDIO_CRASHPOINT`` equals ``name`` (test hook)."""
    if os.environ.get(CRASHPOINT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
