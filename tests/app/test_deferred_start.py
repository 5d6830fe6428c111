"""What the app defers until its window is shown still happens: the job engine is made by
``start()`` (or by the first use of the jobs before it), and the jobs panel then lists the
jobs of earlier runs."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kling_studio.app.wiring import Studio
from kling_studio.jobs.ledger import Ledger
from kling_studio.jobs.paths import ledger_path

pytestmark = pytest.mark.qt_log_ignore(
    r"qt\.multimedia", r"No HW decoder", r"Using Qt multimedia", r"PulseAudio", r"RHI"
)


def journal_failed_job() -> int:
    """A job left in the ledger by an earlier run of the app."""
    with Ledger(ledger_path()) as ledger:
        row = ledger.insert_job(
            provider="simulator",
            base_url="simulator:in-process",
            request={
                "endpoint": "text2video",
                "path": "/v1/videos/text2video",
                "model_name": "kling-v3",
                "body": {},
            },
            external_task_id="ks-earlier-run",
            takes_dir=str(ledger_path().parent / "takes"),
            total_seconds=5,
        )
        ledger.transition(row.id, "failed", detail="test", last_error="Kling refused it")
    return row.id


@pytest.fixture
def studio(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> Iterator[Studio]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    st = Studio(app)
    st.window.show()
    yield st
    # Close the studio while its window still exists (as run_app does), then the window.
    qloop.run_until_complete(st.aclose())
    st.window.close()
    st.window.deleteLater()


def test_jobs_panel_fills_when_start_makes_the_engine(studio: Studio) -> None:
    job = journal_failed_job()
    assert not studio.jobs.has_engine  # nothing of the engine is paid for before show
    assert studio.jobs_panel.table.rowCount() == 0
    studio.start()
    assert studio.jobs.has_engine
    assert [r.id for r in studio.jobs.rows()] == [job]
    assert studio.jobs_panel.table.rowCount() == 1
    assert studio.jobs_panel.table.item(0, 1).text() == "Failed"
    assert studio.jobs_panel.table.item(0, 8).text() == "Kling refused it"


def test_using_the_jobs_before_start_makes_the_engine_there_and_then(studio: Studio) -> None:
    job = journal_failed_job()
    assert studio.jobs.row(job).state == "failed"
    assert studio.jobs.has_engine and studio.engine is studio.jobs.engine
    assert studio.jobs_panel.table.rowCount() == 1


def test_the_app_does_not_import_the_engine_network_or_media_stacks_before_its_window(
    tmp_path: object,
) -> None:
    probe = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from kling_studio.app.wiring import Studio\n"
        "app = QApplication([])\n"
        "st = Studio(app)\n"
        "st.window.show()\n"
        "heavy = ('httpx', 'jwt', 'keyring', 'numpy', 'av', 'PIL', 'kling_studio.jobs.runner',\n"
        "         'PySide6.QtMultimedia')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"
