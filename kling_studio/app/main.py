"""Composition root: QApplication + qasync event loop + the main window and its services."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Sequence

_T0 = time.perf_counter()


def run_app(argv: Sequence[str] | None = None, *, smoke_test: bool = False) -> int:
    """Open the main window and run until it is closed.

    With ``smoke_test`` the window is shown, the event loop runs until the window is interactive,
    the time from process start to that moment is printed, and the app exits (packaging checks
    and the cold-start benchmark use this).
    """
    import qasync
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from kling_studio.app.wiring import Studio
    from kling_studio.resources import resources_dir

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
    done = asyncio.Event()
    app.aboutToQuit.connect(done.set)
    if smoke_test:

        def report() -> None:
            print(f"interactive after {(time.perf_counter() - _T0) * 1000:.0f} ms", flush=True)
            window.close()
            app.quit()

        QTimer.singleShot(0, report)
    else:
        QTimer.singleShot(0, studio.start)
    with loop:
        loop.run_until_complete(done.wait())
        loop.run_until_complete(studio.aclose())
    return 0


if __name__ == "__main__":
    sys.exit(run_app(smoke_test=bool(os.environ.get("KLING_STUDIO_SMOKE_TEST"))))
