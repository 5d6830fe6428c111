"""The SQLite ledger: WAL, schema version, committed writes, history, uniqueness."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kling_studio.jobs import Ledger, LedgerError, data_dir, ledger_path
from kling_studio.jobs.ledger import SCHEMA_VERSION
from kling_studio.jobs.states import InvalidTransitionError

REQUEST = {
    "endpoint": "text2video",
    "path": "/v1/videos/text2video",
    "model_name": "kling-v3",
    "body": {"model_name": "kling-v3", "prompt": "p", "duration": "5", "external_task_id": "ks-1"},
}


def _insert(ledger: Ledger, ext: str = "ks-1") -> int:
    return ledger.insert_job(
        provider="kling",
        base_url="https://api-singapore.klingai.com",
        request=REQUEST,
        external_task_id=ext,
        takes_dir="/t",
        estimate_units=3.0,
        estimate_money=0.42,
        currency="USD",
        project_ref="p.json",
        total_seconds=5,
    ).id


def test_file_is_wal_with_a_schema_version(ledger: Ledger) -> None:
    db = sqlite3.connect(ledger.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


def test_every_write_is_committed_and_visible_to_another_connection(ledger: Ledger) -> None:
    job = _insert(ledger)
    other = sqlite3.connect(ledger.path)
    row = other.execute("SELECT state, external_task_id, request_json FROM jobs").fetchone()
    assert row[:2] == ("queued", "ks-1")
    assert '"prompt": "p"' in row[2]
    ledger.transition(job, "submitting", detail="Sending", attempts=1)
    assert other.execute("SELECT state, attempts FROM jobs").fetchone() == ("submitting", 1)
    other.close()


def test_rows_round_trip_and_history_is_kept(ledger: Ledger) -> None:
    job = _insert(ledger)
    ledger.transition(job, "submitting", detail="Sending")
    ledger.transition(job, "submitted", detail="accepted", task_id="123")
    ledger.update(job, result_urls=["https://x/1.mp4"], last_error="blip")
    row = ledger.get(job)
    assert (row.state, row.task_id, row.result_urls, row.last_error) == (
        "submitted",
        "123",
        ["https://x/1.mp4"],
        "blip",
    )
    assert row.body["external_task_id"] == "ks-1"
    assert (row.estimate_units, row.estimate_money, row.total_seconds) == (3.0, 0.42, 5)
    assert [h.state for h in ledger.history(job)] == ["queued", "submitting", "submitted"]
    assert ledger.by_external_id("ks-1") == row
    assert [r.id for r in ledger.jobs(["submitted"])] == [job]
    assert ledger.jobs(["failed"]) == []


def test_illegal_transition_changes_nothing(ledger: Ledger) -> None:
    job = _insert(ledger)
    with pytest.raises(InvalidTransitionError):
        ledger.transition(job, "downloaded")
    assert ledger.get(job).state == "queued"
    assert len(ledger.history(job)) == 1


def test_external_task_id_is_unique(ledger: Ledger) -> None:
    _insert(ledger)
    with pytest.raises(sqlite3.IntegrityError):
        _insert(ledger)
    assert len(ledger.jobs()) == 1


def test_unknown_job_and_unknown_fields_are_errors(ledger: Ledger) -> None:
    with pytest.raises(LedgerError, match="no job 42"):
        ledger.get(42)
    job = _insert(ledger)
    with pytest.raises(ValueError, match="not updatable"):
        ledger.update(job, state="downloaded")


def test_reopening_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite3"
    with Ledger(path) as first:
        job = _insert(first)
        first.transition(job, "submitting")
    with Ledger(path) as again:
        assert again.get(job).state == "submitting"


def test_a_newer_schema_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite3"
    Ledger(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(LedgerError, match="newer Kling Studio"):
        Ledger(path)


def test_default_location_follows_the_data_dir_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KLING_STUDIO_DATA_DIR", str(tmp_path / "data"))
    assert data_dir() == tmp_path / "data"
    assert ledger_path() == tmp_path / "data" / "ledger.sqlite3"
