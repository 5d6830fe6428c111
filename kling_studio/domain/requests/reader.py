"""Typed reading of a received JSON body, collecting findings in the real API's words.

Codes follow Kling's error table: ``API1200`` (invalid request: wrong JSON type, missing field,
unknown field) and ``API1201`` (invalid value). Paths are wire paths (``multi_prompt[2].duration``).
"""

from __future__ import annotations

import json
from typing import Any

from kling_studio.domain.findings import Finding, has_errors

INVALID_REQUEST = "API1200"
INVALID_VALUE = "API1201"


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _choices(allowed: tuple[str, ...]) -> str:
    return ", ".join(f'"{a}"' for a in allowed)


class Reader:
    """Reads fields of one body and remembers what was wrong with them."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    @property
    def failed(self) -> bool:
        return has_errors(self.findings)

    def error(self, path: str, message: str, code: str = INVALID_VALUE) -> None:
        self.findings.append(Finding(code=code, severity="error", path=path, message=message))

    def warn(self, path: str, message: str, code: str = INVALID_REQUEST) -> None:
        self.findings.append(Finding(code=code, severity="warning", path=path, message=message))

    def missing(self, path: str, why: str = "") -> None:
        self.error(path, f"{path} is required{why}", INVALID_REQUEST)

    def string(
        self,
        obj: dict[str, Any],
        field: str,
        path: str | None = None,
        *,
        allowed: tuple[str, ...] = (),
        example: str = "",
        max_chars: int | None = None,
    ) -> str | None:
        """``obj[field]`` when it is a string (among ``allowed``, if given), else None."""
        path = path or field
        value = obj.get(field)
        if value is None:
            return None
        if not isinstance(value, str):
            hint = f', e.g. "{example}"' if example else ""
            self.error(path, f"{path} must be a string{hint}", INVALID_REQUEST)
            return None
        if allowed and value not in allowed:
            self.error(path, f"{path} must be one of {_choices(allowed)} (got {_show(value)})")
            return None
        if max_chars is not None and len(value) > max_chars:
            self.error(path, f"{path} must be at most {max_chars} characters (got {len(value)})")
            return None
        return value

    def boolean(self, obj: dict[str, Any], field: str, path: str | None = None) -> bool | None:
        path = path or field
        value = obj.get(field)
        if value is None or isinstance(value, bool):
            return value
        self.error(
            path, f"{path} must be a JSON boolean true/false (got {_show(value)})", INVALID_REQUEST
        )
        return None

    def integer(self, obj: dict[str, Any], field: str, path: str) -> int | None:
        value = obj.get(field)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if value is None:
            self.missing(path)
        else:
            self.error(path, f"{path} must be an integer (got {_show(value)})", INVALID_REQUEST)
        return None

    def number(
        self, obj: dict[str, Any], field: str, lo: float | None, hi: float | None
    ) -> float | None:
        value = obj.get(field)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(field, f"{field} must be a number (got {_show(value)})", INVALID_REQUEST)
            return None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.error(field, f"{field} must be between {lo:g} and {hi:g} (got {value:g})")
            return None
        return float(value)

    def objects(
        self, obj: dict[str, Any], field: str, max_items: int | None
    ) -> list[dict[str, Any]] | None:
        """``obj[field]`` when it is a list of JSON objects of allowed length, else None."""
        value = obj.get(field)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.error(field, f"{field} must be an array of objects", INVALID_REQUEST)
            return None
        if max_items is not None and len(value) > max_items:
            self.error(field, f"{field} takes at most {max_items} items (got {len(value)})")
            return None
        # As at the top level, a null member counts as not sent.
        return [{k: v for k, v in item.items() if v is not None} for item in value]
