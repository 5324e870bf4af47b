"""`zerowaste market proposal|contract` end to end, on the CLI's own (real) clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from tests.contract_world import build_contract_world
from tests.e2e.test_capture_cli import cli_context, invoke
from tests.factories import Factory
from zerowaste.bootstrap import Context

__all__ = ["cli_context"]


def test_propose_accept_sign_show_and_measure(cli_context: Context) -> None:
    cli_context.clock.now = datetime.now(UTC) - timedelta(minutes=30)  # type: ignore[attr-defined]
    cw = build_contract_world(Factory(cli_context))
    w = cw.world
    g, r = w.generator, w.receiver
    start = w.clock.date()
    end = start + timedelta(days=60)
    code, out = invoke(
        "market", "proposal", "create", "--supply", str(cw.supply.id), "--demand",
        str(cw.demand.id), "--quantity", "12", "--start", start.isoformat(), "--end",
        end.isoformat(), "--shortfall-penalty", "40", "--as", g.user.username, "--json",
    )  # fmt: skip
    assert code == 0, out
    proposal = json.loads(out)
    assert proposal["state"] == "proposed"
    assert proposal["quantity_t_per_month"] == "12"
    code, out = invoke("market", "proposal", "list", "--direction", "incoming", "--as",
                       r.user.username, "--json")  # fmt: skip
    assert code == 0, out
    assert [p["proposal_id"] for p in json.loads(out)] == [proposal["proposal_id"]]
    pid = proposal["proposal_id"]
    code, out = invoke("market", "proposal", "accept", pid, "--as", g.user.username)
    assert code == 77, out  # Forbidden: the proposer does not accept
    code, out = invoke("market", "proposal", "accept", pid, "--as", r.user.username, "--json")
    assert code == 0, out
    contract_id = json.loads(out)["contract_id"]
    for user in (g.user, r.user):
        code, out = invoke("market", "contract", "sign", contract_id, "--as", user.username)
        assert code == 0, out
    code, out = invoke("market", "contract", "show", contract_id, "--lang", "zh-CN")
    assert code == 0, out
    assert "active" in out
    assert "供方" in out
    code, out = invoke("market", "contract", "performance", contract_id, "--json")
    assert code == 0, out
    figures = json.loads(out)
    assert figures["delivered_t"] == "0"
    assert figures["months"][0]["committed_t"] is not None
    code, out = invoke("market", "contract", "list", "--json")
    assert [c["state"] for c in json.loads(out)] == ["active"]
    code, out = invoke("market", "contract", "terminate", contract_id, "--reason", "",
                       "--as", r.user.username)  # fmt: skip
    assert code != 0
    assert "reason" in out
    code, out = invoke("market", "contract", "terminate", contract_id, "--reason", "plant shut",
                       "--as", r.user.username, "--json")  # fmt: skip
    assert code == 0, out
    assert json.loads(out)["state"] == "terminated"
