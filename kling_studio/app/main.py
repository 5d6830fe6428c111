"""Composition root: QApplication + qasync event loop + the main window and its services."""

from __future__ import annotations

import contextlib
import gc
import importlib
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio

    from PySide6.QtWidgets import QApplication

    from kling_studio.app.smoke import StallWatch
    from kling_studio.app.wiring import Studio
    from kling_studio.qt.services import Services
    from kling_studio.widgets.main_window import MainWindow

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
    """Open the main window and run until it is closed.

    The first frame needs only Qt: the window with its welcome page is shown before pydantic,
    asyncio and the domain are imported. Those load on a worker thread while Qt's own event loop
    keeps the window responsive; then the editor is installed into the same window and the
    qasync loop takes over.

    With ``smoke_test`` the app prints ``interactive after …`` on the first event-loop turn after
    the window is shown and ``ready after …`` once the studio is built, then exits (packaging
    checks and the cold-start benchmark use this). ``None`` reads ``KLING_STUDIO_SMOKE_TEST``
    (and ``KLING_STUDIO_SMOKE_WATCH``), see :mod:`kling_studio.app.smoke`.
    """
    # Start-up creates ~60k long-lived container objects (modules, classes, pydantic schemas,
    # widgets); the collector would scan them again and again on the way and find almost
    # nothing. Once the studio is built they are frozen: never scanned again.
    gc.disable()
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from kling_studio.app import smoke
    from kling_studio.app.early import early_theme
    from kling_studio.resources import list_examples, resources_dir
    from kling_studio.widgets.main_window import MainWindow
    from kling_studio.widgets.theme import apply_theme

    if smoke_test is None:
        smoke_test = smoke.smoke_requested()
    app = QApplication.instance() or QApplication([sys.argv[0], *(argv or [])])
    assert isinstance(app, QApplication)
    app.setApplicationName("Kling Studio")
    app.setOrganizationName("Kling Studio")
    app.setDesktopFileName("io.github.kling_studio.KlingStudio")
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "kling-studio.svg")))
    apply_theme(app, early_theme())
    window = MainWindow(examples=list_examples())
    window.show()
    watch = smoke.watch_seconds() if smoke_test else 0.0
    stalls = smoke.StallWatch() if watch else None
    if stalls is not None:
        stalls.start()
    if smoke_test:
        QTimer.singleShot(0, lambda: print(smoke.interactive_line(_T0), flush=True))
    services = _load_in_background(app, window)
    if services is None:  # the window was closed while loading
        return 0
    gc.freeze()
    gc.enable()
    import asyncio  # after the first frame: asyncio alone costs ~30 ms of imports

    import qasync

    from kling_studio.app.wiring import Studio

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    studio = Studio(app, window=window, services=services)
    done = asyncio.Event()
    app.aboutToQuit.connect(done.set)
    if smoke_test:
        _schedule_smoke_end(app, studio, stalls, watch)
    if not smoke_test or watch:
        _start_when_warm(loop, studio, done, open_path)
    with loop:
        loop.run_until_complete(done.wait())
        loop.run_until_complete(studio.aclose())
    return 0


# Everything the studio needs beyond the first frame; imported on a worker thread.
_WARM_FOR_STUDIO = (
    "qasync",
    "kling_studio.domain.edits",
    "kling_studio.qt.analysis",
    "kling_studio.widgets.preview",
    "kling_studio.widgets.timeline.widget",
    "kling_studio.widgets.timeline.actions",
    "kling_studio.widgets.inspector",
    "kling_studio.widgets.cost_panel",
    "kling_studio.app.wiring",
)


def _load_in_background(app: QApplication, window: MainWindow) -> Services | None:
    """Import the rest on a worker thread while Qt's loop runs, then install the editor.

    Returns the services, or None when the user closed the window first.
    """
    from PySide6.QtCore import QTimer

    ready = threading.Event()
    failures: list[BaseException] = []
    box: list[Services] = []

    def warm() -> None:
        try:
            for name in _WARM_FOR_STUDIO:
                importlib.import_module(name)
        except BaseException as exc:  # re-raised on the GUI thread below
            failures.append(exc)
        ready.set()

    steps: list[Iterator[None]] = []

    def install_when_ready() -> None:
        # One step per event-loop turn (each ~20 ms or less), so the window keeps painting.
        if not ready.is_set():
            return
        if failures:
            poll.stop()
            app.exit(1)
            return
        if not box:
            from kling_studio.app.wiring import make_services

            box.append(make_services(app))
            steps.append(window.install_steps(box[0]))
            return
        try:
            next(steps[0])
        except StopIteration:
            poll.stop()
            app.exit(0)

    threading.Thread(target=warm, name="kling-load", daemon=True).start()
    poll = QTimer()
    poll.setInterval(5)
    poll.timeout.connect(install_when_ready)
    poll.start()
    app.exec()
    poll.stop()
    if failures:
        raise failures[0]
    if not box or not window.installed or not window.isVisible():
        return None
    return box[0]


def _schedule_smoke_end(
    app: QApplication, studio: Studio, stalls: StallWatch | None, watch: float
) -> None:
    from PySide6.QtCore import QTimer

    from kling_studio.app.smoke import ready_line

    def leave() -> None:
        studio.window.close()
        app.quit()

    def report() -> None:
        print(ready_line(_T0), flush=True)
        if not watch:
            leave()

    def finish() -> None:
        if stalls is not None:
            stalls.stop()
            print(stalls.summary(watch), flush=True)
        leave()

    QTimer.singleShot(0, report)
    if watch:
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
