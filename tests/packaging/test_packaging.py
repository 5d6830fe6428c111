"""Packaging: the PyInstaller spec, the Linux desktop integration files, the icons, the helpers
that slim the bundle, and (slow, opt-in) a real build of the one-folder bundle."""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "kling-studio.spec"
APP_ID = "io.github.kling_studio.KlingStudio"
DESKTOP = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"
ICONS = ROOT / "resources" / "icons"


def _load(name: str) -> ModuleType:
    """A module of packaging/ (not a package), imported from its file."""
    spec = importlib.util.spec_from_file_location(f"packaging_{name}", PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def _spec_tree() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))


def _assigned(tree: ast.Module, name: str) -> ast.expr:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return node.value
    raise AssertionError(f"the spec assigns no {name}")


def _strings(node: ast.AST) -> set[str]:
    return {
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


# ----- the spec -----


def test_spec_builds_the_entry_script_into_a_folder_named_kling_studio() -> None:
    tree = _spec_tree()
    calls = {
        n.func.id: n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
    }
    assert {"Analysis", "PYZ", "EXE", "COLLECT"} <= set(calls)
    assert "entry.py" in ast.unparse(calls["Analysis"].args[0])
    assert (PACKAGING / "entry.py").is_file()
    assert _strings(_assigned(tree, "NAME")) == {"kling-studio"}
    for step in ("EXE", "COLLECT"):
        names = [k.value for k in calls[step].keywords if k.arg == "name"]
        assert [ast.unparse(n) for n in names] == ["NAME"], step
    # one folder: the EXE leaves the libraries to COLLECT
    exclude = [k.value for k in calls["EXE"].keywords if k.arg == "exclude_binaries"]
    assert [ast.unparse(v) for v in exclude] == ["True"]


def test_spec_ships_resources_where_resources_dir_looks_for_them() -> None:
    datas = _assigned(_spec_tree(), "datas")
    pairs = [
        (_strings(t.elts[0]), t.elts[1].value)
        for t in ast.walk(datas)
        if isinstance(t, ast.Tuple) and len(t.elts) == 2 and isinstance(t.elts[1], ast.Constant)
    ]
    assert ({"resources"}, "kling_studio/_resources") in pairs
    # resources_dir() looks next to the package for exactly this folder name
    source = (ROOT / "kling_studio" / "resources.py").read_text(encoding="utf-8")
    assert 'here / "_resources"' in source
    assert (ROOT / "resources" / "icons" / "kling-studio.svg").is_file()


def test_every_dynamic_import_of_the_app_is_a_hidden_import_of_the_spec() -> None:
    """PyInstaller cannot see importlib.import_module("…"); a missing one breaks only the bundle
    (QtMultimedia: no video playback)."""
    hidden = _strings(_assigned(_spec_tree(), "hiddenimports"))
    dynamic = set()
    for path in (ROOT / "kling_studio").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and ast.unparse(node.func).endswith("import_module")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                dynamic.add(node.args[0].value)
    assert "PySide6.QtMultimedia" in dynamic  # what the scan is for; see widgets/preview/media.py
    assert dynamic <= hidden


def test_spec_keeps_webengine_out_and_multimedia_in() -> None:
    tree = _spec_tree()
    excluded = _strings(_assigned(tree, "QT_UNUSED"))
    assert {"QtWebEngineCore", "QtWebEngineWidgets", "Qt3DCore", "QtCharts", "QtGraphs"} <= excluded
    hidden = _strings(_assigned(tree, "hiddenimports"))
    assert not {f"PySide6.{m}" for m in excluded} & hidden
    # the FFmpeg plugin links QtQuick/QtQml, so their libraries must not be dropped
    dropped = _strings(_assigned(tree, "DROP_LIBS"))
    assert not any(d.startswith(("libQt6Quick", "libQt6Qml", "libQt6Multimedia")) for d in dropped)


# ----- desktop integration -----


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_file_has_the_required_keys_and_launches_the_console_script() -> None:
    entry = _desktop_entry()
    for key in ("Type", "Name", "Exec", "Icon", "Categories"):
        assert entry.get(key), key
    assert entry["Type"] == "Application"
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert entry["Exec"].split()[0] in scripts
    assert entry["Categories"].endswith(";")
    assert (ICONS / f"{entry['Icon']}.svg").is_file()


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="no desktop-file-utils")
def test_desktop_file_validates() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error:" not in result.stdout


def test_metainfo_names_the_desktop_file_and_the_binary() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == DESKTOP.name.removesuffix(".desktop")
    assert (root.findtext("name") or "").strip() == _desktop_entry()["Name"]
    assert (root.findtext("summary") or "").strip()
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    assert root.findtext("provides/binary") == "kling-studio"


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="no appstream")
def test_metainfo_validates() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_icons_exist_at_their_sizes() -> None:
    assert _png_size(ICONS / "kling-studio-256.png") == (256, 256)
    assert _png_size(ICONS / "kling-studio-64.png") == (64, 64)
    assert ET.parse(ICONS / "kling-studio.svg").getroot().tag.endswith("svg")


def test_share_folder_has_the_freedesktop_layout(tmp_path: Path) -> None:
    build = _load("build")
    build.install_share(tmp_path)
    share = tmp_path / "share"
    assert (share / "applications" / DESKTOP.name).read_bytes() == DESKTOP.read_bytes()
    assert (share / "metainfo" / METAINFO.name).is_file()
    icon = _desktop_entry()["Icon"]
    assert _png_size(share / f"icons/hicolor/256x256/apps/{icon}.png") == (256, 256)
    assert _png_size(share / f"icons/hicolor/64x64/apps/{icon}.png") == (64, 64)
    assert (share / f"icons/hicolor/scalable/apps/{icon}.svg").is_file()


