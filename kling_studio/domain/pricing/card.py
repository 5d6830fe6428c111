"""Rate cards: a provider's published prices as dated, sourced data, and how a row is chosen.

A :class:`RateCard` holds :class:`RateRow` s. Each row names the official ``model_name`` it prices
and up to five *match keys* (``endpoint``, ``mode``, ``sound``, ``voice``, ``video_input``), each
either a concrete value or the wildcard ``"*"``. :func:`match_row` picks the row for a
:class:`PriceQuery`:

1. only rows of the query's model are candidates;
2. a row matches when every one of its keys is ``"*"`` or equals the query's value;
3. among matching rows, rows added by a user override beat the card's own rows; then the most
   specific row wins (the one with the most non-``"*"`` keys); a remaining tie goes to the row
   listed last.

So a card can say "4K costs 3.0 u/s with or without audio" with one row (``sound: "*"``) and
still price std/pro audio separately with more specific rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator, model_validator

WILDCARD: Final = "*"
Flag = StrictBool | Literal["*"]
RowKey = tuple[str, str, str, bool | str, bool | str, bool | str]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RateRow(_Frozen):
    """One price of one model under given conditions.

    Attributes:
        model: the official ``model_name`` (``kling-v3``, ``kling-v3-omni`` …).
        endpoint: the ``/v1`` endpoint (``motion-control`` …) or ``"*"`` for any.
        mode: ``std``, ``pro``, ``4k`` or ``"*"``.
        sound: native audio on (true) / off (false) or ``"*"``.
        voice: a voice (``voice_list``) is used with audio on, or ``"*"``.
        video_input: an Omni reference video is attached, or ``"*"``.
        per_second: price per billed second, in the card's unit (or money when it has none).
        per_clip: price per clip keyed by its length in seconds (``{"5": 1.5, "10": 3.0}``).
        source: where the figure comes from.
        dated: when the figure was read or verified (the card's ``dated`` when absent).
        note: a caveat shown with the price (``UNCERTAIN: …``).
        origin: ``override`` for rows a user override added (they win over the card's rows).
    """

    model: str = Field(min_length=1, max_length=64)
    endpoint: str = Field(default=WILDCARD, min_length=1, max_length=32)
    mode: str = Field(default=WILDCARD, min_length=1, max_length=16)
    sound: Flag = WILDCARD
    voice: Flag = WILDCARD
    video_input: Flag = WILDCARD
    per_second: float | None = Field(default=None, ge=0)
    per_clip: dict[str, float] | None = None
    source: str = Field(min_length=1, max_length=1000)
    dated: date | None = None
    note: str | None = Field(default=None, max_length=1000)
    origin: Literal["card", "override"] = "card"

    @field_validator("per_clip")
    @classmethod
    def _clip_lengths(cls, v: dict[str, float] | None) -> dict[str, float] | None:
        if v is None:
            return v
        if not v:
            raise ValueError("needs at least one clip length, e.g. {'5': 1.5}")
        for seconds, price in v.items():
            if not seconds.isdigit() or int(seconds) < 1:
                raise ValueError(f"clip length {seconds!r} must be a whole number of seconds")
            if price < 0:
                raise ValueError(f"price for {seconds} s must not be negative")
        return v

    @model_validator(mode="after")
    def _one_price(self) -> RateRow:
        if (self.per_second is None) == (self.per_clip is None):
            raise ValueError("give exactly one of per_second or per_clip")
        return self

    @property
    def key(self) -> RowKey:
        """The match keys; an override row with the same key replaces this row."""
        return (self.model, self.endpoint, self.mode, self.sound, self.voice, self.video_input)

    @property
    def specificity(self) -> int:
        return sum(v != WILDCARD for v in self.key[1:])

    def matches(self, q: PriceQuery) -> bool:
        wanted = (q.model, q.endpoint, q.mode, q.sound, q.voice, q.video_input)
        # bool vs str never compare equal, so "*" is the only way a key matches loosely.
        return all(k in (WILDCARD, w) for k, w in zip(self.key, wanted, strict=True))


class RateCard(_Frozen):
    """A provider's prices: dated, sourced, and overridable by the user.

    Kling sells prepaid *units* (``unit_name="unit"``, ``unit_price`` USD per unit) and its rows
    are in units; resellers bill money directly (``unit_name=None``) and their rows are in
    ``currency``.
    """

    provider: str = Field(min_length=1, max_length=32)
    label: str = Field(min_length=1, max_length=100)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    unit_name: str | None = Field(default=None, min_length=1, max_length=32)
    unit_price: float | None = Field(default=None, gt=0)
    dated: date
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    rows: tuple[RateRow, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> RateCard:
        if self.unit_name is not None and self.unit_price is None:
            raise ValueError("unit_price: required when unit_name is set (money per unit)")
        if self.unit_name is None and self.unit_price is not None:
            raise ValueError("unit_name: required when unit_price is set")
        seen: dict[tuple[RowKey, str], int] = {}
        for i, row in enumerate(self.rows):
            k = (row.key, row.origin)
            if k in seen:
                raise ValueError(f"rows[{i}] has the same match keys as rows[{seen[k]}]")
            seen[k] = i
        return self

    def row_date(self, row: RateRow) -> date:
        return row.dated or self.dated


@dataclass(frozen=True, slots=True)
class PriceQuery:
    """What a generation request looks like to the price list."""

    model: str
    endpoint: str
    mode: str
    sound: bool
    voice: bool
    video_input: bool


def match_row(card: RateCard, query: PriceQuery) -> RateRow | None:
    """The row that prices ``query`` (see the module docstring), or None."""
    best: RateRow | None = None
    best_rank: tuple[bool, int] = (False, -1)
    for row in card.rows:
        if row.model != query.model or not row.matches(query):
            continue
        rank = (row.origin == "override", row.specificity)
        if rank >= best_rank:  # ">=": a later row wins a tie
            best, best_rank = row, rank
    return best
