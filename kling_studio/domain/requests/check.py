"""Validate a received create body the way Kling's API does (used by the simulator)."""

from __future__ import annotations

from typing import Any

from kling_studio.domain.catalog import Catalog
from kling_studio.domain.findings import Finding
from kling_studio.domain.requests.inputs import Probe
from kling_studio.domain.requests.parse import parse_request
from kling_studio.domain.rules import check as check_rules


def check_request(endpoint: str, body: Any, catalog: Catalog, probe: Probe) -> list[Finding]:
    """Everything wrong with a create body: body-level findings, then the rules' errors.

    Body-level findings come first (codes ``API1200``/``API1201``, wire paths, warnings for
    ignored fields). When the body is well formed, the storyboard it describes is run through
    :func:`kling_studio.domain.rules.check` and its errors (``KS-…`` codes, storyboard paths)
    follow; the real API answers those with 1201 too (see :func:`api_error`).
    """
    storyboard, findings = parse_request(endpoint, body, catalog, probe)
    if storyboard is not None:
        findings.extend(f for f in check_rules(storyboard, catalog) if f.severity == "error")
    return findings


def api_error(findings: list[Finding] | tuple[Finding, ...]) -> tuple[int, str] | None:
    """The Kling error ``(code, message)`` to answer with, or None when nothing is an error.

    ``API12xx`` findings keep their number; rule errors are invalid values, i.e. 1201.
    """
    for f in findings:
        if f.severity == "error":
            digits = f.code[3:] if f.code.startswith("API") else ""
            return (int(digits) if digits.isdigit() else 1201), f.message
    return None
