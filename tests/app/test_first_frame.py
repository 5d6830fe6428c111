"""The first frame needs only Qt; the editor is installed into the same window afterwards."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kling_studio.app.wiring import Studio, make_services
from kling_studio.resources import list_examples
from kling_studio.widgets.main_window import MainWindow

HEAVY = ("pydantic", "asyncio", "qasync", "httpx", "numpy", "av", "PIL", "kling_studio.domain")


def test_the_first_frame_imports_nothing_heavy(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from kling_studio.app.early import early_theme\n"
        "from kling_studio.resources import list_examples\n"
        "from kling_studio.widgets.main_window import MainWindow\n"
        "from kling_studio.widgets.theme import apply_theme\n"
        "app = QApplication([])\n"
        "apply_theme(app, early_theme())\n"
        "w = MainWindow(examples=list_examples()); w.show(); app.processEvents()\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "[]"


def test_the_app_is_interactive_first_then_ready(tmp_path: Path) -> None:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        KLING_STUDIO_SMOKE_TEST="1",
        KLING_STUDIO_DATA_DIR=str(tmp_path / "data"),
        KLING_STUDIO_CONFIG_DIR=str(tmp_path / "config"),
    )
    script = Path(sys.executable).parent / "kling-studio"
    out = subprocess.run(
        [str(script)], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    lines = [ln for ln in out.stdout.splitlines() if " after " in ln]
    assert out.returncode == 0, out.stderr[-2000:]
    assert lines[0].startswith("interactive after") and lines[1].startswith("ready after")


def test_a_click_before_the_editor_exists_is_replayed(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = MainWindow(examples=list_examples())
    window.show()
    assert not window.installed and not window.editing
    example = next(p for _l, _d, p in list_examples() if p.stem == "v3-ad-3-shots")
    window.welcome.example_chosen.emit(example)  # the user clicks while the app still loads
    assert window.statusBar().currentMessage() == "Loading…"
    for _ in window.install_steps(make_services(app)):
        app.processEvents()  # the app runs one step per event-loop turn
    studio = Studio(app, window=window, services=window.services)
    try:
        studio.start()
        assert window.editing and window.doc.storyboard.title.startswith("Aurora")
    finally:
        qloop.run_until_complete(studio.aclose())
        window.close()
