"""Background rendering: a task's video is rendered when the task enters ``processing``.

A scheduler thread starts renders as tasks become due; a query that finds a due task not yet
started starts it too, so results never wait on the scheduler's tick. Renders run on a small
thread pool (libx264 has its own threads; two renders at once keep a 2-core machine busy without
starving the HTTP threads).
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kling_studio.backends.simulator.render import RenderCancelledError, render_storyboard_video
from kling_studio.backends.simulator.state import Task, TaskStore

log = logging.getLogger(__name__)

WATERMARK_TEXT = "KLING · SIMULATED"
_TICK = 0.05


def result_path(data_dir: Path, task_id: str, *, watermarked: bool = False) -> Path:
    return data_dir / (f"{task_id}-wm.mp4" if watermarked else f"{task_id}.mp4")


class RenderWorker:
    """Renders due tasks of ``store`` into ``data_dir``."""

    def __init__(self, store: TaskStore, data_dir: Path, *, draft: bool) -> None:
        self._store = store
        self.data_dir = data_dir
        self._draft = draft
        self._cancel = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sim-render")
        self._thread = threading.Thread(target=self._run, name="sim-scheduler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Cancel running renders (they leave no file) and wait for the threads to end."""
        self._cancel.set()
        if self._thread.is_alive():
            self._thread.join()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def ensure(self, task: Task) -> None:
        """Start rendering ``task`` if it is due and not started (idempotent, thread-safe)."""
        with self._store.lock:
            if task.render_state != "pending" or not task.needs_render:
                return
            if not task.due(time.monotonic()) or self._cancel.is_set():
                return
            task.render_state = "running"
        try:
            self._pool.submit(self._render, task)
        except RuntimeError:  # the pool is shutting down
            with self._store.lock:
                task.render_state = "pending"

    def _run(self) -> None:
        while not self._cancel.wait(_TICK):
            for task in self._store.all():
                if task.render_state == "pending":
                    self.ensure(task)

    def _render(self, task: Task) -> None:
        plan = task.plan
        try:
            for watermarked in (False, True) if plan.watermark else (False,):
                info = render_storyboard_video(
                    result_path(self.data_dir, task.task_id, watermarked=watermarked),
                    shots=plan.shots,
                    aspect_ratio=plan.aspect_ratio,
                    mode=plan.mode,
                    sound=plan.sound,
                    draft=self._draft,
                    watermark=WATERMARK_TEXT if watermarked else None,
                    cancel=self._cancel,
                )
        except RenderCancelledError:
            return
        except Exception as exc:  # a render bug must fail the task, not hang it
            log.exception("simulator render of task %s failed", task.task_id)
            with self._store.lock:
                task.render_state = "error"
                task.render_error = f"the simulator could not render the video: {exc}"
            return
        with self._store.lock:
            task.render_info = info
            task.rendered_at = time.monotonic()
            task.render_state = "done"
