"""Findings: what the rules say about a storyboard, and the one-click fixes they offer."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Severity = Literal["error", "warning"]

FixAction = Literal[
    "drop_end_frame",
    "drop_start_frame",
    "drop_static_mask",
    "drop_reference_video",
    "drop_reference_image",
    "drop_element",
    "drop_voices",
    "drop_elements",
    "sound_off",
    "sound_on",
    "set_mode",
    "set_total",
    "set_aspect_ratio",
    "set_shot_type",
    "clear_cfg_scale",
    "clear_negative_prompt",
    "distribute_evenly",
    "truncate_prompt",
    "truncate_shot_prompt",
    "merge_shots",
    "remove_reference_tag",
]


class Fix(BaseModel):
    """A one-click fix: a named pure edit with its arguments (see ``edits.apply_fix``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str
    action: FixAction
    value: str | int | None = None
    index: int | None = None


class Finding(BaseModel):
    """One thing a rule noticed.

    Attributes:
        code: stable identifier (``KS-…``); never reused for another meaning.
        severity: ``error`` blocks submitting; ``warning`` is advice.
        path: the storyboard field concerned (``shots[2].prompt``, ``settings.mode`` …).
        message: a sentence a user understands, naming the value and the limit.
        fix: an edit that resolves it, where one is natural.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    severity: Severity
    path: str
    message: str
    fix: Fix | None = None


def has_errors(findings: list[Finding] | tuple[Finding, ...]) -> bool:
    return any(f.severity == "error" for f in findings)
