"""Reference tags (``<<<image_N>>>`` …): what a storyboard offers and how to name it to a user.

Pure Python (no Qt), so the editor, its highlighter and the insert menu share one reading of the
tag grammar. The grammar is the request's: ``<<<image_N>>>`` is the N-th reference image (1-based),
``<<<element_N>>>`` the N-th element, ``<<<voice_N>>>`` the N-th voice, ``<<<video_1>>>`` the
reference video.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kling_studio.domain.storyboard import Storyboard

# Same grammar as the prompt rules (domain/rules/prompts.py); kept here so the widgets do not
# depend on the rules package's internals.
TAG = re.compile(r"<<<(image|element|voice|video)_(\d+)>>>")

KINDS = ("image", "element", "voice", "video")
_NOUNS = {
    "image": ("reference image", "reference images"),
    "element": ("element", "elements"),
    "voice": ("voice", "voices"),
    "video": ("reference video", "reference videos"),
}


@dataclass(frozen=True)
class Reference:
    """One thing a prompt can point at.

    Attributes:
        kind: ``image``, ``element``, ``voice`` or ``video``.
        number: 1-based position, as written in the tag.
        label: what the user sees (``Image 1 · anna-front.jpg``).
    """

    kind: str
    number: int
    label: str

    @property
    def tag(self) -> str:
        return f"<<<{self.kind}_{self.number}>>>"


def references_of(sb: Storyboard) -> list[Reference]:
    """Every tag the storyboard can resolve, in menu order (images, elements, voices, video)."""
    refs: list[Reference] = []
    for i, ref in enumerate(sb.reference_images, start=1):
        refs.append(Reference("image", i, f"Image {i} · {_asset_name(sb, ref)}"))
    for i, el in enumerate(sb.elements, start=1):
        refs.append(Reference("element", i, f"Element {i} · {el.name or el.element_id}"))
    for i, voice in enumerate(sb.voices, start=1):
        refs.append(Reference("voice", i, f"Voice {i} · {voice.name or voice.voice_id}"))
    if sb.reference_video is not None:
        refs.append(Reference("video", 1, f"Video · {_asset_name(sb, sb.reference_video.asset)}"))
    return refs


def _asset_name(sb: Storyboard, ref: str) -> str:
    try:
        return sb.asset(ref).name or ref[:10]
    except KeyError:  # cannot happen for a valid storyboard; a name is still better than a crash
        return ref[:10]


@dataclass(frozen=True)
class TagSpan:
    """A tag found in a text: where it is and what it points at (None when at nothing)."""

    start: int
    end: int
    kind: str
    number: int
    ref: Reference | None


def find_tags(text: str, refs: list[Reference]) -> list[TagSpan]:
    """Every tag in ``text`` with the reference it resolves to."""
    by_tag = {r.tag: r for r in refs}
    return [
        TagSpan(m.start(), m.end(), m.group(1), int(m.group(2)), by_tag.get(m.group(0)))
        for m in TAG.finditer(text)
    ]


def unknown_message(span: TagSpan, refs: list[Reference]) -> str:
    """Why a tag points at nothing, in the user's words."""
    have = sum(1 for r in refs if r.kind == span.kind)
    singular, plural = _NOUNS[span.kind]
    tag = f"<<<{span.kind}_{span.number}>>>"
    if have == 0:
        return f"{tag} points at nothing: the storyboard has no {plural}."
    noun = singular if have == 1 else plural
    return f"{tag} points at nothing: the storyboard has {have} {noun}."
