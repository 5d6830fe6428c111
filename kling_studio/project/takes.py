"""Takes: result videos kept in a project, each with the exact request and response behind it.

A take is two files in ``takes/``: ``<id>.mp4`` and ``<id>.json`` (a :class:`TakeRecord`). The
sidecar is written last, so its presence means the video is complete; a project adopts any take
whose sidecar exists even when ``project.json`` was not saved after it (a crash after a paid
download must not lose the result).
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator

from kling_studio.domain.document import describe_validation_error

TAKE_FORMAT: Literal["kling-studio.take"] = "kling-studio.take"
TAKE_VERSION: Literal[1] = 1
MAX_SIDECAR_BYTES = 64 * 1024 * 1024  # requests may carry Base64 images
_TAKE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class TakeError(ValueError):
    """A take sidecar that cannot be read; ``str(err)`` names the file and the field."""


class Take(BaseModel):
    """One result video: where it came from, what it cost, and its content hash.

    ``id`` doubles as the file name stem, so it is restricted to letters, digits, ``-`` and ``_``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    job_id: str = Field(min_length=1, max_length=128)
    task_id: str | None = Field(default=None, max_length=128)
    provider: str = Field(default="kling", min_length=1, max_length=32)
    model: str = Field(min_length=1, max_length=64)
    endpoint: str = Field(default="", max_length=64)
    created: AwareDatetime
    sha256: str
    bytes: int = Field(ge=0)
    width: int | None = Field(default=None, ge=1)
    height: int | None = Field(default=None, ge=1)
    duration: float | None = Field(default=None, ge=0)
    fps: float | None = Field(default=None, ge=0)
    estimate_units: float | None = Field(default=None, ge=0)
    charged_units: float | None = Field(default=None, ge=0)

    @field_validator("id")
    @classmethod
    def _safe_id(cls, v: str) -> str:
        if not _TAKE_ID.match(v):
            raise ValueError("must be 1-64 letters, digits, '-' or '_' (it names files)")
        return v

    @field_validator("sha256")
    @classmethod
    def _hex(cls, v: str) -> str:
        if not _SHA256.match(v):
            raise ValueError("must be 64 lowercase hex digits")
        return v

    @property
    def video_name(self) -> str:
        return f"{self.id}.mp4"

    @property
    def record_name(self) -> str:
        return f"{self.id}.json"


class TakeRecord(BaseModel):
    """The sidecar ``<id>.json``: the take plus the request and response that produced it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["kling-studio.take"] = TAKE_FORMAT
    version: Literal[1] = TAKE_VERSION
    take: Take
    request: dict[str, Any]
    response: dict[str, Any]


def new_take_id(now: datetime | None = None) -> str:
    """A sortable, unique id such as ``20261121-153000-a1b2c3``."""
    now = now or datetime.now(UTC)
    return f"{now.astimezone(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def dump_record(record: TakeRecord) -> bytes:
    text = json.dumps(record.model_dump(mode="json"), indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def read_record(path: Path) -> TakeRecord:
    """Load a sidecar; every failure is a :class:`TakeError` naming the file."""
    where = f"takes/{path.name}"
    try:
        if path.stat().st_size > MAX_SIDECAR_BYTES:
            raise TakeError(f"{where}: the file is too large to be a take record")
        doc = json.loads(path.read_bytes())
    except OSError as exc:
        raise TakeError(f"{where}: cannot be read ({exc.strerror or exc})") from None
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise TakeError(f"{where}: not valid JSON") from None
    try:
        return TakeRecord.model_validate(doc)
    except ValidationError as exc:
        lines = describe_validation_error(exc, prefix="record").splitlines()
        raise TakeError(f"{where}: " + "\n".join(_strip(line) for line in lines)) from None


def _strip(line: str) -> str:
    return line.removeprefix("record.")
