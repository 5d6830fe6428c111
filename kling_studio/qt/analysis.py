"""Live findings and price: re-run the pure rules and estimate after every document change."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from kling_studio.domain.catalog import Catalog
from kling_studio.domain.findings import Finding, has_errors
from kling_studio.domain.pricing import Estimate, RateCard, estimate
from kling_studio.domain.providers import ProviderProfiles
from kling_studio.domain.rules import check
from kling_studio.domain.storyboard import Storyboard
from kling_studio.qt.document import DocumentChange, StoryboardDocument
from kling_studio.resources import load_rate_card


@dataclass(frozen=True)
class Analysis:
    """What the rules and the rate card say about the current storyboard."""

    storyboard: Storyboard
    findings: tuple[Finding, ...]
    estimate: Estimate

    @property
    def blocked(self) -> bool:
        return has_errors(self.findings)

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


class LiveAnalysis(QObject):
    """Recomputes synchronously on every change: both functions are pure and sub-millisecond,
    so the cost panel is never a frame behind the edit that caused it.

    Signals:
        updated(Analysis): after every recomputation.
    """

    updated = Signal(object)

    def __init__(
        self,
        doc: StoryboardDocument,
        catalog: Catalog,
        providers: ProviderProfiles,
        rate_card_override: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._doc = doc
        self._catalog = catalog
        self._providers = providers
        self._override = rate_card_override
        self._cards: dict[str, RateCard | None] = {}
        self._card_error: str | None = None
        self.current = self._compute(doc.storyboard)
        doc.changed.connect(self._on_doc_changed)

    @property
    def card_error(self) -> str | None:
        """Why the user's rate-card override could not be used, if it could not."""
        return self._card_error

    def set_rate_card_override(self, path: Path | None) -> None:
        self._override = path
        self._cards.clear()
        self.refresh()

    def refresh(self) -> None:
        self.current = self._compute(self._doc.storyboard)
        self.updated.emit(self.current)

    def _card(self, provider: str) -> RateCard | None:
        if provider not in self._cards:
            try:
                self._cards[provider] = load_rate_card(provider, self._override)
                self._card_error = None
            except ValueError as exc:
                self._card_error = f"Rate-card override ignored: {exc}"
                self._cards[provider] = load_rate_card(provider, None)
        return self._cards[provider]

    def _compute(self, sb: Storyboard) -> Analysis:
        findings = check(sb, self._catalog, self._providers)
        est = estimate(sb, self._catalog, self._card(sb.settings.provider))
        return Analysis(sb, findings, est)

    def _on_doc_changed(self, change: DocumentChange) -> None:
        self.current = self._compute(change.after)
        self.updated.emit(self.current)
