"""Live pricing: rate cards as data, a pure estimate of a storyboard, and what-ifs.

* :class:`RateCard` / :class:`RateRow`: a provider's dated, sourced prices
  (``resources/rate_cards``); how a row is chosen for a request is documented in
  :mod:`kling_studio.domain.pricing.card`.
* :func:`apply_override`: a user's JSON override of a card (or a whole card).
* :func:`estimate`: ``Storyboard + Catalog + RateCard -> Estimate`` with a breakdown and what-ifs;
  unknown prices say why instead of showing zero.
"""

from kling_studio.domain.pricing.billing import Estimate, EstimateLine, WhatIf, price
from kling_studio.domain.pricing.card import PriceQuery, RateCard, RateRow, match_row
from kling_studio.domain.pricing.override import apply_override
from kling_studio.domain.pricing.whatifs import estimate

__all__ = [
    "Estimate",
    "EstimateLine",
    "PriceQuery",
    "RateCard",
    "RateRow",
    "WhatIf",
    "apply_override",
    "estimate",
    "match_row",
    "price",
]
