"""The job state machine, explicit: which state may follow which, and what each one means.

::

    queued ─► submitting ─► submitted ─► processing ─► succeeded ─► downloaded
                 │  ▲           └────────────┴─────────────┴──► failed
                 ▼  │
               unknown   (the create call may or may not have reached Kling)

    any non-terminal state ─► cancelled_locally ─► (Resume) queued | unknown

* ``queued``: journalled, waiting for a concurrency slot; nothing sent yet (or a refused
  create waits to be sent again).
* ``submitting``: journalled, the create POST is (about to be) on the wire.
* ``unknown``: the POST may have reached Kling; the next step asks Kling by external_task_id.
* ``submitted`` / ``processing``: Kling has the task; we poll it.
* ``succeeded``: Kling finished it; the file is not on disk yet.
* ``downloaded``: the video is on disk with its SHA-256 (terminal).
* ``failed``: Kling refused or failed the task, or no longer has it or its result (terminal).
* ``cancelled_locally``: the user stopped watching; Kling may still finish (and charge) it.
"""

from __future__ import annotations

from typing import Literal, get_args

JobState = Literal[
    "queued",
    "submitting",
    "unknown",
    "submitted",
    "processing",
    "succeeded",
    "downloaded",
    "failed",
    "cancelled_locally",
]
STATES: tuple[str, ...] = get_args(JobState)

_SERVER = ("submitted", "processing", "succeeded", "failed")

TRANSITIONS: dict[str, frozenset[str]] = {
    "queued": frozenset({"submitting", "cancelled_locally", "failed"}),
    "submitting": frozenset({"queued", "unknown", *_SERVER, "cancelled_locally"}),
    "unknown": frozenset({"submitting", *_SERVER, "cancelled_locally"}),
    "submitted": frozenset({"processing", "succeeded", "failed", "cancelled_locally"}),
    "processing": frozenset({"succeeded", "failed", "cancelled_locally"}),
    # failed: Kling no longer has the task or its result (older than 30 days).
    "succeeded": frozenset({"downloaded", "failed", "cancelled_locally"}),
    "downloaded": frozenset({"succeeded"}),  # the file was deleted: fetch it again
    "failed": frozenset(),
    "cancelled_locally": frozenset({"queued", "unknown"}),
}

TERMINAL = frozenset({"downloaded", "failed", "cancelled_locally"})
"""States a job rests in until the user acts (Resume revives ``cancelled_locally``)."""
ACTIVE = frozenset(STATES) - TERMINAL
"""States ``resume()`` picks up on start."""
NEVER_SENT = frozenset({"queued"})

SERVER_STATUS = {
    "submitted": "submitted",
    "processing": "processing",
    "succeed": "succeeded",
    "failed": "failed",
}
"""Kling's ``task_status`` -> our state (any other status counts as ``processing``)."""


class InvalidTransitionError(ValueError):
    """A state change the machine does not allow (a bug, never a user error)."""


def check_transition(old: str, new: str) -> None:
    """Raise :class:`InvalidTransitionError` unless ``old -> new`` is allowed."""
    if new not in STATES:
        raise InvalidTransitionError(f"unknown job state {new!r}")
    if new not in TRANSITIONS.get(old, frozenset()):
        raise InvalidTransitionError(f"a job cannot go from {old} to {new}")


def state_for_status(status: str) -> str:
    return SERVER_STATUS.get(status, "processing")
