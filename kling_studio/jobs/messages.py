"""The sentences a user reads about a job (events, ledger history, CLI output)."""

from __future__ import annotations

from kling_studio.backends.kling.models import TaskInfo
from kling_studio.jobs.events import EventKind
from kling_studio.jobs.ledger import JobRow

KIND: dict[str, EventKind] = {
    "queued": "queued",
    "submitted": "submitted",
    "downloaded": "downloaded",
    "failed": "failed",
    "cancelled_locally": "cancelled",
}
"""Event kind of a transition into each state (other states: ``status``)."""

CANCEL_MESSAGE = (
    "Stopped watching. Kling has no cancel: the server may still finish and charge this job; "
    "Resume can still fetch the result."
)
CANCEL_QUEUED_MESSAGE = "Removed from the queue before it was sent; nothing will be charged."


def lost_message(row: JobRow) -> str:
    if row.provider == "simulator":
        return (
            "The simulator no longer knows this task: a simulator forgets its tasks when it "
            "stops. Use Retry as new to generate it again (the simulator is free)."
        )
    return (
        "Kling no longer knows this task (Kling deletes tasks and results after 30 days). "
        "Use Retry as new to generate it again."
    )


def status_message(state: str, info: TaskInfo) -> str:
    if state == "submitted":
        return f"Kling accepted the job (task {info.task_id})."
    if state == "processing":
        return "Kling is generating the video."
    if state == "succeeded":
        charged = (
            f" Charged {info.final_unit_deduction} units." if info.final_unit_deduction else ""
        )
        return f"Kling finished the video.{charged}"
    if state == "failed":
        reason = info.status_msg or "no reason given"
        return f"Kling could not generate the video: {reason}."
    return info.status
