"""Layering rules import-linter cannot express (it cannot forbid an external sub-package)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kling_studio"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_qt_layer_has_no_widgets() -> None:
    offenders = {
        str(p.relative_to(PACKAGE)): sorted(m for m in imported_modules(p) if "QtWidgets" in m)
        for p in (PACKAGE / "qt").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_scan_sees_widget_imports() -> None:
    # The check above must be able to fail: a widgets module does import QtWidgets.
    found = [
        p
        for p in (PACKAGE / "widgets").rglob("*.py")
        if any("QtWidgets" in m for m in imported_modules(p))
    ]
    assert found
