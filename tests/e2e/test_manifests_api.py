"""Manifests and approvals end to end: HTTP with API keys, Problem Details, and the CLI."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.conftest import MASTER_KEY
from tests.factories import Factory
from tests.integration.test_approvals import ANHUI, approval_terms
from tests.integration.test_manifests import stored
from tests.manifest_world import World, build_world
from zerowaste.bootstrap import Context
from zerowaste.cli.main import app
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.approval_documents import (
    approval_document,
    request_fields,
)
from zerowaste.domain.approvals import ApprovalAction
from zerowaste.domain.manifest_documents import (
    manifest_document,
    receipt_fields,
    terms_fields,
)
from zerowaste.domain.manifests import ManifestAction, ReceiptLine

API = "/api/v1"
runner = CliRunner()


def post_signed(
    client: TestClient,
    headers: dict[str, str],
    document: dict[str, Any],
    signature: dict[str, str],
    path: str = "/manifests/steps",
) -> Any:
    return client.post(
        f"{API}{path}", json={"document": document, "signature": signature}, headers=headers
    )


def post_custodial(
    client: TestClient,
    headers: dict[str, str],
    document: dict[str, Any],
    path: str = "/manifests/steps/custodial",
) -> Any:
    return client.post(f"{API}{path}", json={"document": document}, headers=headers)


def test_a_manifest_round_over_http(client: TestClient, factory: Factory) -> None:
    world = build_world(factory)
    g, c, r = world.generator, world.carrier, world.receiver
    keys = {p.id: factory.api_key(p.user) for p in (g, c, r)}
    batch = world.generate("750")
    manifest_id = uuid.uuid4()
    issue = manifest_document(
        ManifestAction.ISSUE, manifest_id, g.id, world.tick(), **terms_fields(world.terms([batch]))
    )
    response = post_signed(client, keys[g.id], issue, g.signer.sign(issue))
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "stored"
    replay = post_signed(client, keys[g.id], issue, g.signer.sign(issue))
    assert replay.json()["status"] == "already_stored"
    pickup = manifest_document(ManifestAction.PICKUP, manifest_id, c.id, world.tick(), leg=0)
    assert post_custodial(client, keys[c.id], pickup).status_code == 201
    early = manifest_document(ManifestAction.DELIVER, manifest_id, c.id, world.tick(), leg=0)
    problem = post_custodial(client, keys[c.id], early)  # the batch has not shipped yet
    assert problem.status_code == 409
    assert problem.headers["content-type"] == "application/problem+json"
    assert problem.json()["type"] == "urn:zerowaste:problem:manifest-not-in-transit"
    world.ship(manifest_id, batch)
    deliver = manifest_document(ManifestAction.DELIVER, manifest_id, c.id, world.tick(), leg=0)
    assert post_custodial(client, keys[c.id], deliver).status_code == 201
    receive = manifest_document(
        ManifestAction.RECEIVE,
        manifest_id,
        r.id,
        world.tick(),
        **receipt_fields(r.site.id, (ReceiptLine(batch, Decimal("748.2")),)),
    )
    assert post_signed(client, keys[r.id], receive, r.signer.sign(receive)).status_code == 201
    world.take_in(manifest_id, batch, "748.2")
    close = manifest_document(ManifestAction.CLOSE, manifest_id, r.id, world.tick())
    assert post_custodial(client, keys[r.id], close).status_code == 201

    body = client.get(f"{API}/manifests/{manifest_id}", headers=keys[g.id]).json()
    assert body["state"] == "closed"
    assert body["lines"][0]["discrepancy_kg"] == "-1.8"
    assert [s["action"] for s in body["signatures"]] == [
        "issue",
        "pickup",
        "deliver",
        "receive",
        "close",
    ]
    assert all(isinstance(s["leaf_index"], int) for s in body["signatures"])
    assert [e["event_type"] for e in body["events"]] == ["shipped", "received"]
    assert {p["organization_id"] for p in body["parties"]} == {str(g.id), str(c.id), str(r.id)}
    assert body["actions"][0]["document"] == issue
    listed = client.get(f"{API}/manifests", headers=keys[c.id]).json()
    assert [m["manifest_id"] for m in listed["items"]] == [str(manifest_id)]
    outsider = factory.api_key(
        factory.user(UserRole.FIRM, organization=world.alternate.organization)
    )
    assert client.get(f"{API}/manifests/{manifest_id}", headers=outsider).status_code == 403
    assert client.get(f"{API}/manifests", headers=outsider).json()["items"] == []


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"lines": "none"}, 422, "lines"),
        ({"action_time": "yesterday"}, 422, "action_time"),
        ({"receiver_site_id": str(uuid.UUID(int=7))}, 422, "receiver_site_id"),
        ({"approval_id": str(uuid.UUID(int=8))}, 422, "approval_id"),
        ({"transporters": [str(uuid.UUID(int=9))]}, 422, "transporters[0]"),
    ],
)
def test_bad_steps_get_problem_details_naming_the_field_and_store_nothing(
    client: TestClient, factory: Factory, change: dict[str, Any], status: int, field: str
) -> None:
    world = build_world(factory)
    g = world.generator
    batch = world.generate()
    document = (
        manifest_document(
            ManifestAction.ISSUE,
            uuid.uuid4(),
            g.id,
            world.tick(),
            **terms_fields(world.terms([batch])),
        )
        | change
    )
    before = stored(factory.context)
    response = post_custodial(client, factory.api_key(g.user), document)
    assert response.status_code == status, response.text
    assert response.json()["errors"][0]["field"] == field
    assert stored(factory.context) == before


def test_an_unpermitted_receiver_is_refused_over_http(client: TestClient, factory: Factory) -> None:
    world = build_world(factory, licensed=False)
    g = world.generator
    batch = world.generate()
    document = manifest_document(
        ManifestAction.ISSUE, uuid.uuid4(), g.id, world.tick(), **terms_fields(world.terms([batch]))
    )
    response = post_signed(client, factory.api_key(g.user), document, g.signer.sign(document))
    assert response.status_code == 422
    assert response.json()["type"] == "urn:zerowaste:problem:permit-does-not-cover"
    assert [e["field"] for e in response.json()["errors"]] == ["receiver_id"]


def test_an_approval_over_http(client: TestClient, factory: Factory) -> None:
    world = build_world(factory, receiver_region=ANHUI)
    g = world.generator
    approval_id = uuid.uuid4()
    request = approval_document(
        ApprovalAction.REQUEST, approval_id, world.tick(), **request_fields(approval_terms(world))
    )
    response = post_custodial(
        client, factory.api_key(g.user), request, "/approvals/steps/custodial"
    )
    assert response.status_code == 201, response.text
    anhui = factory.api_key(factory.user(UserRole.REGULATOR, jurisdiction_code="340000"))
    jiangsu = factory.api_key(factory.user(UserRole.REGULATOR, jurisdiction_code="320000"))
    firm = factory.api_key(g.user)
    assert (
        client.post(f"{API}/approvals/{approval_id}/consent", json={}, headers=firm).status_code
        == 403
    )
    early = client.post(f"{API}/approvals/{approval_id}/approve", json={}, headers=jiangsu)
    assert early.status_code == 409
    assert (
        client.post(
            f"{API}/approvals/{approval_id}/consent", json={"note": "同意"}, headers=anhui
        ).status_code
        == 201
    )
    assert (
        client.post(f"{API}/approvals/{approval_id}/approve", json={}, headers=jiangsu).status_code
        == 201
    )
    body = client.get(f"{API}/approvals/{approval_id}", headers=firm).json()
    assert body["state"] == "approved"
    assert [s["action"] for s in body["steps"]] == ["request", "consent", "approve"]
    assert body["steps"][1]["note"] == "同意"
    listed = client.get(f"{API}/approvals", headers=anhui).json()["items"]
    assert [a["approval_id"] for a in listed] == [str(approval_id)]


@pytest.fixture
def cli_context(context: Context, monkeypatch: pytest.MonkeyPatch) -> Context:
    """The test database, reachable by the CLI through the environment."""
    monkeypatch.setenv("ZEROWASTE_DATABASE_URL", context.settings.database_url)
    monkeypatch.setenv("ZEROWASTE_MASTER_KEY", MASTER_KEY)
    return context


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_the_cli_signs_submits_and_shows(cli_context: Context, tmp_path: Path) -> None:
    factory = Factory(cli_context)
    world: World = build_world(factory, receiver_region=ANHUI)
    g = world.generator
    key_file = tmp_path / "generator.pem"
    key_file.write_bytes(
        g.signer.private_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    )
    approval_id = uuid.uuid4()
    request = approval_document(
        ApprovalAction.REQUEST, approval_id, world.tick(), **request_fields(approval_terms(world))
    )
    (tmp_path / "request.json").write_text(json.dumps(request), encoding="utf-8")
    code, out = invoke(
        "approval",
        "sign",
        str(tmp_path / "request.json"),
        "--key",
        str(key_file),
        "--key-id",
        str(g.signer.key_id),
        "--out",
        str(tmp_path / "signed.json"),
    )
    assert code == 0, out
    code, out = invoke(
        "approval", "submit", str(tmp_path / "signed.json"), "--as", g.user.username, "--json"
    )
    assert code == 0, out
    assert json.loads(out)[0]["status"] == "stored"
    anhui = factory.user(UserRole.REGULATOR, jurisdiction_code="340000")
    jiangsu = factory.user(UserRole.REGULATOR, jurisdiction_code="320000")
    code, out = invoke("approval", "approve", str(approval_id), "--as", jiangsu.username)
    assert code == 73, out  # a state conflict: the destination has not consented
    assert invoke("approval", "consent", str(approval_id), "--as", anhui.username)[0] == 0
    assert invoke("approval", "approve", str(approval_id), "--as", jiangsu.username)[0] == 0

    batch = world.generate("900")
    manifest_id = uuid.uuid4()
    issue = manifest_document(
        ManifestAction.ISSUE,
        manifest_id,
        g.id,
        world.tick(),
        **terms_fields(world.terms([batch], approval_id=approval_id)),
    )
    (tmp_path / "issue.json").write_text(json.dumps(issue), encoding="utf-8")
    code, out = invoke(
        "manifest",
        "sign",
        str(tmp_path / "issue.json"),
        "--key",
        str(key_file),
        "--key-id",
        str(g.signer.key_id),
        "--out",
        str(tmp_path / "issue.signed"),
    )
    assert code == 0, out
    code, out = invoke(
        "manifest", "submit", str(tmp_path / "issue.signed"), "--as", g.user.username
    )
    assert code == 0, out
    code, out = invoke("manifest", "show", str(manifest_id), "--json", "--as", g.user.username)
    assert code == 0, out
    shown = json.loads(out)
    assert shown["state"] == "issued"
    assert shown["approval"]["used_kg"] == "900"
    assert shown["number"].startswith("320505-")
    code, out = invoke("manifest", "list", "--json")
    assert code == 0, out
    assert [m["manifest_id"] for m in json.loads(out)] == [str(manifest_id)]
    pickup = manifest_document(
        ManifestAction.PICKUP, manifest_id, world.receiver.id, world.tick(), leg=0
    )
    (tmp_path / "pickup.json").write_text(json.dumps(pickup), encoding="utf-8")
    code, out = invoke("manifest", "act", str(tmp_path / "pickup.json"))
    assert code == 65, out  # the receiver is not the carrier
    assert "organization_id" in out
