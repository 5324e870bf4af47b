"""Supply chains: a chain master's registered suppliers (list, add, remove)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel

from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.chains import Chain, ChainMember

router = APIRouter(tags=["carbon"])
signed_in = Depends(allow(Rule.AUTHENTICATED))


class MemberOut(BaseModel):
    """A supplier in a chain, since when and who registered it."""

    chain_master_id: uuid.UUID
    supplier_id: uuid.UUID
    name: str
    region_code: str
    since: datetime
    added_by: uuid.UUID | None


class ChainOut(BaseModel):
    """A chain master and its suppliers."""

    chain_master_id: uuid.UUID
    members: list[MemberOut]


class MemberIn(BaseModel):
    """The supplier to register."""

    supplier_id: uuid.UUID


def _member_out(request: Request, member: ChainMember) -> MemberOut:
    firm = context_of(request).organizations.get(member.supplier_id)
    return MemberOut(
        chain_master_id=member.chain_master_id,
        supplier_id=member.supplier_id,
        name=firm.name,
        region_code=firm.region_code,
        since=member.since,
        added_by=member.added_by,
    )


def chain_out(request: Request, chain: Chain) -> ChainOut:
    """The API form of a chain."""
    return ChainOut(
        chain_master_id=chain.chain_master_id,
        members=[_member_out(request, m) for m in chain.members],
    )


@router.get("/chains/{chain_master_id}/members", response_model=ChainOut)
def members(
    request: Request, chain_master_id: uuid.UUID, actor: Annotated[Principal, signed_in]
) -> ChainOut:
    """The chain's suppliers: for the chain master's users, regulators over it and admins."""
    return chain_out(request, context_of(request).chains.chain(actor, chain_master_id))


@router.post("/chains/{chain_master_id}/members", status_code=201, response_model=MemberOut)
def add_member(
    request: Request,
    chain_master_id: uuid.UUID,
    body: MemberIn,
    actor: Annotated[Principal, signed_in],
) -> MemberOut:
    """Register a supplier in the chain (the chain master's users or admins)."""
    member = context_of(request).chains.add(actor, chain_master_id, body.supplier_id)
    return _member_out(request, member)


@router.delete("/chains/{chain_master_id}/members/{supplier_id}", status_code=204)
def remove_member(
    request: Request,
    chain_master_id: uuid.UUID,
    supplier_id: uuid.UUID,
    actor: Annotated[Principal, signed_in],
) -> Response:
    """Remove a supplier from the chain (the chain master's users or admins)."""
    context_of(request).chains.remove(actor, chain_master_id, supplier_id)
    return Response(status_code=204)
