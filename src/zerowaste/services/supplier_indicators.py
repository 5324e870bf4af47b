"""Supplier indicator values for admission checks, from the ledger, economics, whitelist, risk.

The admission check's fixed set of firm indicators; the ratios share the registry's formulas
(`zerowaste.indicators.formulas`). Per firm and China calendar year Y:

- `waste_intensity_t_per_10k_cny` — the firm-level reading of 一般工业固体废物产生强度 of
  《“无废城市”建设指标体系（2021年版）》: general (non-hazardous) industrial solid waste
  generated in Y, in tonnes, over the firm's output value of Y (`economic_records`
  `output_value_cny`) in 10,000 CNY. Generation is the `generated` events' output masses,
  after corrections. The indicator system defines the city-level figure; dividing a firm's
  generation by its own output value is this platform's choice (illustrative), because the
  output value is what firms report here. Unknown without an economic record or with a zero
  output value.
- `hazardous_intensity_t_per_10k_cny` — the same for hazardous wastes (codes of the
  National Hazardous Waste List, 2021 edition).
- `utilization_rate` — after 一般工业固体废物综合利用率 in the same indicator system, with the
  statistical convention 综合利用率 = 综合利用量 ÷ (产生量 + 综合利用往年贮存量) of China's
  environmental statistics: the firm's waste utilized in Y (transformed, by the firm or by
  a receiver it shipped to on a manifest) over its generation in Y plus the part of the
  utilized mass from batches made before Y. Counts hazardous and general waste alike.
  Unknown when the denominator is zero.
- `disposal_share` — of the firm's waste meeting a final fate in Y, the share disposed
  (landfill, incineration, co-processing or other) rather than utilized:
  disposed ÷ (utilized + disposed). Unknown when nothing met a fate.
- `whitelisted` — whether the firm is on the regulator's whitelist (白名单) now.
- `risk_score` — the firm's risk score now (`oversight.risk.score`, 0 to 1, lower better).
- `open_alerts` — the firm's alerts neither resolved nor dismissed, now.

The last three read the state at the check, not year Y: they are what a chain master admits
a supplier on today.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from zerowaste.adapters.db.supplier_indicator_inputs import SupplierInputs
from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.domain.admission import IndicatorValue, IndicatorValues, SupplierIndicator
from zerowaste.domain.alerts import AlertState
from zerowaste.indicators.formulas import PLACES, intensity
from zerowaste.indicators.formulas import ratio as _ratio
from zerowaste.oversight.risk import RiskScore
from zerowaste.services.risk import scores_of


def ledger_values(inputs: SupplierInputs) -> dict[SupplierIndicator, IndicatorValue]:
    """The four ledger indicators of one firm-year (see the module docstring)."""
    utilized, disposed = inputs.utilized_kg, inputs.disposed_kg
    return {
        SupplierIndicator.WASTE_INTENSITY: intensity(inputs.general_kg, inputs.output_value_cny),
        SupplierIndicator.HAZARDOUS_INTENSITY: intensity(
            inputs.hazardous_kg, inputs.output_value_cny
        ),
        SupplierIndicator.UTILIZATION_RATE: _ratio(
            utilized, inputs.generated_kg + inputs.utilized_prior_kg
        ),
        SupplierIndicator.DISPOSAL_SHARE: _ratio(disposed, utilized + disposed),
    }


def state_values(
    whitelisted: bool, risk: RiskScore, open_alerts: int
) -> dict[SupplierIndicator, IndicatorValue]:
    """The three indicators read from the state at the check."""
    return {
        SupplierIndicator.WHITELISTED: whitelisted,
        SupplierIndicator.RISK_SCORE: Decimal(repr(risk.score)).quantize(PLACES),
        SupplierIndicator.OPEN_ALERTS: Decimal(open_alerts),
    }


def indicator_values(
    uow: UnitOfWork, organization_ids: Iterable[uuid.UUID], year: int, as_of: datetime
) -> dict[uuid.UUID, IndicatorValues]:
    """Every firm's indicator values for `year` (state ones as of `as_of`), by id."""
    ids = list(dict.fromkeys(organization_ids))
    if not ids:
        return {}
    inputs = uow.supplier_indicators.inputs(ids, year)
    facts, scores = scores_of(uow, ids, as_of)
    entries = uow.whitelist.of_organizations(ids)
    found = {}
    for i in ids:
        entry = entries.get(i)
        open_alerts = sum(1 for a in facts[i].alerts if not AlertState(a.state).is_closed)
        values = ledger_values(inputs[i]) | state_values(
            entry is not None and entry.listed, scores[i], open_alerts
        )
        found[i] = IndicatorValues(i, year, values)
    return found
