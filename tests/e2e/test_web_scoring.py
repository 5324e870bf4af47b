"""The supplier ranking and chain evaluation pages: weights and their source, bars, the form."""

from __future__ import annotations

import re
from decimal import Decimal

from fastapi.testclient import TestClient

from tests.e2e.test_web_pages import assert_html, sign_in
from tests.factories import Factory
from tests.scoring_world import CRITERIA, build_scoring_world
from zerowaste.bootstrap import Context
from zerowaste.domain.admission import Comparator, Criterion, SupplierIndicator


def _row(html: str, supplier: object) -> str:
    match = re.search(rf'<tr data-supplier="{supplier}">(.*?)</tr>', html, re.S)
    assert match, html[:3000]
    return match.group(1)


def _query(extra: str = "") -> str:
    return "?year=2026&" + "&".join(f"criteria={c}" for c in CRITERIA) + extra


def test_the_ranking_page(client: TestClient, factory: Factory) -> None:
    world = build_scoring_world(factory)
    path = f"/market/chains/{world.master_id}/ranking"
    assert client.get(path, follow_redirects=False).status_code == 303  # sign in first
    assert sign_in(client, world.master_user.username).status_code == 303
    html = assert_html(client.get(path + _query("&lang=en")))
    s = world.suppliers
    ranks = re.findall(
        r'<tr data-supplier="([0-9a-f-]+)">\s*<td class="num" data-rank="(\d)"', html
    )
    assert ranks == [(str(s["丙"]), "1"), (str(s["甲"]), "2"), (str(s["乙"]), "3")]
    assert "the entropy weight method (objective)" in html
    assert 'data-closeness="0.6189"' in _row(html, s["甲"])
    assert "<meter" in _row(html, s["甲"])
    assert "At the ideal on every criterion." in _row(html, s["丙"])
    assert "Not ranked" in html
    assert "no value for General industrial solid waste intensity" in html
    assert "vector normalisation" in html
    assert 'data-definition="utilization_rate"' in html
    assert "prior-year stock utilized" in html
    weighted = assert_html(
        client.get(
            path
            + _query(
                "&w_waste_intensity_t_per_10k_cny=1&w_utilization_rate=1&w_disposal_share=2&lang=en"
            )
        )
    )
    assert "expert weights (normalised)" in weighted
    assert "0.5000" in weighted
    chinese = assert_html(client.get(path + _query("&lang=zh")))
    assert "熵权法（客观）" in chinese
    default = assert_html(client.get(path + "?lang=en"))  # last year (2026), default criteria
    assert 'id="scoring-form"' in default


def test_bad_form_input_is_shown_next_to_the_field(client: TestClient, factory: Factory) -> None:
    world = build_scoring_world(factory)
    path = f"/market/chains/{world.master_id}/ranking"
    sign_in(client, world.master_user.username)
    bad = client.get(path + _query("&w_utilization_rate=abc&lang=en"))
    assert bad.status_code == 422
    assert 'data-field="w_utilization_rate"' in bad.text
    partial = client.get(path + _query("&w_utilization_rate=2&lang=en"))
    assert partial.status_code == 422
    assert 'data-field="criteria"' in partial.text
    assert "no weight given" in partial.text
    too_early = client.get(path + "?year=2020&lang=en")
    assert too_early.status_code == 422
    assert 'id="ranking-problem"' in too_early.text


def test_the_evaluation_page(client: TestClient, context: Context, factory: Factory) -> None:
    world = build_scoring_world(factory)
    rules = (Criterion(SupplierIndicator.UTILIZATION_RATE, Comparator.AT_LEAST, Decimal("0.75")),)
    context.admission.set_rules(world.master_user, world.master_id, rules, ())
    sign_in(client, world.master_user.username)
    path = f"/market/chains/{world.master_id}/evaluation?year=2026&lang=en"
    html = assert_html(client.get(path))
    assert re.search(r'data-aggregate="utilization_rate">.*?0\.641026', html, re.S)
    assert re.search(r'data-aggregate="generated_t">.*?39<', html, re.S)
    assert 'data-verdict="admitted"' in _row(html, world.suppliers["甲"])
    assert 'data-verdict="not_admitted"' in _row(html, world.suppliers["乙"])
    assert "unranked" in _row(html, world.suppliers["丁"])
    order = re.findall(r'<tr data-supplier="([0-9a-f-]+)">', html)
    s = world.suppliers
    assert order == [str(s[n]) for n in ("丙", "甲", "乙", "丁")]  # by rank, unranked last
    assert "Verdicts against rules version 1." in html
    assert 'data-definition="waste_intensity_t_per_10k_cny"' in html
    admission = assert_html(client.get(f"/market/chains/{world.master_id}/admission?lang=en"))
    assert f'href="/market/chains/{world.master_id}/ranking"' in admission
    assert "链主评价" in assert_html(client.get(path.replace("lang=en", "lang=zh")))


def test_a_supplier_cannot_see_the_ranking(client: TestClient, factory: Factory) -> None:
    world = build_scoring_world(factory)
    sign_in(client, world.supplier_user.username)
    for page in ("ranking", "evaluation"):
        response = client.get(f"/market/chains/{world.master_id}/{page}")
        assert response.status_code == 403
