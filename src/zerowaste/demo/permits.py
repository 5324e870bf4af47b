"""Demo licences: numbers, issuers and validity periods, some of them expired or expiring."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from zerowaste.demo.archetypes import PermitSpec
from zerowaste.demo.geography import HOME_PROVINCE, County
from zerowaste.domain.permits import NewPermit, PermitKind

#: The first day of the oldest hazardous waste list edition the catalog holds (2021); a
#: licence's codes are checked against the edition in force on its first day.
EARLIEST_VALID_FROM = date(2021, 1, 1)

#: Share of licences that have lapsed by `as_of`, and that lapse within `EXPIRING_DAYS`.
EXPIRED_SHARE = 0.10
EXPIRING_SHARE = 0.12
EXPIRING_DAYS = 90
#: A licence renewed within this many days before the as-of day comes with its predecessor,
#: so the year of demo events always finds the licence then in force.
RENEWAL_LOOKBACK_DAYS = 400


class Standing(StrEnum):
    """Where a licence stands on the day the city is generated for."""

    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"


def standings(rng: random.Random, count: int) -> list[Standing]:
    """A shuffled deck of `count` standings with at least one expired and one expiring."""
    expired = max(1, round(count * EXPIRED_SHARE)) if count >= 3 else 0
    expiring = max(1, round(count * EXPIRING_SHARE)) if count >= 3 else 0
    deck = [Standing.EXPIRED] * expired + [Standing.EXPIRING] * expiring
    deck += [Standing.VALID] * (count - len(deck))
    rng.shuffle(deck)
    return deck


_ISSUERS = {
    (PermitKind.HAZARDOUS_WASTE_BUSINESS, True): "江苏省生态环境厅",
    (PermitKind.HAZARDOUS_WASTE_BUSINESS, False): "浙江省生态环境厅",
    (PermitKind.DANGEROUS_GOODS_TRANSPORT, True): "苏州市交通运输局",
    (PermitKind.DANGEROUS_GOODS_TRANSPORT, False): "嘉兴市交通运输局",
}


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def validity(
    rng: random.Random, as_of: date, term_years: int, standing: Standing
) -> tuple[date, date]:
    """A validity period of `term_years` that stands as asked on `as_of`.

    Args:
        rng: The generator's random source.
        as_of: The day the city is generated for.
        term_years: The licence's statutory term.
        standing: Whether it is in force, about to lapse or lapsed on `as_of`.

    Returns:
        (valid_from, valid_to). `valid_from` is never before `EARLIEST_VALID_FROM`.
    """
    term_days = (add_years(as_of, term_years) - as_of).days
    if standing is Standing.EXPIRED:
        valid_to = as_of - timedelta(days=rng.randint(10, 400))
    elif standing is Standing.EXPIRING:
        valid_to = as_of + timedelta(days=rng.randint(5, EXPIRING_DAYS))
    else:
        valid_to = as_of + timedelta(days=rng.randint(EXPIRING_DAYS + 30, term_days - 30))
    valid_from = add_years(valid_to, -term_years) + timedelta(days=1)
    return max(valid_from, EARLIEST_VALID_FROM), valid_to


def permit_number(kind: PermitKind, holder: County, valid_from: date, serial: int) -> str:
    """A fictional licence number in the style of the issuing province."""
    in_home = holder.code[:2] == HOME_PROVINCE[:2]
    if kind is PermitKind.HAZARDOUS_WASTE_BUSINESS:
        prefix = "JS" if in_home else "ZJ"
        return f"{prefix}{holder.code}OOD{valid_from.year}{serial:03d}"
    abbreviation = "苏" if in_home else "浙"
    return f"{abbreviation}交运危字{holder.code}{valid_from.year}{serial:04d}号"


def demo_permit(
    rng: random.Random,
    spec: PermitSpec,
    *,
    holder: County,
    site_ref: uuid.UUID,
    as_of: date,
    serial: int,
    standing: Standing,
) -> NewPermit:
    """A licence of the kind `spec` describes, held at the site `site_ref`.

    Args:
        rng: The generator's random source.
        spec: What the licence covers.
        holder: The county the holder is registered in (decides issuer and number).
        site_ref: Reference id of the licensed site.
        as_of: The day the city is generated for.
        serial: A number unique among the city's licences.
        standing: Where the licence stands on `as_of`.
    """
    valid_from, valid_to = validity(rng, as_of, spec.term_years, standing)
    low, high = spec.capacity_t
    capacity = Decimal(round(rng.uniform(low, high) / 500) * 500)
    in_home = holder.code[:2] == HOME_PROVINCE[:2]
    return NewPermit(
        kind=spec.kind,
        number=permit_number(spec.kind, holder, valid_from, serial),
        activities=spec.activities,
        waste_codes=spec.waste_codes,
        annual_capacity_t=capacity,
        valid_from=valid_from,
        valid_to=valid_to,
        site_id=site_ref,
        issued_by=_ISSUERS[(spec.kind, in_home)],
    )


def predecessor(current: NewPermit, spec: PermitSpec, holder: County, serial: int) -> NewPermit:
    """The licence that `current` renewed: the same scope, ending the day before it starts."""
    valid_to = current.valid_from - timedelta(days=1)
    valid_from = max(add_years(current.valid_from, -spec.term_years), EARLIEST_VALID_FROM)
    return replace(
        current,
        number=permit_number(spec.kind, holder, valid_from, serial),
        valid_from=valid_from,
        valid_to=valid_to,
    )
