"""The job ledger: one SQLite file (WAL mode) recording every paid action before it happens.

Every create call is journalled — full request, endpoint, provider, estimate and a fresh
``external_task_id`` — and committed *before* the POST is sent (DESIGN.md §3), so after a crash
the app can always ask Kling what became of it instead of paying twice. Every state change is
its own committed transaction and appends to the status history. No credential is ever stored.

The schema is versioned with ``PRAGMA user_version``; :data:`MIGRATIONS` upgrades older files.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kling_studio.jobs.states import check_transition

SCHEMA_VERSION = 1

_SCHEMA_V1 = """
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    provider TEXT NOT NULL,
    base_url TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    model TEXT NOT NULL,
    request_json TEXT NOT NULL,
    estimate_units REAL,
    estimate_money REAL,
    currency TEXT,
    project_ref TEXT,
    total_seconds INTEGER,
    external_task_id TEXT NOT NULL UNIQUE,
    task_id TEXT,
    state TEXT NOT NULL,
    state_msg TEXT NOT NULL DEFAULT '',
    final_unit_deduction TEXT,
    result_urls_json TEXT NOT NULL DEFAULT '[]',
    takes_dir TEXT NOT NULL,
    download_path TEXT,
    size INTEGER,
    sha256 TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX jobs_state ON jobs(state);
CREATE TABLE job_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id INTEGER NOT NULL REFERENCES jobs(id),
    state TEXT NOT NULL,
    at REAL NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_history_job ON job_history(job_id);
