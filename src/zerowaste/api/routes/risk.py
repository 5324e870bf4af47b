"""Risk scores: one firm's (its users, its regulators, admins) and a jurisdiction's list."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.oversight.risk import HIGH_FROM, LOW_BELOW, RiskBand
from zerowaste.services.risk import FirmRisk

router = APIRouter(tags=["oversight"])

#: The formula as the API states it.
FORMULA = (
    f"score = Σ weight × factor, each factor in [0, 1] and the weights summing to 1; band low "
    f"below {LOW_BELOW}, medium below {HIGH_FROM}, high from {HIGH_FROM}"
)


class FactorOut(BaseModel):
    """One factor of the score."""

    factor: str
    value: float = Field(description="The factor, normalized to [0, 1]")
    weight: float = Field(description="Its weight in the score")
    contribution: float = Field(description="weight × value")
    detail: dict[str, str] = Field(description="The figures the factor was computed from")


class RiskOut(BaseModel):
    """A firm's risk score with the weight and contribution of every factor."""

    organization_id: uuid.UUID
    name: str
    credit_code: str
    region_code: str
    as_of: datetime
    score: float
    band: RiskBand
    formula: str
    factors: list[FactorOut]


def risk_out(found: FirmRisk) -> RiskOut:
    """The API form of a firm's score."""
    risk = found.risk
    return RiskOut(
        organization_id=found.organization.id,
        name=found.organization.name,
        credit_code=found.organization.credit_code,
        region_code=found.organization.region_code,
        as_of=risk.as_of,
        score=risk.score,
        band=risk.band,
        formula=FORMULA,
        factors=[
            FactorOut(
                factor=f.factor.value,
                value=f.value,
                weight=f.weight,
                contribution=round(f.contribution, 6),
                detail=dict(f.detail),
            )
            for f in risk.factors
        ],
    )


@router.get("/organizations/{organization_id}/risk", response_model=RiskOut)
def firm_risk(
    request: Request,
    organization_id: uuid.UUID,
    actor: Annotated[Principal, Depends(allow(Rule.ORGANIZATION))],
) -> RiskOut:
    """The firm's risk score, every factor with its value, weight and contribution."""
    return risk_out(context_of(request).risk.firm(actor, organization_id))


@router.get("/risk", response_model=list[RiskOut])
def region_risk(
    request: Request,
    actor: Annotated[Principal, Depends(allow(Rule.REGULATOR))],
    jurisdiction_code: str | None = None,
) -> list[RiskOut]:
    """The firms of the regulator's (or a named) jurisdiction, highest score first."""
    return [risk_out(f) for f in context_of(request).risk.region(actor, jurisdiction_code)]
