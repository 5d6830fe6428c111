"""Typed views of Kling's task replies (kling-api.md §2 create response, §3a task query).

The wire format nests things (``data.task_info.external_task_id``,
``data.task_result.videos``); :class:`TaskInfo` flattens them into what the app uses. Unknown
fields are ignored so a new server field never breaks parsing; ids and ``final_unit_deduction``
stay strings (task ids are 64-bit snowflakes).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

TERMINAL_STATUSES = frozenset({"succeed", "failed"})


class VideoResult(BaseModel):
    """One result video: its id, URL (valid ~30 days), optional watermarked URL and length."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str = ""
    url: str
    watermark_url: str = ""
    duration: str = ""

    @field_validator("id", "duration", "watermark_url", mode="before")
    @classmethod
    def _text(cls, v: object) -> object:
        if v is None:
            return ""
        return str(v) if isinstance(v, int | float) else v


class TaskInfo(BaseModel):
    """A Kling video task as the app sees it.

    Attributes:
        task_id: Kling's id of the task.
        status: ``submitted``, ``processing``, ``succeed`` or ``failed`` (any other value is
            treated as still pending).
        status_msg: the failure reason, when failed.
        external_task_id: the id the app chose when creating it.
        final_unit_deduction: units actually charged (string, as Kling sends it), once known.
        created_at, updated_at: Unix milliseconds.
        videos: the results, once succeeded.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    task_id: str
    status: str
    status_msg: str = ""
    external_task_id: str | None = None
    final_unit_deduction: str | None = None
    created_at: int | None = None
    updated_at: int | None = None
    videos: tuple[VideoResult, ...] = Field(default=())

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES

    @property
    def succeeded(self) -> bool:
        return self.status == "succeed"

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> TaskInfo:
        """Build from the ``data`` object of a create or query reply."""
        info = data.get("task_info") or {}
        info = info if isinstance(info, dict) else {}
        result = data.get("task_result") or {}
        deduction = data.get("final_unit_deduction")
        return cls.model_validate(
            {
                "task_id": str(data.get("task_id", "")),
                "status": str(data.get("task_status", "")),
                "status_msg": data.get("task_status_msg") or "",
                "external_task_id": info.get("external_task_id"),
                "final_unit_deduction": None if deduction in (None, "") else str(deduction),
                "created_at": data.get("created_at"),
                "updated_at": data.get("updated_at"),
                "videos": (result.get("videos") or []) if isinstance(result, dict) else [],
            }
        )


class DownloadResult(BaseModel):
    """What a finished download wrote: total size, SHA-256 of the whole file, content type."""

    model_config = ConfigDict(frozen=True)

    size: int
    sha256: str
    content_type: str
    resumed: bool = False