"""

MIGRATIONS: dict[int, str] = {0: _SCHEMA_V1}
"""SQL that upgrades a file from version N to N+1."""

_UPDATABLE = frozenset(
    {
        "task_id",
        "state_msg",
        "final_unit_deduction",
        "result_urls",
        "download_path",
        "size",
        "sha256",
        "attempts",
        "last_error",
        "base_url",
    }
)


class LedgerError(Exception):
    """The ledger file cannot be used (newer schema, corrupt file, unknown job)."""


@dataclass(frozen=True)
class JobRow:
    """One job as recorded; ``request`` is ``{"endpoint", "path", "model_name", "body"}``."""

    id: int
    created: float
    updated: float
    provider: str
    base_url: str
    endpoint: str
    model: str
    request: dict[str, Any]
    estimate_units: float | None
    estimate_money: float | None
    currency: str | None
    project_ref: str | None
    total_seconds: int | None
    external_task_id: str
    task_id: str | None
    state: str
    state_msg: str
    final_unit_deduction: str | None
    result_urls: list[str]
    takes_dir: str
    download_path: str | None
    size: int | None
    sha256: str | None
    attempts: int
    last_error: str | None

    @property
    def body(self) -> dict[str, Any]:
        body = self.request.get("body", {})
        return body if isinstance(body, dict) else {}


@dataclass(frozen=True)
class HistoryRow:
    job_id: int
    state: str
    at: float
    detail: str


def _row(r: sqlite3.Row) -> JobRow:
    data = dict(r)
    data["request"] = json.loads(data.pop("request_json"))
    data["result_urls"] = json.loads(data.pop("result_urls_json") or "[]")
    return JobRow(**data)


class Ledger:
    """The SQLite job ledger. Thread-safe; every method is one committed transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA busy_timeout=5000")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise LedgerError(f"The job ledger {path} cannot be opened: {exc}") from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _migrate(self) -> None:
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise LedgerError(
                f"The job ledger {self.path} was written by a newer Kling Studio (schema "
                f"{version}); update the app."
            )
        while version < SCHEMA_VERSION:
            with self._tx() as db:
                for statement in MIGRATIONS[version].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {version + 1}")
            version += 1

    # ----- writes -----

    def insert_job(
        self,
        *,
        provider: str,
        base_url: str,
        request: dict[str, Any],
        external_task_id: str,
        takes_dir: str,
        state: str = "queued",
        estimate_units: float | None = None,
        estimate_money: float | None = None,
        currency: str | None = None,
        project_ref: str | None = None,
        total_seconds: int | None = None,
    ) -> JobRow:
        """Journal a new job (committed when this returns)."""
        now = time.time()
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO jobs (created, updated, provider, base_url, endpoint, model, "
                "request_json, estimate_units, estimate_money, currency, project_ref, "
                "total_seconds, external_task_id, state, takes_dir) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    now,
                    now,
                    provider,
                    base_url,
                    request["endpoint"],
                    request["model_name"],
                    json.dumps(request, ensure_ascii=False),
                    estimate_units,
                    estimate_money,
                    currency,
                    project_ref,
                    total_seconds,
                    external_task_id,
                    state,
                    takes_dir,
                ),
            )
            job_id = int(cur.lastrowid or 0)
            db.execute(
                "INSERT INTO job_history (job_id, state, at, detail) VALUES (?, ?, ?, ?)",
                (job_id, state, now, "journalled"),
            )
        return self.get(job_id)

    def transition(self, job_id: int, state: str, *, detail: str = "", **fields: Any) -> JobRow:
        """Move a job to ``state`` (checked against the state machine) and update fields."""
        with self._lock:
            old = self.get(job_id).state
            check_transition(old, state)
            fields.setdefault("state_msg", detail)
            self._write(job_id, fields, state=state, detail=detail)
        return self.get(job_id)

    def update(self, job_id: int, **fields: Any) -> JobRow:
        """Update fields without changing the state (no history entry)."""
        self._write(job_id, fields, state=None, detail="")
        return self.get(job_id)

    def _write(
        self, job_id: int, fields: dict[str, Any], *, state: str | None, detail: str
    ) -> None:
        unknown = set(fields) - _UPDATABLE
        if unknown:
            raise ValueError(f"not updatable: {sorted(unknown)}")
        now = time.time()
        columns = {
            ("result_urls_json" if k == "result_urls" else k): (
                json.dumps(v) if k == "result_urls" else v
            )
            for k, v in fields.items()
        }
        columns["updated"] = now
        if state is not None:
            columns["state"] = state
        assignments = ", ".join(f"{c} = ?" for c in columns)
        with self._tx() as db:
            cur = db.execute(
                f"UPDATE jobs SET {assignments} WHERE id = ?", (*columns.values(), job_id)
            )
            if cur.rowcount != 1:
                raise LedgerError(f"no job {job_id}")
            if state is not None:
                db.execute(
                    "INSERT INTO job_history (job_id, state, at, detail) VALUES (?, ?, ?, ?)",
                    (job_id, state, now, detail),
                )

    # ----- reads -----

    def get(self, job_id: int) -> JobRow:
        with self._lock:
            r = self._db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if r is None:
            raise LedgerError(f"There is no job {job_id} in the ledger.")
        return _row(r)

    def by_external_id(self, external_task_id: str) -> JobRow | None:
        with self._lock:
            r = self._db.execute(
                "SELECT * FROM jobs WHERE external_task_id = ?", (external_task_id,)
            ).fetchone()
        return None if r is None else _row(r)

    def jobs(self, states: Iterable[str] | None = None) -> list[JobRow]:
        """All jobs (oldest first), or those in ``states``."""
        with self._lock:
            if states is None:
                rows = self._db.execute("SELECT * FROM jobs ORDER BY id").fetchall()
            else:
                wanted = tuple(states)
                marks = ", ".join("?" for _ in wanted)
                rows = self._db.execute(
                    f"SELECT * FROM jobs WHERE state IN ({marks}) ORDER BY id", wanted
                ).fetchall()
        return [_row(r) for r in rows]

    def history(self, job_id: int) -> list[HistoryRow]:
        with self._lock:
            rows = self._db.execute(
                "SELECT job_id, state, at, detail FROM job_history WHERE job_id = ? ORDER BY id",
                (job_id,),
            ).fetchall()
        return [HistoryRow(*r) for r in rows]
