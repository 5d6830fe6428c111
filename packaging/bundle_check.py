"""Checks of a built bundle that only a frozen build can fail; run by ``packaging/build.py``.

The bundle is started with ``KLING_STUDIO_BUNDLE_CHECK=/path/to/video.mp4`` (see ``entry.py``).
It then, inside the frozen process:

* loads QtMultimedia the way the app does (``widgets.preview.media.load_multimedia``) and decodes
  the first frames of the video through a ``QVideoWidget``: this fails when the FFmpeg
  multimedia plugin or its own libav* libraries were not collected;
* lists keyring's backends: keyring finds even its built-in ones through package entry points,
  so they vanish when its metadata is not bundled;
* builds httpx's default SSL context (needs certifi's CA file) and reads the app's own version
  from its package metadata (the project file records it).

It prints one JSON object and exits 0 when everything works, 1 otherwise.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

FRAMES_WANTED = 10
TIMEOUT_MS = 20_000


def main(video: str) -> int:
    report: dict[str, Any] = {"frozen": bool(getattr(sys, "frozen", False))}
    problems: list[str] = []
    for name, check in (
        ("playback", lambda: _playback(Path(video))),
        ("keyring_backends", _keyring_backends),
        ("ssl_context", _ssl_context),
        ("version", _version),
    ):
        try:
            report[name] = check()
        except Exception as exc:  # every failure goes into the report, not a traceback
            report[name] = None
            problems.append(f"{name}: {type(exc).__name__}: {exc}")
    report["problems"] = problems
    print(json.dumps(report, indent=2), flush=True)
    return 1 if problems else 0


def _playback(video: Path) -> dict[str, Any]:
    """Decode the first frames of ``video`` into a QVideoWidget, as the app's player does."""
    from PySide6.QtCore import QEventLoop, QTimer, QUrl
    from PySide6.QtWidgets import QApplication

    from kling_studio.widgets.preview.media import load_multimedia

    app = QApplication.instance() or QApplication([sys.argv[0]])
    mm = load_multimedia()
    if isinstance(mm, str):
        raise RuntimeError(mm)
    player = mm.core.QMediaPlayer()
    if not player.isAvailable():  # no backend plugin loaded: nothing would ever play
        raise RuntimeError("QMediaPlayer is not available (FFmpeg multimedia plugin not loaded)")
    widget = mm.widgets.QVideoWidget()
    player.setVideoOutput(widget)
    widget.show()
    frames: list[tuple[int, int]] = []
    errors: list[str] = []
    loop = QEventLoop()

    def on_frame(frame: Any) -> None:
        if frame.isValid():
            frames.append((frame.width(), frame.height()))
        if len(frames) >= FRAMES_WANTED:
            loop.quit()

    def on_error(_error: Any, message: str) -> None:
        errors.append(message)
        loop.quit()

    widget.videoSink().videoFrameChanged.connect(on_frame)
    player.errorOccurred.connect(on_error)
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    started = time.perf_counter()
    player.setSource(QUrl.fromLocalFile(str(video)))
    player.play()
    loop.exec()
    seconds = time.perf_counter() - started
    player.stop()
    widget.close()
    app.processEvents()
    if errors:
        raise RuntimeError("; ".join(errors))
    if len(frames) < FRAMES_WANTED:
        raise RuntimeError(f"only {len(frames)} video frames decoded in {TIMEOUT_MS} ms")
    return {
        "frames": len(frames),
        "size": list(frames[0]),
        "duration_ms": player.duration(),
        "seconds": round(seconds, 3),
    }


def _keyring_backends() -> dict[str, list[str]]:
    """keyring's registered backends (from entry points) and those usable on this machine."""
    from importlib import metadata

    import keyring.backend

    names = sorted(e.name for e in metadata.entry_points(group="keyring.backends"))
    if sys.platform.startswith("linux"):
        if "SecretService" not in names:
            raise RuntimeError(f"no Secret Service backend among the entry points {names}")
        import secretstorage  # noqa: F401 - without it the Secret Service backend is inert
    viable = sorted(type(k).__module__ for k in keyring.backend.get_all_keyring())
    return {"entry_points": names, "viable": viable}


def _ssl_context() -> str:
    import certifi
    import httpx

    httpx.create_ssl_context()
    return Path(certifi.where()).name


def _version() -> str:
    from importlib import metadata

    return metadata.version("kling-studio")
