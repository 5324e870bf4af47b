"""The chain admission page: rules in the page language, coloured supplier table, the form."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.admission_world import CLAUSES, CRITERIA, build_admission_world
from tests.e2e.test_web_pages import meta_token, sign_in
from tests.factories import Factory
from zerowaste.bootstrap import Context
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.admission import SupplierIndicator
from zerowaste.domain.organizations import OrganizationRole


def _row(html: str, supplier: object) -> str:
    match = re.search(rf'<tr data-supplier="{supplier}">(.*?)</tr>', html, re.S)
    assert match, html[:2000]
    return match.group(1)


def test_the_page_shows_rules_and_each_suppliers_results(
    client: TestClient, context: Context, factory: Factory
) -> None:
    world = build_admission_world(factory)
    context.admission.set_rules(world.master_user, world.master_id, CRITERIA, CLAUSES)
    path = f"/market/chains/{world.master_id}/admission"
    assert client.get(path, follow_redirects=False).status_code == 303  # sign in first
    assert sign_in(client, world.master_user.username).status_code == 303
    page = client.get(path + "?year=2026&lang=en")
    assert page.status_code == 200, page.text[:500]
    html = page.text
    assert "General industrial solid waste intensity" in html
    assert "Every batch logged in 3 days." in html
    assert "1 of 2 admitted" in html
    good = _row(html, world.supplier_id)
    assert f'href="/firms/{world.supplier_id}"' in good
    assert re.findall(r'data-outcome="(\w+)"', good) == ["met", "met", "failed", "failed"]
    assert "0.665889" in good
    assert 'data-verdict="admitted"' in good
    empty = _row(html, world.empty_supplier_id)
    assert re.findall(r'data-outcome="(\w+)"', empty)[:2] == ["unknown", "unknown"]
    assert 'data-verdict="not_admitted"' in empty
    assert 'id="admission-form"' in html
    chinese = client.get(path + "?year=2026&lang=zh").text
    assert "一般工业固体废物产生强度" in chinese
    assert "每批次3日内入账。" in chinese


def test_the_chain_master_saves_a_new_version_from_the_form(
    client: TestClient, context: Context, factory: Factory
) -> None:
    master = factory.organization(roles=(OrganizationRole.CHAIN_MASTER,), name="链主")
    user = factory.user(UserRole.FIRM, organization=master)
    sign_in(client, user.username)
    path = f"/market/chains/{master.id}/admission"
    page = client.get(path)
    assert page.status_code == 200
    assert 'id="admission-no-rules"' in page.text
    token = meta_token(page.text)
    data = {
        "csrf": token,
        "year_basis": "previous_year",
        "criteria_rows": "3",
        "clause_rows": "2",
        "c0_indicator": "utilization_rate",
        "c0_comparator": ">=",
        "c0_threshold": "0.7",
        "c0_required": "1",
        "c1_indicator": "whitelisted",
        "c1_comparator": "==",
        "c1_threshold": "是",
        "c2_indicator": "",
        "k0_key": "take_back",
        "k0_text_zh": "{days}日内收回。",
        "k0_text_en": "Taken back within {days} days.",
        "k0_params": "days=10",
        "k1_key": "",
    }
    saved = client.post(path, data=data, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:1000]
    rules = context.admission.rules(master.id)
    assert rules.version == 1
    assert [c.indicator for c in rules.criteria] == [
        SupplierIndicator.UTILIZATION_RATE,
        SupplierIndicator.WHITELISTED,
    ]
    assert rules.criteria[1].threshold is True
    assert rules.criteria[1].required is False
    assert rules.clauses[0].text("en") == "Taken back within 10 days."
    bad = client.post(path, data=data | {"c0_threshold": "1.5"})
    assert bad.status_code == 422
    assert 'data-field="c0_threshold"' in bad.text
    placeholder = client.post(path, data=data | {"k0_params": ""})
    assert placeholder.status_code == 422
    assert 'data-field="k0_text_zh"' in placeholder.text
    twice = client.post(path, data=data | {"c1_indicator": "utilization_rate"})
    assert twice.status_code == 422
    assert 'data-field="c1_threshold"' in twice.text or 'data-field="c1_comparator"' in twice.text
    assert context.admission.rules(master.id).version == 1


def test_others_see_the_rules_but_not_the_form_or_the_table(
    client: TestClient, context: Context, factory: Factory
) -> None:
    world = build_admission_world(factory)
    context.admission.set_rules(world.master_user, world.master_id, CRITERIA, CLAUSES)
    sign_in(client, world.outsider_user.username)
    path = f"/market/chains/{world.master_id}/admission"
    html = client.get(path + "?lang=en").text
    assert "Every batch logged in 3 days." in html
    assert 'id="admission-form"' not in html
    assert 'id="admission-table"' not in html
    token = meta_token(html)
    refused = client.post(path, data={"csrf": token, "year_basis": "previous_year"})
    assert refused.status_code == 403
    client.cookies.clear()
    sign_in(client, world.supplier_user.username)
    own = client.get(path + "?year=2026").text
    assert f'data-supplier="{world.supplier_id}"' in own
    assert f'data-supplier="{world.empty_supplier_id}"' not in own
    assert client.get(f"/market/chains/{world.supplier_id}/admission").status_code == 422
