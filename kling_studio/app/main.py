"""Composition root: QApplication + qasync event loop + the main window and its services."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from kling_studio.app.wiring import Studio

# What Studio.start() needs beyond the shown window: the job engine (ledger, runner; ~25 ms of
# imports). A worker thread imports it while the window idles, then start() runs on the GUI
# thread, so the first event-loop turns after show() stay short.
_WARM_BEFORE_START = ("kling_studio.jobs.engine",)

# Process start, estimated: until this module loads, the process has only been computing (the
# interpreter and the imports before this one), so its CPU time so far is its age.
_T0 = time.perf_counter() - time.process_time()


def run_app(
    argv: Sequence[str] | None = None,
    *,
    smoke_test: bool | None = None,
    open_path: Path | None = None,
) -> int:
    """Open the main window and run until it is closed (on ``open_path`` when given).

    With ``smoke_test`` the window is shown, the event loop runs until the window is interactive,
    the time from process start to that moment is printed, and the app exits (packaging checks
    and the cold-start benchmark use this). ``None`` reads ``KLING_STUDIO_SMOKE_TEST`` (and
    ``KLING_STUDIO_SMOKE_WATCH``), see :mod:`kling_studio.app.smoke`.
    """
    # Start-up creates ~60k long-lived container objects (modules, classes, pydantic schemas,
    # widgets); the collector would scan them again and again on the way (two full passes of
    # ~20 ms each) and find almost nothing. Once the window is shown they are frozen: never
    # scanned again, so later collections stay short too.
    gc.disable()
    import qasync
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from kling_studio.app import smoke
    from kling_studio.app.wiring import Studio
    from kling_studio.resources import resources_dir

    if smoke_test is None:
        smoke_test = smoke.smoke_requested()
    app = QApplication.instance() or QApplication([sys.argv[0], *(argv or [])])
    assert isinstance(app, QApplication)
    app.setApplicationName("Kling Studio")
    app.setOrganizationName("Kling Studio")
    app.setDesktopFileName("io.github.kling_studio.KlingStudio")
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "kling-studio.svg")))
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    studio = Studio(app)
    window = studio.window
    window.show()
    gc.freeze()
    gc.enable()
    done = asyncio.Event()
    app.aboutToQuit.connect(done.set)
    watch = smoke.watch_seconds() if smoke_test else 0.0
    if smoke_test:
        _schedule_smoke_test(app, studio, watch)
    if not smoke_test or watch:
        _start_when_warm(loop, studio, done, open_path)
    with loop:
        loop.run_until_complete(done.wait())
        loop.run_until_complete(studio.aclose())
    return 0


def _schedule_smoke_test(app: QApplication, studio: Studio, watch: float) -> None:
    from PySide6.QtCore import QTimer

    from kling_studio.app.smoke import StallWatch, interactive_line

    stalls = StallWatch(studio)
    stalls.start()

    def leave() -> None:
        studio.window.close()
        app.quit()

    def report() -> None:
        print(interactive_line(_T0), flush=True)
        if not watch:
            leave()

    def finish() -> None:
        stalls.stop()
        print(stalls.summary(watch), flush=True)
        leave()

    QTimer.singleShot(0, report)
    if watch:
        # run_app starts the studio as on a normal start; the watch covers all of it.
        QTimer.singleShot(round(watch * 1000), finish)


def _start_when_warm(
    loop: asyncio.AbstractEventLoop, studio: Studio, done: asyncio.Event, open_path: Path | None
) -> None:
    """Import what ``studio.start()`` needs on a worker thread, then start it on the GUI thread."""

    def start() -> None:
        if not done.is_set():  # not when the window was closed meanwhile
            studio.start(open_path)

    def warm() -> None:
        # A failed import is raised again, and shown, when start() imports on the GUI thread.
        with contextlib.suppress(Exception):
            for name in _WARM_BEFORE_START:
                importlib.import_module(name)
        with contextlib.suppress(RuntimeError):  # the loop is closed: the app has quit
            loop.call_soon_threadsafe(start)

    threading.Thread(target=warm, name="kling-warm-imports", daemon=True).start()


if __name__ == "__main__":
    sys.exit(run_app())
