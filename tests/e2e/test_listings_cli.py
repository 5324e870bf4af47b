"""`zerowaste market listing` through CliRunner: add, list, show, edit, withdraw, errors."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tests.e2e.test_capture_cli import cli_context
from tests.factories import Factory
from tests.integration.listing_world import Firm, supply_document
from zerowaste.bootstrap import Context
from zerowaste.cli.main import app

__all__ = ["cli_context"]

runner = CliRunner()


def _current(document: dict[str, Any]) -> dict[str, Any]:
    """The document's window moved to start today (the CLI runs on the real clock)."""
    today = date.today()
    return document | {
        "available_from": today.isoformat(),
        "available_to": (today + timedelta(days=200)).isoformat(),
        "expires_on": (today + timedelta(days=150)).isoformat(),
    }


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_add_list_show_edit_withdraw(cli_context: Context, tmp_path: Path) -> None:
    factory = Factory(cli_context)
    seller = Firm(factory)
    document = _current(supply_document(seller.organization, seller.site))
    path = tmp_path / "listing.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    code, out = invoke("market", "listing", "add", "--file", str(path), "--json")
    assert code == 0, out
    listing = json.loads(out)
    assert listing["supply"]["waste_code"] == "398-004-22"
    code, out = invoke("market", "listing", "add", "-f", str(path), "--as", seller.user.username)
    assert code == 0, out
    assert "Listing added" in out

    code, out = invoke("market", "listing", "list", "--side", "supply", "--code", "HW22", "--json")
    assert code == 0, out
    assert len(json.loads(out)) == 2
    code, out = invoke("market", "listing", "list", "--side", "demand", "--json")
    assert json.loads(out) == []
    code, out = invoke("market", "listing", "list", "--region", "320500", "--json")
    assert code == 0
    assert {item["region_code"] for item in json.loads(out)} == {"320505"}
    code, out = invoke("market", "listing", "list", "--region", "320500")
    assert code == 0
    assert "Listings" in out
    assert "supply" in out

    code, out = invoke("market", "listing", "show", listing["id"])
    assert code == 0, out
    assert "Composition" in out
    assert "Cu" in out

    document["supply"]["quantity_t"] = "80"
    path.write_text(json.dumps(document), encoding="utf-8")
    code, out = invoke(
        "market", "listing", "edit", listing["id"], "-f", str(path), "--version", "1"
    )
    assert code == 0, out
    code, out = invoke(
        "market", "listing", "edit", listing["id"], "-f", str(path), "--version", "1"
    )
    assert code != 0
    assert "version" in out

    code, out = invoke("market", "listing", "withdraw", listing["id"], "--json")
    assert code == 0, out
    assert json.loads(out)["state"] == "withdrawn"
    code, out = invoke("market", "listing", "list", "--state", "open", "--json")
    assert len(json.loads(out)) == 1


def test_bad_file_names_the_field(cli_context: Context, tmp_path: Path) -> None:
    factory = Factory(cli_context)
    seller = Firm(factory)
    document = _current(supply_document(seller.organization, seller.site, quantity_t="-1"))
    path = tmp_path / "listing.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    code, out = invoke("market", "listing", "add", "--file", str(path))
    assert code == 65
    assert "supply.quantity_t" in out
    path.write_text("[1, 2]", encoding="utf-8")
    code, out = invoke("market", "listing", "add", "--file", str(path))
    assert code == 65
    assert "file" in out
    code, out = invoke("market", "listing", "list", "--json")
    assert json.loads(out) == []
