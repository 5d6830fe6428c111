"""What one storyboard costs on one rate card (without what-ifs).

Billing facts (kling-api.md §7):

* one storyboard is one task: a multi-shot storyboard bills its ``total`` once;
* ``units = rate(model, mode, sound, voice_used, video_input) × int(total)``, ``money = units ×
  unit_price`` (Kling sells prepaid units); a reseller's rows are money per second directly;
* ``voice_used`` = audio on and voices attached (on a model that takes voices);
* ``video_input`` = an Omni model with a reference video; ``refer_type: base`` (video editing)
  bills the input video's rounded length instead of ``total``;
* per-clip models (kling-v2-6, kling-v2-5-turbo) are sold as whole clips of listed lengths.

Amounts are computed in :class:`~decimal.Decimal` so ``1.2 × 8`` is exactly ``9.6``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, ConfigDict

from kling_studio.domain.catalog import Catalog, ModelEntry
from kling_studio.domain.findings import Fix
from kling_studio.domain.pricing.card import PriceQuery, RateCard, RateRow, match_row
from kling_studio.domain.storyboard import Storyboard

_CENT = Decimal("0.01")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EstimateLine(_Frozen):
    """One line of the breakdown (``kling-v3 · pro · audio · 10 s × 1.2 u/s = 12 u ($1.68)``)."""

    label: str
    units: float | None = None
    money: float | None = None
    note: str | None = None
    source: str | None = None
    dated: date | None = None


class WhatIf(_Frozen):
    """The price of one alternative storyboard, as a difference from the current one.

    ``new_total`` is the alternative's money total; ``fix`` is the edit that makes it real.
    """

    label: str
    delta_units: float | None
    delta_money: float
    new_units: float | None
    new_total: float
    fix: Fix


class Estimate(_Frozen):
    """A live price: known with a breakdown, or unknown with the reason (never a silent zero).

    ``money`` is exact; show :attr:`money_display` (rounded to cents).
    """

    known: bool
    units: float | None = None
    money: float | None = None
    currency: str = "USD"
    unit_name: str | None = None
    provider: str
    provider_label: str
    dated: date | None = None
    lines: tuple[EstimateLine, ...] = ()
    reason: str | None = None
    what_ifs: tuple[WhatIf, ...] = ()

    @property
    def money_display(self) -> str | None:
        return None if self.money is None else money_text(Decimal(str(self.money)), self.currency)

    @property
    def uncertain(self) -> bool:
        """True when a price used is marked UNCERTAIN by its source."""
        return any(line.note and "UNCERTAIN" in line.note for line in self.lines)


@dataclass(frozen=True, slots=True)
class Billing:
    """How the storyboard's request looks to the price list, and how many seconds it bills."""

    query: PriceQuery
    seconds: int
    base_edit: bool
    seconds_note: str | None


def money_text(amount: Decimal, currency: str) -> str:
    cents = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    return f"${cents}" if currency == "USD" else f"{cents} {currency}"


def num(d: Decimal) -> str:
    """``12`` not ``12.0``, ``9.6`` not ``9.60``."""
    return f"{d.normalize():f}"


def billing_of(sb: Storyboard, entry: ModelEntry | None) -> Billing:
    """The price-list view of ``sb`` (what is sent, not what the user merely attached)."""
    takes = (lambda key: True) if entry is None else entry.takes
    sound = sb.settings.sound and takes("sound")
    voice = sound and bool(sb.voices) and takes("voices")
    video = sb.reference_video is not None and takes("reference_video")
    base = video and sb.reference_video is not None and sb.reference_video.refer_type == "base"
    seconds, note = sb.total, None
    if base:
        seconds, note = _base_seconds(sb)
    query = PriceQuery(
        sb.settings.model, _endpoint(sb, entry), sb.settings.mode, sound, voice, video
    )
    return Billing(query, seconds, base, note)


def _endpoint(sb: Storyboard, entry: ModelEntry | None) -> str:
    endpoints = entry.kling.endpoints if entry is not None and entry.kling is not None else ()
    if "omni-video" in endpoints:
        return "omni-video"
    return "image2video" if sb.start_frame or sb.end_frame else "text2video"


