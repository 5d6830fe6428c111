"""The engine CLI commands: submit, jobs, resume, download (in-process, real simulator)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kling_studio.backends.simulator import SimulatorServer
from kling_studio.cli.main import main
from kling_studio.domain.document import dump_storyboard_text
from kling_studio.domain.storyboard import Storyboard
from kling_studio.jobs import Ledger, ledger_path
from kling_studio.resources import examples_dir
from tests.backends.kling_support import sha256_file, sim_file


def _board(tmp_path: Path, **settings: object) -> Path:
    sb = Storyboard.model_validate({
        "title": "cli test", "total": 5,
        "settings": {"model": "kling-v3", "provider": "simulator", **settings},
        "shots": [{"id": "a", "prompt": "Waves on a beach.", "duration": 5}],
    })  # fmt: skip
    path = tmp_path / "board.json"
    path.write_text(dump_storyboard_text(sb), encoding="utf-8")
    return path


def _json(capsys: pytest.CaptureFixture[str]) -> object:
    return json.loads(capsys.readouterr().out)


@pytest.fixture(autouse=True)
def _no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


@pytest.mark.slow
def test_submit_an_example_with_the_in_process_simulator_and_list_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    example = examples_dir() / "single-shot-i2v.json"  # its start frame is inlined from assets/
    assert main(["submit", str(example), "--wait", "--json"]) == 0
    job = _json(capsys)
    assert isinstance(job, dict)
    assert job["state"] == "downloaded" and job["provider"] == "simulator"
    video = Path(job["download_path"])
    assert video.parent == ledger_path().parent / "takes"
    sim_copy = ledger_path().parent / "simulator" / f"{job['task_id']}.mp4"
    assert sha256_file(video) == job["sha256"] == sha256_file(sim_copy)
    assert job["estimate_units"] == float(job["charged_units"])

    assert main(["jobs"]) == 0
    table = capsys.readouterr().out
    assert "downloaded" in table and "kling-v3" in table and "5 s" in table
    assert f"{job['estimate_units']:g} u → {job['charged_units']} u" in table
    assert main(["jobs", "--json"]) == 0
    assert [j["id"] for j in _json(capsys)] == [job["id"]]  # type: ignore[union-attr]


def test_submit_without_wait_then_resume_then_download_again(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sim: SimulatorServer,
) -> None:
    monkeypatch.setenv("KLINGAI_API_KEY", sim.config.api_key)
    board = _board(tmp_path)
    assert (
        main(
            [
                "submit",
                str(board),
                "--base-url",
                sim.base_url,
                "--json",
                "--takes",
                str(tmp_path / "takes"),
            ]
        )
        == 0
    )
    out = capsys.readouterr()
    job = json.loads(out.out)
    assert job["state"] in ("submitted", "processing") and job["download_path"] is None
    assert "run `kling-studio resume` to fetch it" in out.err

    assert main(["resume", "--json"]) == 0
    resumed = _json(capsys)
    assert isinstance(resumed, dict) and resumed["state"] == "downloaded"
    video = Path(resumed["download_path"])
    assert sha256_file(video) == sha256_file(sim_file(sim, resumed["task_id"]))

    video.unlink()
    assert main(["download", str(job["id"])]) == 0
    assert f"Job {job['id']}: downloaded → {video}" in capsys.readouterr().out
    assert video.is_file()
    assert sim.count_tasks() == 1


def test_a_storyboard_with_errors_is_refused_with_the_findings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    board = _board(tmp_path, model="kling-v2-6", mode="std", sound=True)  # no audio on v2.6 std
    board_text = (
        board.read_text(encoding="utf-8")
        .replace('"total": 5', '"total": 7')
        .replace('"duration": 5', '"duration": 7')
    )
    board.write_text(board_text, encoding="utf-8")
    assert main(["submit", str(board), "--wait"]) == 1
    out = capsys.readouterr()
    assert "error(s)" in out.out and "not submitted" in out.err
    with Ledger(ledger_path()) as ledger:
        assert ledger.jobs() == []


def test_kling_without_credentials_is_a_clear_error_before_anything_is_journalled(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["submit", str(_board(tmp_path)), "--provider", "kling"]) == 2
    err = capsys.readouterr().err
    assert "No Kling credentials" in err and "KLINGAI_API_KEY" in err
    assert "No OS keyring is available" in err
    with Ledger(ledger_path()) as ledger:
        assert ledger.jobs() == []


def test_plain_http_to_a_remote_host_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["submit", str(_board(tmp_path)), "--base-url", "http://example.com"]) == 2
    assert "use https://" in capsys.readouterr().err


def test_jobs_on_an_empty_ledger_says_how_to_start(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["jobs"]) == 0
    assert "No jobs yet" in capsys.readouterr().out
    assert main(["resume"]) == 0
    assert "Nothing to resume" in capsys.readouterr().err
