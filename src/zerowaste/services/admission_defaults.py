"""Default admission rules a chain master may start from (and the demo seeds): illustrative.

The thresholds are illustrative assumptions for an automotive chain, not regulatory limits.
The waste-intensity figure is set well below a heavy-industry firm's: assembly and parts
making generate little solid waste per yuan of output. The utilization floor of 60 % is an
assumption of a zero-waste chain's ambition, not a published target. The risk ceiling keeps out
the high band of `oversight.risk` (0.40 and above).

The clauses paraphrase duties of the Solid Waste Law (《中华人民共和国固体废物污染环境防治法》,
2020 revision): keeping a ledger of industrial solid waste (art. 36), hazardous waste only to
licensed firms (art. 80) and the transfer manifest (art. 82); take-back of off-spec lots
and per-lot testing by an accredited (CMA) laboratory are the platform's illustrative
commercial terms. The source paper ("Research and practical exploration on building
Zero-Waste Supply Chains") describes chain masters passing waste duties to suppliers through
admission standards and purchase agreements (吉利汽车集团将"无废"要求纳入供应商准入标准).
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from zerowaste.domain.admission import Clause, Comparator, Criterion, YearBasis
from zerowaste.domain.admission import SupplierIndicator as I  # noqa: N817

DEFAULT_CRITERIA: tuple[Criterion, ...] = (
    Criterion(I.WASTE_INTENSITY, Comparator.AT_MOST, Decimal("0.30")),
    Criterion(I.HAZARDOUS_INTENSITY, Comparator.AT_MOST, Decimal("0.02")),
    Criterion(I.UTILIZATION_RATE, Comparator.AT_LEAST, Decimal("0.60")),
    Criterion(I.DISPOSAL_SHARE, Comparator.AT_MOST, Decimal("0.40"), required=False),
    Criterion(I.RISK_SCORE, Comparator.AT_MOST, Decimal("0.35")),
    Criterion(I.OPEN_ALERTS, Comparator.EQUALS, Decimal(0), required=False),
    Criterion(I.WHITELISTED, Comparator.EQUALS, True, required=False),
)

DEFAULT_CLAUSES: tuple[Clause, ...] = (
    Clause(
        "batch_ledger",
        "供应商应在平台台账中记录每一批次固体废物的产生、贮存、转移、利用和处置，"
        "并在事项发生后{days}日内完成记录。",
        "The supplier records every batch of solid waste it generates, stores, transfers, "
        "utilizes or disposes of in the platform's ledger within {days} days of the event.",
        {"days": 3},
    ),
    Clause(
        "off_spec_take_back",
        "交付的副产物或再生原料不符合约定规格的，供应商应在接到通知后{days}日内自费收回该批次，"
        "并承担由此产生的运输和处置费用。",
        "Where a delivered by-product or secondary raw material is off-spec, the supplier "
        "takes the lot back at its own cost within {days} days of notice and bears the "
        "transport and disposal costs.",
        {"days": 15},
    ),
    Clause(
        "lot_composition_testing",
        "每一交付批次应由具备{accreditation}资质的检测机构检测成分，检测报告随批次上传平台。",
        "Every delivered lot is tested for composition by a {accreditation}-accredited "
        "laboratory; the report is uploaded to the platform with the lot.",
        {"accreditation": "CMA"},
    ),
    Clause(
        "licensed_hazardous_receivers",
        "危险废物只交由持有覆盖该废物代码的危险废物经营许可证的单位收集、利用或处置，"
        "并执行电子转移联单。",
        "Hazardous waste goes only to firms holding a hazardous waste business licence that "
        "covers its code, each transfer under an electronic manifest.",
    ),
    Clause(
        "annual_indicator_report",
        "供应商每年{month}月底前向链主报送上一年度固体废物产生强度与综合利用率。",
        "By the end of month {month} each year the supplier reports to the chain master its "
        "previous year's solid waste intensity and utilization rate.",
        {"month": 3},
    ),
)


def demo_admission_rules(
    chain_master_id: uuid.UUID,
) -> tuple[tuple[Criterion, ...], tuple[Clause, ...]]:
    """The default criteria and clauses for a chain master (the same for every one)."""
    del chain_master_id  # one set of defaults today; the argument keeps room for per-chain ones
    return DEFAULT_CRITERIA, DEFAULT_CLAUSES


def demo_year_basis(as_of: date) -> YearBasis:
    """The year basis under which the demo's twelve months up to `as_of` are mostly read.

    The demo's ledger covers the year before its as-of day: from July on, most of it lies in
    the current calendar year; before July, in the previous one.
    """
    return YearBasis.CURRENT_YEAR if as_of.month >= 7 else YearBasis.PREVIOUS_YEAR
