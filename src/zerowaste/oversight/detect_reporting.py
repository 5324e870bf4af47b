"""The under-reporting rule: a firm's waste per unit of output, code by code, against its peers."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from zerowaste.oversight.detect_common import CHINA, kg_text
from zerowaste.oversight.facts import Generation
from zerowaste.oversight.findings import Finding
from zerowaste.oversight.rules import RuleSettings

#: Scales the median absolute deviation to the standard deviation of a normal distribution.
MAD_SCALE = 1.4826


def robust_z(value: float, peers: Sequence[float], min_spread: float = 0.0) -> float | None:
    """(value − median) / spread, the spread being 1.4826 · MAD but at least `min_spread`.

    Returns None when the spread is zero (identical peers and no floor).
    """
    median = statistics.median(peers)
    mad = statistics.median(abs(p - median) for p in peers)
    spread = max(MAD_SCALE * mad, min_spread)
    if spread == 0:
        return None
    return (value - median) / spread


@dataclass(frozen=True, slots=True)
class CodeScore:
    """One waste code of a firm-year: its intensity, the peers' median, their count and z."""

    code: str
    intensity: float
    peer_median: float
    peers: int
    z: float


def _significant(value: float) -> str:
    """A positive figure to four significant digits, plainly written."""
    return kg_text(Decimal(f"{value:.4g}"))


def _intensities(g: Generation) -> dict[str, float]:
    """Log kg per unit of output of each code the firm declared in the year."""
    return {
        code: math.log(float(kg / g.product_output))
        for code, kg in sorted(g.by_code.items())
        if kg > 0
    }


def under_reporting(
    generations: Iterable[Generation],
    settings: RuleSettings,
    years: Iterable[int],
    as_of: datetime,
) -> list[Finding]:
    """Firms whose waste per unit of output is far below their peers', code by code.

    For each waste code a firm declared in a year, its log intensity (kg of that code per
    unit of its product output that year) is scored against its peers': robust z = (value −
    median) / max(1.4826 · MAD, `min_spread`). Peers are the other firms of the same industry
    class declaring output in the same unit that generated the code; when at least
    `min_peers` of them declared exactly the firm's set of codes (firms of the same process,
    in effect), only those. Codes with fewer than `min_peers` peers are not scored. The
    firm's score is the median of its per-code z's, over at least two codes (one for a firm
    declaring a single code); below `z_threshold` it is a finding. A firm declaring no waste
    or no output is not scored.

    Args:
        generations: Each firm's declared generation (per code) and output per year.
        settings: The parameters in force.
        years: The years to judge (complete enough years of data).
        as_of: The sweep's instant (a current year's finding is observed then).
    """
    threshold = float(settings.value("under_reporting", "z_threshold"))
    min_peers = int(settings.value("under_reporting", "min_peers"))
    min_spread = float(settings.value("under_reporting", "min_spread"))
    wanted = set(years)
    scored = [
        g
        for g in generations
        if g.year in wanted and g.product_output > 0 and g.industry_code and g.by_code
    ]
    logs = {id(g): _intensities(g) for g in scored}
    by_profile: dict[tuple[int, str, str | None, frozenset[str]], list[Generation]] = defaultdict(
        list
    )
    by_code: dict[tuple[int, str, str | None, str], list[Generation]] = defaultdict(list)
    for g in scored:
        by_profile[(g.year, g.product_unit, g.industry_code, frozenset(logs[id(g)]))].append(g)
        for code in logs[id(g)]:
            by_code[(g.year, g.product_unit, g.industry_code, code)].append(g)
    found = []
    for g in scored:
        mine = logs[id(g)]
        if not mine:
            continue
        profile = by_profile[(g.year, g.product_unit, g.industry_code, frozenset(mine))]
        same = [p for p in profile if p is not g]
        codes = []
        for code, value in mine.items():
            group = by_code[(g.year, g.product_unit, g.industry_code, code)]
            peers = same if len(same) >= min_peers else [p for p in group if p is not g]
            if len(peers) < min_peers:
                continue
            values = [logs[id(p)][code] for p in peers]
            z = robust_z(value, values, min_spread)
            if z is not None:
                median = math.exp(statistics.median(values))
                codes.append(CodeScore(code, math.exp(value), median, len(peers), z))
        if len(codes) < min(2, len(mine)):
            continue
        score = statistics.median(c.z for c in codes)
        if score < threshold:
            found.append(_finding(g, codes, score, len(same), settings, as_of))
    return found


def _finding(
    g: Generation,
    codes: Sequence[CodeScore],
    score: float,
    profile_peers: int,
    settings: RuleSettings,
    as_of: datetime,
) -> Finding:
    year_end = datetime(g.year + 1, 1, 1, tzinfo=CHINA)
    figures = {
        "year": str(g.year),
        "industry": g.industry_code or "",
        "unit": g.product_unit,
        "z": f"{score:.1f}",
        "codes": str(len(codes)),
        "peers": str(max(c.peers for c in codes)),
        "profile_peers": str(profile_peers),
        "per_code": "; ".join(
            f"{c.code}: {_significant(c.intensity)}/{_significant(c.peer_median)}"
            f" (z {c.z:.1f}, n {c.peers})"
            for c in codes
        ),
        "generated_kg": kg_text(g.generated_kg),
        "product_output": kg_text(g.product_output),
        **{k: kg_text(v) for k, v in settings.parameters("under_reporting").items()},
    }
    for c in codes:
        figures[f"{c.code}.intensity"] = _significant(c.intensity)
        figures[f"{c.code}.peer_median"] = _significant(c.peer_median)
        figures[f"{c.code}.peers"] = str(c.peers)
        figures[f"{c.code}.z"] = f"{c.z:.1f}"
    return Finding(
        rule_id="under_reporting",
        subject=f"organization:{g.organization_id}:{g.year}",
        organization_id=g.organization_id,
        observed_at=min(year_end, as_of),
        figures=figures,
        event_ids=g.event_ids,
        site_id=g.site_id,
    )
