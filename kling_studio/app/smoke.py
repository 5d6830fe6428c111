"""Start-up checks of the running app: when it became interactive, and how smooth it stayed.

``KLING_STUDIO_SMOKE_TEST=1`` makes the app print ``interactive after N ms (cpu M ms)`` on the
first event-loop turn after its window is shown, then quit (packaging checks and the cold-start
benchmark read that line). With ``KLING_STUDIO_SMOKE_WATCH=<seconds>`` as well, the app instead
keeps running for that long as a normal start would (recovery offer, job engine, resume) while a
10 ms timer watches the GUI thread, then prints ``longest stall N ms at +T ms over S s`` and quits:
work deferred until after the window is shown must not freeze it.
"""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QObject, Qt, QTimer

SMOKE_ENV = "KLING_STUDIO_SMOKE_TEST"
WATCH_ENV = "KLING_STUDIO_SMOKE_WATCH"
TICK_MS = 10


def smoke_requested() -> bool:
    """Whether the environment asks for a smoke test."""
    return os.environ.get(SMOKE_ENV, "") not in ("", "0")


def watch_seconds() -> float:
    """How long to watch the GUI thread after start-up (0: quit at once)."""
    try:
        return max(0.0, float(os.environ.get(WATCH_ENV, "") or 0))
    except ValueError:
        return 0.0


class StallWatch(QObject):
    """A 10 ms precise timer on the GUI thread that remembers the longest gap between ticks.

    A gap much longer than 10 ms means the event loop was busy: the window could neither paint
    nor react to input for that long.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.started = 0.0
        self.longest = 0.0
        self.longest_at = 0.0  # seconds after start() at which the longest gap ended
        self.ticks = 0
        self._last = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        self.started = self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _on_timer_timeout(self) -> None:
        now = time.perf_counter()
        gap = now - self._last
        if gap > self.longest:
            self.longest, self.longest_at = gap, now - self.started
        self._last = now
        self.ticks += 1

    def summary(self, seconds: float) -> str:
        return (
            f"longest stall {self.longest * 1000:.0f} ms at +{self.longest_at * 1000:.0f} ms "
            f"over {seconds:g} s ({self.ticks} ticks of {TICK_MS} ms)"
        )


def interactive_line(t0: float) -> str:
    """The line packaging checks and benchmarks look for (wall time since ``t0``, CPU time)."""
    wall = (time.perf_counter() - t0) * 1000
    return f"interactive after {wall:.0f} ms (cpu {time.process_time() * 1000:.0f} ms)"


def ready_line(t0: float) -> str:
    """Printed once the whole studio is built (editor, controllers): the app is fully usable."""
    wall = (time.perf_counter() - t0) * 1000
    return f"ready after {wall:.0f} ms (cpu {time.process_time() * 1000:.0f} ms)"
