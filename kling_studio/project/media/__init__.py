"""Media files: probing (kind, format, size, dimensions, duration, fps, SHA-256) and thumbnails.

Everything here blocks on disk and decoders: the GUI calls it from a worker thread.

    asset = probe(Path("holiday.jpg"))          # Asset(kind="image", format="jpeg", …)
    png = make_thumbnail(path, asset.kind)      # PNG bytes, longer side ≤ 256 px
"""

from __future__ import annotations

from kling_studio.project.media.kinds import MAX_BYTES, Kind, MediaError
from kling_studio.project.media.probe import probe, sha256_file
from kling_studio.project.media.thumbnail import make_thumbnail

__all__ = ["MAX_BYTES", "Kind", "MediaError", "make_thumbnail", "probe", "sha256_file"]
