"""What the first frame needs before anything heavy is imported: the theme from settings."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def _config_dir() -> Path:
    # The same folder as project.dirs.config_dir(), without importing platformdirs on Linux
    # (it is ~6 ms of the first frame); other platforms ask platformdirs.
    override = os.environ.get("KLING_STUDIO_CONFIG_DIR")
    if override:
        return Path(override)
    if sys.platform.startswith("linux"):
        base = os.environ.get("XDG_CONFIG_HOME", "").strip() or str(Path.home() / ".config")
        return Path(base) / "kling-studio"
    from kling_studio.project.dirs import config_dir

    return config_dir()


def early_theme() -> str:
    """The saved theme, read straight from ``settings.json`` (validated later with the rest)."""
    try:
        data = json.loads((_config_dir() / "settings.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "system"
    theme = data.get("theme") if isinstance(data, dict) else None
    return theme if theme in ("system", "dark", "light") else "system"
