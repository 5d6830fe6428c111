"""Helpers shared by the CLI commands: errors, file loading, JSON output."""

from __future__ import annotations

import base64
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kling_studio.domain.storyboard import Asset, Storyboard

# Domain and file modules are imported where they are used: `kling-studio` with no arguments
# opens the app, whose first frame must not wait for pydantic.

EXIT_FINDINGS = 1
EXIT_USAGE = 2


class CliError(Exception):
    """A failure to report in one line, with an exit status."""

    def __init__(self, message: str, status: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.status = status


def load(path: str) -> Storyboard:
    from kling_studio.domain.document import StoryboardFormatError
    from kling_studio.project.storage import read_storyboard

    try:
        return read_storyboard(Path(path))
    except StoryboardFormatError as exc:
        raise CliError(f"cannot open storyboard: {exc}") from None


def media_resolver(storyboard_file: Path) -> Callable[[Asset], str | None]:
    """Assets without a URL are inlined (raw Base64) from the file's sibling ``assets/``."""
    folder = storyboard_file.resolve().parent / "assets"

    def media(asset: Asset) -> str | None:
        if asset.url:
            return str(asset.url)
        exact = folder / f"{asset.hash}.{asset.format}"
        candidates = [exact] if exact.is_file() else sorted(folder.glob(f"{asset.hash}.*"))
        for path in candidates:
            return base64.b64encode(path.read_bytes()).decode("ascii")
        return None

    return media


def shorten_inline_media(value: Any, limit: int = 120) -> Any:
    """For terminal display: replace long base64 strings by a size note."""
    if isinstance(value, dict):
        return {k: shorten_inline_media(v, limit) for k, v in value.items()}
    if isinstance(value, list):
        return [shorten_inline_media(v, limit) for v in value]
    looks_inline = (
        not value.startswith("http") and " " not in value if isinstance(value, str) else False
    )
    if isinstance(value, str) and len(value) > limit and looks_inline:
        return f"<base64, {len(value) * 3 // 4 / 1024:.0f} KB>"
    return value


def emit_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def launch_app(open_path: Path | None = None) -> int:
    """Open the desktop app (optionally on a project or storyboard file)."""
    try:
        from kling_studio.app.main import run_app
    except ImportError:
        print(
            "The desktop app is not part of this build yet. Try `kling-studio --help`, e.g.\n"
            "  kling-studio estimate resources/examples/v3-ad-3-shots.json",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return run_app(smoke_test=None, open_path=open_path)  # None: the env decides
