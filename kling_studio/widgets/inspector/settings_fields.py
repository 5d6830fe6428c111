"""Editors for storyboard settings, built from a catalog parameter (no model-specific code).

Which editor a setting gets follows from the storyboard field's type and the catalog parameter:
a boolean setting is a check box (even where the wire format is an ``on``/``off`` enum), a number
is a spin box with the catalog's range and step, a parameter with values is a combo box of the
catalog's labels, anything else a line edit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from kling_studio.domain.catalog import ModelEntry, Parameter
from kling_studio.domain.storyboard import Settings
from kling_studio.widgets.inspector.common import ERROR_COLOR

#: The settings the form can show, in form order; each appears only if the model takes it.
SETTING_KEYS = (
    "aspect_ratio",
    "mode",
    "sound",
    "negative_prompt",
    "shot_type",
    "cfg_scale",
    "watermark",
)

_PLACEHOLDERS = {"negative_prompt": "Things to avoid, e.g. blurry, text overlay"}

Apply = Callable[[str, Any, str, "str | None"], None]  # key, value, undo text, merge key


def editor_kind(key: str, param: Parameter) -> str:
    """``check``, ``number``, ``enum`` or ``text`` for a settings field."""
    default = Settings.model_fields[key].default
    if isinstance(default, bool):
        return "check"
    if param.type in ("number", "integer", "range"):
        return "number"
    if param.values:
        return "enum"
    return "text"


def tooltip(param: Parameter, entry: ModelEntry) -> str:
    """The catalog's default, and where the parameter applies when not everywhere."""
    parts = [param.label]
    if param.default is not None and not isinstance(param.default, dict):
        parts.append(f"Default for {entry.name}: {param.label_for(str(param.default))}")
    if param.endpoints:
        parts.append(f"Used for: {', '.join(param.endpoints)}")
    return "\n".join(parts)


def fill_combo(combo: QComboBox, param: Parameter, current: str, entry: ModelEntry) -> None:
    """The catalog's values with their labels; a value the model does not take stays visible."""
    combo.clear()
    for v in param.values:
        combo.addItem(v.label, v.value)
    if combo.findData(current) < 0:
        # Kept in the storyboard on purpose (the rules explain it); show it rather than lie.
        combo.addItem(f"{current} — not available for {entry.name}", current)
        combo.setItemData(combo.count() - 1, ERROR_COLOR, Qt.ItemDataRole.ForegroundRole)
    combo.setCurrentIndex(combo.findData(current))


class CfgEditor(QWidget):
    """A number setting that may be unset (the API's default applies): spin box + *Default*."""

    def __init__(self, param: Parameter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.param = param
        self.spin = QDoubleSpinBox(self)
        step = param.step or 0.1
        self.spin.setRange(param.minimum or 0.0, param.maximum or 1.0)
        self.spin.setSingleStep(step)
        self.spin.setDecimals(max(1, len(f"{step:g}".partition(".")[2])))
        self.spin.setKeyboardTracking(False)  # one value per finished entry, not per keystroke
        self.reset = QToolButton(self)
        self.reset.setText("Default")
        self.reset.setToolTip("Leave it unset: the model's default applies")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.spin, 1)
        layout.addWidget(self.reset)
        self.setFocusProxy(self.spin)

    def show_value(self, value: float | None) -> None:
        self.spin.blockSignals(True)
        try:
            default = float(self.param.default) if self.param.default is not None else 0.0
            self.spin.setValue(default if value is None else value)
            self.spin.setSuffix("  (default)" if value is None else "")
        finally:
            self.spin.blockSignals(False)
        self.reset.setEnabled(value is not None)


def make_editor(
    key: str, param: Parameter, entry: ModelEntry, parent: QWidget, apply: Apply
) -> QWidget:
    """The editor widget for one setting, wired to ``apply`` (which pushes one undo step)."""
    kind = editor_kind(key, param)
    name = param.label or key
    if kind == "check":
        box = QCheckBox(parent)
        box.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)  # no dead click area
        box.clicked.connect(
            lambda on: apply(key, bool(on), f"Turn {name.lower()} {'on' if on else 'off'}", None)
        )
        return box
    if kind == "number":
        cfg = CfgEditor(param, parent)
        cfg.spin.valueChanged.connect(
            lambda v: apply(key, round(float(v), 4), f"Set {name}", f"settings.{key}")
        )
        cfg.reset.clicked.connect(lambda: apply(key, None, f"Reset {name}", None))
        return cfg
    if kind == "enum":
        combo = QComboBox(parent)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.activated.connect(
            lambda i: apply(key, combo.itemData(i), f"Set {name} to {combo.itemText(i)}", None)
        )
        return combo
    line = QLineEdit(parent)
    line.setPlaceholderText(_PLACEHOLDERS.get(key, ""))
    line.textEdited.connect(lambda t: apply(key, t, f"Edit {name.lower()}", f"settings.{key}"))
    return line


def show_value(widget: QWidget, key: str, param: Parameter, value: Any, entry: ModelEntry) -> None:
    """Put the storyboard's value into an editor made by :func:`make_editor` (no signals)."""
    if isinstance(widget, CfgEditor):
        widget.show_value(value)
        return
    widget.blockSignals(True)
    try:
        if isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QComboBox):
            fill_combo(widget, param, str(value), entry)
        elif isinstance(widget, QLineEdit) and widget.text() != value:
            widget.setText(str(value))
    finally:
        widget.blockSignals(False)
