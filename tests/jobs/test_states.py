"""The job state machine: every allowed move, and the moves that must never happen."""

from __future__ import annotations

import itertools

import pytest

from kling_studio.jobs.states import (
    ACTIVE,
    STATES,
    TERMINAL,
    TRANSITIONS,
    InvalidTransitionError,
    check_transition,
    state_for_status,
)

HAPPY_PATH = ["queued", "submitting", "submitted", "processing", "succeeded", "downloaded"]


def test_the_happy_path_is_allowed_step_by_step() -> None:
    for old, new in itertools.pairwise(HAPPY_PATH):
        check_transition(old, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("queued", "submitted"),  # never skip the journalled "submitting" before a POST
        ("queued", "downloaded"),
        ("failed", "queued"),  # a failed job is retried as a *new* job
        ("downloaded", "failed"),
        ("processing", "submitted"),  # Kling never goes backwards
        ("succeeded", "processing"),
        ("cancelled_locally", "submitting"),  # revived jobs go through the queue or a lookup
        ("unknown", "queued"),  # an unknown outcome is resolved by asking, never by re-queueing
        ("queued", "bogus"),
    ],
)
def test_forbidden_moves_raise(old: str, new: str) -> None:
    with pytest.raises(InvalidTransitionError):
        check_transition(old, new)


def test_every_non_terminal_state_can_be_cancelled_and_terminal_ones_rest() -> None:
    for state in ACTIVE:
        check_transition(state, "cancelled_locally")
    assert {"downloaded", "failed", "cancelled_locally"} == TERMINAL
    assert TRANSITIONS["failed"] == frozenset()
    assert set(TRANSITIONS) == set(STATES)


def test_unknown_resolves_to_any_server_state_or_a_resend() -> None:
    for new in ("submitting", "submitted", "processing", "succeeded", "failed"):
        check_transition("unknown", new)


def test_kling_statuses_map_to_states() -> None:
    assert [state_for_status(s) for s in ("submitted", "processing", "succeed", "failed")] == [
        "submitted",
        "processing",
        "succeeded",
        "failed",
    ]
    assert state_for_status("queueing-new-status") == "processing"
