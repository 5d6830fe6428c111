"""Make the bundle smaller: drop unused files with the libraries only they need; strip the rest.

:func:`prune`: ``kling-studio.spec`` removes Qt plugins the app never loads (the GTK 3 platform
theme, embedded platforms, the virtual keyboard …). PyInstaller has by then already collected
their shared-library dependencies: for the GTK theme that is the system's cairo/pango/atk (and
all of GTK 3 on a machine that has it installed), copied from the build machine. ``prune``
removes a dropped file's dependencies as well, unless a file that stays needs them
(``DT_NEEDED`` of the ELF files, followed transitively). Non-ELF files have no dependencies
here, so on other platforms only the named files are dropped.

:func:`stripped`: PyInstaller's own ``strip=True`` strips every library, and that breaks the
ones auditwheel vendored into wheels (``numpy.libs/``, ``av.libs/`` …: patchelf rewrote them, and
after ``strip`` numpy fails with "ELF load command address/offset not page-aligned"). This strips
the others (libpython, extension modules, Qt) in copies, and keeps a copy only when its
loadable segments are still aligned (Qt's own FFmpeg libraries were patched the same way).

Standard library only (and binutils' ``strip`` when present).
"""

from __future__ import annotations

import posixpath
import shutil
import struct
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

Entry = tuple[str, str, str]  # PyInstaller TOC entry: (destination, source, typecode)

_SHT_DYNAMIC = 6
_DT_NEEDED = 1
_SHDR = "<IIQQQQIIQQ"  # Elf64_Shdr


def needed(path: str) -> list[str]:
    """The ``DT_NEEDED`` names of a 64-bit little-endian ELF file; [] for any other file."""
    try:
        with open(path, "rb") as f:
            head = f.read(64)
            if len(head) < 64 or head[:4] != b"\x7fELF" or head[4:6] != b"\x02\x01":
                return []
            (shoff,) = struct.unpack_from("<Q", head, 0x28)
            shentsize, shnum = struct.unpack_from("<HH", head, 0x3A)
            f.seek(shoff)
            table = f.read(shentsize * shnum)
            sections = [struct.unpack_from(_SHDR, table, i * shentsize) for i in range(shnum)]
            for _name, kind, _fl, _addr, offset, size, link, *_ in sections:
                if kind == _SHT_DYNAMIC and link < len(sections):
                    f.seek(offset)
                    dynamic = f.read(size)
                    f.seek(sections[link][4])
                    strings = f.read(sections[link][5])
                    return _needed_names(dynamic, strings)
    except (OSError, struct.error):
        pass
    return []


def _needed_names(dynamic: bytes, strings: bytes) -> list[str]:
    names = []
    for off in range(0, len(dynamic) - 15, 16):
        tag, value = struct.unpack_from("<qQ", dynamic, off)
        if tag == 0:
            break
        if tag == _DT_NEEDED:
            names.append(strings[value : strings.index(b"\0", value)].decode())
    return names


def orphans(
    kept: Iterable[Entry], dropped: Iterable[Entry], deps: Callable[[str], list[str]] = needed
) -> set[str]:
    """Destinations in ``kept`` that only ``dropped`` files need, directly or through each other.

    A library is an orphan when a dropped file needs it (transitively) and no file outside the
    orphan set needs it. Files nothing links to (extension modules, plugins) are never orphans.
    """
    kept = list(kept)
    dropped = list(dropped)
    by_name = {PurePosixPath(dest).name: dest for dest, _src, _kind in kept}
    links = {dest: {by_name[n] for n in deps(src) if n in by_name} for dest, src, _ in kept}
    reached: set[str] = set()
    todo = [by_name[n] for _dest, src, _ in dropped for n in deps(src) if n in by_name]
    while todo:
        dest = todo.pop()
        if dest not in reached:
            reached.add(dest)
            todo.extend(links[dest])
    candidates = set(reached)
    changed = True
    while changed:  # a candidate needed by any file that stays, stays too
        changed = False
        for dest, targets in links.items():
            if dest not in candidates and targets & candidates:
                candidates -= targets
                changed = True
    return candidates


