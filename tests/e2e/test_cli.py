"""The command line end to end: a real database file, real commands, meaningful exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.factories import credit_code
from zerowaste.adapters.db import migrate
from zerowaste.cli.main import app

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("ZEROWASTE_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("ZEROWASTE_MASTER_KEY", "cli-test-master-key")
    return path


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def orgs(*args: str) -> list[dict[str, str]]:
    code, out = invoke("registry", "orgs", "--json", *args)
    assert code == 0, out
    rows: list[dict[str, str]] = json.loads(out)
    return rows


def test_db_upgrade_and_status(database: Path) -> None:
    head = migrate.head_revision()
    code, out = invoke("db", "upgrade")
    assert code == 0
    assert f"revision {head}" in out
    assert database.exists()
    code, out = invoke("db", "status")
    assert code == 0
    assert f"current: {head}" in out
    code, out = invoke("db", "downgrade", "0001")
    assert code == 0
    assert "revision 0001" in out


def test_register_organization_site_permit(database: Path) -> None:
    cc = credit_code()
    code, out = invoke(
        "registry",
        "add-org",
        "--credit-code",
        cc,
        "--name",
        "苏州示例回收有限公司",
        "--region",
        "320505",
        "--industry",
        "4220",
        "--role",
        "utilizer",
        "--json",
    )
    assert code == 0, out
    assert [o["credit_code"] for o in orgs()] == [cc]
    code, out = invoke(
        "registry",
        "add-site",
        cc,
        "--name",
        "厂区",
        "--kind",
        "recycler",
        "--region",
        "320505",
        "--lat",
        "31.3",
        "--lon",
        "120.6",
    )
    assert code == 0, out
    code, out = invoke(
        "registry",
        "add-permit",
        cc,
        "--kind",
        "hazardous_waste_business",
        "--number",
        "P-1",
        "--activity",
        "utilize",
        "--code",
        "HW08",
        "--capacity-t",
        "1500.5",
        "--valid-from",
        "2025-01-01",
        "--valid-to",
        "2030-01-01",
    )
    assert code == 0, out
    code, out = invoke("registry", "add-signing-key", cc, "--custodial")
    assert code == 0, out


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--credit-code", "91350100M000100Y44", "--region", "320505"], "credit_code"),
        (["--credit-code", "VALID", "--region", "329999"], "region_code"),
    ],
)
def test_bad_organization_exits_65_naming_the_field(
    database: Path, args: list[str], field: str
) -> None:
    args = [credit_code() if a == "VALID" else a for a in args]
    code, out = invoke("registry", "add-org", "--name", "X", *args)
    assert code == 65
    assert f"{field}:" in out
    assert orgs() == []


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (
            ["--valid-from", "2026-01-01", "--valid-to", "2025-01-01", "--capacity-t", "1"],
            "valid_to",
        ),
        (
            ["--valid-from", "2025-01-01", "--valid-to", "2026-01-01", "--capacity-t", "-3"],
            "annual_capacity_t",
        ),
        (
            ["--valid-from", "2025-13-01", "--valid-to", "2026-01-01", "--capacity-t", "3"],
            "valid_from",
        ),
    ],
)
def test_bad_permit_exits_65_naming_the_field(database: Path, args: list[str], field: str) -> None:
    cc = credit_code()
    assert (
        invoke("registry", "add-org", "--credit-code", cc, "--name", "X", "--region", "320505")[0]
        == 0
    )
    code, out = invoke(
        "registry",
        "add-permit",
        cc,
        "--kind",
        "hazardous_waste_business",
        "--number",
        "P-2",
        "--activity",
        "dispose",
        "--code",
        "HW18",
        *args,
    )
    assert code == 65, out
    assert f"{field}:" in out


def test_catalog_search_in_chinese_and_english(database: Path) -> None:
    code, out = invoke("catalog", "search", "废矿物油", "--json", "--limit", "100")
    assert code == 0
    codes = [row["code"] for row in json.loads(out)]
    assert "900-214-08" in codes
    assert codes[0].endswith("-08")
    code, out = invoke("catalog", "search", "mineral oil", "--json", "--limit", "100")
    assert "900-214-08" in [row["code"] for row in json.loads(out)]
    code, out = invoke("catalog", "show", "900-214-08", "--on", "2022-01-01", "--json")
    assert code == 0
    assert json.loads(out)[0]["category"].startswith("HW08")
    code, out = invoke("catalog", "show", "123-456-78")
    assert code == 66


def test_user_and_api_key(database: Path) -> None:
    result = runner.invoke(
        app,
        ["registry", "add-user", "--username", "ops", "--role", "admin"],
        input="long-password-1\nlong-password-1\n",
    )
    assert result.exit_code == 0, result.output
    code, out = invoke("registry", "issue-api-key", "ops")
    assert code == 0
    assert "zw_" in out


def test_update_revoke_and_disable(database: Path) -> None:
    cc = credit_code()
    assert (
        invoke("registry", "add-org", "--credit-code", cc, "--name", "X", "--region", "320505")[0]
        == 0
    )
    code, out = invoke("registry", "update-org", cc, "--name", "改名公司", "--role", "disposer")
    assert code == 0, out
    assert orgs()[0]["name"] == "改名公司"
    assert orgs()[0]["roles"] == "disposer"
    code, out = invoke(
        "registry",
        "add-permit",
        cc,
        "--kind",
        "hazardous_waste_business",
        "--number",
        "P-9",
        "--activity",
        "dispose",
        "--code",
        "HW18",
        "--capacity-t",
        "10",
        "--valid-from",
        "2025-01-01",
        "--valid-to",
        "2030-01-01",
        "--json",
    )
    permit_id = json.loads(out)[0]["id"]
    code, out = invoke("registry", "revoke-permit", cc, permit_id, "--last-day", "2035-01-01")
    assert code == 65
    assert "last_day:" in out
    code, out = invoke("registry", "revoke-permit", cc, permit_id, "--last-day", "2026-01-01")
    assert code == 0
    assert "2026-01-01" in out
    code, out = invoke("registry", "remove-site", cc, "not-an-id")
    assert code == 65
    assert "site_id:" in out
    runner.invoke(
        app,
        ["registry", "add-user", "--username", "someone", "--role", "admin"],
        input="long-password-1\nlong-password-1\n",
    )
    code, out = invoke("registry", "set-user-active", "someone", "--disabled")
    assert code == 0
    assert "disabled" in out
    code, out = invoke("registry", "issue-api-key", "someone")
    assert code == 66
