"""Test-wide setup: offscreen Qt, an isolated data dir, and no real user state touched."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Every test gets its own data dir, so the ledger/settings of a developer are never used."""
    data = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("KLING_STUDIO_DATA_DIR", str(data))
    monkeypatch.setenv("KLING_STUDIO_CONFIG_DIR", str(data / "config"))
    for var in ("KLINGAI_API_KEY", "KLINGAI_ACCESS_KEY", "KLINGAI_SECRET_KEY"):
        monkeypatch.delenv(var, raising=False)
    yield data
