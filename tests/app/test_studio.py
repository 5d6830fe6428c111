"""The whole studio, driven like a user: welcome, live cost, submit to the simulator, takes,
saving, quitting with changes, crash recovery and resuming jobs on start."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kling_studio.app.wiring import Studio
from kling_studio.domain import edits
from kling_studio.widgets import dialogs
from tests.conftest import wait_until

pytestmark = pytest.mark.qt_log_ignore(
    r"qt\.multimedia", r"No HW decoder", r"Using Qt multimedia", r"PulseAudio", r"RHI"
)


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """What the (patched) modal dialogs answer; tests change entries before acting."""
    said: dict[str, object] = {"save": dialogs.DISCARD, "confirm": True, "recover": "later"}
    asked: list[str] = []
    said["asked"] = asked

    def ask_save(*_a: object, **_k: object) -> object:
        asked.append("save")
        return said["save"]

    def confirm(*_a: object, **_k: object) -> object:
        asked.append("confirm")
        return said["confirm"]

    def recover(*_a: object, **_k: object) -> object:
        asked.append("recover")
        return said["recover"]

    monkeypatch.setattr(dialogs, "ask_save_changes", ask_save)
    monkeypatch.setattr(dialogs, "confirm_submit", confirm)
    monkeypatch.setattr(dialogs, "ask_recover", recover)
    monkeypatch.setattr(dialogs, "show_error", lambda *a, **k: asked.append("error"))
    return said


@pytest.fixture
def studio(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, answers: object) -> Iterator[Studio]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    st = Studio(app)
    st.window.show()
    yield st
    # Close the studio before its window goes away (qtbot.addWidget would delete it first).
    qloop.run_until_complete(st.aclose())
    st.window.close()


def example(st: Studio, stem: str) -> Path:
    return next(p for _l, _d, p in st.services.examples if p.stem == stem)


def test_first_start_shows_the_welcome_page_and_an_example_opens_in_the_editor(
    studio: Studio,
) -> None:
    w = studio.window
    assert not w.editing
    assert w.welcome.examples.count() == 3
    studio.open_path(example(studio, "v3-ad-3-shots"))
    assert w.editing
    assert len(w.doc.storyboard.shots) == 3
    assert w.cost.price.text() == "$1.68"
    assert w.submit_button.text() == "Submit — $1.68…" and w.submit_button.isEnabled()
    assert "offline simulator" in w.backend_label.text()
    # the example's start frame was adopted into the (unsaved) project
    sb = w.doc.storyboard
    assert studio.files.project.asset_path(sb.asset(sb.start_frame or "")) is not None


def test_every_edit_updates_cost_findings_and_submit_at_once(studio: Studio) -> None:
    w = studio.window
    studio.open_path(example(studio, "v3-ad-3-shots"))
    w.doc.apply(lambda sb: edits.set_settings(sb, sound=False), "Sound off")
    assert w.cost.price.text() == "$1.12"  # 0.8 u/s x 10 s x $0.14
    w.doc.apply(lambda sb: edits.set_settings(sb, model="kling-v2-6"), "V2.6")
    assert w.findings.findings, "a 3-shot storyboard on a single-shot model must be flagged"
    assert not w.submit_button.isEnabled()
    assert w.submit_button.text().startswith("Fix ")
    w.doc.undo_stack.undo()
    assert w.submit_button.isEnabled() and w.cost.price.text() == "$1.12"


def test_submit_on_the_simulator_ends_as_a_take_in_the_project(
    studio: Studio, qloop: asyncio.AbstractEventLoop, answers: dict[str, object]
) -> None:
    studio.start()
    studio.open_path(example(studio, "single-shot-i2v"))

    async def scenario() -> None:
        studio.submitter.submit()
        await wait_until(lambda: studio.files.project.takes, timeout=60)

    qloop.run_until_complete(scenario())
    assert answers["asked"] == ["confirm"]
    (row,) = studio.jobs.rows()
    assert row.state == "downloaded" and row.final_unit_deduction == "3"
    (take,) = studio.files.project.takes
    assert take.sha256 == row.sha256 and take.job_id == str(row.id)
    path = studio.files.project.take_path(take)
    assert path is not None and path.stat().st_size == row.size
    assert studio.window.preview.tabs.currentWidget() is studio.window.preview.result
    assert studio.jobs_panel.table.item(0, 1).text() == "Done"


def test_declining_the_price_sends_nothing(
    studio: Studio, qloop: asyncio.AbstractEventLoop, answers: dict[str, object]
) -> None:
    answers["confirm"] = False
    studio.open_path(example(studio, "single-shot-i2v"))
    studio.submitter.submit()
    qloop.run_until_complete(asyncio.sleep(0.2))
    assert studio.jobs.rows() == []


def test_quitting_with_unsaved_changes_asks_and_cancel_keeps_the_window(
    studio: Studio, answers: dict[str, object]
) -> None:
    w = studio.window
    studio.new()
    w.doc.apply(lambda sb: edits.set_title(sb, "Changed"), "Title")
    assert w.isWindowModified()
    answers["save"] = dialogs.CANCEL
    assert not w.close()
    assert w.isVisible() and answers["asked"] == ["save"]
    answers["save"] = dialogs.DISCARD
    assert w.close()


def test_save_as_reopen_and_recent(
    studio: Studio, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = studio.window
    studio.open_path(example(studio, "v3-ad-3-shots"))
    w.doc.apply(lambda sb: edits.set_shot_text(sb, 0, prompt="Reworked opening"), "Edit")
    target = tmp_path / "Spot"
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **k: target)
    assert studio.files.save_as()
    bundle = tmp_path / "Spot.kstudio"
    assert (bundle / "project.json").is_file()
    assert len(list((bundle / "assets").iterdir())) == 1
    assert not w.isWindowModified() and "Spot" in w.windowTitle()
    assert studio.files.settings.recent_projects[0] == bundle
    studio.new()
    studio.open_path(bundle)
    assert w.doc.storyboard.shots[0].prompt == "Reworked opening"


CRASHER = textwrap.dedent(
    """
    import os, sys, time
    from PySide6.QtWidgets import QApplication
    from kling_studio.app.wiring import Studio
    from kling_studio.domain import edits
    app = QApplication([])
    st = Studio(app)
    st.open_path(__import__("pathlib").Path(sys.argv[1]))
    st.window.doc.apply(lambda sb: edits.set_title(sb, "Unsaved brilliance"), "Title")
    st.files.autosave_now()   # no event loop yet: writes synchronously
    print("ready", flush=True)
    time.sleep(60)
    """
)


def test_after_a_crash_the_autosave_is_offered_and_recovered(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, answers: dict[str, object]
) -> None:
    ex = next(Path(p) for p in Path(__file__).parents[2].glob("resources/examples/v3-ad*.json"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASHER, str(ex)], stdout=subprocess.PIPE, env=env, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert proc.stdout is not None
        proc.stdout.close()
    answers["recover"] = "recover"
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    st = Studio(app)
    try:
        st.start()
        assert answers["asked"][0] == "recover"
        assert st.window.doc.storyboard.title == "Unsaved brilliance"
        assert st.window.doc.dirty and st.window.editing
    finally:
        qloop.run_until_complete(st.aclose())
        st.window.close()


def test_two_takes_can_be_compared_side_by_side(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    studio.start()
    studio.open_path(example(studio, "single-shot-i2v"))

    async def scenario() -> None:
        studio.submitter.submit()
        await wait_until(lambda: len(studio.files.project.takes) == 1, timeout=60)
        studio.submitter.submit()
        await wait_until(lambda: len(studio.files.project.takes) == 2, timeout=60)

    qloop.run_until_complete(scenario())
    panel = studio.jobs_panel
    panel.table.selectAll()
    assert panel.compare_button.isEnabled()
    panel.compare_button.click()
    preview = studio.window.preview
    assert preview.tabs.currentWidget() is preview.compare_view
    labels = {preview.compare_view.left_label.text(), preview.compare_view.right_label.text()}
    assert labels in ({"A · Job #2", "B · Job #1"}, {"A · Job #1", "B · Job #2"})


def test_unfinished_jobs_resume_on_start_and_the_user_is_told(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, answers: object
) -> None:
    from kling_studio.domain.requests import build_request
    from kling_studio.jobs.engine import SIMULATOR_IN_PROCESS, Engine
    from kling_studio.project.storage import read_storyboard
    from kling_studio.resources import load_catalog

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    sb = read_storyboard(Path(__file__).parents[2] / "resources/examples/omni-references.json")
    request = build_request(
        edits.detach(sb, "reference_video"), load_catalog(), media=lambda a: a.url or "QUJD"
    )
    engine = Engine()
    engine.ledger.insert_job(
        provider="simulator",
        base_url=SIMULATOR_IN_PROCESS,
        request={
            "endpoint": request.endpoint,
            "path": request.path,
            "model_name": request.model_name,
            "body": dict(request.body),
        },
        external_task_id="ks-test-resume-1",
        takes_dir=str(engine.data_dir / "takes"),
        estimate_units=None,
        estimate_money=None,
        currency=None,
        project_ref=None,
        total_seconds=8,
    )
    qloop.run_until_complete(engine.aclose())
    st = Studio(app)
    try:
        st.start()

        async def scenario() -> None:
            await wait_until(
                lambda: "Resumed 1 unfinished job" in st.window.statusBar().currentMessage()
            )

        qloop.run_until_complete(scenario())
    finally:
        qloop.run_until_complete(st.aclose())
        st.window.close()
