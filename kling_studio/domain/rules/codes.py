"""The registry of finding codes: one stable code per rule, never reused for another meaning.

Codes are grouped by topic: ``KS0xx`` model and provider, ``KS1xx`` timing, ``KS2xx`` prompts,
``KS3xx`` settings, ``KS4xx`` frames and input slots, ``KS5xx`` counts, ``KS6xx`` reference
video, ``KS7xx`` media files. A retired code stays in the table (marked retired) so it is never
handed out again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from kling_studio.domain.findings import Finding, Fix, Severity


@dataclass(frozen=True, slots=True)
class RuleCode:
    """One code: its severity and what it means, in one line."""

    code: str
    severity: Severity
    summary: str


_TABLE: Final = (
    # --- model and provider ---
    RuleCode("KS001", "error", "settings.model is not a storyboard model of the catalog"),
    RuleCode("KS002", "error", "settings.provider names no known provider"),
    RuleCode("KS003", "error", "the provider does not offer the model"),
    # --- timing ---
    RuleCode("KS101", "error", "more shots than the model or provider takes"),
    RuleCode("KS102", "error", "a shot is shorter than the model's or provider's minimum"),
    RuleCode("KS103", "error", "the total is not one of the model's durations"),
    RuleCode("KS104", "error", "the total is not allowed with a reference video"),
    RuleCode("KS105", "error", "the total is not allowed without references"),
    RuleCode("KS106", "error", "the total is outside the provider's range"),
    # --- prompts ---
    RuleCode("KS201", "error", "the prompt is longer than the model allows"),
    RuleCode("KS202", "error", "a shot prompt is longer than the per-shot limit"),
    RuleCode("KS203", "error", "the single-shot prompt is empty"),
    RuleCode("KS204", "error", "a shot of a multi-shot storyboard has no prompt"),
    RuleCode("KS205", "error", "AI-planned shots need a storyboard prompt"),
    RuleCode("KS206", "error", "the negative prompt is longer than the model allows"),
    RuleCode("KS207", "warning", "the model takes no negative prompt: it will not be sent"),
    RuleCode("KS208", "error", "a <<<…>>> tag points at an item that is not attached"),
    RuleCode("KS210", "warning", "image-to-video without a prompt"),
    RuleCode("KS209", "warning", "shot prompts are not sent when the model plans the shots"),
    # --- settings ---
    RuleCode("KS301", "error", "the aspect ratio is not offered by the model"),
    RuleCode("KS302", "error", "the mode is not offered by the model"),
    RuleCode("KS303", "error", "the mode is not offered by the provider"),
    RuleCode("KS304", "error", "sound is on but the model makes no native audio"),
    RuleCode("KS305", "error", "sound is on in a mode that makes no sound"),
    RuleCode("KS306", "warning", "the model takes no CFG scale: it will not be sent"),
    RuleCode("KS307", "error", "the model cannot plan the shots itself (shot type)"),
    RuleCode("KS308", "error", "the provider cannot let the model plan the shots"),
    # --- frames and input slots ---
    RuleCode("KS401", "error", "the model does not take this input"),
    RuleCode("KS402", "error", "the input exists only on another endpoint of the model"),
    RuleCode("KS403", "error", "multi-shot excludes the end frame"),
    RuleCode("KS404", "error", "the end frame needs a start frame"),
    RuleCode("KS405", "error", "a static mask cannot be combined with an end frame"),
    RuleCode("KS406", "error", "elements need a start frame"),
    RuleCode("KS407", "error", "elements and voices cannot be used together"),
    RuleCode("KS408", "error", "voices need sound on"),
    RuleCode("KS409", "error", "frames cannot be combined with a base reference video"),
    RuleCode("KS410", "error", "no start frame with multi-shot (model or provider)"),
    RuleCode("KS411", "error", "the provider does not take this input"),
    # --- counts ---
    RuleCode("KS501", "error", "more elements than the model takes"),
    RuleCode("KS502", "error", "more voices than the model takes"),
    RuleCode("KS503", "error", "more reference images than the model takes"),
    RuleCode("KS504", "error", "reference images + elements + frames exceed the reference pool"),
    RuleCode("KS505", "error", "the reference pool is exceeded for a storyboard with a video"),
    # --- reference video ---
    RuleCode("KS601", "error", "sound must be off with a reference video"),
    RuleCode("KS602", "error", "4K is not available with a reference video"),
    RuleCode("KS603", "error", "the input is taken only by URL and its asset has none"),
    # --- media files ---
    RuleCode("KS701", "error", "an asset of the wrong kind is in a slot"),
    RuleCode("KS702", "error", "the file format is not accepted"),
    RuleCode("KS703", "error", "the file is larger than allowed"),
    RuleCode("KS704", "error", "a side is shorter than allowed"),
    RuleCode("KS705", "error", "a side is longer than allowed"),
    RuleCode("KS706", "error", "the picture's aspect ratio is outside the allowed range"),
    RuleCode("KS707", "error", "the video's duration is outside the allowed range"),
    RuleCode("KS708", "error", "the video's frame rate is outside the allowed range"),
    RuleCode("KS709", "warning", "the file's metadata is unknown: it could not be checked"),
    RuleCode("KS710", "error", "the provider needs an https URL for a local file"),
)

CODES: Final[Mapping[str, RuleCode]] = MappingProxyType({c.code: c for c in _TABLE})
"""Every code with its severity and summary."""

RULE_CODES: Final[Mapping[str, str]] = MappingProxyType({c.code: c.summary for c in _TABLE})
"""code → one-line description."""


def finding(code: str, path: str, message: str, fix: Fix | None = None) -> Finding:
    """A finding of ``code``, with the severity the registry gives it."""
    return Finding(code=code, severity=CODES[code].severity, path=path, message=message, fix=fix)
