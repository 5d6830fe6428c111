"""The headless CLI: readable output by default, --json for machines, exit 1 on errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kling_studio.cli.main import main
from kling_studio.domain import edits
from kling_studio.project.storage import read_storyboard, write_storyboard
from kling_studio.resources import examples_dir

EXAMPLES = examples_dir()
AD = str(EXAMPLES / "v3-ad-3-shots.json")
OMNI = str(EXAMPLES / "omni-references.json")
I2V = str(EXAMPLES / "single-shot-i2v.json")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def broken(tmp_path: Path) -> str:
    """The ad example made invalid for kling-v2-6 (3 shots on a single-shot model)."""
    sb = edits.set_settings(read_storyboard(Path(AD)), model="kling-v2-6")
    path = tmp_path / "broken.json"
    write_storyboard(path, sb)
    return str(path)


@pytest.mark.parametrize("example", [AD, OMNI, I2V])
def test_every_bundled_example_validates_cleanly(
    capsys: pytest.CaptureFixture[str], example: str
) -> None:
    status, out, _ = run(capsys, "validate", example)
    assert status == 0 and "OK" in out


def test_validate_reports_errors_with_codes_and_fixes_and_exits_1(
    capsys: pytest.CaptureFixture[str], broken: str
) -> None:
    status, out, _ = run(capsys, "validate", broken)
    assert status == 1
    assert "error(s)" in out and "KS101" in out and "fix:" in out
    status, out, _ = run(capsys, "validate", broken, "--json")
    data = json.loads(out)
    assert status == 1 and data["ok"] is False
    assert {"code", "severity", "path", "message", "fix"} <= set(data["findings"][0])


def test_provider_profiles_make_rules_stricter(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sb = edits.move_boundary(read_storyboard(Path(AD)), 0, -2)  # shots 2 + 5 + 3 s
    path = tmp_path / "short-shot.json"
    write_storyboard(path, sb)
    assert run(capsys, "validate", str(path), "--provider", "kling")[0] == 0
    status, out, _ = run(capsys, "validate", str(path), "--provider", "fal")
    assert status == 1 and "3" in out and "KS102" in out
    status, _, err = run(capsys, "validate", str(path), "--provider", "nope")
    assert status == 2 and "unknown provider 'nope'" in err


def test_estimate_shows_price_breakdown_and_what_ifs(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "estimate", AD)
    assert status == 0
    assert "Price: $1.68 (12 units)" in out
    assert "10 s × 1.2 u/s" in out
    assert "Sound off: −$0.56 → $1.12" in out
    status, out, _ = run(capsys, "estimate", AD, "--json")
    data = json.loads(out)
    assert data["known"] is True and data["units"] == 12 and data["errors"] == 0
    assert any(w["label"] == "Sound off" for w in data["what_ifs"])


def test_estimate_says_when_no_price_is_known(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "estimate", AD, "--provider", "picsart")
    assert "no price known" in out.lower() and "$0.00" not in out
    data = json.loads(run(capsys, "estimate", AD, "--provider", "picsart", "--json")[1])
    assert data["known"] is False and data["money"] is None and data["reason"]


def test_estimate_with_a_user_rate_card_override(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    card = tmp_path / "card.json"
    card.write_text(json.dumps({"unit_price": 0.10}))
    data = json.loads(run(capsys, "estimate", AD, "--json", "--rate-card", str(card))[1])
    assert data["money"] == pytest.approx(1.2)
    card.write_text(json.dumps({"unit_price": "cheap"}))
    status, _, err = run(capsys, "estimate", AD, "--rate-card", str(card))
    assert status == 2 and "unit_price" in err


def test_request_prints_the_exact_body_with_local_images_inlined(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "request", OMNI, "--json")
    assert status == 0
    data = json.loads(out)
    assert data["path"] == "/v1/videos/omni-video"
    body = data["body"]
    assert body["duration"] == "8" and body["sound"] == "off"
    images = [i["image_url"] for i in body["image_list"]]
    assert all(not i.startswith("data:") for i in images)
    assert images[0].startswith("/9j/")  # raw JPEG base64, inlined from assets/
    status, out, _ = run(capsys, "request", AD)
    assert out.startswith("POST /v1/videos/image2video") and "<base64," in out


def test_request_without_the_assets_folder_says_what_is_missing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lonely = tmp_path / "omni.json"
    shutil.copy(OMNI, lonely)
    status, _, err = run(capsys, "request", str(lonely))
    assert status == 1 and "anna-front.jpg" in err


def test_models_lists_and_shows_one_model(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "models")
    assert status == 0 and "kling:kling-v3 " in out and "49 models" in out
    data = json.loads(run(capsys, "models", "kling-v3-omni", "--surface", "kling", "--json")[1])
    assert data["id"] == "kling-v3-omni" and data["kling"]["endpoints"] == ["omni-video"]
    data = json.loads(run(capsys, "models", "model_kling-v3-t2v-pro", "--json")[1])
    assert data["surface"] == "scenario"
    status, _, err = run(capsys, "models", "kling-v99")
    assert status == 2 and "no model" in err


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("{not json", "Not valid JSON"),
        ('{"format": "kling-studio.storyboard", "version": 9, "storyboard": {}}', "newer"),
        ("[1, 2, 3]", "not a storyboard"),
    ],
)
def test_malformed_files_get_one_clear_line_not_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, needle: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    for command in ("validate", "estimate", "request"):
        status, out, err = run(capsys, command, str(bad))
        assert status == 2 and needle in err and "Traceback" not in err + out


def test_schema_command_prints_the_shipped_schema(capsys: pytest.CaptureFixture[str]) -> None:
    from kling_studio.resources import read_json

    assert json.loads(run(capsys, "schema")[1]) == read_json("schema/storyboard.v1.schema.json")


def test_the_console_script_runs_and_survives_a_closed_pipe() -> None:
    script = Path(sys.executable).parent / "kling-studio"
    proc = subprocess.run(
        f"'{script}' models | head -1", shell=True, capture_output=True, text=True, check=False
    )
    assert proc.stdout.startswith("ID") and "Traceback" not in proc.stderr


def test_a_path_opens_in_the_app_and_a_missing_one_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kling_studio.cli import common

    opened: list[Path | None] = []
    monkeypatch.setattr(common, "launch_app", lambda path=None: opened.append(path) or 0)
    assert main([AD]) == 0 and opened == [Path(AD)]
    status, _, err = run(capsys, "no-such-file.kstudio")
    assert status == 2 and "no such file or command" in err
    assert main(["models", "--surface", "kling"]) == 0  # commands still win over paths
