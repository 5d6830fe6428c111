"""Crash recovery: the CLI is SIGKILLed at every point of a job, then ``resume`` finishes it.

Each cell runs ``kling-studio submit … --wait`` as a real subprocess against a simulator in this
process. The process dies at a crash point (the ``KLING_STUDIO_CRASHPOINT`` test hook), or from
an external ``kill -9`` while the simulator holds the create response. ``kling-studio resume``
then runs as a second process on the same ledger. In every cell the server must have created
exactly one task for the submit, and the video must end up on disk with the server's SHA-256.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kling_studio.backends.simulator import SimulatorServer
from kling_studio.domain.document import dump_storyboard_text
from kling_studio.domain.storyboard import Storyboard
from kling_studio.jobs import JobRow, Ledger
from tests.backends.kling_support import fast_sim, sha256_file, sim_file

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
KILLED = -signal.SIGKILL


def _storyboard(folder: Path) -> Path:
    sb = Storyboard.model_validate({
        "title": "crash test",
        "settings": {"model": "kling-v3", "provider": "simulator", "mode": "std"},
        "total": 10,
        "shots": [{"id": "a", "prompt": "A lighthouse at dawn.", "duration": 6},
                  {"id": "b", "prompt": "The keeper lights the lamp.", "duration": 4}],
    })  # fmt: skip
    path = folder / "board.json"
    path.write_text(dump_storyboard_text(sb), encoding="utf-8")
    return path


class Cell:
    """One process pair (submit, then resume) sharing a data dir and a simulator."""

    def __init__(self, sim: SimulatorServer, tmp: Path) -> None:
        self.sim = sim
        self.data = tmp / "data"
        self.takes = tmp / "takes"
        self.board = _storyboard(tmp)

    def env(self, crashpoint: str | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KLING")}
        env.update(
            KLING_STUDIO_DATA_DIR=str(self.data),
            KLINGAI_API_KEY=self.sim.config.api_key,
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        )
        if crashpoint:
            env["KLING_STUDIO_CRASHPOINT"] = crashpoint
        return env

    def submit_cmd(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "kling_studio.cli.main",
            "submit",
            str(self.board),
            "--provider",
            "simulator",
            "--base-url",
            self.sim.base_url,
            "--wait",
            "--takes",
            str(self.takes),
        ]

    def submit(self, crashpoint: str | None) -> int:
        done = subprocess.run(
            self.submit_cmd(),
            env=self.env(crashpoint),
            cwd=ROOT,
            capture_output=True,
            timeout=60,
            check=False,
        )
        return done.returncode

    def resume(self) -> Any:
        done = subprocess.run(
            [sys.executable, "-m", "kling_studio.cli.main", "resume", "--json"],
            env=self.env(),
            check=False,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def job(self) -> JobRow:
        with Ledger(self.data / "ledger.sqlite3") as ledger:
            (row,) = ledger.jobs()
            return row


def _wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def _check_recovered(cell: Cell, resumed: Any) -> JobRow:
    row = cell.job()
    assert resumed["id"] == row.id and resumed["state"] == "downloaded", resumed
    assert cell.sim.count_tasks(row.external_task_id) == 1
    assert cell.sim.count_tasks() == 1
    video = Path(row.download_path or "")
    assert video.parent == cell.takes
    assert sha256_file(video) == row.sha256 == sha256_file(sim_file(cell.sim, row.task_id or ""))
    assert not list(cell.takes.glob(".*.part"))
    return row


@pytest.fixture
def cell(tmp_path: Path) -> Any:
    with fast_sim() as sim:
        yield Cell(sim, tmp_path)


def test_killed_after_journalling_before_the_post(cell: Cell) -> None:
    assert cell.submit("after_journal") == KILLED
    row = cell.job()
    assert (row.state, row.task_id, row.attempts) == ("submitting", None, 1)
    assert cell.sim.count_tasks() == 0  # nothing reached the server
    row = _check_recovered(cell, cell.resume())
    assert row.attempts == 2  # looked up, not found, sent again with the same id


def test_killed_after_the_post_before_reading_the_response(cell: Cell) -> None:
    assert cell.submit("after_post_sent") == KILLED
    row = cell.job()
    assert (row.state, row.task_id) == ("submitting", None)
    _wait_for(lambda: cell.sim.count_tasks() == 1)  # the request did reach the server
    row = _check_recovered(cell, cell.resume())
    assert row.attempts == 1  # found by external_task_id: never sent twice
    with Ledger(cell.data / "ledger.sqlite3") as ledger:
        assert "unknown" in [h.state for h in ledger.history(row.id)]


def test_killed_from_outside_while_the_server_holds_the_create_response(cell: Cell) -> None:
    cell.sim.faults.hold_create(30.0)
    proc = subprocess.Popen(
        cell.submit_cmd(),
        env=cell.env(),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: cell.sim.count_tasks() == 1)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        assert proc.wait(timeout=30) == KILLED
    assert cell.job().state == "submitting"
    row = _check_recovered(cell, cell.resume())
    assert row.attempts == 1


def test_killed_while_polling(cell: Cell) -> None:
    assert cell.submit("polling") == KILLED
    row = cell.job()
    assert row.state in ("submitted", "processing", "succeeded") and row.task_id
    _check_recovered(cell, cell.resume())


def test_killed_while_downloading_resumes_from_the_partial_file(cell: Cell) -> None:
    cell.sim.faults.slow_download(200_000)  # the file arrives in small pieces
    assert cell.submit("downloading") == KILLED
    row = cell.job()
    assert row.state == "succeeded"
    (part,) = cell.takes.glob(".*.part")
    full = sim_file(cell.sim, row.task_id or "").stat().st_size
    assert 0 < part.stat().st_size < full
    cell.sim.faults.clear()
    _check_recovered(cell, cell.resume())
