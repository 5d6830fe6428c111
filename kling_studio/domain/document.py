"""The storyboard file format: versioned JSON with migrations and precise error messages.

A file looks like ``{"format": "kling-studio.storyboard", "version": 1, "storyboard": {…}}``.
Older versions are upgraded by the functions in ``MIGRATIONS`` (version N → N+1), one step at a
time, before validation. Anything wrong yields a :class:`StoryboardFormatError` whose message names
the offending field and says what was expected; callers never see a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from kling_studio.domain.storyboard import Storyboard

FORMAT = "kling-studio.storyboard"
VERSION = 1
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64

Migration = Callable[[dict[str, Any]], dict[str, Any]]


def _v0_to_v1(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 0 (pre-release) stored the storyboard at the top level with ``duration``."""
    body = {k: v for k, v in doc.items() if k not in ("format", "version")}
    if "duration" in body and "total" not in body:
        body["total"] = body.pop("duration")
    return {"format": FORMAT, "version": 1, "storyboard": body}


MIGRATIONS: dict[int, Migration] = {0: _v0_to_v1}


class StoryboardFormatError(ValueError):
    """A storyboard file that cannot be read; ``str(err)`` is the user-facing explanation."""


def _depth(value: Any, limit: int) -> int:
    stack: list[tuple[Any, int]] = [(value, 1)]
    deepest = 0
    while stack:
        item, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > limit:
            return deepest
        if isinstance(item, dict):
            stack.extend((v, d + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, d + 1) for v in item)
    return deepest


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "storyboard"


def describe_validation_error(exc: ValidationError, prefix: str = "storyboard") -> str:
    """One readable line per problem (at most five), each naming the field."""
    lines = []
    for err in exc.errors()[:5]:
        where = _loc(tuple(err["loc"]))
        where = prefix if where == "storyboard" else f"{prefix}.{where}"
        got = err.get("input")
        shown = "" if isinstance(got, dict | list) else f" (got {json.dumps(got)[:60]})"
        msg = err["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {msg}{shown}")
    more = len(exc.errors()) - 5
    if more > 0:
        lines.append(f"… and {more} more problem(s)")
    return "\n".join(lines)


def upgrade(doc: dict[str, Any]) -> dict[str, Any]:
    """Bring a parsed document to the current version, or explain why it cannot be."""
    version = doc.get("version", 0)
    if not isinstance(version, int) or isinstance(version, bool):
        raise StoryboardFormatError(f"version: expected a whole number, got {json.dumps(version)}")
    if version > VERSION:
        raise StoryboardFormatError(
            f"version: this file was written by a newer Kling Studio (format version {version}); "
            f"this one reads up to version {VERSION}. Update the app to open it."
        )
    if version < 0:
        raise StoryboardFormatError(f"version: {version} is not a valid format version")
    while version < VERSION:
        doc = MIGRATIONS[version](doc)
        version = doc["version"]
    return doc


def parse_document(doc: Any) -> Storyboard:
    """Validate an already-parsed JSON value as a storyboard document."""
    if not isinstance(doc, dict):
        raise StoryboardFormatError(
            f"The file holds a JSON {type(doc).__name__}, not a storyboard object."
        )
    fmt = doc.get("format")
    if fmt is not None and fmt != FORMAT:
        raise StoryboardFormatError(f"format: expected {FORMAT!r}, got {json.dumps(fmt)[:60]}")
    doc = upgrade(doc)
    body = doc.get("storyboard")
    if not isinstance(body, dict):
        raise StoryboardFormatError("storyboard: missing, or not an object")
    try:
        return Storyboard.model_validate(body)
    except ValidationError as exc:
        raise StoryboardFormatError(describe_validation_error(exc)) from None


def load_storyboard_text(text: str | bytes) -> Storyboard:
    """Parse a storyboard file's contents."""
    if len(text) > MAX_FILE_BYTES:
        raise StoryboardFormatError(
            f"The file is {len(text) / 1e6:.1f} MB; a storyboard file is at most "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB. Is this really a storyboard?"
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise StoryboardFormatError(
                f"The file is not UTF-8 text (byte {exc.start}); it is not a storyboard."
            ) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StoryboardFormatError(
            f"Not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    except RecursionError:
        raise StoryboardFormatError("The JSON is nested too deeply to be a storyboard.") from None
    if _depth(doc, MAX_DEPTH) > MAX_DEPTH:
        raise StoryboardFormatError("The JSON is nested too deeply to be a storyboard.")
    return parse_document(doc)


def dump_document(sb: Storyboard) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "storyboard": sb.model_dump(mode="json")}


def dump_storyboard_text(sb: Storyboard) -> str:
    """Serialise with stable key order and a trailing newline (diff-friendly)."""
    return json.dumps(dump_document(sb), indent=2, ensure_ascii=False) + "\n"


def json_schema() -> dict[str, Any]:
    """JSON schema of the current file format (shipped as resources/schema/)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Kling Studio storyboard",
        "type": "object",
        "required": ["format", "version", "storyboard"],
        "properties": {
            "format": {"const": FORMAT},
            "version": {"const": VERSION},
            "storyboard": Storyboard.model_json_schema(),
        },
    }
