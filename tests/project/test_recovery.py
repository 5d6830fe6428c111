"""Autosave and crash recovery: snapshots beside, never over, the user's files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kling_studio.domain import edits
from kling_studio.domain.storyboard import Storyboard
from kling_studio.project.bundle import Project
from kling_studio.project.recovery import (
    KEEP,
    autosave,
    clear_for,
    discard,
    iter_snapshot_files,
    pending_recoveries,
    recovery_root,
)
from kling_studio.project.storage import write_storyboard
from tests.project.media_factory import make_image

ROOT = Path(__file__).resolve().parents[2]
# File timestamps come from the kernel's coarse clock, which can lag the wall clock by a few ms;
# tests that order a save against a snapshot leave this much time between them.
CLOCK_SLACK = 0.05


def _board(prompt: str = "") -> Storyboard:
    sb = edits.new_storyboard(total=9, shots=3, title="Seaside")
    return edits.set_shot_text(sb, 0, prompt=prompt) if prompt else sb


def _tree(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_autosave_never_touches_the_users_files(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "Film", _board())
    before = _tree(tmp_path)
    for n in range(3):
        snapshot = autosave(project, _board(f"edit {n}"))
        assert recovery_root() in snapshot.parents
        assert snapshot.name.startswith("autosave-") and snapshot.suffix == ".json"
    assert _tree(tmp_path) == before  # same bytes, same modification times


def test_autosave_of_a_plain_storyboard_file_leaves_it_alone(tmp_path: Path) -> None:
    board_file = tmp_path / "board.json"
    write_storyboard(board_file, _board())
    before = _tree(tmp_path)
    project = Project.open(board_file)
    autosave(project, _board("the gull lands"))
    assert _tree(tmp_path) == before
    [recovery] = pending_recoveries()
    assert (recovery.origin, recovery.original) == ("storyboard", board_file)
    assert recovery.load() == _board("the gull lands")


def test_only_the_last_five_snapshots_are_kept(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "Film", _board())
    for n in range(KEEP + 3):
        autosave(project, _board(f"edit {n}"))
    snapshots = list(iter_snapshot_files())
    assert len(snapshots) == KEEP == 5
    prompts = [json.loads(p.read_text())["storyboard"]["storyboard"] for p in snapshots]
    assert [d["shots"][0]["prompt"] for d in prompts] == [f"edit {n}" for n in range(3, 8)]


def test_pending_recovery_offers_the_newest_snapshot(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "Film", _board())
    time.sleep(CLOCK_SLACK)
    autosave(project, _board("first"))
    autosave(project, _board("second"))
    [recovery] = pending_recoveries()
    assert recovery.original == tmp_path / "Film.kstudio"
    assert recovery.title == "Seaside"
    assert recovery.load() == _board("second")


def test_a_damaged_newest_snapshot_falls_back_to_the_one_before(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "Film", _board())
    time.sleep(CLOCK_SLACK)
    autosave(project, _board("good"))
    autosave(project, _board("torn")).write_bytes(b'{"format": "kling-studio.aut')
    [recovery] = pending_recoveries()
    assert recovery.load() == _board("good")


def test_a_saved_file_newer_than_the_snapshot_means_nothing_to_recover(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "Film", _board())
    autosave(project, _board("draft"))
    time.sleep(CLOCK_SLACK)
    project.save(_board("draft"))  # saved after the snapshot, without clear_for (a crash)
    assert pending_recoveries() == []


def test_clear_and_discard_remove_the_snapshots(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "Film", _board())
    time.sleep(CLOCK_SLACK)
    autosave(project, _board("draft"))
    clear_for(project)
    assert pending_recoveries() == [] and list(iter_snapshot_files()) == []

    autosave(project, _board("draft again"))
    [recovery] = pending_recoveries()
    discard(recovery)
    assert pending_recoveries() == [] and list(iter_snapshot_files()) == []


def test_clear_after_save_as_also_removes_the_untitled_snapshots(tmp_path: Path) -> None:
    project = Project.untitled(_board())
    autosave(project, _board("never saved"))
    project.save_as(tmp_path / "Film", _board("never saved"))
    clear_for(project)
    assert list(iter_snapshot_files()) == []


def test_recovery_still_opens_when_the_saved_project_is_unreadable(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "Film", _board())
    project_json = tmp_path / "Film.kstudio" / "project.json"
    project_json.write_text("{ torn")
    os.utime(project_json, (0, 0))  # older than any snapshot
    autosave(project, _board("rescued"))
    [recovery] = pending_recoveries()
    reopened, storyboard = recovery.open_project()
    assert storyboard == _board("rescued")
    assert reopened.path is None  # continue as a new project; Save As puts it somewhere
    assert "project.json: not valid JSON" in reopened.warnings[0]


# ----- crash: a real process killed with SIGKILL -----

_SESSION = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from kling_studio.domain import edits
    from kling_studio.project.bundle import Project
    from kling_studio.project.recovery import autosave

    target, photo = sys.argv[1], sys.argv[2]
    sb = edits.new_storyboard(total=9, shots=3, title="Seaside")
    project = Project.untitled(sb) if target == "-" else Project.create(Path(target), sb)
    if photo != "-":
        sb = edits.attach(sb, "start_frame", project.import_asset(Path(photo)))
    sb = edits.set_shot_text(sb, 0, prompt="a gull lands on the railing")
    autosave(project, sb)
    print("autosaved", flush=True)
    sys.stdin.read()  # "keep working" until killed
    """
)


def _crash(target: str, photo: str = "-") -> None:
    """Run an app session that edits and autosaves, check it is not offered while it runs,
    then kill it with SIGKILL (no cleanup handlers run)."""
    with subprocess.Popen(
        [sys.executable, "-c", _SESSION, target, photo],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=os.environ.copy(),
    ) as session:
        assert session.stdout is not None
        assert session.stdout.readline() == b"autosaved\n"
        # A second instance must not offer to recover a project that is still open elsewhere.
        assert pending_recoveries() == []
        session.send_signal(signal.SIGKILL)
        session.wait(timeout=30)
        assert session.returncode == -signal.SIGKILL


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_a_killed_session_leaves_its_edit_for_the_next_start(tmp_path: Path) -> None:
    bundle = tmp_path / "Film.kstudio"
    _crash(str(bundle))

    [recovery] = pending_recoveries()  # "the next start"
    assert recovery.original == bundle and recovery.origin == "bundle"
    assert recovery.load().shots[0].prompt == "a gull lands on the railing"
    assert Project.open(bundle).storyboard.shots[0].prompt == ""  # the file was never touched

    project, storyboard = recovery.open_project()
    assert project.path == bundle and storyboard == recovery.load()
    project.save(storyboard)
    clear_for(project)
    assert pending_recoveries() == []


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_a_killed_untitled_session_is_recovered_with_its_imports(tmp_path: Path) -> None:
    photo = make_image(tmp_path / "start.jpg", 640, 480)
    _crash("-", str(photo))

    [recovery] = pending_recoveries()
    assert recovery.original is None and recovery.origin == "untitled"
    project, storyboard = recovery.open_project()
    assert project.path is None
    frame = storyboard.asset(storyboard.start_frame or "")
    stored = project.asset_path(frame)
    assert stored is not None and stored.read_bytes() == photo.read_bytes()

    discard(recovery)
    assert pending_recoveries() == []
