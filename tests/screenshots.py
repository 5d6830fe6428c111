#!/usr/bin/env python3
"""Save screenshots of the main window in typical states, for a person to look at.

    .venv/bin/python tests/screenshots.py [OUT_DIR]      (default: ./screenshots)

Runs offscreen with a throwaway data dir; submits one storyboard to the built-in simulator so
the jobs panel and a take show up. Note: video surfaces are blank in offscreen grabs.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_TMP = tempfile.mkdtemp(prefix="ks-shots-")
os.environ.setdefault("KLING_STUDIO_DATA_DIR", str(Path(_TMP) / "data"))
os.environ.setdefault("KLING_STUDIO_CONFIG_DIR", str(Path(_TMP) / "config"))


async def wait_for(cond: Callable[[], bool], timeout: float = 30.0) -> bool:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not cond():
        if loop.time() > end:
            return False
        await asyncio.sleep(0.05)
    return True


async def scenario(studio: object, out: Path) -> None:
    from kling_studio.domain import edits
    from kling_studio.widgets import dialogs
    from kling_studio.widgets.theme import apply_theme

    w = studio.window  # type: ignore[attr-defined]
    # Modal questions would block offscreen: answer them as a user would.
    dialogs.ask_save_changes = lambda *a, **k: dialogs.DISCARD
    dialogs.confirm_submit = lambda *a, **k: True

    def shot(name: str) -> None:
        w.repaint()
        w.grab().save(str(out / f"{name}.png"))
        print(f"saved {out / name}.png")

    await asyncio.sleep(0.3)
    shot("01-welcome")
    examples = {p.stem: p for _l, _d, p in studio.services.examples}  # type: ignore[attr-defined]
    studio.open_path(examples["v3-ad-3-shots"])  # type: ignore[attr-defined]
    w.selection.select_index(1)
    await asyncio.sleep(0.5)
    shot("02-editor-v3-ad")

    studio.open_path(examples["omni-references"])  # type: ignore[attr-defined]
    w.doc.apply(lambda sb: edits.set_settings(sb, sound=True), "Sound on")
    w.doc.apply(lambda sb: edits.set_total(sb, 12), "Total 12 s")
    w.findings_dock.raise_()
    await asyncio.sleep(0.5)
    shot("03-editor-omni-findings")

    studio.open_path(examples["single-shot-i2v"])  # type: ignore[attr-defined]
    studio.submitter.submit()  # type: ignore[attr-defined]
    jobs = studio.jobs  # type: ignore[attr-defined]
    await wait_for(lambda: any(r.state == "downloaded" for r in jobs.rows()), 60)
    await asyncio.sleep(0.8)
    shot("04-after-submit-take")

    apply_theme(studio.app, "dark")  # type: ignore[attr-defined]
    studio.open_path(examples["v3-ad-3-shots"])  # type: ignore[attr-defined]
    await asyncio.sleep(0.5)
    shot("05-dark-theme")


def main() -> int:
    import qasync
    from PySide6.QtWidgets import QApplication

    from kling_studio.app.wiring import Studio

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots").absolute()
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    studio = Studio(app)
    studio.window.resize(1600, 1000)
    studio.window.show()
    studio.start()
    with loop:
        loop.run_until_complete(scenario(studio, out))
        loop.run_until_complete(studio.aclose())
    return 0


if __name__ == "__main__":
    sys.exit(main())
