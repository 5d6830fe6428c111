"""Where app-wide files live: the platform's user dirs, overridable by environment variables.

``KLING_STUDIO_DATA_DIR`` and ``KLING_STUDIO_CONFIG_DIR`` let tests and portable installs keep
everything in one place; they are read on every call so a change takes effect at once.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "kling-studio"


def data_dir() -> Path:
    """App data (recovery snapshots, unsaved projects' files, the job ledger)."""
    override = os.environ.get("KLING_STUDIO_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


def config_dir() -> Path:
    """App configuration (``settings.json``)."""
    override = os.environ.get("KLING_STUDIO_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME))
