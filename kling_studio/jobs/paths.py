"""Where the app keeps its per-user data: the job ledger and downloaded takes.

``KLING_STUDIO_DATA_DIR`` overrides the platform's user data folder (tests always set it).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DATA_DIR_ENV = "KLING_STUDIO_DATA_DIR"


def data_dir() -> Path:
    """The data folder (created when missing)."""
    override = os.environ.get(DATA_DIR_ENV)
    path = Path(override) if override else Path(platformdirs.user_data_dir("kling-studio"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def ledger_path() -> Path:
    return data_dir() / "ledger.sqlite3"


def default_takes_dir() -> Path:
    return data_dir() / "takes"
