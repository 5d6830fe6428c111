"""App-wide settings in ``<config dir>/settings.json`` (never credentials: those go to keyring).

Reading never fails: a file that is not JSON is moved aside as ``settings.json.corrupt-<time>``
and defaults are used; a file with some invalid values is also kept aside, and only those values
fall back to their defaults. Either way :func:`load_settings` returns a message for the app to
show. Unknown keys (a newer version's, or a key a user pasted in by hand) are dropped on save.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kling_studio.project.dirs import config_dir
from kling_studio.project.storage import atomic_write_bytes

FILE_NAME = "settings.json"
MAX_RECENT = 10
MAX_SETTINGS_BYTES = 1024 * 1024


class AppSettings(BaseModel):
    """User preferences. Immutable: the ``with…`` helpers return validated copies."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    provider: Literal["simulator", "kling"] = "simulator"
    region: Literal["global", "beijing", "custom"] = "global"
    custom_base_url: str | None = Field(default=None, max_length=2048)
    concurrency: int = Field(default=5, ge=1, le=20)
    rate_card_override: Path | None = None
    theme: Literal["system", "dark", "light"] = "system"
    recent_projects: tuple[Path, ...] = ()
    poll_interval: float = Field(default=5.0, ge=1.0, le=300.0)

    @field_validator("custom_base_url")
    @classmethod
    def _http(cls, v: str | None) -> str | None:
        if v is not None and not v.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL")
        return v.rstrip("/") if v else v

    @field_validator("recent_projects")
    @classmethod
    def _recent(cls, v: tuple[Path, ...]) -> tuple[Path, ...]:
        return _dedupe(v)[:MAX_RECENT]

    def with_recent(self, project: Path) -> AppSettings:
        """A copy with ``project`` first in the recent list (moved up if already there)."""
        return self._with(recent_projects=(Path(project).absolute(), *self.recent_projects))

    def without_missing_recent(self) -> AppSettings:
        """A copy whose recent list holds only paths that still exist."""
        return self._with(recent_projects=tuple(p for p in self.recent_projects if p.exists()))

    def _with(self, **changes: Any) -> AppSettings:
        # model_validate, not model_copy(update=…): the latter skips validation in pydantic v2.
        return AppSettings.model_validate(self.model_dump() | changes)


@dataclass(frozen=True)
class LoadedSettings:
    """The settings to use, and what to tell the user about the file (None: nothing)."""

    settings: AppSettings
    message: str | None = None


def settings_path() -> Path:
    return config_dir() / FILE_NAME


def load_settings() -> LoadedSettings:
    """Read the settings (defaults when there is no file); never raises for a bad file."""
    path = settings_path()
    try:
        if path.stat().st_size > MAX_SETTINGS_BYTES:
            return _set_aside(path, "it is far too large to be a settings file")
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        return LoadedSettings(AppSettings())
    except OSError as exc:
        why = f"Could not read {path} ({exc.strerror}); default settings are in use."
        return LoadedSettings(AppSettings(), why)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return _set_aside(path, "it is not valid JSON")
    if not isinstance(doc, dict):
        return _set_aside(path, "it does not hold a settings object")
    try:
        return LoadedSettings(AppSettings.model_validate(doc).without_missing_recent())
    except ValidationError as exc:
        return _salvage(path, doc, exc)


def save_settings(settings: AppSettings) -> None:
    """Write atomically (a crash leaves the previous file or the new one)."""
    text = json.dumps(settings.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    atomic_write_bytes(settings_path(), text.encode("utf-8"))


def _salvage(path: Path, doc: dict[str, Any], exc: ValidationError) -> LoadedSettings:
    bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
    kept = {k: v for k, v in doc.items() if k not in bad}
    try:
        settings = AppSettings.model_validate(kept).without_missing_recent()
    except ValidationError:
        return _set_aside(path, "its values are invalid")
    aside = _move_aside(path)
    where = f" (the original is kept as {aside.name})" if aside else ""
    names = ", ".join(sorted(bad))
    return LoadedSettings(
        settings, f"Some settings were invalid and reset to defaults: {names}{where}."
    )


def _set_aside(path: Path, why: str) -> LoadedSettings:
    aside = _move_aside(path)
    kept = f"; it was kept as {aside.name}" if aside else ""
    return LoadedSettings(
        AppSettings(), f"Your settings file could not be used ({why}){kept}. Defaults are in use."
    )


def _move_aside(path: Path) -> Path | None:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    try:
        path.replace(aside)
    except OSError:
        return None
    return aside


def _dedupe(paths: tuple[Path, ...]) -> tuple[Path, ...]:
    seen: set[Path] = set()
    out: list[Path] = []
    for p in paths:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return tuple(out)
