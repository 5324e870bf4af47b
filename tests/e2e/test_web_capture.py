"""The firm desk's capture forms through the app, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

from fastapi.testclient import TestClient

from tests.e2e.test_web_forms import field_error, post
from tests.e2e.test_web_pages import assert_html, assert_self_contained, meta_token, sign_in
from tests.factories import OPERATOR, Factory
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.batches import BatchStatus
from zerowaste.domain.organizations import Organization
from zerowaste.domain.sites import Site

CODE = "900-214-08"


def desk(client: TestClient, factory: Factory) -> tuple[Organization, Site, str]:
    """A firm with a site and a custodial key, its user signed in; returns the CSRF token."""
    firm = factory.organization(name="苏州精密铸造有限公司")
    site = factory.site(firm)
    factory.context.signing_keys.create_custodial(OPERATOR, firm.id)
    user = factory.user(UserRole.FIRM, organization=firm)
    assert sign_in(client, user.username).status_code == 303
    token = meta_token(client.get("/").text)
    assert token
    return firm, site, token


def batch_of(response: object) -> uuid.UUID:
    location = response.headers["location"]  # type: ignore[attr-defined]
    found = re.search(r"/batches/([0-9a-f-]{36})$", location)
    assert found, location
    return uuid.UUID(found.group(1))


def test_a_firm_user_records_a_batch_life_through_the_forms(
    client: TestClient, factory: Factory
) -> None:
    context = factory.context
    firm, site, token = desk(client, factory)
    base = f"/firms/{firm.id}/capture"
    for kind in ("generate", "store", "split", "transform", "dispose", "inspect", "correct"):
        page = assert_html(client.get(f"{base}/{kind}"))
        assert 'id="capture-form"' in page
        assert_self_contained(page)
    made = post(
        client,
        f"{base}/generate",
        token,
        site_id=str(site.id),
        waste_code=CODE,
        quantity="1.2",
        unit="TNE",
        composition="Fe = 0.62\nZn: 0.05",
        comp_method="XRF",
        comp_lab="苏州检测中心",
        comp_sampled_on="2026-05-30",
    )
    assert made.status_code == 303, made.text[:800]
    raw = batch_of(made)
    view = context.capture.batch(OPERATOR, raw)
    assert view.batch.mass_kg == Decimal(1200)
    assert view.batch.composition is not None
    assert view.batch.composition.fraction("Fe") == Decimal("0.62")
    trace_page = assert_html(client.get(f"/batches/{raw}"))
    assert "化验成分" in trace_page
    assert "苏州检测中心" in trace_page
    split = post(client, f"{base}/split", token, batch_id=str(raw), quantities="700, 500")
    assert split.status_code == 303, re.findall(
        r"(?:field-error|alert-error)[^>]*>([^<]+)<", split.text
    )
    part = batch_of(split)
    assert context.capture.batch(OPERATOR, raw).batch.status is BatchStatus.CONSUMED
    parts = [b for b in context.holdings.batches(OPERATOR, firm.id) if b.mass_kg == 500]
    [rest] = parts
    transformed = post(
        client,
        f"{base}/transform",
        token,
        batch_id=str(part),
        quantity="700",
        output_kind="secondary_raw_material",
        output_quantity="600",
        output_description="再生铁粉",
        residue_quantity="80",
        loss="20",
    )
    assert transformed.status_code == 303, transformed.text[:800]
    disposed = post(
        client,
        f"{base}/dispose",
        token,
        batch_id=str(rest.batch_id),
        quantity="500",
        disposal_method="incineration",
    )
    assert disposed.status_code == 303
    generated_event = context.capture.batch(OPERATOR, raw).events[0].event_id
    corrected = post(
        client,
        f"{base}/correct",
        token,
        corrects_event_id=str(generated_event),
        note="备注有误",
    )
    assert corrected.status_code == 303, corrected.text[:800]
    inspected = post(
        client,
        f"{base}/inspect",
        token,
        site_id=str(site.id),
        counts=f"{CODE} = 60",
        conditions="标签完好",
    )
    assert inspected.status_code == 303, inspected.text[:800]
    [inspection] = context.findings.inspections(OPERATOR, site.id)
    # Nothing of the code is held any more (the residue carries no waste code): all is a gap.
    assert (inspection.lines[0].ledger_kg, inspection.lines[0].gap_kg) == (0, 60)
    page = assert_html(client.get(f"/firms/{firm.id}"))
    assert 'id="holdings"' in page
    assert f"/batches/{raw}" in page
    assert 'id="batches-done"' in page
    assert f'id="inventory-{site.id}"' in page
    assert f'id="inspections-{site.id}"' in page
    trace_page = assert_html(client.get(f"/batches/{raw}"))
    assert "已更正" in trace_page


def test_a_refused_form_comes_back_with_the_field_named(
    client: TestClient, factory: Factory
) -> None:
    context = factory.context
    firm, site, token = desk(client, factory)
    before = context.unit_of_work
    base = f"/firms/{firm.id}/capture"
    bad_mass = post(
        client,
        f"{base}/generate",
        token,
        site_id=str(site.id),
        waste_code=CODE,
        quantity="-3",
        unit="KGM",
    )
    page = assert_html(bad_mass, 422)
    assert field_error(page, "quantity")
    assert 'value="-3"' in page
    bad_code = post(
        client,
        f"{base}/generate",
        token,
        site_id=str(site.id),
        waste_code="999-999-99",
        quantity="3",
        unit="KGM",
    )
    assert field_error(assert_html(bad_code, 422), "waste_code")
    bad_lab = post(
        client,
        f"{base}/generate",
        token,
        site_id=str(site.id),
        waste_code=CODE,
        quantity="3",
        unit="KGM",
        composition="Fe = 0.7\nSi = 0.6",
        comp_method="XRF",
        comp_sampled_on="2026-05-01",
    )
    assert field_error(assert_html(bad_lab, 422), "composition")
    made = post(
        client,
        f"{base}/generate",
        token,
        site_id=str(site.id),
        waste_code=CODE,
        quantity="10",
        unit="KGM",
    )
    batch = batch_of(made)
    too_much = post(
        client,
        f"{base}/dispose",
        token,
        batch_id=str(batch),
        quantity="11",
        disposal_method="landfill",
    )
    assert field_error(assert_html(too_much, 409), "quantity")
    english = post(client, f"{base}/split", token, batch_id=str(batch), quantities="10", lang="en")
    assert field_error(assert_html(english, 422), "quantities")
    no_token = post(client, f"{base}/generate", None, site_id=str(site.id))
    assert no_token.status_code == 403
    with before() as uow:
        assert uow.events.counts()[0] == 1  # only the valid generation was stored


def test_other_firms_cannot_use_the_forms(client: TestClient, factory: Factory) -> None:
    firm, _, _ = desk(client, factory)
    other = factory.organization(region_code="330402")
    assert client.get(f"/firms/{other.id}/capture/generate").status_code == 403
    assert client.get(f"/firms/{firm.id}/capture/teleport").status_code == 404
    page = assert_html(client.get(f"/firms/{other.id}"))
    assert 'id="holdings"' not in page
