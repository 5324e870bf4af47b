"""The under-reporting rule: a firm's waste per unit of output against its industry peers."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal

from zerowaste.oversight.detect_common import CHINA, kg_text
from zerowaste.oversight.facts import Generation
from zerowaste.oversight.findings import Finding
from zerowaste.oversight.rules import RuleSettings

#: Scales the median absolute deviation to the standard deviation of a normal distribution.
MAD_SCALE = 1.4826


def division(industry_code: str) -> str:
    """The GB/T 4754 division (two digits, after the section letter if any) of an industry code."""
    return industry_code[:3] if industry_code[:1].isalpha() else industry_code[:2]


def robust_z(value: float, peers: Sequence[float]) -> float | None:
    """(value − median) / (1.4826 · MAD) over the peers; None when the MAD is zero."""
    median = statistics.median(peers)
    mad = statistics.median(abs(p - median) for p in peers)
    if mad == 0:
        return None
    return (value - median) / (MAD_SCALE * mad)


def _significant(value: float) -> str:
    """A positive figure to four significant digits, plainly written."""
    return kg_text(Decimal(f"{value:.4g}"))


def under_reporting(
    generations: Iterable[Generation],
    settings: RuleSettings,
    years: Iterable[int],
    as_of: datetime,
) -> list[Finding]:
    """Firms whose log waste intensity is far below their peers' (robust z < `z_threshold`).

    The intensity is the waste a firm's generated events declare in a year per unit of its
    product output that year. Peers are the other firms of the same industry class declaring
    output in the same unit; when fewer than `min_peers`, the firms of its division. A firm
    declaring no waste or no output is not scored (its intensity has no logarithm).

    Args:
        generations: Each firm's declared generation and output per year.
        settings: The parameters in force.
        years: The years to judge (complete years of data).
        as_of: The sweep's instant (a current year's finding is observed then).
    """
    threshold = float(settings.value("under_reporting", "z_threshold"))
    min_peers = int(settings.value("under_reporting", "min_peers"))
    wanted = set(years)
    scored = [
        g
        for g in generations
        if g.year in wanted and g.generated_kg > 0 and g.product_output > 0 and g.industry_code
    ]
    by_class: dict[tuple[int, str, str], list[Generation]] = defaultdict(list)
    by_division: dict[tuple[int, str, str], list[Generation]] = defaultdict(list)
    for g in scored:
        assert g.industry_code is not None
        by_class[(g.year, g.product_unit, g.industry_code)].append(g)
        by_division[(g.year, g.product_unit, division(g.industry_code))].append(g)
    found = []
    for g in scored:
        assert g.industry_code is not None
        peers = [p for p in by_class[(g.year, g.product_unit, g.industry_code)] if p is not g]
        if len(peers) < min_peers:
            group = by_division[(g.year, g.product_unit, division(g.industry_code))]
            peers = [p for p in group if p is not g]
        if len(peers) < min_peers:
            continue
        logs = [math.log(float(p.generated_kg / p.product_output)) for p in peers]
        intensity = float(g.generated_kg / g.product_output)
        z = robust_z(math.log(intensity), logs)
        if z is None or z >= threshold:
            continue
        median = math.exp(statistics.median(logs))
        found.append(_finding(g, intensity, len(peers), median, z, as_of))
    return found


def _finding(
    g: Generation, intensity: float, peers: int, median: float, z: float, as_of: datetime
) -> Finding:
    year_end = datetime(g.year + 1, 1, 1, tzinfo=CHINA)
    return Finding(
        rule_id="under_reporting",
        subject=f"organization:{g.organization_id}:{g.year}",
        organization_id=g.organization_id,
        observed_at=min(year_end, as_of),
        figures={
            "year": str(g.year),
            "intensity": _significant(intensity),
            "unit": g.product_unit,
            "peers": str(peers),
            "peer_median": _significant(median),
            "z": f"{z:.1f}",
            "generated_kg": kg_text(g.generated_kg),
            "product_output": kg_text(g.product_output),
        },
        event_ids=g.event_ids,
        site_id=g.site_id,
    )
