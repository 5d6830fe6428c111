"""Settings: provider, region, credentials, concurrency, rate-card override, theme."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kling_studio.backends.kling.credentials import (
    ENV_API_KEY,
    CredentialsError,
    keyring_status,
    store_in_keyring,
)
from kling_studio.project import AppSettings
from kling_studio.qt.services import SessionCredentials


class SettingsDialog(QDialog):
    """Edits a copy of the settings; :meth:`result_settings` is the accepted version.

    Secrets typed here go to the OS keyring; when the machine has none, the dialog says so and
    keeps them in memory for this session only (never in a file, a project or a log).
    """

    def __init__(
        self, settings: AppSettings, session: SessionCredentials, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(560)
        self._settings = settings
        self._session = session
        self._result = settings
        box1 = QGroupBox("General")
        box1.setLayout(self._build_general(settings))
        box2 = QGroupBox("Kling credentials")
        box2.setLayout(self._build_credentials())
        self.error = QLabel()
        self.error.setStyleSheet("color: #d9534f")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(box1)
        lay.addWidget(box2)
        lay.addWidget(self.error)
        lay.addWidget(buttons)

    def _build_general(self, settings: AppSettings) -> QFormLayout:
        self.provider = QComboBox()
        self.provider.addItem("Offline simulator (no account, no charges)", "simulator")
        self.provider.addItem("Kling official API (charges your resource pack)", "kling")
        self.provider.setCurrentIndex(max(0, self.provider.findData(settings.provider)))
        self.region = QComboBox()
        self.region.addItem("Global (Singapore)", "global")
        self.region.addItem("China (Beijing)", "beijing")
        self.region.addItem("Custom base URL", "custom")
        self.region.setCurrentIndex(max(0, self.region.findData(settings.region)))
        self.custom_url = QLineEdit(settings.custom_base_url or "")
        self.custom_url.setPlaceholderText("https://… (http only for 127.0.0.1)")
        self.concurrency = QSpinBox()
        self.concurrency.setRange(1, 20)
        self.concurrency.setValue(settings.concurrency)
        self.concurrency.setToolTip("Jobs sent to Kling at once (your resource pack's limit).")
        self.rate_card = QLineEdit(str(settings.rate_card_override or ""))
        self.rate_card.setPlaceholderText("none — the shipped, dated rate cards are used")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse_rate_card)
        card_row = QHBoxLayout()
        card_row.addWidget(self.rate_card, 1)
        card_row.addWidget(browse)
        self.theme = QComboBox()
        for label, value in (("System", "system"), ("Dark", "dark"), ("Light", "light")):
            self.theme.addItem(label, value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))

        general = QFormLayout()
        general.addRow("Generate with", self.provider)
        general.addRow("Region", self.region)
        general.addRow("Custom URL", self.custom_url)
        general.addRow("Concurrent jobs", self.concurrency)
        general.addRow("Rate-card override", card_row)
        general.addRow("Theme", self.theme)
        return general

    def _build_credentials(self) -> QFormLayout:
        self.api_key = QLineEdit()
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setPlaceholderText("console API key (preferred)")
        self.access_key = QLineEdit()
        self.access_key.setPlaceholderText("or: access key")
        self.secret_key = QLineEdit()
        self.secret_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_key.setPlaceholderText("and secret key")
        status = keyring_status()
        self.keyring_available = status.available
        note = (
            f"Stored in {status.detail}. Leave empty to keep what is stored."
            if status.available
            else "No OS keyring on this machine: keys typed here are kept in memory for this "
            f"session only. To avoid retyping, set {ENV_API_KEY} in the environment."
        )
        self.keyring_note = QLabel(note)
        self.keyring_note.setWordWrap(True)
        creds = QFormLayout()
        creds.addRow("API key", self.api_key)
        creds.addRow("Access key", self.access_key)
        creds.addRow("Secret key", self.secret_key)
        creds.addRow(self.keyring_note)
        return creds

    def _browse_rate_card(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Rate-card override", "", "JSON (*.json)")
        if path:
            self.rate_card.setText(path)

    def result_settings(self) -> AppSettings:
        return self._result

    def _on_buttons_accepted(self) -> None:
        data = self._settings.model_dump()
        card = self.rate_card.text().strip()
        data.update(
            provider=self.provider.currentData(),
            region=self.region.currentData(),
            custom_base_url=self.custom_url.text().strip() or None,
            concurrency=self.concurrency.value(),
            rate_card_override=Path(card) if card else None,
            theme=self.theme.currentData(),
        )
        try:
            result = AppSettings.model_validate(data)
        except ValueError as exc:
            self.error.setText(f"Check the settings: {exc}")
            return
        if not self._save_credentials():
            return
        self._result = result
        self.accept()

    def _save_credentials(self) -> bool:
        api = self.api_key.text().strip() or None
        ak = self.access_key.text().strip() or None
        sk = self.secret_key.text().strip() or None
        if not (api or ak or sk):
            return True
        if not api and not (ak and sk):
            self.error.setText("Give an API key, or both an access key and a secret key.")
            return False
        if self.keyring_available:
            try:
                store_in_keyring(api_key=api, access_key=ak, secret_key=sk)
            except (CredentialsError, ValueError) as exc:
                self.error.setText(str(exc))
                return False
        else:
            self._session.set(api_key=api, access_key=ak, secret_key=sk)
        for field in (self.api_key, self.access_key, self.secret_key):
            field.clear()
        return True
