"""The simulator's task store: thread-safe, with each task's status driven by the wall clock.

A task is ``submitted`` for ``timeline[0]`` seconds, ``processing`` for ``timeline[1]`` more,
then ``failed`` (injected failure or render error) or ``succeed`` — but only once its video file
exists, so a client never gets a URL it cannot download.
"""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from kling_studio.backends.simulator.render import RenderInfo

Status = Literal["submitted", "processing", "succeed", "failed"]
RenderState = Literal["pending", "running", "done", "error"]

# Twitter-style snowflakes: milliseconds since this epoch, then a 22-bit sequence. Gives
# 18-19 digit decimal ids like Kling's (which clients must keep as strings).
_EPOCH_MS = 1_288_834_974_657
_sequence = itertools.count()
_id_lock = threading.Lock()


def snowflake() -> str:
    with _id_lock:
        return str(((int(time.time() * 1000) - _EPOCH_MS) << 22) | (next(_sequence) & 0x3FFFFF))


@dataclass(frozen=True)
class RenderPlan:
    """What the result video shows: (prompt, seconds) per shot and the output format."""

    shots: tuple[tuple[str, int], ...]
    aspect_ratio: str
    mode: str
    sound: bool
    watermark: bool


@dataclass
class Task:
    """One created task. Fields after ``fail_message`` change while the task runs."""

    task_id: str
    endpoint: str
    external_task_id: str | None
    body: dict[str, Any]
    model_name: str
    units: str
    plan: RenderPlan
    created_ms: int
    created_at: float  # time.monotonic() at creation
    timeline: tuple[float, float]
    fail_message: str | None = None
    token: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    video_id: str = field(default_factory=snowflake)
    render_state: RenderState = "pending"
    render_info: RenderInfo | None = None
    render_error: str | None = None
    rendered_at: float | None = None

    @property
    def needs_render(self) -> bool:
        return self.fail_message is None

    def due(self, now: float) -> bool:
        """Whether the task has entered ``processing`` (when its render starts)."""
        return now - self.created_at >= self.timeline[0]

    def status(self, now: float) -> tuple[Status, str, float]:
        """(status, task_status_msg, seconds after creation of the last status change)."""
        queued, working = self.timeline
        elapsed = now - self.created_at
        if elapsed < queued:
            return "submitted", "", 0.0
        finish = queued + working
        if elapsed >= finish:
            if self.fail_message is not None:
                return "failed", self.fail_message, finish
            if self.render_state == "error":
                return "failed", self.render_error or "render failed", finish
            if self.render_state == "done" and self.rendered_at is not None:
                return "succeed", "", max(finish, self.rendered_at - self.created_at)
        return "processing", "", queued

    def snapshot(self, now: float) -> dict[str, Any]:
        """A plain-dict view (what ``SimulatorServer.tasks()`` returns)."""
        status, message, _ = self.status(now)
        return {
            "task_id": self.task_id,
            "external_task_id": self.external_task_id,
            "endpoint": self.endpoint,
            "model_name": self.model_name,
            "body": self.body,
            "status": status,
            "status_msg": message,
            "units": self.units,
            "created_at": self.created_ms,
            "shots": [list(s) for s in self.plan.shots],
            "mode": self.plan.mode,
            "aspect_ratio": self.plan.aspect_ratio,
            "sound": self.plan.sound,
            "render": self.render_state,
        }


class DuplicateExternalIdError(Exception):
    """``external_task_id`` was already used by a task of this account."""


class TaskStore:
    """All tasks of one simulator, guarded by one lock."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._tasks: dict[str, Task] = {}
        self._by_external: dict[str, str] = {}

    def add(self, task: Task) -> None:
        with self.lock:
            ext = task.external_task_id
            if ext is not None and ext in self._by_external:
                raise DuplicateExternalIdError(ext)
            self._tasks[task.task_id] = task
            if ext is not None:
                self._by_external[ext] = task.task_id

    def find(self, endpoint: str, ident: str) -> Task | None:
        """The task with ``task_id`` or ``external_task_id`` ``ident`` created on ``endpoint``."""
        with self.lock:
            task = self._tasks.get(ident) or self._tasks.get(self._by_external.get(ident, ""))
            return task if task is not None and task.endpoint == endpoint else None

    def get(self, task_id: str) -> Task | None:
        with self.lock:
            return self._tasks.get(task_id)

    def page(self, endpoint: str, page: int, size: int) -> list[Task]:
        """Tasks of ``endpoint``, newest first, ``page`` counted from 1."""
        with self.lock:
            tasks = [t for t in self._tasks.values() if t.endpoint == endpoint]
        tasks.sort(key=lambda t: (t.created_at, int(t.task_id)), reverse=True)
        return tasks[(page - 1) * size : page * size]

    def all(self) -> list[Task]:
        with self.lock:
            return sorted(self._tasks.values(), key=lambda t: t.created_at)

    def count_external(self, external_task_id: str) -> int:
        with self.lock:
            return sum(1 for t in self._tasks.values() if t.external_task_id == external_task_id)
