"""The manifest and approval pages through the app, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from decimal import Decimal

from fastapi.testclient import TestClient

from tests.e2e.test_web_pages import assert_html, assert_self_contained, form_token, sign_in
from tests.factories import Factory
from tests.integration.test_approvals import ANHUI, approval_terms
from tests.manifest_world import World, build_world
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.approvals import ApprovalState
from zerowaste.domain.manifest_documents import RejectionSpec
from zerowaste.domain.manifests import Disposition, ReceiptLine


def carried(world: World) -> uuid.UUID:
    """A manifest issued, shipped, delivered and partly rejected to the alternate receiver."""
    service = world.factory.context.manifests
    keep, refuse = world.generate("600"), world.generate("400")
    manifest_id = uuid.uuid4()
    g, c, r, alt = world.generator, world.carrier, world.receiver, world.alternate
    service.issue(g.user, manifest_id, world.terms([keep, refuse]), world.tick(), g.signer)
    service.pickup(c.user, manifest_id, c.id, 0, world.tick())
    world.ship(manifest_id, keep)
    world.ship(manifest_id, refuse)
    service.deliver(c.user, manifest_id, c.id, 0, world.tick())
    lines = (ReceiptLine(keep, Decimal("598.5")), ReceiptLine(refuse, Decimal(400), Decimal(400)))
    spec = RejectionSpec(Disposition.REDIRECT, "含水率超标", alt.id, alt.site.id)
    service.receive(r.user, manifest_id, r.id, r.site.id, lines, world.tick(), spec)
    return manifest_id


def test_the_manifest_pages_show_state_parties_and_signatures(
    client: TestClient, factory: Factory
) -> None:
    world = build_world(factory)
    manifest_id = carried(world)
    assert sign_in(client, world.carrier.user.username).status_code == 303
    listing = assert_html(client.get("/manifests"))
    assert f'/manifests/{manifest_id}"' in listing
    assert "部分接收" in listing
    assert f'/manifests/{manifest_id}"' not in assert_html(client.get("/manifests?state=closed"))
    page = assert_html(client.get(f"/manifests/{manifest_id}"))
    assert_self_contained(page)
    assert 'data-state="partially_received"' in page
    assert page.count('class="signature"') == 4  # issue, pickup, deliver, receive
    assert "含水率超标" in page
    assert "-1.5" in page
    for party in (world.generator, world.carrier, world.receiver, world.alternate):
        assert f"/firms/{party.id}" in page
    english = assert_html(client.get(f"/manifests/{manifest_id}?lang=en"))
    assert "Partially received" in english
    assert "Signatures" in english
    client.cookies.clear()
    assert (
        sign_in(
            client, factory.user(UserRole.FIRM, organization=factory.organization()).username
        ).status_code
        == 303
    )
    assert client.get(f"/manifests/{manifest_id}").status_code == 403


def test_regulators_consent_and_approve_from_the_approvals_page(
    client: TestClient, factory: Factory
) -> None:
    world = build_world(factory, receiver_region=ANHUI)
    approval_id = uuid.uuid4()
    context = factory.context
    context.approvals.request(
        world.generator.user, approval_id, approval_terms(world), world.tick()
    )
    jiangsu = factory.user(UserRole.REGULATOR, jurisdiction_code="320000")
    anhui = factory.user(UserRole.REGULATOR, jurisdiction_code="340000")
    assert sign_in(client, jiangsu.username).status_code == 303
    page = assert_html(client.get("/approvals"))
    assert f'/approvals/{approval_id}/approve"' not in page  # not its turn yet
    assert f'/approvals/{approval_id}/consent"' not in page  # not its province's consent
    client.cookies.clear()
    assert sign_in(client, anhui.username).status_code == 303
    page = assert_html(client.get("/approvals"))
    assert f'/approvals/{approval_id}/consent"' in page
    refused = client.post(f"/approvals/{approval_id}/consent", data={"csrf": "wrong"})
    assert refused.status_code == 403
    token = form_token(page)
    done = client.post(
        f"/approvals/{approval_id}/consent", data={"csrf": token}, follow_redirects=False
    )
    assert done.status_code == 303
    assert "已同意接收" in assert_html(client.get("/approvals"))
    client.cookies.clear()
    assert sign_in(client, jiangsu.username).status_code == 303
    page = assert_html(client.get("/approvals?lang=en"))
    assert f'/approvals/{approval_id}/approve"' in page
    done = client.post(
        f"/approvals/{approval_id}/approve", data={"csrf": form_token(page)}, follow_redirects=False
    )
    assert done.status_code == 303
    view = context.approvals.approval(anhui, approval_id)
    assert view.approval.state is ApprovalState.APPROVED
    assert view.approval.steps[-1].user_id == jiangsu.user_id
    again = client.post(f"/approvals/{approval_id}/approve", data={"csrf": form_token(page)})
    assert again.status_code == 409