def prune(
    binaries: list[Entry],
    datas: list[Entry],
    drop: Callable[[str], bool],
    deps: Callable[[str], list[str]] = needed,
) -> tuple[list[Entry], list[Entry], list[str]]:
    """``binaries`` and ``datas`` without what ``drop(destination)`` names and its orphans.

    Returns the two new lists and the sorted destinations removed as orphans. Symlink entries
    (PyInstaller's top-level links to libraries in package folders) go with their target.
    """
    dropped = [e for e in binaries if drop(e[0])]
    kept = [e for e in binaries if not drop(e[0])]
    gone = orphans(kept, dropped, deps)
    kept = [e for e in kept if e[0] not in gone]
    removed = gone | {e[0] for e in dropped}
    datas = [
        e
        for e in datas
        if not drop(e[0]) and not (e[2] == "SYMLINK" and _link_target(e) in removed)
    ]
    return kept, datas, sorted(gone)


def _link_target(entry: Entry) -> str:
    """The destination a SYMLINK entry points to (its source is relative to its own folder)."""
    dest, target, _kind = entry
    return posixpath.normpath(posixpath.join(posixpath.dirname(dest), target))


def stripped(binaries: list[Entry], workdir: Path) -> tuple[list[Entry], int]:
    """``binaries`` with sources replaced by stripped copies kept in ``workdir``.

    A copy is used only when its loadable segments are still page-aligned (see the module
    docstring); otherwise, and for anything ``strip`` refuses, the original stays. Copies are
    made again only when the source is newer. Returns the new list and the bytes saved.
    """
    tool = shutil.which("strip")
    if tool is None:
        return binaries, 0
    out: list[Entry] = []
    saved = 0
    for dest, src, kind in binaries:
        source = Path(src)
        copy = workdir / dest
        fresh = copy.is_file() and copy.stat().st_mtime >= source.stat().st_mtime
        if not (fresh and loads_aligned(copy)):
            _strip_copy(tool, source, copy)
        if copy.is_file():
            saved += source.stat().st_size - copy.stat().st_size
            out.append((dest, str(copy), kind))
        else:
            out.append((dest, src, kind))
    return out, saved


def _strip_copy(tool: str, source: Path, copy: Path) -> None:
    """Write a stripped ``copy`` of ``source``, or none when stripping is not safe for it."""
    copy.unlink(missing_ok=True)
    if not loads_aligned(source):
        return
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, copy)
    done = subprocess.run([tool, str(copy)], capture_output=True, check=False).returncode == 0
    if not (done and loads_aligned(copy)):
        copy.unlink()


_PHDR = "<IIQQQQQQ"  # Elf64_Phdr
_PT_LOAD = 1


def loads_aligned(path: Path) -> bool:
    """Whether ``path`` is a 64-bit ELF file whose PT_LOAD segments the loader accepts.

    glibc refuses a segment whose file offset and address differ modulo the alignment ("ELF load
    command address/offset not page-aligned"): what ``strip`` does to files patchelf rewrote.
    """
    try:
        with open(path, "rb") as f:
            head = f.read(64)
            if len(head) < 64 or head[:4] != b"\x7fELF" or head[4:6] != b"\x02\x01":
                return False
            (phoff,) = struct.unpack_from("<Q", head, 0x20)
            phentsize, phnum = struct.unpack_from("<HH", head, 0x36)
            f.seek(phoff)
            table = f.read(phentsize * phnum)
            headers = [struct.unpack_from(_PHDR, table, i * phentsize) for i in range(phnum)]
    except (OSError, struct.error):
        return False
    return all(
        (vaddr - offset) % align == 0
        for kind, _flags, offset, vaddr, _paddr, _filesz, _memsz, align in headers
        if kind == _PT_LOAD and align > 1
    )
