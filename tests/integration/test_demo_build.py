"""Building the demo city through the services, on SQLite and PostgreSQL, and via the CLI."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from tests.factories import Factory
from zerowaste.adapters.db import migrate
from zerowaste.bootstrap import Context, build_context
from zerowaste.cli.main import app
from zerowaste.demo import DEMO_MASTER_KEY, DEMO_PASSWORD
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.organizations import OrganizationRole
from zerowaste.domain.pages import PageRequest
from zerowaste.domain.permits import PermitKind
from zerowaste.errors import InvalidInput, MasterKeyMissing
from zerowaste.services.demo import build_demo_city
from zerowaste.settings import Settings

SCALE = 0.1


def test_build_stores_the_city_and_its_logins_work(context: Context) -> None:
    stages: set[str] = set()
    summary = build_demo_city(
        context, seed=3, scale=SCALE, progress=lambda s, d, t: stages.add(s), months=0
    )
    assert stages == {"reset", "firms", "users"}
    assert context.schema_is_current()
    counts = summary.counts
    registry = context.registry.summary()
    assert registry.organizations == counts["organizations"] > 50
    assert registry.organizations_by_role[OrganizationRole.CHAIN_MASTER] == 1
    assert sum(registry.permits_by_kind.values()) == counts["permits"]
    assert registry.permits_by_kind[PermitKind.DANGEROUS_GOODS_TRANSPORT] >= 1
    assert sum(registry.sites_by_kind.values()) == counts["sites"]
    assert summary.expired_permits >= 1
    assert summary.as_of == context.clock().date()

    suzhou = context.accounts.login("regulator.suzhou", DEMO_PASSWORD)
    assert suzhou.role is UserRole.REGULATOR
    assert suzhou.jurisdiction_code == "320500"
    oem = context.accounts.login("firm.oem", DEMO_PASSWORD)
    assert oem.organization_id is not None
    organization = context.organizations.get(oem.organization_id)
    assert OrganizationRole.CHAIN_MASTER in organization.roles
    figures = context.organizations.economics(oem, organization.id)
    assert [r.year for r in figures] == list(range(2021, 2027))
    key, signature = context.signing_keys.sign_custodial(organization.id, b"demo")
    assert key.custodial
    assert len(signature) == 64
    sites = context.sites.find_sites(PageRequest(limit=10), organization_id=organization.id)
    assert sites.items
    assert {login.username for login in summary.logins} >= {"admin", "regulator.jiaxing"}


def test_rebuilding_replaces_the_previous_city(context: Context, factory: Factory) -> None:
    factory.organization(name="演示前的企业")
    first = build_demo_city(context, seed=1, scale=SCALE, months=0)
    second = build_demo_city(context, seed=2, scale=SCALE, months=1)
    assert context.registry.summary().organizations == second.counts["organizations"]
    assert first.counts["organizations"] == second.counts["organizations"]
    found = context.organizations.find(PageRequest(limit=500), text="演示前的企业")
    assert not found.items


def test_nothing_is_erased_without_a_master_key(context: Context, factory: Factory) -> None:
    kept = factory.organization()
    settings = context.settings.model_copy(update={"master_key": None})
    keyless = dataclasses.replace(context, settings=settings)
    with pytest.raises(MasterKeyMissing):
        build_demo_city(keyless, seed=1, scale=SCALE)
    with pytest.raises(InvalidInput):
        build_demo_city(context, seed=1, scale=0)
    with pytest.raises(InvalidInput):
        build_demo_city(context, seed=1, scale=SCALE, months=13)
    assert context.organizations.get(kept.id) == kept


def test_reset_drops_every_table_then_upgrade_rebuilds(context: Context) -> None:
    with context.engine.begin() as connection:
        connection.execute(text("CREATE TABLE stray_table (id INTEGER PRIMARY KEY)"))
    migrate.reset(context.engine)
    assert inspect(context.engine).get_table_names() == []
    assert migrate.current_revision(context.engine) is None
    context.migrate()
    assert context.schema_is_current()
    assert context.registry.region("320500").name_zh == "苏州市"


def test_cli_builds_the_demo_into_a_fresh_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    env = {"ZEROWASTE_DATABASE_URL": url, "ZEROWASTE_MASTER_KEY": None}
    result = CliRunner().invoke(
        app, ["demo", "--no-serve", "--scale", "0.05", "--seed", "5", "--months", "1"], env=env
    )
    assert result.exit_code == 0, result.output
    for expected in ("Demo city", "regulator.suzhou", DEMO_PASSWORD, "http://127.0.0.1:8000/"):
        assert expected in result.stdout
    for expected in ("events", "generated", "shipped", "planted violations", "demo.truth.json"):
        assert expected in result.stdout
    truth = json.loads((tmp_path / "demo.truth.json").read_text(encoding="utf-8"))
    assert truth["seed"] == 5
    assert truth["violations"]
    assert "demo key" in result.output
    built = build_context(Settings(database_url=url, master_key=DEMO_MASTER_KEY))  # type: ignore[arg-type]
    try:
        oem = built.accounts.login("firm.oem", DEMO_PASSWORD)
        assert oem.organization_id is not None
        built.signing_keys.sign_custodial(oem.organization_id, b"signed with the demo key")
    finally:
        built.close()


def test_cli_refuses_a_bad_scale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    env = {"ZEROWASTE_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--scale", "-1"], env=env)
    assert result.exit_code == InvalidInput.exit_code
    assert "scale" in result.output


def test_cli_will_not_erase_a_server_database_without_yes(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"ZEROWASTE_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"}
    result = CliRunner().invoke(app, ["demo", "--no-serve"], env=env)
    assert result.exit_code == 64
    assert "--yes" in result.output