def test_build_checks_use_examples_that_exist() -> None:
    build = _load("build")
    for example in (build.EXAMPLE_ESTIMATE, build.EXAMPLE_SUBMIT):
        assert (ROOT / "resources" / example).is_file(), example


# ----- bundle_slim -----


def _pyside_file(*parts: str) -> Path:
    import PySide6

    return Path(PySide6.__file__).parent.joinpath(*parts)


def test_needed_reads_the_libraries_an_elf_file_links() -> None:
    slim = _load("bundle_slim")
    assert "libQt6Core.so.6" in slim.needed(str(_pyside_file("QtCore.abi3.so")))
    assert slim.needed(str(SPEC)) == []
    assert slim.needed(str(ROOT / "no-such-file")) == []


def test_prune_drops_what_only_dropped_plugins_need() -> None:
    slim = _load("bundle_slim")
    links = {
        "/src/gtk-plugin.so": ["libgtk.so", "libCore.so"],
        "/src/libgtk.so": ["libcairo.so", "libglib.so"],
        "/src/libcairo.so": [],
        "/src/libglib.so": [],
        "/src/libCore.so": ["libglib.so"],  # kept: the app links it, and it keeps glib
        "/src/app.so": ["libCore.so"],
    }
    binaries = [
        (f"PySide6/Qt/{'plugins/x' if 'plugin' in s else 'lib'}/{Path(s).name}", s, "BINARY")
        for s in links
    ]
    datas = [
        ("libcairo.so", "PySide6/Qt/lib/libcairo.so", "SYMLINK"),
        ("libCore.so", "PySide6/Qt/lib/libCore.so", "SYMLINK"),
        ("PySide6/Qt/translations/qt_de.qm", "/src/qt_de.qm", "DATA"),
    ]
    kept, kept_datas, gone = slim.prune(
        binaries,
        datas,
        lambda dest: "gtk-plugin" in dest or dest.endswith(".qm"),
        deps=lambda src: links[src],
    )
    assert gone == ["PySide6/Qt/lib/libcairo.so", "PySide6/Qt/lib/libgtk.so"]
    assert sorted(Path(d).name for d, _s, _k in kept) == ["app.so", "libCore.so", "libglib.so"]
    assert kept_datas == [("libCore.so", "PySide6/Qt/lib/libCore.so", "SYMLINK")]


def test_loads_aligned_rejects_a_misaligned_segment(tmp_path: Path) -> None:
    slim = _load("bundle_slim")
    assert slim.loads_aligned(_pyside_file("QtCore.abi3.so"))
    header = bytearray(64)
    header[:6] = b"\x7fELF\x02\x01"
    struct.pack_into("<Q", header, 0x20, 64)  # program headers right after the header
    struct.pack_into("<HH", header, 0x36, 56, 1)
    good = struct.pack("<IIQQQQQQ", 1, 5, 0x1000, 0x1000, 0x1000, 16, 16, 0x1000)
    bad = struct.pack("<IIQQQQQQ", 1, 5, 0x1010, 0x1000, 0x1000, 16, 16, 0x1000)
    (tmp_path / "good.so").write_bytes(bytes(header) + good)
    (tmp_path / "bad.so").write_bytes(bytes(header) + bad)
    assert slim.loads_aligned(tmp_path / "good.so")
    assert not slim.loads_aligned(tmp_path / "bad.so")
    assert not slim.loads_aligned(SPEC)


@pytest.mark.skipif(shutil.which("strip") is None, reason="no binutils strip")
def test_stripped_copies_load_and_patched_libraries_stay_whole(tmp_path: Path) -> None:
    """Plain ``strip`` misaligns libraries patchelf rewrote (PySide6's bundled FFmpeg, numpy's
    OpenBLAS); the dynamic loader then refuses them and video playback dies in the bundle."""
    slim = _load("bundle_slim")
    import _json  # a small extension module of the interpreter

    sources = [Path(_json.__file__), *sorted(_pyside_file("Qt", "lib").glob("libavutil.so*"))]
    entries = [(f"lib/{p.name}", str(p), "BINARY") for p in sources]
    out, saved = slim.stripped(entries, tmp_path / "work")
    assert saved > 0
    assert out[0][1] != entries[0][1]  # the interpreter's module was stripped
    for _dest, src, _kind in out:
        assert slim.loads_aligned(Path(src)), src


# ----- the real build (slow, opt-in) -----


@pytest.mark.slow
@pytest.mark.timeout(1800)
@pytest.mark.skipif(
    os.environ.get("KLING_STUDIO_TEST_PACKAGING") != "1",
    reason="builds the PyInstaller bundle (~1 min, ~330 MB); set KLING_STUDIO_TEST_PACKAGING=1",
)
def test_build_py_builds_a_bundle_that_starts() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KLING_STUDIO_", "QT_"))}
    result = subprocess.run(
        [sys.executable, str(PACKAGING / "build.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "interactive after" in result.stdout
    assert "decoded by QtMultimedia" in result.stdout
    bundle = ROOT / "dist" / "kling-studio"
    assert os.access(bundle / "kling-studio", os.X_OK)
    assert (bundle / "share" / "applications" / DESKTOP.name).is_file()
