"""Everything the main window needs that is not a widget, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtGui import QImage, QPixmap

from kling_studio.backends.kling import Credentials
from kling_studio.backends.kling.credentials import load_credentials
from kling_studio.domain.catalog import Catalog
from kling_studio.domain.providers import ProviderProfiles
from kling_studio.project import AppSettings
from kling_studio.resources import list_examples, load_catalog, load_providers


class SessionCredentials:
    """Credentials typed in Settings on a machine without an OS keyring: memory only.

    Used before the keyring and the environment; never written anywhere, never shown.
    """

    def __init__(self) -> None:
        self._creds: Credentials | None = None

    def set(self, *, api_key: str | None, access_key: str | None, secret_key: str | None) -> None:
        self._creds = Credentials(api_key=api_key, access_key=access_key, secret_key=secret_key)

    def __call__(self) -> Credentials:
        return self._creds if self._creds is not None else load_credentials()

    def __repr__(self) -> str:
        return f"SessionCredentials(set={self._creds is not None})"


@dataclass
class Services:
    """Shared, long-lived objects: catalog, provider profiles, examples, settings, media."""

    catalog: Catalog
    providers: ProviderProfiles
    settings: AppSettings = field(default_factory=AppSettings)
    settings_message: str | None = None
    examples: list[tuple[str, str, Path]] = field(default_factory=list)
    session_credentials: SessionCredentials = field(default_factory=SessionCredentials)
    library: Any = None  # the AssetLibrary of the open project (set by the composition root)

    @classmethod
    def create(cls, settings: AppSettings | None = None, message: str | None = None) -> Services:
        return cls(
            catalog=load_catalog(),
            providers=load_providers(),
            settings=settings or AppSettings(),
            settings_message=message,
            examples=list_examples(),
        )

    @property
    def rate_card_override(self) -> Path | None:
        return self.settings.rate_card_override

    @property
    def backend_label(self) -> str:
        if self.settings.provider == "simulator":
            return "Backend: offline simulator — nothing is charged"
        return f"Backend: Kling official API ({self.settings.region})"

    def image_for(self, ref: str) -> QImage | None:
        return self.library.image_for(ref) if self.library is not None else None

    def thumbnail_for(self, ref: str) -> QPixmap | None:
        return self.library.thumbnail_for(ref) if self.library is not None else None
