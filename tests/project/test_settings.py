"""App settings: defaults, round trip, recent projects, damaged files, the env override."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from kling_studio.project.settings import (
    AppSettings,
    load_settings,
    save_settings,
    settings_path,
)


def _config() -> Path:
    return Path(os.environ["KLING_STUDIO_CONFIG_DIR"])


def test_defaults_when_there_is_no_file() -> None:
    loaded = load_settings()
    assert loaded.message is None
    s = loaded.settings
    assert (s.provider, s.region, s.concurrency, s.theme) == ("simulator", "global", 5, "system")
    assert s.recent_projects == () and s.rate_card_override is None and s.custom_base_url is None
    assert not settings_path().exists()  # reading creates nothing


def test_round_trip(tmp_path: Path) -> None:
    card = tmp_path / "my-card.json"
    settings = AppSettings(
        provider="kling",
        region="custom",
        custom_base_url="https://kling.example.com/",
        concurrency=12,
        rate_card_override=card,
        theme="dark",
        poll_interval=2.5,
    )
    save_settings(settings)
    assert settings_path() == _config() / "settings.json"
    loaded = load_settings()
    assert loaded.message is None
    assert loaded.settings == settings
    assert loaded.settings.custom_base_url == "https://kling.example.com"
    assert [p.name for p in _config().iterdir()] == ["settings.json"]  # no temp files


def test_out_of_range_values_cannot_be_set() -> None:
    with pytest.raises(ValidationError, match="concurrency"):
        AppSettings(concurrency=21)
    with pytest.raises(ValidationError, match="custom_base_url"):
        AppSettings(custom_base_url="ftp://example.com")


def test_recent_projects_most_recent_first_deduplicated_and_capped(tmp_path: Path) -> None:
    paths = [tmp_path / f"p{n}.kstudio" for n in range(12)]
    for p in paths:
        p.mkdir()
    s = AppSettings()
    for p in paths:
        s = s.with_recent(p)
    s = s.with_recent(paths[5])  # reopened: moves to the top, not duplicated
    assert s.recent_projects[0] == paths[5]
    assert len(s.recent_projects) == 10
    assert s.recent_projects[1:4] == (paths[11], paths[10], paths[9])
    assert len(set(s.recent_projects)) == 10


def test_missing_recent_projects_are_pruned_on_read(tmp_path: Path) -> None:
    kept, gone = tmp_path / "kept.kstudio", tmp_path / "gone.kstudio"
    kept.mkdir()
    gone.mkdir()
    save_settings(AppSettings().with_recent(kept).with_recent(gone))
    gone.rmdir()
    assert load_settings().settings.recent_projects == (kept,)


@pytest.mark.parametrize("content", [b"{ this is not json", b"\xff\xfe\x00", b"[1, 2, 3]"])
def test_a_corrupt_file_is_moved_aside_and_defaults_used(content: bytes) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    loaded = load_settings()
    assert loaded.settings == AppSettings()
    assert loaded.message is not None and "Defaults are in use" in loaded.message
    [aside] = [p for p in _config().iterdir()]
    assert aside.name.startswith("settings.json.corrupt-")
    assert aside.name in loaded.message
    assert aside.read_bytes() == content  # nothing of the user's is lost
    save_settings(loaded.settings)
    assert load_settings().message is None


def test_invalid_values_reset_only_those_settings(tmp_path: Path) -> None:
    project = tmp_path / "Film.kstudio"
    project.mkdir()
    path = settings_path()
    path.parent.mkdir(parents=True)
    doc = {
        "concurrency": 50,
        "theme": "sepia",
        "provider": "kling",
        "recent_projects": [str(project)],
    }
    path.write_text(json.dumps(doc))
    loaded = load_settings()
    s = loaded.settings
    assert (s.concurrency, s.theme) == (5, "system")
    assert (s.provider, s.recent_projects) == ("kling", (project,))
    assert loaded.message is not None
    assert "reset to defaults: concurrency, theme" in loaded.message
    assert any(p.name.startswith("settings.json.corrupt-") for p in _config().iterdir())


def test_credentials_are_never_written_back() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"theme": "light", "api_key": "sk-SECRET", "secret_key": "s3"}))
    loaded = load_settings()
    assert loaded.settings.theme == "light"
    save_settings(loaded.settings)
    text = path.read_text()
    assert "SECRET" not in text and "api_key" not in text and "secret_key" not in text
    assert not any("key" in name or "secret" in name for name in AppSettings.model_fields)


def test_the_config_dir_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "portable-config"
    monkeypatch.setenv("KLING_STUDIO_CONFIG_DIR", str(elsewhere))
    save_settings(AppSettings(theme="dark"))
    assert (elsewhere / "settings.json").is_file()
    assert load_settings().settings.theme == "dark"


def test_without_the_environment_the_platform_config_dir_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KLING_STUDIO_CONFIG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    if os.name == "posix" and os.uname().sysname == "Linux":
        assert settings_path() == tmp_path / "xdg" / "kling-studio" / "settings.json"
    else:
        assert settings_path().name == "settings.json"
