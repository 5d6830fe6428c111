"""Reference tags shown as chips: a highlighter for the text, a text edit that paints the chips.

The text stays the exact tag (``<<<image_2>>>``) so what is sent is what is typed; only the look
changes: the brackets fade and tighten, the name takes the kind's colour, a rounded tinted chip is
painted behind it, and a tag that points at nothing gets a red wavy underline and a tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QFont,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
    QTextLine,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QToolTip, QWidget

from kling_studio.widgets.inspector.common import ERROR_COLOR, KIND_COLORS
from kling_studio.widgets.inspector.tags import Reference, TagSpan, find_tags, unknown_message

_BRACKETS = 3  # len("<<<") == len(">>>")


def _faded(color: QColor, alpha: int) -> QColor:
    out = QColor(color)
    out.setAlpha(alpha)
    return out


def _x(line: QTextLine, pos: int) -> float:
    # PySide returns (x, pos) for cursorToX; the stubs say object.
    result: tuple[float, int] = line.cursorToX(pos)  # type: ignore[assignment]
    return result[0]


class TagHighlighter(QSyntaxHighlighter):
    """Colours ``<<<kind_N>>>`` tags; unknown ones are underlined in red."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._refs: list[Reference] = []

    def set_references(self, refs: list[Reference]) -> None:
        if refs != self._refs:
            self._refs = list(refs)
            self.rehighlight()

    @property
    def references(self) -> list[Reference]:
        return self._refs

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        for span in find_tags(text, self._refs):
            color = KIND_COLORS[span.kind] if span.ref is not None else ERROR_COLOR
            name = QTextCharFormat()
            name.setForeground(color.darker(115))
            name.setFontWeight(600)
            bracket = QTextCharFormat()
            bracket.setForeground(_faded(color, 110))
            # Tighter brackets make the tag read as one token without changing the text.
            bracket.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
            bracket.setFontLetterSpacing(-2.0)
            if span.ref is None:
                for fmt in (name, bracket):
                    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
                    fmt.setUnderlineColor(ERROR_COLOR)
            length = span.end - span.start
            self.setFormat(span.start, _BRACKETS, bracket)
            self.setFormat(span.start + _BRACKETS, length - 2 * _BRACKETS, name)
            self.setFormat(span.end - _BRACKETS, _BRACKETS, bracket)


class ChipTextEdit(QPlainTextEdit):
    """A plain-text editor that paints a rounded chip behind every reference tag.

    Signals:
        focus_lost(): the editor lost keyboard focus (ends a typing burst).
    """

    focus_lost = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.highlighter = TagHighlighter(self.document())
        self.extra_menu: QMenu | None = None  # appended to the context menu (Insert reference)

    # ----- geometry shared by painting and tooltips -----

    def _spans(self, block: QTextBlock) -> list[TagSpan]:
        return find_tags(block.text(), self.highlighter.references)

    def _rects(self, block: QTextBlock, span: TagSpan) -> list[QRectF]:
        """One rectangle per visual line the tag covers, in viewport coordinates."""
        layout = block.layout()
        origin = self.blockBoundingGeometry(block).translated(self.contentOffset()).topLeft()
        rects: list[QRectF] = []
        for n in range(layout.lineCount()):
            line = layout.lineAt(n)
            lo = max(span.start, line.textStart())
            hi = min(span.end, line.textStart() + line.textLength())
            if lo >= hi:
                continue
            x1 = _x(line, lo)
            x2 = _x(line, hi)
            rect = QRectF(x1, line.y(), x2 - x1, line.height()).translated(origin)
            rects.append(rect.adjusted(-2.0, 1.0, 2.0, -1.0))
        return rects

    def _visible_blocks(self) -> list[QTextBlock]:
        blocks: list[QTextBlock] = []
        block = self.firstVisibleBlock()
        bottom = self.viewport().height()
        while block.isValid():
            top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
            if top > bottom:
                break
            if block.isVisible():
                blocks.append(block)
            block = block.next()
        return blocks

    def span_at(self, pos: QPoint) -> TagSpan | None:
        """The tag under a viewport position, if any."""
        for block in self._visible_blocks():
            for span in self._spans(block):
                if any(r.contains(pos.toPointF()) for r in self._rects(block, span)):
                    return span
        return None

    # ----- Qt overrides -----

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        # Chips go under the text: the viewport background is already filled, the text follows.
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        for block in self._visible_blocks():
            for span in self._spans(block):
                color = KIND_COLORS[span.kind] if span.ref is not None else ERROR_COLOR
                painter.setBrush(_faded(color, 34 if span.ref is not None else 22))
                for rect in self._rects(block, span):
                    painter.drawRoundedRect(rect, 5.0, 5.0)
        painter.end()
        super().paintEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            span = self.span_at(event.pos())
            if span is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip_for(span), self.viewport())
            return True
        return super().viewportEvent(event)

    def tooltip_for(self, span: TagSpan) -> str:
        if span.ref is not None:
            return span.ref.label
        return unknown_message(span, self.highlighter.references)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.focus_lost.emit()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        menu = self.createStandardContextMenu()
        for action in menu.actions():  # the document owns undo; the editor's own is disabled
            if action.objectName() in ("edit-undo", "edit-redo"):
                action.setVisible(False)
        if self.extra_menu is not None:
            menu.insertMenu(menu.actions()[0], self.extra_menu)
            menu.insertSeparator(menu.actions()[1])
        menu.exec(event.globalPos())
        menu.deleteLater()


__all__ = ["ChipTextEdit", "TagHighlighter"]
