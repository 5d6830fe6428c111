"""Settings: values are validated and saved; secrets never touch a file without a keyring."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kling_studio.project import AppSettings, load_settings, save_settings
from kling_studio.qt.services import SessionCredentials
from kling_studio.widgets.settings_dialog import SettingsDialog

SECRET = "sk-live-0123456789abcdef-SECRET"


def test_without_a_keyring_keys_stay_in_memory_and_the_user_is_told(
    qtbot: QtBot, _isolated_user_dirs: Path
) -> None:
    session = SessionCredentials()
    dialog = SettingsDialog(AppSettings(), session)
    qtbot.addWidget(dialog)
    assert not dialog.keyring_available
    assert "session only" in dialog.keyring_note.text()
    dialog.provider.setCurrentIndex(dialog.provider.findData("kling"))
    dialog.concurrency.setValue(3)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    qtbot.keyClicks(dialog.api_key, SECRET)
    dialog._on_buttons_accepted()
    result = dialog.result_settings()
    assert (result.provider, result.concurrency, result.theme) == ("kling", 3, "dark")
    assert session().authorization() == f"Bearer {SECRET}"
    assert SECRET not in repr(session) and dialog.api_key.text() == ""
    save_settings(result)
    assert load_settings().settings.concurrency == 3
    for f in _isolated_user_dirs.rglob("*"):
        if f.is_file():
            assert SECRET.encode() not in f.read_bytes(), f


def test_half_a_key_pair_and_bad_urls_are_refused_with_a_reason(qtbot: QtBot) -> None:
    dialog = SettingsDialog(AppSettings(), SessionCredentials())
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.access_key, "ak-only")
    dialog._on_buttons_accepted()
    assert "both an access key and a secret key" in dialog.error.text()
    assert dialog.result() == 0
    dialog.access_key.clear()
    dialog.region.setCurrentIndex(dialog.region.findData("custom"))
    dialog.custom_url.setText("ftp://example.com")
    dialog._on_buttons_accepted()
    assert "http" in dialog.error.text()


@pytest.mark.parametrize("value", ["dark", "light", "system"])
def test_theme_choice_round_trips(qtbot: QtBot, value: str) -> None:
    dialog = SettingsDialog(AppSettings(theme=value), SessionCredentials())
    qtbot.addWidget(dialog)
    assert dialog.theme.currentData() == value
