"""Fixtures of the job-engine tests: a fast simulator and a ledger in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kling_studio.backends.simulator import SimulatorServer
from kling_studio.jobs import Ledger
from tests.backends.kling_support import fast_sim


@pytest.fixture
def sim() -> Iterator[SimulatorServer]:
    with fast_sim() as server:
        yield server


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger(tmp_path / "ledger.sqlite3") as opened:
        yield opened


@pytest.fixture
def takes(tmp_path: Path) -> Path:
    return tmp_path / "takes"
