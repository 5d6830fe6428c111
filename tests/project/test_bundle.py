"""Project bundles on real files: saving, opening, content-addressed assets, takes."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kling_studio.domain import edits
from kling_studio.domain.document import dump_document
from kling_studio.domain.storyboard import Storyboard
from kling_studio.project import projectfile
from kling_studio.project.bundle import Project
from kling_studio.project.media import MediaError
from kling_studio.project.projectfile import ProjectError
from kling_studio.project.storage import write_storyboard
from tests.project.media_factory import make_image, make_video

REQUEST = {
    "method": "POST",
    "url": "https://api-singapore.klingai.com/v1/videos/text2video",
    "body": {"model_name": "kling-v3", "prompt": "a gull over the sea", "duration": "5"},
}
RESPONSE = {"code": 0, "data": {"task_id": "861234", "task_status": "succeed"}}


def _board(title: str = "Seaside") -> Storyboard:
    return edits.new_storyboard(total=9, shots=3, title=title)


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def _take(project: Project, video: Path, **extra: Any) -> Any:
    return project.add_take(
        video,
        job_id="job-1",
        model="kling-v3",
        request=REQUEST,
        response=RESPONSE,
        task_id="861234",
        estimate_units=1.5,
        charged_units=1.5,
        **extra,
    )


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_video(tmp_path_factory.mktemp("dl") / "result.mp4", seconds=5, fps=24)


# ----- create / save / open -----


def test_create_save_open_round_trip(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "Seaside", _board())
    root = tmp_path / "Seaside.kstudio"
    assert project.path == root
    assert _files(root) == ["assets", "project.json", "takes"]

    edited = edits.set_shot_text(_board(), 1, prompt="gulls circle the pier")
    project.save(edited)
    for where in (root, root / "project.json"):
        reopened = Project.open(where)
        assert reopened.storyboard == edited
        assert reopened.path == root
        assert reopened.created == project.created
    assert _files(root) == ["assets", "project.json", "takes"]  # no temp files left behind


def test_project_json_is_the_documented_versioned_envelope(tmp_path: Path) -> None:
    sb = _board()
    Project.create(tmp_path / "Film", sb)
    doc = json.loads((tmp_path / "Film.kstudio" / "project.json").read_text())
    assert doc["format"] == "kling-studio.project"
    assert doc["version"] == 1
    assert doc["storyboard"] == dump_document(sb)
    assert doc["takes"] == []
    assert datetime.fromisoformat(doc["created"]).tzinfo is not None
    assert doc["app_version"]


def test_create_refuses_an_existing_project(tmp_path: Path) -> None:
    Project.create(tmp_path / "Film.kstudio", _board())
    with pytest.raises(ProjectError, match=r"Film\.kstudio: already exists"):
        Project.create(tmp_path / "Film.kstudio", _board("Other"))


def test_a_folder_without_project_json_is_not_a_project(tmp_path: Path) -> None:
    (tmp_path / "Holiday photos").mkdir()
    with pytest.raises(ProjectError, match="not a Kling Studio project"):
        Project.open(tmp_path / "Holiday photos")


def test_opening_a_plain_storyboard_creates_nothing_and_needs_save_as(tmp_path: Path) -> None:
    board_file = tmp_path / "board.json"
    write_storyboard(board_file, _board())
    board_bytes = board_file.read_bytes()
    before = _files(tmp_path)
    data_before = _files(Path(os.environ["KLING_STUDIO_DATA_DIR"]))

    project = Project.open(board_file)
    assert project.path is None and project.source == board_file
    assert project.storyboard == _board()
    with pytest.raises(ProjectError, match="Save As"):
        project.save(project.storyboard)
    assert _files(tmp_path) == before
    assert _files(Path(os.environ["KLING_STUDIO_DATA_DIR"])) == data_before

    project.save_as(tmp_path / "Seaside", project.storyboard)
    assert Project.open(tmp_path / "Seaside.kstudio").storyboard == _board()
    assert board_file.read_bytes() == board_bytes  # the storyboard file is untouched


# ----- malformed project.json -----


def _project_doc() -> dict[str, Any]:
    return {
        "format": "kling-studio.project",
        "version": 1,
        "storyboard": dump_document(_board()),
        "takes": [],
        "created": "2026-11-21T10:00:00+00:00",
        "app_version": "0.1.0",
    }


def _with(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        target = doc
        for key in path[:-1]:
            target = target[key]
        if value is _DELETE:
            del target[path[-1]]
        else:
            target[path[-1]] = value

    return change


_DELETE = object()
_GOOD_TAKE = {
    "id": "t1",
    "job_id": "job-1",
    "model": "kling-v3",
    "created": "2026-11-21T10:00:00+00:00",
    "sha256": "a" * 64,
    "bytes": 10,
}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_with(["format"], "kling-studio.storyboard"), "format: expected 'kling-studio.project'"),
        (_with(["version"], 7), "version: this project was written by a newer Kling Studio"),
        (_with(["version"], "one"), 'version: expected a whole number, got "one"'),
        (_with(["storyboard"], _DELETE), "storyboard: Field required"),
        (
            _with(["storyboard", "storyboard", "shots", 0, "duration"], 0),
            "storyboard.storyboard.shots[0].duration: Input should be greater than or equal to 1",
        ),
        (_with(["storyboard", "version"], 9), "storyboard.version: this file was written by"),
        (_with(["takes"], {"t1": 1}), "takes: Input should be a valid list"),
        (
            _with(["takes"], [_GOOD_TAKE | {"sha256": "xyz"}]),
            "takes[0].sha256: must be 64 lowercase hex digits",
        ),
        (_with(["takes"], [_GOOD_TAKE | {"id": "../../etc/passwd"}]), "takes[0].id: must be"),
        (_with(["takes"], [_GOOD_TAKE, _GOOD_TAKE]), "takes: two takes share the id 't1'"),
        (_with(["created"], "last tuesday"), "created: Input should be a valid datetime"),
    ],
)
def test_malformed_project_json_names_the_file_and_the_field(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], expected: str
) -> None:
    root = tmp_path / "Film.kstudio"
    root.mkdir()
    doc = _project_doc()
    change(doc)
    (root / "project.json").write_text(json.dumps(doc))
    with pytest.raises(ProjectError) as err:
        Project.open(root)
    assert str(err.value).startswith(f"Film.kstudio/project.json: {expected}")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{not json", "not valid JSON: "),
        (b"[1, 2]", "holds a JSON list"),
        (b"\xff\xfe", "not UTF-8 text"),
    ],
)
def test_project_json_that_is_not_a_project_object(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    root = tmp_path / "Film.kstudio"
    root.mkdir()
    (root / "project.json").write_bytes(content)
    with pytest.raises(ProjectError, match=rf"^Film\.kstudio/project\.json: {expected}"):
        Project.open(root)


def test_migration_hook_upgrades_old_projects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pretend the current format is 2 and version 1 files need their "takes" key renamed.
    def v1_to_v2(doc: dict[str, Any]) -> dict[str, Any]:
        return {**doc, "version": 2, "takes": doc.pop("results")}

    monkeypatch.setattr(projectfile, "VERSION", 2)
    monkeypatch.setitem(projectfile.MIGRATIONS, 1, v1_to_v2)
    root = tmp_path / "Old.kstudio"
    root.mkdir()
    doc = _project_doc()
    doc["results"] = [_GOOD_TAKE]
    del doc["takes"]
    (root / "project.json").write_text(json.dumps(doc))
    assert [t.id for t in Project.open(root).takes] == ["t1"]


# ----- assets -----


def test_importing_the_same_file_twice_stores_it_once(tmp_path: Path) -> None:
    photo = make_image(tmp_path / "beach.jpg", 1280, 720)
    project = Project.create(tmp_path / "Film", _board())
    first = project.import_asset(photo)
    second = project.import_asset(photo)
    assert first == second
    assert first.name == "beach.jpg"
    stored = project.asset_path(first)
    assert stored is not None and stored.read_bytes() == photo.read_bytes()
    assert _files(project.path / "assets") == [f"{first.hash}.jpeg"]  # type: ignore[operator]


def test_same_bytes_under_two_names_is_one_file(tmp_path: Path) -> None:
    photo = make_image(tmp_path / "beach.jpg", 640, 480)
    copy = tmp_path / "beach (copy).jpg"
    copy.write_bytes(photo.read_bytes())
    project = Project.create(tmp_path / "Film", _board())
    a, b = project.import_asset(photo), project.import_asset(copy)
    assert a.hash == b.hash and (a.name, b.name) == ("beach.jpg", "beach (copy).jpg")
    assert len(list((tmp_path / "Film.kstudio" / "assets").iterdir())) == 1


def test_a_damaged_import_stores_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "broken.png"
    bad.write_bytes(os.urandom(3000))
    project = Project.create(tmp_path / "Film", _board())
    with pytest.raises(MediaError, match=r"broken\.png: the file is damaged"):
        project.import_asset(bad)
    assert _files(tmp_path / "Film.kstudio" / "assets") == []


def test_imported_assets_survive_save_and_reopen(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "Film", _board())
    asset = project.import_asset(make_image(tmp_path / "start.png", 1280, 720, "PNG"))
    sb = edits.attach(_board(), "start_frame", asset)
    project.save(sb)
    reopened = Project.open(tmp_path / "Film.kstudio")
    assert reopened.storyboard.start_frame == asset.hash
    assert reopened.asset_path(reopened.storyboard.asset(asset.hash)) is not None


# ----- takes -----


def test_takes_survive_reopen_with_their_request_and_response(tmp_path: Path, video: Path) -> None:
    project = Project.create(tmp_path / "Film", _board())
    take = _take(project, video, created=datetime(2026, 11, 21, 10, 0, tzinfo=UTC))
    assert take.sha256 and take.bytes == video.stat().st_size
    assert take.duration == pytest.approx(5.0, abs=0.05) and take.width == 320
    project.save(project.storyboard)

    reopened = Project.open(tmp_path / "Film.kstudio")
    assert reopened.takes == (take,)
    stored = reopened.take_path(take)
    assert stored is not None and stored.read_bytes() == video.read_bytes()
    record = reopened.take_record(take)
    assert record.request == REQUEST and record.response == RESPONSE
    assert (record.take.estimate_units, record.take.charged_units) == (1.5, 1.5)
    assert sorted(p.name for p in reopened.takes_dir.iterdir()) == [
        take.record_name,
        take.video_name,
    ]


def test_a_take_is_kept_even_if_the_project_is_never_saved_again(
    tmp_path: Path, video: Path
) -> None:
    project = Project.create(tmp_path / "Film", _board())
    take = _take(project, video)
    # no save: the app crashed right after the download
    assert Project.open(tmp_path / "Film.kstudio").takes == (take,)


def test_a_broken_take_record_is_reported_not_fatal(tmp_path: Path, video: Path) -> None:
    project = Project.create(tmp_path / "Film", _board())
    take = _take(project, video)
    (project.takes_dir / "junk.json").write_text("{")
    reopened = Project.open(tmp_path / "Film.kstudio")
    assert reopened.takes == (take,)
    assert reopened.warnings == ["takes/junk.json: not valid JSON (take skipped)"]


def test_take_ids_name_files_so_they_are_checked(tmp_path: Path, video: Path) -> None:
    project = Project.create(tmp_path / "Film", _board())
    with pytest.raises(ProjectError, match=r"take\.id: must be"):
        _take(project, video, take_id="../escape")
    assert list(project.takes_dir.iterdir()) == []


# ----- save as -----


def test_save_as_copies_assets_and_takes(tmp_path: Path, video: Path) -> None:
    project = Project.create(tmp_path / "Film", _board())
    asset = project.import_asset(make_image(tmp_path / "a.jpg", 800, 600))
    take = _take(project, video)
    sb = edits.attach(_board(), "start_frame", asset)
    project.save(sb)
    original_files = _files(tmp_path / "Film.kstudio")

    project.save_as(tmp_path / "Film v2", sb)
    copy = tmp_path / "Film v2.kstudio"
    assert project.path == copy
    assert _files(copy) == original_files
    assert _files(tmp_path / "Film.kstudio") == original_files
    reopened = Project.open(copy)
    assert reopened.storyboard == sb and reopened.takes == (take,)
    assert reopened.asset_path(asset) is not None
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_save_as_never_replaces_a_folder_that_is_not_a_project(tmp_path: Path) -> None:
    precious = tmp_path / "Taxes.kstudio"
    precious.mkdir()
    (precious / "2025.pdf").write_bytes(b"%PDF")
    project = Project.untitled(_board())
    for overwrite in (False, True):
        with pytest.raises(ProjectError, match=r"Taxes\.kstudio: "):
            project.save_as(precious, _board(), overwrite=overwrite)
    assert _files(precious) == ["2025.pdf"]


def test_save_as_over_an_existing_project_when_asked(tmp_path: Path) -> None:
    Project.create(tmp_path / "Film", _board("Old"))
    project = Project.untitled(_board("New"))
    with pytest.raises(ProjectError, match="already exists"):
        project.save_as(tmp_path / "Film", _board("New"))
    project.save_as(tmp_path / "Film", _board("New"), overwrite=True)
    assert Project.open(tmp_path / "Film.kstudio").storyboard.title == "New"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Film.kstudio"]


def test_unsaved_project_keeps_imports_aside_until_save_as(tmp_path: Path, video: Path) -> None:
    project = Project.untitled(_board())
    asset = project.import_asset(make_image(tmp_path / "a.jpg", 800, 600))
    take = _take(project, video)
    scratch = project.asset_path(asset)
    assert scratch is not None and tmp_path not in scratch.parents  # in the app's data dir

    project.save_as(tmp_path / "Film", project.storyboard)
    moved = project.asset_path(asset)
    assert moved is not None and moved.parent == tmp_path / "Film.kstudio" / "assets"
    assert not scratch.exists()  # the scratch copy is gone once the bundle has it
    assert Project.open(tmp_path / "Film.kstudio").takes == (take,)


def test_imported_but_unused_assets_are_saved_in_the_library(tmp_path: Path) -> None:
    from tests.project.media_factory import make_image

    sb = edits.new_storyboard(total=6, shots=2)
    project = Project.create(tmp_path / "Lib.kstudio", sb)
    used = project.import_asset(make_image(tmp_path / "used.jpg", 800, 600))
    spare = project.import_asset(make_image(tmp_path / "spare.jpg", 640, 480))
    sb = edits.attach(sb, "start_frame", used)
    project.save(sb)
    reopened = Project.open(tmp_path / "Lib.kstudio")
    assert {a.hash for a in reopened.library} == {used.hash, spare.hash}
    assert {a.name for a in reopened.library} == {"used.jpg", "spare.jpg"}
    assert [a.hash for a in reopened.storyboard.assets] == [used.hash]