def _base_seconds(sb: Storyboard) -> tuple[int, str | None]:
    assert sb.reference_video is not None
    duration = sb.asset(sb.reference_video.asset).duration
    if duration is None:
        return sb.total, "input video length unknown: priced at the storyboard total"
    rounded = int(Decimal(str(duration)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    # A video under half a second is rejected by Kling anyway; never show a free edit.
    return max(1, rounded), f"video edit: bills the {num(Decimal(str(duration)))} s input video"


def price(sb: Storyboard, catalog: Catalog, card: RateCard | None) -> Estimate:
    """The estimate of ``sb`` on ``card`` without what-ifs."""
    model = sb.settings.model
    if card is None:
        return _unknown(
            sb.settings.provider,
            f"No price known for {model} on {sb.settings.provider}: it has no rate card",
        )
    bill = billing_of(sb, catalog.kling(model))
    row = match_row(card, bill.query)
    if row is None:
        what = model if not any(r.model == model for r in card.rows) else describe(bill, catalog)
        return _unknown(card, f"No price known for {what} on {card.label}")
    line = _line(sb, catalog, card, row, bill)
    if line is None:
        lengths = " or ".join(f"{k} s" for k in sorted(row.per_clip or {}, key=int))
        return _unknown(
            card, f"{card.label} sells {model} only as {lengths} clips, not {bill.seconds} s"
        )
    return Estimate(
        known=True, units=line.units, money=line.money, currency=card.currency,
        unit_name=card.unit_name, provider=card.provider, provider_label=card.label,
        dated=card.dated, lines=(line,),
    )  # fmt: skip


def _unknown(card: RateCard | str, reason: str) -> Estimate:
    if isinstance(card, str):
        return Estimate(known=False, provider=card, provider_label=card, reason=reason)
    return Estimate(
        known=False, currency=card.currency, unit_name=card.unit_name, provider=card.provider,
        provider_label=card.label, dated=card.dated, reason=reason,
    )  # fmt: skip


def describe(bill: Billing, catalog: Catalog) -> str:
    """``kling-v3 · pro · audio``: the conditions a price depends on."""
    q = bill.query
    entry = catalog.kling(q.model)
    parts = [q.model, q.mode]
    if q.video_input:
        parts.append("video input (base)" if bill.base_edit else "video input")
    if (entry is None or entry.takes("sound")) and (q.sound or not q.video_input):
        parts.append("audio + voice" if q.voice else "audio" if q.sound else "no audio")
    if q.endpoint not in ("text2video", "image2video", "omni-video"):
        parts.append(q.endpoint)
    return " · ".join(parts)


def _line(
    sb: Storyboard, catalog: Catalog, card: RateCard, row: RateRow, bill: Billing
) -> EstimateLine | None:
    secs = bill.seconds
    if row.per_clip is not None:
        clip = row.per_clip.get(str(secs))
        if clip is None:
            return None
        amount, how = Decimal(str(clip)), f"{secs} s clip"
    else:
        rate = Decimal(str(row.per_second))
        amount = rate * secs
        how = f"{secs} s × {_rate_text(card, rate)}"
    units, money = _amounts(card, amount)
    if units is not None:
        label = f"{describe(bill, catalog)} · {how} = {num(units)} {_abbrev(card)} "
        label += f"({money_text(money, card.currency)})"
    else:
        label = f"{describe(bill, catalog)} · {how} = {money_text(money, card.currency)}"
    notes = [n for n in (_shots_note(sb, bill), bill.seconds_note, row.note) if n]
    return EstimateLine(
        label=label, units=None if units is None else float(units), money=float(money),
        note="; ".join(notes) or None, source=row.source, dated=card.row_date(row),
    )  # fmt: skip


def _amounts(card: RateCard, amount: Decimal) -> tuple[Decimal | None, Decimal]:
    if card.unit_name is None or card.unit_price is None:
        return None, amount
    return amount, amount * Decimal(str(card.unit_price))


def _rate_text(card: RateCard, rate: Decimal) -> str:
    # Reseller rates carry more than cents ($0.168/s): never round a rate.
    if card.unit_name:
        return f"{num(rate)} {_abbrev(card)}/s"
    return f"${num(rate)}/s" if card.currency == "USD" else f"{num(rate)} {card.currency}/s"


def _abbrev(card: RateCard) -> str:
    return "u" if card.unit_name == "unit" else f"{card.unit_name}s"


def _shots_note(sb: Storyboard, bill: Billing) -> str | None:
    if len(sb.shots) < 2 or bill.base_edit:
        return None
    return f"{len(sb.shots)} shots billed once, as one {sb.total} s task"
