"""The copy of record end to end: the print page, the PDF over HTTP, `zerowaste manifest print`."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.conftest import MASTER_KEY
from tests.e2e.test_web_pages import assert_html, sign_in
from tests.factories import Factory
from tests.integration.test_manifest_print import closed_manifest, pdf_qr_matrix, pdf_text
from tests.manifest_world import World, build_world
from zerowaste.adapters.exporters.qr import QUIET_ZONE, Matrix, qr_matrix
from zerowaste.bootstrap import Context
from zerowaste.cli.main import app
from zerowaste.domain.accounts import UserRole

runner = CliRunner()


def svg_matrix(html: str) -> Matrix:
    """Read the QR code back from the page's inline SVG: one `Mx,yh1v1h-1z` per dark module."""
    svg = re.search(r'<svg [^>]*class="qr"[^>]*viewBox="0 0 (\d+) \d+".*?</svg>', html, re.S)
    assert svg is not None
    modules = int(svg.group(1)) - 2 * QUIET_ZONE
    dark = {(int(x), int(y)) for x, y in re.findall(r"M(\d+),(\d+)h1v1h-1z", svg.group(0))}
    return tuple(
        tuple((x + QUIET_ZONE, y + QUIET_ZONE) in dark for x in range(modules))
        for y in range(modules)
    )


@pytest.fixture
def world(factory: Factory) -> World:
    return build_world(factory)


def test_the_print_page_in_both_languages_carries_the_receipt_qr(
    client: TestClient, world: World, factory: Factory
) -> None:
    manifest_id = closed_manifest(world)
    user = factory.user(UserRole.FIRM, organization=world.receiver.organization)
    assert sign_in(client, user.username).status_code == 303
    chinese = assert_html(client.get(f"/manifests/{manifest_id}/print"))
    assert "危险废物转移联单（存档副本）" in chinese
    assert "统一社会信用代码" in chinese
    english = assert_html(client.get(f"/manifests/{manifest_id}/print", params={"lang": "en"}))
    assert "Hazardous waste transfer manifest (copy of record)" in english
    copy = factory.context.manifest_print.copy_of_record(
        user, manifest_id, str(client.base_url).rstrip("/")
    )
    record = copy.record
    for value in (
        record["number"],
        "900-214-08",
        "996.5",
        "-3.5",
        *(p["credit_code"] for p in record["parties"]),
        *(s["key_id"] for s in record["signatures"]),
        str(copy.receipt.entry_id),
    ):
        assert value in english, value
    assert svg_matrix(english) == qr_matrix(copy.receipt.payload)
    assert f'data-payload="{copy.receipt.payload}"' in english.replace("&amp;", "&")
    assert 'href="/static/web/print.css' in english or "print.css" in english
    detail = assert_html(client.get(f"/manifests/{manifest_id}", params={"lang": "en"}))
    assert f"/manifests/{manifest_id}/print" in detail


def test_the_print_page_needs_a_party_or_its_regulator(
    client: TestClient, world: World, factory: Factory
) -> None:
    manifest_id = closed_manifest(world)
    anonymous = client.get(f"/manifests/{manifest_id}/print", follow_redirects=False)
    assert anonymous.status_code == 303
    outsider = factory.user(UserRole.FIRM, organization=factory.organization())
    assert sign_in(client, outsider.username).status_code == 303
    assert_html(client.get(f"/manifests/{manifest_id}/print"), 403)
    assert_html(client.get(f"/manifests/{uuid.uuid4()}/print"), 404)
    assert_html(client.get("/manifests/not-an-id/print"), 404)


def test_the_pdf_over_http(client: TestClient, world: World, factory: Factory) -> None:
    manifest_id = closed_manifest(world)
    regulator = factory.api_key(factory.user(UserRole.REGULATOR, jurisdiction_code="320500"))
    response = client.get(f"/api/v1/manifests/{manifest_id}/print.pdf", headers=regulator)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    copy = factory.context.manifest_print.copy_of_record(
        world.generator.user, manifest_id, str(client.base_url).rstrip("/")
    )
    assert copy.record["number"] in response.headers["content-disposition"]
    text = pdf_text(response.content)
    assert copy.record["number"] in text
    assert pdf_qr_matrix(response.content) == qr_matrix(copy.receipt.payload)
    outsider = factory.api_key(factory.user(UserRole.FIRM, organization=factory.organization()))
    refused = client.get(f"/api/v1/manifests/{manifest_id}/print.pdf", headers=outsider)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    missing = client.get(f"/api/v1/manifests/{uuid.uuid4()}/print.pdf", headers=regulator)
    assert missing.status_code == 404
    assert client.get(f"/api/v1/manifests/{manifest_id}/print.pdf").status_code == 401


def test_zerowaste_manifest_print_writes_the_pdf(
    context: Context, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZEROWASTE_DATABASE_URL", context.settings.database_url)
    monkeypatch.setenv("ZEROWASTE_MASTER_KEY", MASTER_KEY)
    manifest_id = closed_manifest(world)
    out = tmp_path / "manifest.pdf"
    base = "https://zerowaste.example"
    args = ["manifest", "print", str(manifest_id), "--out", str(out), "--base-url", base]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    copy = context.manifest_print.copy_of_record(world.generator.user, manifest_id, base)
    assert copy.record["number"] in result.output
    pdf = out.read_bytes()
    assert copy.record["number"] in pdf_text(pdf)
    assert pdf_qr_matrix(pdf) == qr_matrix(copy.receipt.payload)
    assert copy.receipt.payload.startswith(f"{base}/api/v1/ledger/entries/")
    missing = runner.invoke(app, ["manifest", "print", str(uuid.uuid4()), "--out", str(out)])
    assert missing.exit_code != 0
