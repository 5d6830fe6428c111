"""User overrides of a rate card (a JSON object of the same shape as the card).

* Top-level fields that are present replace the card's (``unit_price``, ``label``, ``dated`` …);
  ``sources`` and ``notes`` are appended to the card's.
* Each override row replaces the card row with the same match keys, or is added. Override rows
  are marked ``origin: "override"`` and win over the card's rows when both match (see
  :func:`~kling_studio.domain.pricing.card.match_row`), so one ``{"model": "kling-v3",
  "per_second": 0.5}`` row reprices every kling-v3 request.
* With no card at all, the override must define a whole card.

A row without ``source`` gets ``"user override"``. Anything invalid raises :class:`ValueError`
whose message names the offending field (``rows[1].per_second: …``).
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import ValidationError

from kling_studio.domain.pricing.card import RateCard, RateRow

_APPENDED = ("sources", "notes")
# Union members pydantic adds to an error's location ("sound.bool"); users never wrote them.
_UNION_TAGS = ("bool", "literal['*']")

T = TypeVar("T", RateCard, RateRow)


def apply_override(card: RateCard | None, data: dict[str, Any]) -> RateCard:
    """The card with the user's override applied (or the card the override defines)."""
    if not isinstance(data, dict):
        raise ValueError("rate card override: must be a JSON object")
    rows = data.get("rows", [])
    if not isinstance(rows, list):
        raise ValueError("rate card override: rows: must be a list of rows")
    new_rows = [_override_row(i, r) for i, r in enumerate(rows)]
    _no_repeats(new_rows)
    merged: dict[str, Any] = {} if card is None else card.model_dump()
    for field, value in data.items():
        if field == "rows":
            continue
        if field in _APPENDED and card is not None and isinstance(value, list):
            merged[field] = [*merged[field], *value]
        else:
            merged[field] = value
    merged["rows"] = _merge_rows(() if card is None else card.rows, new_rows)
    return _validated(RateCard, merged)


def _override_row(index: int, raw: Any) -> RateRow:
    if not isinstance(raw, dict):
        raise ValueError(f"rate card override: rows[{index}]: must be an object")
    data = {"source": "user override", **raw, "origin": "override"}
    return _validated(RateRow, data, prefix=f"rows[{index}]")


def _no_repeats(rows: list[RateRow]) -> None:
    first: dict[object, int] = {}
    for i, row in enumerate(rows):
        if row.key in first:
            raise ValueError(
                f"rate card override: rows[{i}]: repeats the match keys of rows[{first[row.key]}]"
            )
        first[row.key] = i


def _merge_rows(old: tuple[RateRow, ...], new: list[RateRow]) -> list[RateRow]:
    by_key = {r.key: r for r in new}
    kept = [by_key.pop(r.key) if r.key in by_key else r for r in old]
    return kept + [r for r in new if r.key in by_key]


def _validated(cls: type[T], data: dict[str, Any], prefix: str = "") -> T:
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = _path(prefix, err["loc"])
        ctx = err.get("ctx") or {}
        msg = str(ctx["error"]) if err["type"] == "value_error" and "error" in ctx else err["msg"]
        text = f"{where}: {msg}" if where else msg
        raise ValueError(f"rate card override: {text}") from None


def _path(prefix: str, loc: tuple[int | str, ...]) -> str:
    out = prefix
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part not in _UNION_TAGS:
            out += f".{part}" if out else part
    return out
