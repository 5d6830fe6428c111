"""Helpers shared by the CLI commands: errors, file loading, JSON output."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from kling_studio.domain.document import StoryboardFormatError
from kling_studio.domain.storyboard import Storyboard
from kling_studio.project.storage import read_storyboard

EXIT_FINDINGS = 1
EXIT_USAGE = 2


class CliError(Exception):
    """A failure to report in one line, with an exit status."""

    def __init__(self, message: str, status: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.status = status


def load(path: str) -> Storyboard:
    try:
        return read_storyboard(Path(path))
    except StoryboardFormatError as exc:
        raise CliError(f"cannot open storyboard: {exc}") from None


def emit_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def launch_app() -> int:
    try:
        from kling_studio.app.main import run_app
    except ImportError:
        print(
            "The desktop app is not part of this build yet. Try `kling-studio --help`, e.g.\n"
            "  kling-studio estimate resources/examples/v3-ad-3-shots.json",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return run_app()
